/** The part of webvtt-parser (no published types) the export tests use. */
declare module 'webvtt-parser' {
  export interface WebVTTCue {
    startTime: number;
    endTime: number;
    text: string;
  }
  export class WebVTTParser {
    parse(text: string, mode: 'metadata' | 'chapters' | 'subtitles'): { cues: WebVTTCue[]; errors: unknown[] };
  }
}
