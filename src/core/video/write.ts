/**
 * Writes a summary video from frame indices of the source: H.264 (libx264, yuv420p, +faststart) so VS Code's
 * webviews and browsers play it, at the source resolution and frame rate by default (224×224 in seed-faithful
 * mode). Keyshot lists (strictly increasing, up to a few hundred runs) are cut by ffmpeg's own `select` filter in
 * one process — no frames travel through Node, and audio can follow. Lists with repeats (the seed-faithful k-means
 * keeps duplicate clips) or thousands of scattered single frames (tt01/tt02: ffmpeg's expression parser recurses
 * once per term and gives up on long sums) are decoded, repeated in Node and piped to the encoder; their sound is
 * cut frame by frame from the decoded audio and muxed in (audio-track.ts).
 * Written to a temp file beside the target, then renamed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CancelledError, VsumError } from '../errors';
import { tempPathFor, withTempFile } from '../io/atomic';
import { muxFrameListAudio } from './audio-track';
import { decodeFrames, scaleFilter } from './decode';
import { resolveFfmpeg, type FfmpegTools } from './ffmpeg';
import { FfmpegProgressParser, PROGRESS_ARGS } from './ffmpeg-progress';
import { lastLines, runTool, startTool } from './process';
import { displaySize, probe } from './probe';
import { runsOf } from './segments';
import type { ResizeMode, VideoInfo } from './types';

export interface WriteOptions {
  tools?: FfmpegTools;
  signal?: AbortSignal;
  info?: VideoInfo;
  /** 'source' (default) or a fixed size (the seed-faithful 224×224 squash). */
  size?: 'source' | { width: number; height: number; resize?: ResizeMode };
  /** Keep the source's audio (when it has any) for the selected frames, in sync, on both paths. Default false. */
  audio?: boolean;
  /** x264 quality (lower is better). Default 18, visually lossless. */
  crf?: number;
  /** Frames written so far of `total` (ffmpeg's -progress on the select path, frames piped on the other). */
  onProgress?: (written: number, total: number) => void;
}

export interface WrittenVideo {
  path: string;
  frames: number;
  fps: number;
  duration: number;
  width: number;
  height: number;
}

/** Above this many runs the select expression gets too deep for ffmpeg's parser (5.1 fails past ~100 terms). */
const MAX_SELECT_RUNS = 64;

export async function writeSummaryVideo(
  src: string,
  frames: readonly number[],
  outPath: string,
  opts: WriteOptions = {},
): Promise<WrittenVideo> {
  const tools = opts.tools ?? (await resolveFfmpeg());
  const info = opts.info ?? (await probe(src, { tools, signal: opts.signal }));
  validateFrames(frames, info, src);
  const disp = displaySize(info);
  const size =
    opts.size && opts.size !== 'source'
      ? { width: opts.size.width, height: opts.size.height, resize: opts.size.resize ?? 'squash' }
      : // yuv420p needs even sides, at least 2 (a 1×1 source is written 2×2).
        {
          width: Math.max(2, disp.width - (disp.width % 2)),
          height: Math.max(2, disp.height - (disp.height % 2)),
          resize: 'squash' as ResizeMode,
        };
  const scale = scaleFilter(size);
  const fr = `${info.fpsRational.num}/${info.fpsRational.den}`;
  const encode = [
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    String(opts.crf ?? 18),
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
  ];
  const strictlyIncreasing = frames.every((f, i) => i === 0 || f > frames[i - 1]);
  const runs = strictlyIncreasing ? runsOf(frames) : [];
  const useSelect = strictlyIncreasing && runs.length <= MAX_SELECT_RUNS;
  fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });

  await withTempFile(outPath, async (tmp) => {
    if (useSelect) await writeBySelect(tools, src, info, runs, tmp, outPath, scale, fr, encode, opts);
    else if (opts.audio && info.hasAudio) {
      // Picture first (to a second hidden temp file), then the sound cut to the same frames, muxed into `tmp`.
      const pictureOnly = tempPathFor(outPath);
      try {
        await writeByPipe(tools, src, frames, pictureOnly, outPath, size, fr, encode, opts);
        await muxFrameListAudio(tools, src, info, frames, pictureOnly, tmp, opts.signal);
      } finally {
        await fs.promises.rm(pictureOnly, { force: true });
      }
    } else await writeByPipe(tools, src, frames, tmp, outPath, size, fr, encode, opts);
  });
  return {
    path: outPath,
    frames: frames.length,
    fps: info.fps,
    duration: frames.length / info.fps,
    width: size.width,
    height: size.height,
  };
}

