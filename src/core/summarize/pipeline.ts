/**
 * video → summary, the one path of the CLI (`vsum summarize`, `vsum batch`, `vsum demo`) and of the `embed` and
 * `summarize` stages that the notebook kernel, `vsum run` and "Summarize Video" run: probe → clip embeddings
 * (embedClips with the chosen embedder, or a features .npy) → summarizer → `<stem>.summary.mp4`,
 * `<stem>.frames.txt`, `<stem>.summary.json`.
 * Every file is written atomically and the JSON last, so an interrupted run leaves no half-written output and a
 * batch can tell a finished video from an unfinished one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError, throwIfAborted } from '../errors';
import type { FeatureMatrix } from '../features';
import { embedVideoCached } from '../embed/cache';
import { embedVideo, type EmbedProgress } from '../embed/embed-video';
import type { Embedder } from '../embed/embedder';
import { createEmbedder, type EmbedderFactoryOptions, type EmbedderName } from '../embed/factory';
import { readFeaturesNpy } from '../io/npy';
import { DEFAULT_RATIO, type SsdPreset } from '../stages/defaults';
import { ensureWritableDir } from '../io/atomic';
import { resolveFfmpeg, type FfmpegTools } from '../video/ffmpeg';
import { frameCountNoteOf, withDecodedFrameCount } from '../video/frame-count';
import { featureRowsFit } from './validate';
import { probe, displaySize } from '../video/probe';
import type { VideoInfo } from '../video/types';
import { writeSummaryVideo, type WrittenVideo } from '../video/write';
import { createSummarizer, type MethodOptions } from './methods';
import { writeFramesTxt } from './outputs/frames-txt';
import { summaryPaths, videoStem, type SummaryPaths } from './outputs/paths';
import { summaryOutputs } from './outputs/digests';
import { resolvedMethodOptions, summaryRequest, type EmbeddingIdentity } from './outputs/request';
import { summaryRecord, writeSummaryJson, type SummaryRecord } from './outputs/summary-json';
import { DEFAULT_EXPORTS, writeExports, type ExportFormat } from '../exports/exports';
import { summaryShots } from '../exports/summary-shots';
import { detectShots } from '../shots/detect-shots';
import { DEFAULT_AUDIO } from '../stages/defaults';
import type { Summarizer } from './selection';
import { describeSummarizerProgress, type Selection, type SummarizerProgress, type SummaryMethod } from './selection';

export interface SummarizeOptions extends Omit<MethodOptions, 'threshold'> {
  method: SummaryMethod;
  /** tt01/tt02: a number, or a preset on the scale of the embedder's features (default `average`). */
  threshold?: number | SsdPreset;
  /** `histogram` (default, no model) or `timesformer`, or a ready Embedder (the caller disposes it). */
  embedder?: EmbedderName | Embedder;
  embedderOptions?: EmbedderFactoryOptions;
  /** Clip features instead of embedding the video: a .npy path ([clips, dim] float32) or a matrix. */
  features?: string | FeatureMatrix;
  /** Output folder (default: beside the video). */
  outDir?: string;
  /** File stem of the outputs (default: the video's name without extension). */
  stem?: string;
  /** Write the summary video (default true). */
  writeVideo?: boolean;
  /** Keep the source audio in the summary video (default DEFAULT_AUDIO: yes, when the source has sound). */
  audio?: boolean;
  /** Summary length in seconds instead of a ratio: the summary never exceeds it (§summary-length). */
  duration?: number;
  /** Exports written beside the summary (default csv and vtt; [] for none). */
  exports?: readonly ExportFormat[];
  /** TimeSformer only: neither read nor write the embedding cache (default: use it). */
  noCache?: boolean;
}

export type SummarizeStage = 'probe' | 'embed' | 'summarize' | 'write';

export interface SummarizeProgress {
  stage: SummarizeStage;
  /** 0…1 within the stage when known. */
  fraction?: number;
  message: string;
}

export interface SummarizeContext {
  signal?: AbortSignal;
  onProgress?: (p: SummarizeProgress) => void;
  tools?: FfmpegTools;
}

