/**
 * When a container's frame count is wrong (an edit list trimming the start, a stream cut without re-encoding), the
 * decoder is the truth: stages after decoding use the decoded count, and reports and summary.json say so.
 */
import type { VideoInfo } from './types';

export function frameCountNote(container: number, decoded: number): string {
  return `the container says ${container} frames but ${decoded} could be decoded; vsum uses the ${decoded} decoded frames`;
}

/** The note for a decoded video whose container count differed, else undefined. */
export function frameCountNoteOf(info: VideoInfo): string | undefined {
  return info.containerFrames === undefined || info.containerFrames === info.frames
    ? undefined
    : frameCountNote(info.containerFrames, info.frames);
}