/**
 * Frames go in increasing order, except that a clip already written may be written again: seed-faithful k-means
 * keeps a clip two centroids chose, twice, in place (ALGORITHMS.md §k-means). A step back is allowed only to a
 * frame already in the list, so the writer decodes the source once and replays what it kept.
 */
function validateFrames(frames: readonly number[], info: VideoInfo, src: string): void {
  if (frames.length === 0)
    throw new VsumError(
      'BAD_INPUT',
      `No frames selected for the summary of ${src}: nothing to write. Lower the threshold or raise the ratio.`,
      { file: src },
    );
  const seen = new Set<number>();
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (!Number.isInteger(f) || f < 0 || f >= info.frames)
      throw new VsumError(
        'BAD_INPUT',
        `Frame index ${f} (position ${i}) is outside ${src}, which has frames 0…${info.frames - 1}.`,
        { file: src },
      );
    if (i > 0 && f < frames[i - 1] && !seen.has(f))
      throw new VsumError(
        'BAD_INPUT',
        `Frame list for ${src} must be in increasing order, apart from repeating frames already listed (position ${i}: ${f} after ${frames[i - 1]}).`,
        { file: src },
      );
    seen.add(f);
  }
}

async function writeBySelect(
  tools: FfmpegTools,
  src: string,
  info: VideoInfo,
  runs: Array<[number, number]>,
  tmp: string,
  target: string,
  scale: string,
  fr: string,
  encode: string[],
  opts: WriteOptions,
): Promise<void> {
  const select = runs.map(([a, b]) => (a === b ? `eq(n\\,${a})` : `between(n\\,${a}\\,${b})`)).join('+');
  const withAudio = !!opts.audio && info.hasAudio;
  const t0 = info.startTime;
  const aselect = runs
    .map(([a, b]) => `between(t\\,${(t0 + a / info.fps).toFixed(6)}\\,${(t0 + (b + 1) / info.fps - 1e-6).toFixed(6)})`)
    .join('+');
  const graph =
    `[0:v:0]select='${select}',setpts=N/(${fr})/TB,${scale}[v]` +
    (withAudio ? `;[0:a:0]aselect='${aselect}',asetpts=N/SR/TB[a]` : '');
  const args = [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-i',
    src,
    '-filter_complex',
    graph,
    '-map',
    '[v]',
    ...(withAudio ? ['-map', '[a]', '-c:a', 'aac', '-b:a', '128k'] : ['-an']),
    tools.fpsModeFlag,
    'passthrough',
    '-r',
    fr,
    ...encode,
    ...(opts.onProgress ? PROGRESS_ARGS : []),
    '-f',
    'mp4',
    tmp,
  ];
  const total = runs.reduce((n, [a, b]) => n + b - a + 1, 0);
  const parser = new FfmpegProgressParser();
  const onStdout = opts.onProgress
    ? (b: Buffer) => {
        const n = parser.feed(b.toString('utf8'));
        if (n !== undefined) opts.onProgress!(Math.min(n, total), total);
      }
    : undefined;
  opts.onProgress?.(0, total);
  const { stderr } = await runTool(tools.ffmpeg, args, {
    signal: opts.signal,
    what: `writing ${target}`,
    onStdout,
    describe: (stderr) => describeEncodeFailure(tools, stderr, target),
  });
  assertCleanFinish(tools, stderr, target);
}

