/**
 * WebVTT chapters of the summary video (`<stem>.chapters.vtt`): one cue per summary shot, timed on the summary's
 * own timeline and titled with where it comes from in the source, so a player's chapter menu jumps between them.
 */
import path from 'node:path';
import type { ExportInput } from './summary-shots';
import { clockTime } from './timecode';

export function summaryVtt(input: ExportInput): string {
  const fps = input.source.fps;
  const name = path.basename(input.source.path);
  const cues = input.shots.map((s, i) => {
    const from = clockTime(s.summaryStart / fps);
    const to = clockTime((s.summaryStart + s.end - s.start) / fps);
    return `${i + 1}\n${from} --> ${to}\nShot ${i + 1}: ${name} ${clockTime(s.start / fps)}–${clockTime(s.end / fps)}`;
  });
  return ['WEBVTT', ...cues].join('\n\n') + '\n';
}