export interface PreparedFeatures {
  features: FeatureMatrix;
  info: VideoInfo;
  clipLength: number;
  /** Embedder id or `features:<file name>`. */
  embedderId: string;
  /** The model file's sha256 and variant (TimeSformer), recorded in the summary's request. */
  model: string | null;
  variant: string | null;
  embedMs: number;
  /** The features came from the embedding cache (no inference ran). */
  cached?: boolean;
}

export interface SummarizeResult {
  selection: Selection;
  record: SummaryRecord;
  paths: SummaryPaths;
  info: VideoInfo;
  written?: WrittenVideo;
  /** Export files written beside the summary (--export). */
  exports: string[];
  embedderId: string;
  timings: { embedMs: number; summarizeMs: number; writeMs: number; totalMs: number };
}

/** Frames per clip: TimeSformer's 8, and the histogram embedder follows it so every method sees the same clips. */
export const CLIP_LENGTH = 8;

/** Probe the video and get its clip features: from the .npy/matrix given, or by embedding it once. */
export function embeddingIdentity(prep: PreparedFeatures): EmbeddingIdentity {
  return { embedder: prep.embedderId, model: prep.model, variant: prep.variant };
}

export async function prepareFeatures(
  video: string,
  o: Pick<SummarizeOptions, 'embedder' | 'embedderOptions' | 'features' | 'seedFaithful' | 'noCache'>,
  ctx: SummarizeContext = {},
): Promise<PreparedFeatures> {
  const tools = ctx.tools ?? (await resolveFfmpeg());
  ctx.onProgress?.({ stage: 'probe', message: `probing ${path.basename(video)}` });
  const info = await probe(video, { tools, signal: ctx.signal });
  if (info.frames < CLIP_LENGTH)
    throw new VsumError(
      'TOO_SHORT',
      `${video} has ${info.frames} frame(s); summarizing needs at least ${CLIP_LENGTH} (one clip of ${CLIP_LENGTH} frames). Use a longer video.`,
      { file: video },
    );
  return embedClips(video, info, o, { ...ctx, tools });
}

type EmbedOptions = Pick<SummarizeOptions, 'embedder' | 'embedderOptions' | 'features' | 'seedFaithful' | 'noCache'>;

