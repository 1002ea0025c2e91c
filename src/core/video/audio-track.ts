/**
 * The summary's sound for any frame list — repeats and thousands of scattered frames included, where ffmpeg's
 * `aselect` expression cannot go: the source's audio is decoded once to PCM through a pipe, and for each listed
 * frame f the samples [round(f·R/fps), round((f+1)·R/fps)) are passed on, in list order, to a second ffmpeg that
 * muxes them (AAC) with the already-encoded video. Every frame contributes exactly its own samples, so the sound
 * stays in sync and ends within one frame of the picture, however many cuts there are. Memory: one pipe chunk, plus
 * the samples of frames that are listed again later (a repeated clip), until their last use.
 */
import { Buffer } from 'node:buffer';
import { CancelledError, VsumError } from '../errors';
import type { FfmpegTools } from './ffmpeg';
import { lastLines, startTool } from './process';
import type { VideoInfo } from './types';

/** 48 kHz stereo s16: what AAC encoders expect; every source is resampled to it. */
export const SUMMARY_AUDIO_RATE = 48000;
const CHANNELS = 2;
const BYTES_PER_SAMPLE = 2 * CHANNELS;

/** Reads a PCM stream forward only, by sample index; past its end it answers silence. */
class PcmReader {
  private buf: Buffer = Buffer.alloc(0);
  /** Sample index of buf[0]. */
  private at = 0;
  private ended = false;
  private readonly it: AsyncIterator<Buffer>;

  constructor(stream: AsyncIterable<Buffer>) {
    this.it = stream[Symbol.asyncIterator]();
  }

  /** Samples [start, end) as bytes; `start` never goes back past what was already read. */
  async read(start: number, end: number): Promise<Buffer> {
    while (!this.ended && this.at + this.buf.length / BYTES_PER_SAMPLE < end) {
      const next = await this.it.next();
      if (next.done) this.ended = true;
      else {
        // Drop what lies before `start` first, so the buffer holds at most one frame's samples plus a chunk.
        const drop = Math.min(this.buf.length, Math.max(0, (start - this.at) * BYTES_PER_SAMPLE));
        this.buf = Buffer.concat([this.buf.subarray(drop), next.value]);
        this.at += drop / BYTES_PER_SAMPLE;
      }
    }
    const out = Buffer.alloc((end - start) * BYTES_PER_SAMPLE); // silence where the source audio ended
    const from = Math.max(0, (start - this.at) * BYTES_PER_SAMPLE);
    const to = Math.min(this.buf.length, (end - this.at) * BYTES_PER_SAMPLE);
    if (to > from) this.buf.copy(out, 0, from, to);
    return out;
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/** First sample of frame f at `fps` frames and R samples a second. */
function sampleOf(frame: number, fps: number): number {
  return Math.round((frame * SUMMARY_AUDIO_RATE) / fps);
}

/**
 * Muxes `videoFile` (already encoded, one frame per listed frame) with the source's audio for `frames` into
 * `outFile` (mp4, faststart). Cancelling kills both ffmpeg children.
 */
export async function muxFrameListAudio(
  tools: FfmpegTools,
  src: string,
  info: VideoInfo,
  frames: readonly number[],
  videoFile: string,
  outFile: string,
  signal?: AbortSignal,
): Promise<void> {
  const what = `adding the sound of ${src} to the summary`;
  const pcm = ['-f', 's16le', '-ac', String(CHANNELS), '-ar', String(SUMMARY_AUDIO_RATE)];
  const decoder = startTool(
    tools.ffmpeg,
    ['-hide_banner', '-nostdin', '-v', 'error', '-i', src, '-map', '0:a:0', '-vn', ...pcm, 'pipe:1'],
    { signal, what },
  );
  decoder.child.stdin?.end();
  const muxer = startTool(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-i',
      videoFile,
      ...pcm,
      '-i',
      'pipe:0',
      '-map',
      '0:v:0',
      '-map',
      '1:a:0',
      '-c:v',
      'copy',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      outFile,
    ],
    { signal, what },
  );
  const reader = new PcmReader(decoder.child.stdout as AsyncIterable<Buffer>);
  const uses = new Map<number, number>();
  for (const f of frames) uses.set(f, (uses.get(f) ?? 0) + 1);
  const kept = new Map<number, Buffer>();
  let furthest = -1;
  try {
    const stdin = muxer.child.stdin!;
    for (const f of frames) {
      let samples = kept.get(f);
      if (!samples) {
        if (f <= furthest)
          throw new VsumError(
            'BAD_INPUT',
            `frame ${f} is listed again after ${furthest} without being kept (internal: ${what}).`,
          );
        samples = await reader.read(sampleOf(f, info.fps), sampleOf(f + 1, info.fps));
        furthest = f;
      }
      const left = uses.get(f)! - 1;
      uses.set(f, left);
      if (left > 0) kept.set(f, samples);
      else kept.delete(f);
      if (signal?.aborted) throw new CancelledError(what);
      if (!stdin.write(samples))
        await new Promise<void>((res) => {
          stdin.once('drain', res);
          muxer.exited.then(() => res());
        });
    }
    stdin.end();
    const r = await muxer.exited;
    if (signal?.aborted) throw new CancelledError(what);
    if (r.code !== 0)
      throw new VsumError('FFMPEG_FAILED', `ffmpeg failed while ${what}: ${lastLines(r.stderr)}`, { file: outFile });
  } finally {
    await reader.close().catch(() => undefined);
    decoder.kill();
    muxer.kill();
    await Promise.all([decoder.exited, muxer.exited]);
  }
}
