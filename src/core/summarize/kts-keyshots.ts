/**
 * The `kts` method: KTS shot boundaries on the clip embeddings (kts.ts), then keyshots by knapsack (keyshots.ts).
 * Per-clip score = squared distance of the L2-normalised clip embedding to the mean of all of them: how unusual
 * the clip is within its video (no model to predict importance here, so distinctiveness stands in). Every frame
 * takes its clip's score; a segment's score is the mean over its frames.
 */
import type { FeatureMatrix } from '../features';
import { selectKeyshots, segmentsFromChangePoints } from './keyshots';
import { defaultMaxSegmentLength, kts } from './kts';
import type { Selection, SummarizeInput, Summarizer } from './selection';
import { checkRatio, clipLayout } from './validate';

export interface KtsSummaryOptions {
  ratio: number;
  vmax: number;
  /** Upper bound on change points (default: clips − 1, as DSNet). */
  maxCp?: number;
  /** Longest segment in clips (default: unbounded). */
  maxSegmentLength?: number;
  seedFaithful: boolean;
}

export const KTS_DEFAULTS: KtsSummaryOptions = { ratio: 0.15, vmax: 1, seedFaithful: false };

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

export function ktsSummarizer(options: Partial<KtsSummaryOptions> = {}): Summarizer {
  const opts: KtsSummaryOptions = { ...KTS_DEFAULTS, ...options };
  const params: Record<string, number | boolean> = { ratio: opts.ratio, vmax: opts.vmax, seedFaithful: opts.seedFaithful };
  if (opts.maxCp !== undefined) params.maxCp = opts.maxCp;
  if (opts.maxSegmentLength !== undefined) params.maxSegmentLength = opts.maxSegmentLength;
  return {
    method: 'kts',
    params,
    async summarize(input: SummarizeInput): Promise<Selection> {
      checkRatio(opts.ratio);
      const layout = clipLayout(input, opts.seedFaithful);
      const full = input.features;
      const m: FeatureMatrix = layout.nClips === full.rows ? full : { rows: layout.nClips, cols: full.cols, data: full.data.subarray(0, layout.nClips * full.cols) };
      const n = m.rows;
      // Very long videos (> 8192 clips): segments bounded so memory stays under ~1 GiB (recorded in the params).
      const maxSegmentLength = opts.maxSegmentLength ?? defaultMaxSegmentLength(n);
      if (maxSegmentLength !== undefined && opts.maxSegmentLength === undefined) params.maxSegmentLength = maxSegmentLength;
      const cp = kts(m, { vmax: opts.vmax, maxCp: opts.maxCp === undefined ? n - 1 : Math.min(opts.maxCp, n - 1), maxSegmentLength, signal: input.signal });
      const clipScore = distinctiveness(m);
      const endFrame = layout.end(n - 1);
      const frameScore = new Float64Array(endFrame);
      for (let c = 0; c < n; c++) frameScore.fill(clipScore[c], layout.start(c), layout.end(c));
      const bounds = segmentsFromChangePoints(cp.changePoints, layout.start, n, endFrame);
      const ks = selectKeyshots(frameScore, bounds, layout.nFrames, opts.ratio);
      return {
        method: 'kts',
        nFrames: layout.nFrames,
        clipLength: layout.clipLength,
        nClips: n,
        frames: ks.frames,
        segments: ks.segments,
        scores: { kind: 'kts', changePoints: cp.changePoints, clipScore, segmentScore: ks.segmentScore, selectedSegments: ks.selected },
      };
    },
  };
}
