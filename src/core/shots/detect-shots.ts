/**
 * video → shots. `content` and `adaptive` stream the video once at PySceneDetect's analysis size (bgr24, so the
 * HSV planes are OpenCV's), score every frame and run the detector; `kts` segments clip embeddings with KTS and
 * cuts at clip starts. Memory is the per-frame score array (4 bytes a frame) whatever the video's length.
 */
import { VsumError, throwIfAborted } from '../errors';
import type { Embedder } from '../embed/embedder';
import { embedVideo } from '../embed/embed-video';
import { createHistogramEmbedder } from '../embed/histogram';
import { kts } from '../summarize/kts';
import { decodeFrames } from '../video/decode';
import { resolveFfmpeg, type FfmpegTools } from '../video/ffmpeg';
import { displaySize, probe } from '../video/probe';
import type { VideoInfo } from '../video/types';
import { AdaptiveDetector } from './adaptive-detector';
import { ContentDetector } from './content-detector';
import { ContentScorer, analysisSize } from './content-score';
import { SHOT_DEFAULTS, shotsOf, type ShotDetector, type ShotDetectorName } from './detector';

export interface DetectShotsOptions {
  detector?: ShotDetectorName;
  /** content: the score threshold (default 27); adaptive: the ratio threshold (default 3). */
  threshold?: number;
  minSceneLength?: number;
  /** adaptive only. */
  windowWidth?: number;
  minContentValue?: number;
  /** kts only: the clip embedder (default: the histogram embedder). */
  embedder?: Embedder;
  tools?: FfmpegTools;
  info?: VideoInfo;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface DetectedShots {
  detector: ShotDetectorName;
  frames: number;
  fps: number;
  /** First frame of each shot after the first. */
  cuts: number[];
  /** [start, endExclusive) of every shot, tiling the video. */
  shots: Array<[number, number]>;
  /** Per-frame content score (content and adaptive), for plots. */
  scores?: Float32Array;
  /** The parameters used, defaults filled in. */
  params: Record<string, number>;
}

function makeDetector(
  name: 'content' | 'adaptive',
  o: DetectShotsOptions,
): { det: ShotDetector; params: Record<string, number> } {
  const minSceneLength = o.minSceneLength ?? SHOT_DEFAULTS.minSceneLength;
  if (!(Number.isInteger(minSceneLength) && minSceneLength >= 0))
    throw new VsumError('BAD_INPUT', `--min-scene-len must be a whole number of frames ≥ 0, got ${minSceneLength}.`);
  if (name === 'content') {
    const threshold = o.threshold ?? SHOT_DEFAULTS.contentThreshold;
    return { det: new ContentDetector({ threshold, minSceneLength }), params: { threshold, minSceneLength } };
  }
  const threshold = o.threshold ?? SHOT_DEFAULTS.adaptiveThreshold;
  const windowWidth = o.windowWidth ?? SHOT_DEFAULTS.windowWidth;
  const minContentValue = o.minContentValue ?? SHOT_DEFAULTS.minContentValue;
  const det = new AdaptiveDetector({ threshold, windowWidth, minContentValue, minSceneLength });
  return { det, params: { threshold, minSceneLength, windowWidth, minContentValue } };
}

export async function detectShots(file: string, opts: DetectShotsOptions = {}): Promise<DetectedShots> {
  const detector = opts.detector ?? 'content';
  const tools = opts.tools ?? (await resolveFfmpeg());
  const info = opts.info ?? (await probe(file, { tools, signal: opts.signal }));
  if (opts.threshold !== undefined && !(Number.isFinite(opts.threshold) && opts.threshold > 0))
    throw new VsumError('BAD_INPUT', `--threshold must be a number > 0, got ${opts.threshold}.`);
  if (detector === 'kts') return ktsShots(file, info, tools, opts);
  const { det, params } = makeDetector(detector, opts);
  const shown = displaySize(info);
  const size = analysisSize(shown.width, shown.height);
  const scorer = new ContentScorer(size.width * size.height);
  const scores: number[] = [];
  const cuts: number[] = [];
  let n = 0;
  const fmt = { ...size, pixFmt: 'bgr24' as const, resize: 'squash' as const };
  for await (const frame of decodeFrames(file, fmt, { tools, signal: opts.signal, expectFrames: info.frames })) {
    const s = scorer.score(frame.data);
    scores.push(s);
    cuts.push(...det.push(frame.index, s));
    n = frame.index + 1;
    if (n % 64 === 0) opts.onProgress?.(n, info.frames);
  }
  cuts.push(...det.finish());
  opts.onProgress?.(n, n);
  throwIfAborted(opts.signal, `detecting shots in ${file}`);
  const kept = [...new Set(cuts)].filter((c) => c > 0 && c < n).sort((a, b) => a - b);
  return {
    detector,
    frames: n,
    fps: info.fps,
    cuts: kept,
    shots: shotsOf(kept, n),
    scores: Float32Array.from(scores),
    params,
  };
}

async function ktsShots(
  file: string,
  info: VideoInfo,
  tools: FfmpegTools,
  opts: DetectShotsOptions,
): Promise<DetectedShots> {
  const embedder = opts.embedder ?? createHistogramEmbedder();
  try {
    const embedded = await embedVideo(file, embedder, {
      tools,
      info,
      signal: opts.signal,
      partial: 'pad',
      onProgress: (p) => opts.onProgress?.(p.clipsDone, p.clipsTotal),
    });
    const L = embedded.clipLength;
    const { changePoints } = await kts(embedded.features, {
      signal: opts.signal,
      rowsPerSecond: info.fps > 0 ? info.fps / L : undefined,
    });
    const frames = info.frames;
    const cuts = changePoints.map((c) => c * L).filter((c) => c > 0 && c < frames);
    return { detector: 'kts', frames, fps: info.fps, cuts, shots: shotsOf(cuts, frames), params: { clipLength: L } };
  } finally {
    if (!opts.embedder) await embedder.dispose?.();
  }
}