/** The clip features of a probed video: from the .npy/matrix given, or by embedding it (TimeSformer: cached). */
export async function embedClips(
  video: string,
  info: VideoInfo,
  o: EmbedOptions,
  ctx: SummarizeContext & { tools: FfmpegTools },
): Promise<PreparedFeatures> {
  const tools = ctx.tools;
  const t0 = Date.now();
  if (o.features !== undefined) {
    const features = typeof o.features === 'string' ? readFeaturesNpy(o.features) : o.features;
    const embedderId = typeof o.features === 'string' ? `features:${path.basename(o.features)}` : 'features:matrix';
    // Rows that do not fit the container's count may fit the decoded one (an edit list): count before refusing.
    const counted = featureRowsFit(features.rows, info.frames, CLIP_LENGTH)
      ? info
      : await withDecodedFrameCount(info, tools, ctx.signal);
    return {
      features,
      info: counted,
      clipLength: CLIP_LENGTH,
      embedderId,
      model: null,
      variant: null,
      embedMs: Date.now() - t0,
    };
  }
  // The original drops the last n mod 8 frames; by default they are padded into a last clip, so they can be kept.
  const partial = o.seedFaithful ? 'drop' : 'pad';
  if (o.embedder === 'timesformer') {
    // Through the embedding cache: a second summary of the same video (another method, ratio, seed) does no inference.
    const { timesformerSpec } = require('../embed/timesformer') as typeof import('../embed/timesformer');
    const tfOpts = {
      ...o.embedderOptions,
      seedFaithful: o.seedFaithful ?? o.embedderOptions?.seedFaithful,
      signal: ctx.signal,
    };
    const spec = await timesformerSpec(tfOpts);
    const r = await embedVideoCached(video, spec, {
      tools,
      signal: ctx.signal,
      info,
      partial,
      cacheDir: tfOpts.cacheDir,
      noCache: o.noCache,
      log: tfOpts.log,
      onProgress: (p: EmbedProgress) =>
        ctx.onProgress?.({
          stage: 'embed',
          fraction: p.clipsTotal ? p.clipsDone / p.clipsTotal : undefined,
          message: `embedding clips ${p.clipsDone}/${p.clipsTotal} (${spec.embedderId})`,
        }),
    });
    const variant = spec.model.variant ?? null;
    return {
      features: r.features,
      info: r.info,
      clipLength: r.clipLength,
      embedderId: r.embedderId,
      model: spec.modelHash,
      variant,
      embedMs: Date.now() - t0,
      cached: r.cached,
    };
  }
  const own = o.embedder === undefined || typeof o.embedder === 'string';
  const embedder = own
    ? await createEmbedder((o.embedder as EmbedderName | undefined) ?? 'histogram', {
        ...o.embedderOptions,
        seedFaithful: o.seedFaithful ?? o.embedderOptions?.seedFaithful,
        signal: ctx.signal,
      })
    : (o.embedder as Embedder);
  try {
    const onProgress = (p: EmbedProgress) =>
      ctx.onProgress?.({
        stage: 'embed',
        fraction: p.clipsTotal ? p.clipsDone / p.clipsTotal : undefined,
        message: `embedding clips ${p.clipsDone}/${p.clipsTotal} (${embedder.id})`,
      });
    const r = await embedVideo(video, embedder, { tools, signal: ctx.signal, info, partial, onProgress });
    return {
      features: r.features,
      info: r.info,
      clipLength: r.clipLength,
      embedderId: r.embedderId,
      model: null,
      variant: null,
      embedMs: Date.now() - t0,
    };
  } finally {
    if (own) await embedder.dispose();
  }
}

