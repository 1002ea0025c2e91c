/**
 * When a container's frame count is wrong (an edit list trimming the start, a stream cut without re-encoding), the
 * decoder is the truth: stages after decoding use the decoded count, and reports and summary.json say so.
 */
import { decodeFrames } from './decode';
import type { FfmpegTools } from './ffmpeg';
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

/** `info` with the decoded count as its frame count, keeping what the container said (once, however often called). */
export function withFrameCount(info: VideoInfo, decoded: number): VideoInfo {
  return decoded === info.frames
    ? info
    : { ...info, frames: decoded, containerFrames: info.containerFrames ?? info.frames };
}

/**
 * Count the frames the decoder gives (the same decode the embedders and the writer do, at 2×2 so it is cheap),
 * and return `info` with that count when it differs from the container's. For features made elsewhere (a .npy)
 * whose rows fit the decoded count but not the container's.
 */
export async function withDecodedFrameCount(
  info: VideoInfo,
  tools: FfmpegTools,
  signal?: AbortSignal,
): Promise<VideoInfo> {
  let n = 0;
  for await (const _ of decodeFrames(
    info.path,
    { width: 2, height: 2, pixFmt: 'rgb24', resize: 'squash' },
    { tools, signal, expectFrames: info.frames },
  ))
    n++;
  return withFrameCount(info, n);
}
