/**
 * The scan shared by tt01 (ssd-anchor.ts) and tt02 (ssd-adjacent.ts), docs/ALGORITHMS.md §ssd: walk the clips, close a
 * segment whenever the SSD to the reference clip exceeds the threshold, and from every closed segment sample
 * round(ratio · length) of its frames — uniformly without replacement (sorted), through createRng(seed) —
 * xoshiro128** — so a seed reproduces the summary (the original was unseeded) with `select: 'frames'`, or as one
 * contiguous run around the segment's most representative clip with `select: 'shots'` (§ssd "whole shots").
 */
import { VsumError, throwIfAborted } from '../errors';
import type { FeatureMatrix } from '../features';
import { createRng } from '../random';
import { pythonRound } from './python-round';
import type { FrameSegment, Selection, SummarizeInput } from './selection';
import { checkRatio, checkSeed, clipLayout } from './validate';
import { DEFAULT_RATIO, DEFAULT_SEED, SSD_PRESETS } from '../stages/defaults';

export interface SsdOptions {
  /** SSD above which a new segment starts. TimeSformer presets: 100 / 400 / 800; histogram: see docs. */
  threshold: number;
  /** Fraction of each segment's frames to keep (0.15 in the original). */
  ratio: number;
  seed: number;
  /** Whole clips only (the partial tail is dropped), as the original. */
  seedFaithful: boolean;
  /**
   * `frames`: the original's scattered random frames of each segment; `shots`: one contiguous run of the same
   * length per segment (watchable). Default: `shots`, or `frames` when seed-faithful.
   */
  select?: SsdSelect;
}

export type SsdSelect = 'frames' | 'shots';
export const SSD_SELECT_MODES: readonly SsdSelect[] = ['frames', 'shots'];

export const SSD_DEFAULTS: SsdOptions = {
  threshold: SSD_PRESETS.timesformer.average,
  ratio: DEFAULT_RATIO,
  seed: DEFAULT_SEED,
  seedFaithful: false,
};

/** The selection mode in force: the given one, else `frames` for seed-faithful runs and `shots` otherwise. */
export function ssdSelectMode(opts: Pick<SsdOptions, 'select' | 'seedFaithful'>): SsdSelect {
  return opts.select ?? (opts.seedFaithful ? 'frames' : 'shots');
}

/**
 * The clip of [first, last] nearest (squared Euclidean) to the mean of those clips: the segment's most typical
 * moment, k-means' own criterion inside one segment, in O(clips · dim) where the true medoid would be quadratic.
 * First minimum wins.
 */
export function representativeClip(m: FeatureMatrix, first: number, last: number): number {
  const d = m.cols;
  const mean = new Float64Array(d);
  for (let c = first; c <= last; c++) for (let t = 0; t < d; t++) mean[t] += m.data[c * d + t];
  const count = last - first + 1;
  for (let t = 0; t < d; t++) mean[t] /= count;
  let best = first;
  let bestDist = Infinity;
  for (let c = first; c <= last; c++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const x = m.data[c * d + t] - mean[t];
      s += x * x;
    }
    if (s < bestDist) {
      bestDist = s;
      best = c;
    }
  }
  return best;
}

/** The k-frame run inside [start, end) centred on frames [centreStart, centreEnd), clamped to the segment. */
export function runAround(start: number, end: number, k: number, centreStart: number, centreEnd: number): number {
  const centre = (centreStart + centreEnd) / 2;
  const first = Math.floor(centre - k / 2);
  return Math.min(Math.max(first, start), end - k);
}

/** Σ_d (a_d − b_d)², accumulated in double. */
export function ssd(m: FeatureMatrix, i: number, j: number): number {
  const d = m.cols;
  const x = m.data;
  let s = 0;
  for (let a = i * d, b = j * d, e = a + d; a < e; a++, b++) {
    const t = x[a] - x[b];
    s += t * t;
  }
  return s;
}

export function checkThreshold(threshold: number): void {
  if (!(Number.isFinite(threshold) && threshold >= 0)) {
    throw new VsumError(
      'BAD_INPUT',
      `threshold must be a number ≥ 0 (TimeSformer presets 100 / 400 / 800), got ${threshold}.`,
    );
  }
}

export async function ssdSummarize(
  input: SummarizeInput,
  opts: SsdOptions,
  reference: 'anchor' | 'previous',
): Promise<Selection> {
  checkRatio(opts.ratio);
  checkSeed(opts.seed);
  checkThreshold(opts.threshold);
  const layout = clipLayout(input, opts.seedFaithful);
  const { features } = input;
  const n = layout.nClips;
  const rng = createRng(opts.seed);
  const select = ssdSelectMode(opts);
  const frames: number[] = [];
  const segments: FrameSegment[] = [];
  const ssdValues: Array<number | null> = new Array(n).fill(null);
  const anchors: Array<number | null> = new Array(n).fill(null);
  const segmentStarts = [0];

  /** Segment of clips [first, last]: frames [start, end). */
  const emit = (first: number, last: number, start: number, end: number) => {
    const len = end - start;
    const k = pythonRound(opts.ratio * len);
    if (select === 'frames') {
      for (const p of rng.sampleSorted(len, k)) frames.push(start + p);
    } else if (k > 0) {
      const rep = representativeClip(features, first, last);
      const runStart = runAround(start, end, k, layout.start(rep), layout.end(rep));
      for (let f = runStart; f < runStart + k; f++) frames.push(f);
    }
    segments.push({ start, end, picked: k });
  };

  let i = 0;
  for (let j = 1; j < n; j++) {
    if ((j & 1023) === 0) throwIfAborted(input.signal, 'SSD summary');
    const ref = reference === 'anchor' ? i : j - 1;
    const v = ssd(features, ref, j);
    ssdValues[j] = v;
    anchors[j] = ref;
    if (v > opts.threshold) {
      emit(i, j - 1, layout.start(i), layout.start(j));
      i = j;
      segmentStarts.push(j);
    }
  }
  // End of video: the original's "i == j → frames 8j…8j+7, else 8i…8(j+1)−1" both end at the last clip's end.
  // With one clip the original crashes (j undefined); here that clip is the only segment.
  emit(i, n - 1, layout.start(i), layout.end(n - 1));

  return {
    method: reference === 'anchor' ? 'tt01' : 'tt02',
    nFrames: layout.nFrames,
    clipLength: layout.clipLength,
    nClips: n,
    frames,
    segments,
    scores: { kind: 'ssd', reference, ssd: ssdValues, anchor: anchors, threshold: opts.threshold, segmentStarts },
  };
}