/** Run one method on prepared features and write its outputs. */
export async function summarizePrepared(
  video: string,
  prep: PreparedFeatures,
  o: SummarizeOptions,
  ctx: SummarizeContext = {},
): Promise<SummarizeResult> {
  const t0 = Date.now();
  throwIfAborted(ctx.signal, 'summarizing');
  const method = o.method;
  const request = summaryRequest(method, o, embeddingIdentity(prep), prep.clipLength);
  const methodOptions = resolvedMethodOptions(method, o, prep.embedderId);
  if (o.segmentation === 'content' || o.segmentation === 'adaptive') {
    if (method !== 'kts')
      throw new VsumError(
        'BAD_INPUT',
        `--segmentation ${o.segmentation} picks keyshots over detected shots, which is what --method kts does; tt01/tt02 segment by SSD and k-means by clusters. Use --method kts --segmentation ${o.segmentation}.`,
      );
    ctx.onProgress?.({ stage: 'summarize', message: `detecting shots (${o.segmentation})` });
    const detected = await detectShots(video, {
      detector: o.segmentation,
      tools: ctx.tools,
      info: prep.info,
      signal: ctx.signal,
      onProgress: (done, total) =>
        ctx.onProgress?.({
          stage: 'summarize',
          fraction: total ? done / total : undefined,
          message: `detecting shots (${o.segmentation}): frame ${done} of ${total}`,
        }),
    });
    methodOptions.shots = detected.shots;
  }
  ctx.onProgress?.({ stage: 'summarize', message: `${method} on ${prep.features.rows} clips` });
  const onProgress = (p: SummarizerProgress) =>
    ctx.onProgress?.({ stage: 'summarize', ...describeSummarizerProgress(p) });
  const run = (s: Summarizer) =>
    s.summarize({
      features: prep.features,
      nFrames: prep.info.frames,
      clipLength: prep.clipLength,
      fps: prep.info.fps,
      signal: ctx.signal,
      onProgress,
    });
  const { summarizer, selection } =
    o.duration === undefined
      ? await (async () => {
          const s = createSummarizer(method, methodOptions);
          return { summarizer: s, selection: await run(s) };
        })()
      : await fitToDuration(method, methodOptions, o.duration, prep, run);
  const t1 = Date.now();
  if (selection.frames.length === 0) throw emptySelection(video, selection, o);

  const outDir = o.outDir ?? path.dirname(path.resolve(video));
  ensureWritableDir(outDir, 'Choose another with --out.');
  const stem = o.stem ?? videoStem(video);
  const paths = summaryPaths(outDir, stem);
  const writeVideo = o.writeVideo ?? true;
  let written: WrittenVideo | undefined;
  if (writeVideo) {
    ctx.onProgress?.({ stage: 'write', message: `writing ${path.basename(paths.video)}` });
    const size = summarizer.params.seedFaithful
      ? { width: 224, height: 224, resize: 'squash' as const }
      : ('source' as const);
    const name = path.basename(paths.video);
    const onProgress = (done: number, frames: number) =>
      ctx.onProgress?.({
        stage: 'write',
        fraction: frames ? done / frames : undefined,
        message: `writing ${name}: frame ${done}/${frames}`,
      });
    written = await writeSummaryVideo(video, selection.frames, paths.video, {
      tools: ctx.tools,
      signal: ctx.signal,
      info: prep.info,
      size,
      audio: o.audio ?? DEFAULT_AUDIO,
      onProgress,
    });
  }
  const disp = displaySize(prep.info);
  // All or nothing: a failed or cancelled frame list / JSON must not leave this run's other outputs behind as an
  // incomplete set (the JSON, written last, is the completion marker batch resumes by).
  const writtenNow = written ? [paths.video] : [];
  let record: SummaryRecord;
  let exportFiles: string[];
  try {
    throwIfAborted(ctx.signal, 'writing the summary');
    await writeFramesTxt(paths.frames, selection.frames);
    writtenNow.push(paths.frames);
    const exportInput = {
      source: {
        path: path.resolve(video),
        fps: prep.info.fps,
        fpsRational: prep.info.fpsRational,
        nFrames: prep.info.frames,
        hasAudio: prep.info.hasAudio && (o.audio ?? DEFAULT_AUDIO),
      },
      title: stem,
      shots: summaryShots(selection),
    };
    exportFiles = await writeExports(exportInput, outDir, stem, o.exports ?? DEFAULT_EXPORTS);
    writtenNow.push(...exportFiles);
    const outputs = await summaryOutputs(
      { frames: paths.frames, video: written && { path: paths.video, frames: written.frames } },
      ctx.signal,
    );
    record = summaryRecord(selection, {
      video: path.basename(video),
      fps: prep.info.fps,
      width: disp.width,
      height: disp.height,
      params: { ...summarizer.params },
      embedder: prep.embedderId,
      videoFile: writeVideo ? path.basename(paths.video) : null,
      framesFile: path.basename(paths.frames),
      request,
      outputs,
      containerFrames: prep.info.containerFrames,
    });
    await writeSummaryJson(paths.json, record);
    // A --no-video rerun: the previous run's summary video would sit beside a JSON that no longer describes it.
    if (!writeVideo) fs.rmSync(paths.video, { force: true });
  } catch (e) {
    for (const p of writtenNow) fs.rmSync(p, { force: true });
    throw e;
  }
  const t2 = Date.now();
  return {
    selection,
    record,
    paths,
    info: prep.info,
    written,
    exports: exportFiles,
    embedderId: prep.embedderId,
    timings: { embedMs: prep.embedMs, summarizeMs: t1 - t0, writeMs: t2 - t1, totalMs: prep.embedMs + (t2 - t0) },
  };
}

export async function summarizeVideo(
  video: string,
  o: SummarizeOptions,
  ctx: SummarizeContext = {},
): Promise<SummarizeResult> {
  const tools = ctx.tools ?? (await resolveFfmpeg());
  const c = { ...ctx, tools };
  const prep = await prepareFeatures(video, o, c);
  return summarizePrepared(video, prep, o, c);
}

