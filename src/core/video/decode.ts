/**
 * Streaming decode: one ffmpeg child writes raw frames (rgb24 or bgr24), already resized by ffmpeg, to a pipe;
 * this async generator yields them one by one. Memory is constant in the video's length: the pipe applies
 * backpressure while the consumer works, and each frame is a fresh buffer the consumer may keep.
 * Frame k of the iterator is frame k of the file: passthrough timing (no frame-rate resampling, so nothing is
 * dropped or duplicated), and ffmpeg's autorotation applied as every player does.
 */
import { CancelledError, VsumError } from '../errors';
import { resolveFfmpeg, type FfmpegTools } from './ffmpeg';
import { startTool } from './process';
import { assertVideoFile, describeReadFailure } from './probe';
import type { Frame, FrameFormat } from './types';

export interface DecodeOptions {
  tools?: FfmpegTools;
  signal?: AbortSignal;
  /** Decode only frames [start, start + count). */
  start?: number;
  count?: number;
  /** When known (from probe), fewer decoded frames plus decoder errors means the file is truncated. */
  expectFrames?: number;
}

/** The -vf chain that brings a frame to `fmt` (shared with frame extraction so both resize identically). */
export function scaleFilter(fmt: Pick<FrameFormat, 'width' | 'height' | 'resize'>): string {
  const { width: w, height: h } = fmt;
  if (!(w > 0 && h > 0)) throw new RangeError(`frame size must be positive, got ${w}×${h}`);
  return fmt.resize === 'crop'
    ? `scale=${w}:${h}:force_original_aspect_ratio=increase:flags=bilinear,crop=${w}:${h}`
    : `scale=${w}:${h}:flags=bilinear`;
}

export async function* decodeFrames(file: string, fmt: FrameFormat, opts: DecodeOptions = {}): AsyncGenerator<Frame> {
  assertVideoFile(file);
  const tools = opts.tools ?? (await resolveFfmpeg());
  const filters: string[] = [];
  const start = opts.start ?? 0;
  if (opts.start !== undefined || opts.count !== undefined) {
    const end = opts.count !== undefined ? start + opts.count : Number.MAX_SAFE_INTEGER;
    filters.push(`select=between(n\\,${start}\\,${end - 1})`);
  }
  filters.push(scaleFilter(fmt));
  const args = [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-i',
    file,
    '-map',
    '0:v:0',
    tools.fpsModeFlag,
    'passthrough',
    '-vf',
    filters.join(','),
    '-f',
    'rawvideo',
    '-pix_fmt',
    fmt.pixFmt,
    'pipe:1',
  ];
  const what = `decoding ${file}`;
  const proc = startTool(tools.ffmpeg, args, { signal: opts.signal, what });
  proc.child.stdin?.end();
  const frameBytes = fmt.width * fmt.height * 3;
  let index = start;
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  let finished = false;
  try {
    for await (const chunk of proc.child.stdout as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - off);
        frame.set(chunk.subarray(off, off + n), filled);
        filled += n;
        off += n;
        if (filled === frameBytes) {
          yield { index: index++, data: frame };
          frame = new Uint8Array(frameBytes);
          filled = 0;
        }
      }
      if (opts.signal?.aborted) break;
    }
    const r = await proc.exited;
    if (opts.signal?.aborted) throw new CancelledError(what);
    if (r.spawnError)
      throw new VsumError('FFMPEG_NOT_FOUND', `Cannot run ${tools.ffmpeg}: ${r.spawnError.message}`, {
        cause: r.spawnError,
      });
    if (r.code !== 0) {
      if (r.signal === 'SIGKILL' || r.signal === 'SIGTERM' || r.signal === 'SIGSEGV')
        throw new VsumError(
          'FFMPEG_FAILED',
          `ffmpeg stopped unexpectedly (${r.signal}) while decoding ${file} after ${index - start} frames. Run again; if it repeats, try another ffmpeg (vsum.ffmpegPath / --ffmpeg).`,
          { file },
        );
      throw describeReadFailure(file, r.stderr);
    }
    const decoded = index - start;
    if (opts.expectFrames !== undefined && decoded < opts.expectFrames && r.stderr.trim())
      throw new VsumError(
        'TRUNCATED',
        `${file} is truncated or corrupt: only ${decoded} of ${opts.expectFrames} frames could be decoded (${r.stderr.trim().split('\n').pop()?.slice(0, 160)}). Re-export or re-download the video.`,
        { file },
      );
    finished = true;
  } finally {
    if (!finished) proc.kill();
    // Wait for the child to be gone so callers can assert no process outlives the call.
    await proc.exited;
  }
}