async function writeByPipe(
  tools: FfmpegTools,
  src: string,
  frames: readonly number[],
  tmp: string,
  target: string,
  size: { width: number; height: number; resize: ResizeMode },
  fr: string,
  encode: string[],
  opts: WriteOptions,
): Promise<void> {
  const what = `writing ${target}`;
  const enc = startTool(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${size.width}x${size.height}`,
      '-framerate',
      fr,
      '-i',
      'pipe:0',
      ...encode,
      '-f',
      'mp4',
      tmp,
    ],
    { signal: opts.signal, what },
  );
  // Uses left of each frame: a decoded frame needed again later (a repeated clip) is kept until its last use.
  const uses = new Map<number, number>();
  for (const f of frames) uses.set(f, (uses.get(f) ?? 0) + 1);
  const first = Math.min(...uses.keys());
  const last = Math.max(...uses.keys());
  const kept = new Map<number, Uint8Array>();
  const decoded = decodeFrames(
    src,
    { ...size, pixFmt: 'rgb24' },
    { tools, signal: opts.signal, start: first, count: last - first + 1 },
  );
  let written = 0;
  opts.onProgress?.(0, frames.length);
  try {
    const stdin = enc.child.stdin!;
    for (const f of frames) {
      while (!kept.has(f)) {
        const next = await decoded.next();
        if (next.done) throw new VsumError('TRUNCATED', `${src} ended before frame ${f} while ${what}.`, { file: src });
        if ((uses.get(next.value.index) ?? 0) > 0) kept.set(next.value.index, next.value.data);
      }
      const data = kept.get(f)!;
      const left = uses.get(f)! - 1;
      if (left === 0) kept.delete(f);
      uses.set(f, left);
      if (!stdin.write(data))
        await new Promise<void>((res) => {
          stdin.once('drain', res);
          enc.exited.then(() => res());
        });
      opts.onProgress?.(++written, frames.length);
    }
    await decoded.return(undefined); // stops the decoder: frames past the last listed one are not needed
    stdin.end();
    const r = await enc.exited;
    if (opts.signal?.aborted) throw new CancelledError(what);
    if (r.code !== 0) throw describeEncodeFailure(tools, r.stderr, target);
    assertCleanFinish(tools, r.stderr, target);
  } finally {
    await decoded.return(undefined).catch(() => undefined);
    enc.kill();
    await enc.exited;
  }
}

/**
 * ffmpeg can exit 0 although the file is broken: a full disk while writing the trailer ("Error writing trailer",
 * "No space left on device") only warns. Such a file must never be renamed into place.
 */
function assertCleanFinish(tools: FfmpegTools, stderr: string, target: string): void {
  if (
    /Error writing trailer|Error closing file|No space left on device|Read-only file system|File too large/i.test(
      stderr,
    )
  )
    throw describeEncodeFailure(tools, stderr, target);
}

function describeEncodeFailure(tools: FfmpegTools, stderr: string, target: string): VsumError {
  const dir = path.dirname(target);
  if (/Unknown encoder 'libx264'|Encoder not found|libx264/i.test(stderr) && /not found|Unknown/i.test(stderr))
    return new VsumError(
      'FFMPEG_FAILED',
      `${tools.ffmpeg} has no libx264 (H.264) encoder, which browsers and VS Code need to play the summary ${target}. Use an ffmpeg built with libx264 (Debian's, or the bundled one) via vsum.ffmpegPath / --ffmpeg.`,
      { file: target },
    );
  if (/No space left on device/i.test(stderr))
    return new VsumError(
      'WRITE_FAILED',
      `Cannot write ${target}: the disk is full (No space left on device). Free some space or choose another output folder; the summary video was not written.`,
      { file: target },
    );
  if (/File too large/i.test(stderr))
    return new VsumError(
      'WRITE_FAILED',
      `Cannot write ${target}: the file is larger than this system allows (a file-size limit such as \`ulimit -f\`). Raise the limit or choose another output folder; the summary video was not written.`,
      { file: target },
    );
  if (/Read-only file system/i.test(stderr))
    return new VsumError(
      'WRITE_FAILED',
      `Cannot write ${target}: ${dir} is on a read-only file system. Choose another output folder (--out / vsum.outputDirectory).`,
      { file: target },
    );
  if (/Permission denied/i.test(stderr))
    return new VsumError(
      'WRITE_FAILED',
      `Cannot write ${target}: permission denied in ${dir}. Choose another output folder (--out / vsum.outputDirectory).`,
      { file: target },
    );
  return new VsumError(
    'FFMPEG_FAILED',
    `ffmpeg failed while writing the summary video ${target}: ${lastLines(stderr)}`,
    { file: target },
  );
}