function emptySelection(video: string, sel: Selection, o: SummarizeOptions): VsumError {
  const ratio = o.ratio ?? DEFAULT_RATIO;
  const hint =
    sel.method === 'kts'
      ? `every KTS segment is longer than the budget floor(${sel.nFrames} × ${ratio}) = ${Math.floor(sel.nFrames * ratio)} frames${Math.floor(sel.nFrames * ratio) < sel.clipLength ? `, shorter than one clip of ${sel.clipLength} frames. Raise --ratio to at least ${Math.ceil((sel.clipLength / sel.nFrames) * 1000) / 1000}` : '. Lower --max-seg-len (in clips) or raise --ratio'}.`
      : `round(${ratio} × segment length) is 0 for every segment. Raise --ratio${sel.method === 'kmeans' ? '' : ' or the threshold'}.`;
  return new VsumError(
    'BAD_INPUT',
    `${path.basename(video)}: ${sel.method} selected no frames, so there is no summary to write: ${hint}`,
    { file: video },
  );
}

/** The Gradio app's report as one line: input/output duration, frames, fps, resolution, processing time. */
export function reportLine(r: SummarizeResult): string {
  const d = displaySize(r.info);
  const fps = r.info.fps;
  const outFrames = r.selection.frames.length;
  const fmt = (s: number) => `${s.toFixed(2)} s`;
  // The summary's own size where it differs from the source's (--seed-faithful writes 224×224).
  const w = r.written;
  const size =
    w && (w.width !== d.width || w.height !== d.height)
      ? `${d.width}×${d.height} → ${w.width}×${w.height}`
      : `${d.width}×${d.height}`;
  const ratio = r.info.frames > 0 ? outFrames / r.info.frames : 0;
  const asked = typeof r.record.params.duration === 'number' ? ` of ${fmt(r.record.params.duration)} asked` : '';
  const note = frameCountNoteOf(r.info);
  return `${r.record.video}: ${r.selection.method} | input ${fmt(r.info.frames / fps)} (${r.info.frames} frames) → output ${fmt(outFrames / fps)}${asked} (${outFrames} frames, ratio ${ratio.toFixed(3)}) | ${Number(fps.toFixed(3))} fps | ${size} | ${r.embedderId} | processed in ${(r.timings.totalMs / 1000).toFixed(2)} s${note ? ` | note: ${note}` : ''}`;
}

/**
 * Runs the method at the ratio the duration allows (budget = floor(duration · fps) frames over the video's frames)
 * and, where rounding took it past the budget (k-means rounds its cluster count, tt01/tt02 each segment's share),
 * again at a ratio shrunk by budget / frames until it fits: the summary never exceeds the duration.
 */
async function fitToDuration(
  method: SummaryMethod,
  base: MethodOptions,
  duration: number,
  prep: PreparedFeatures,
  run: (s: Summarizer) => Promise<Selection>,
): Promise<{ summarizer: Summarizer; selection: Selection }> {
  const budget = Math.floor(duration * prep.info.fps);
  if (budget < 1)
    throw new VsumError(
      'BAD_INPUT',
      `--duration ${duration} s is shorter than one frame at ${prep.info.fps.toFixed(3)} fps.`,
    );
  let ratio = Math.min(1, budget / prep.info.frames);
  for (let attempt = 0; attempt < 40; attempt++) {
    const summarizer = createSummarizer(method, { ...base, ratio });
    const selection = await run(summarizer);
    if (selection.frames.length <= budget) return { summarizer: withParams(summarizer, { duration }), selection };
    ratio *= Math.min(0.999, budget / selection.frames.length);
  }
  throw new VsumError(
    'BAD_INPUT',
    `--duration ${duration} s: ${method} could not be fitted into ${budget} frames. Use a longer duration.`,
  );
}

/** The summarizer with extra parameters recorded (its own params object is read-only). */
function withParams(s: Summarizer, extra: Record<string, number | string | boolean>): Summarizer {
  return { method: s.method, params: { ...s.params, ...extra }, summarize: (input) => s.summarize(input) };
}
