/**
 * Thumbnails of chosen frames for the notebook's frame strip, without decoding the whole video: each one seeks
 * (input-side -ss, which ffmpeg makes frame-accurate by decoding from the previous keyframe) and grabs one frame.
 * Two run at a time.
 */
import { VsumError } from '../errors';
import { resolveFfmpeg, type FfmpegTools } from './ffmpeg';
import { runTool } from './process';
import { describeReadFailure, probe } from './probe';
import type { VideoInfo } from './types';

export interface Thumbnail {
  index: number;
  /** Seconds from the start. */
  time: number;
  mime: 'image/jpeg' | 'image/png';
  data: Buffer;
}

export interface ThumbnailOptions {
  tools?: FfmpegTools;
  signal?: AbortSignal;
  info?: VideoInfo;
  /** Thumbnail width; height follows the aspect ratio. Default 160. */
  width?: number;
  format?: 'jpeg' | 'png';
  concurrency?: number;
  /** Thumbnails done so far of `total`. */
  onProgress?: (done: number, total: number) => void;
}

export async function extractThumbnails(
  src: string,
  indices: readonly number[],
  opts: ThumbnailOptions = {},
): Promise<Thumbnail[]> {
  const tools = opts.tools ?? (await resolveFfmpeg());
  const info = opts.info ?? (await probe(src, { tools, signal: opts.signal }));
  const width = opts.width ?? 160;
  const format = opts.format ?? 'jpeg';
  for (const i of indices)
    if (!Number.isInteger(i) || i < 0 || i >= info.frames)
      throw new VsumError('BAD_INPUT', `Frame ${i} is outside ${src} (frames 0…${info.frames - 1}).`, { file: src });
  const out: Thumbnail[] = new Array(indices.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < indices.length) {
      const k = next++;
      const index = indices[k];
      // Seek half a frame early so frame `index` is the first one at or after the seek point.
      const t = Math.max(0, info.startTime + (index - 0.5) / info.fps);
      const args = [
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-ss',
        t.toFixed(6),
        '-i',
        src,
        '-map',
        '0:v:0',
        '-frames:v',
        '1',
        '-vf',
        `scale=${width}:-2`,
        ...(format === 'jpeg'
          ? ['-c:v', 'mjpeg', '-q:v', '4', '-f', 'image2pipe']
          : ['-c:v', 'png', '-f', 'image2pipe']),
        'pipe:1',
      ];
      const { stdout } = await runTool(tools.ffmpeg, args, {
        signal: opts.signal,
        what: `thumbnail of frame ${index}`,
        describe: (e) => describeReadFailure(src, e),
      });
      out[k] = { index, time: index / info.fps, mime: format === 'jpeg' ? 'image/jpeg' : 'image/png', data: stdout };
      opts.onProgress?.(++done, indices.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 2, indices.length) }, worker));
  return out;
}
