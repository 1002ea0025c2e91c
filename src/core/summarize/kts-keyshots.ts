/**
 * The `kts` method: KTS shot boundaries on the clip embeddings (kts.ts), then keyshots by knapsack (keyshots.ts).
 * Per-clip score = squared distance of the L2-normalised clip embedding to the mean of all of them: how unusual
 * the clip is within its video (no model to predict importance here, so distinctiveness stands in). Every frame
 * takes its clip's score; a segment's score is the mean over its frames.
 */
import type { FeatureMatrix } from '../features';
import { selectKeyshots, segmentsFromChangePoints } from './keyshots';
import { KTS_UNBOUNDED, defaultMaxSegmentLength, kts, type KtsProgress } from './kts';
import type { Selection, SummarizeInput, Summarizer } from './selection';
import { checkRatio, clipLayout } from './validate';
import { DEFAULT_KTS_VMAX, DEFAULT_RATIO } from '../stages/defaults';

export interface KtsSummaryOptions {
  ratio: number;
  vmax: number;
  /** Upper bound on change points (default: clips − 1, as DSNet). */
  maxCp?: number;
  /** Longest segment in clips (default: defaultSegmentBound). */
  maxSegmentLength?: number;
  seedFaithful: boolean;
  /**
   * Shots [start, end) in frames from another detector (`--segmentation content|adaptive`, §shot-detection): the
   * knapsack runs over these instead of KTS's segments, with the same per-clip scores.
   */
  shots?: ReadonlyArray<readonly [number, number]>;
  /** The name recorded for those shots. */
  segmentation?: string;
}

export const KTS_DEFAULTS: KtsSummaryOptions = { ratio: DEFAULT_RATIO, vmax: DEFAULT_KTS_VMAX, seedFaithful: false };

export function distinctiveness(m: FeatureMatrix): number[] {
  const { rows: n, cols: d, data } = m;
  const unit = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += data[r * d + t] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = 0; t < d; t++) {
      unit[r * d + t] = data[r * d + t] * inv;
      mean[t] += unit[r * d + t] / n;
    }
  }
  const out: number[] = [];
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (unit[r * d + t] - mean[t]) ** 2;
    out.push(s);
  }
  return out;
}

/**
 * The default longest segment in clips: KTS's 2-minute cap (defaultMaxSegmentLength, at the video's clip rate), and
 * never longer than the summary budget floor(nFrames · ratio): a segment longer than the budget can never be picked
 * by the knapsack, so an unbounded KTS on a short video (one or two long segments) would select nothing.
 * Undefined when neither bound is below the clip count (unbounded, exactly numpy's cpd_auto).
 */
export function defaultSegmentBound(
  nClips: number,
  clipLength: number,
  nFrames: number,
  ratio: number,
  fps?: number,
): number | undefined {
  const byTime = defaultMaxSegmentLength(nClips, fps && fps > 0 ? fps / clipLength : undefined) ?? nClips;
  // At least 2: cpd_nonlin's first segment is shorter than lmax (the reference's I[0, 1:lmax] slice), so lmax = 1
  // admits no segmentation at all.
  const byBudget = Math.max(2, Math.floor(Math.floor(nFrames * ratio) / clipLength));
  const bound = Math.min(byTime, byBudget);
  return bound < nClips ? bound : undefined;
}

export function ktsSummarizer(options: Partial<KtsSummaryOptions> = {}): Summarizer {
  const opts: KtsSummaryOptions = { ...KTS_DEFAULTS, ...options };
  const params: Record<string, number | boolean | string> = {
    ratio: opts.ratio,
    vmax: opts.vmax,
    seedFaithful: opts.seedFaithful,
  };
  if (opts.shots) params.segmentation = opts.segmentation ?? 'external';
  if (opts.maxCp !== undefined) params.maxCp = opts.maxCp;
  if (opts.maxSegmentLength !== undefined) params.maxSegmentLength = opts.maxSegmentLength;
  return {
    method: 'kts',
    params,
    async summarize(input: SummarizeInput): Promise<Selection> {
      checkRatio(opts.ratio);
      const layout = clipLayout(input, opts.seedFaithful);
      const full = input.features;
      const m: FeatureMatrix =
        layout.nClips === full.rows
          ? full
          : { rows: layout.nClips, cols: full.cols, data: full.data.subarray(0, layout.nClips * full.cols) };
      const n = m.rows;
      const endFrame = layout.end(n - 1);
      let changePoints: number[];
      let bounds: Array<[number, number]>;
      if (opts.shots) {
        bounds = opts.shots
          .filter(([a]) => a < endFrame)
          .map(([a, b]) => [a, Math.min(b, endFrame)] as [number, number]);
        // For the plot: the clip each shot starts in (shots need not start on a clip boundary).
        changePoints = bounds.slice(1).map(([a]) => Math.floor(a / layout.clipLength));
      } else {
        const maxSegmentLength =
          opts.maxSegmentLength ?? defaultSegmentBound(n, layout.clipLength, layout.nFrames, opts.ratio, input.fps);
        if (maxSegmentLength !== undefined && opts.maxSegmentLength === undefined)
          params.maxSegmentLength = maxSegmentLength;
        const onProgress = input.onProgress && ((p: KtsProgress) => input.onProgress!({ method: 'kts', ...p }));
        const maxCp = opts.maxCp === undefined ? n - 1 : Math.min(opts.maxCp, n - 1);
        const cp = await kts(m, {
          vmax: opts.vmax,
          maxCp,
          maxSegmentLength: maxSegmentLength ?? KTS_UNBOUNDED,
          signal: input.signal,
          onProgress,
        });
        changePoints = cp.changePoints;
        bounds = segmentsFromChangePoints(changePoints, layout.start, n, endFrame);
      }
      const clipScore = distinctiveness(m);
      const frameScore = new Float64Array(endFrame);
      for (let c = 0; c < n; c++) frameScore.fill(clipScore[c], layout.start(c), layout.end(c));
      const ks = selectKeyshots(frameScore, bounds, layout.nFrames, opts.ratio);
      return {
        method: 'kts',
        nFrames: layout.nFrames,
        clipLength: layout.clipLength,
        nClips: n,
        frames: ks.frames,
        segments: ks.segments,
        scores: { kind: 'kts', changePoints, clipScore, segmentScore: ks.segmentScore, selectedSegments: ks.selected },
      };
    },
  };
}
