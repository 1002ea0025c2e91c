/**
 * Reference points for a score (docs/ALGORITHMS.md §random-baseline, §human-bound):
 *  - random summaries: per video U(0,1) frame scores, mean per segment, knapsack at int(0.15·N), evaluated like a
 *    submission; repeated `runs` times with one seeded stream (createRng), reported as the mean over runs plus
 *    the spread (sample std) of the dataset scores;
 *  - the leave-one-out human bound: each user's summary scored against every other user, reduced by mean (the
 *    SumMe paper's human score) or max; per video worst / average / best user, averaged over videos. TVSum
 *    follows its own script instead (tvsum_eval_human_summary.py): per user the min / mean / max over the
 *    others, averaged over the users (no reduction choice), plus the users' mutual Kendall τ / Spearman ρ
 *    (the published human 0.177 / 0.204).
 */
import { VsumError, throwIfAborted } from '../errors';
import { createRng, type Rng } from '../random';
import type { GroundTruth, VideoGroundTruth } from './ground-truth';
import { f1, minAvgMax } from './f-measure';
import { segmentSummary, splitPieces, summaryCapacity } from './segment-summary';
import { onePeakSegmentation, randomizedSegmentation, twoPeakSegmentation, uniformSegmentation } from './segmentation';
import { meanScores, userRanks } from './evaluate';
import { kendallFromRanks, spearmanFromRanks } from './rank-correlation';
import type { BaselineSegmentation, HumanBoundResult, RandomBaselineResult, VideoScores } from './types';

export interface RandomBaselineOptions {
  segmentation: BaselineSegmentation;
  /** Per-video boundaries: the submission's `segment` (segmentation 'submission') or KTS shots ('kts', 'randomized-kts'). */
  boundaries?: ReadonlyMap<string, readonly number[]>;
  runs?: number;
  seed?: number;
  /** Summary length as a fraction of the video (0.15 in the protocol). */
  budget?: number;
  signal?: AbortSignal;
  onProgress?: (run: number, runs: number) => void;
}

/** Per-user prefix counts of selected frames: prefix[u·(N+1) + i] = |user u ∩ [0, i)|. */
function userPrefix(v: VideoGroundTruth): { prefix: Int32Array; totals: Int32Array } {
  const N = v.nFrames;
  const prefix = new Int32Array(v.nUsers * (N + 1));
  const totals = new Int32Array(v.nUsers);
  for (let u = 0; u < v.nUsers; u++) {
    const o = u * (N + 1);
    for (let i = 0; i < N; i++) prefix[o + i + 1] = prefix[o + i] + v.userSummaries[u * N + i];
    totals[u] = prefix[o + N];
  }
  return { prefix, totals };
}

/** One random summary of a video: the rethinking-evs `summarize(np.random.random(N), segment, int(N·budget))`. */
export function randomSummary(
  scores: Float64Array,
  boundaries: ArrayLike<number>,
  budget = 0.15,
  where = 'segment',
): Uint8Array {
  return segmentSummary(scores, splitPieces(scores.length, boundaries, where), summaryCapacity(scores.length, budget))
    .summary;
}

export async function randomBaseline(gt: GroundTruth, opts: RandomBaselineOptions): Promise<RandomBaselineResult> {
  const runs = opts.runs ?? 100;
  const seed = opts.seed ?? 0;
  const budget = opts.budget ?? 0.15;
  if (!Number.isInteger(runs) || runs < 1)
    throw new VsumError('BAD_INPUT', `runs must be a whole number ≥ 1, got ${runs}.`);
  const seg = opts.segmentation;
  const fixed = seg === 'submission' || seg === 'kts' || seg === 'randomized-kts';
  if (fixed)
    for (const v of gt.videos)
      if (!opts.boundaries?.has(v.name))
        throw new VsumError('BAD_INPUT', `Random baseline with ${seg} segments: no boundaries for video "${v.name}".`);
  const rng = createRng(seed);
  const prep = gt.videos.map((v) => ({
    v,
    ...userPrefix(v),
    pieces:
      seg === 'submission' || seg === 'kts'
        ? splitPieces(v.nFrames, opts.boundaries!.get(v.name)!, `video "${v.name}": field "segment"`)
        : undefined,
    uniform: seg === 'uniform' ? splitPieces(v.nFrames, uniformSegmentation(v.nFrames)) : undefined,
    scores: new Float64Array(v.nFrames),
    f: new Float64Array(v.nUsers),
    sum: { min: 0, avg: 0, max: 0 },
  }));
  const perRun = { min: new Float64Array(runs), avg: new Float64Array(runs), max: new Float64Array(runs) };
  let lastYield = Date.now();
  for (let r = 0; r < runs; r++) {
    throwIfAborted(opts.signal, 'the random baseline');
    let rmin = 0,
      ravg = 0,
      rmax = 0;
    for (const p of prep) {
      const { v } = p;
      const pieces = p.pieces ?? p.uniform ?? splitPieces(v.nFrames, drawSegmentation(seg, v, rng, opts.boundaries));
      for (let i = 0; i < v.nFrames; i++) p.scores[i] = rng.next();
      const { chosen } = segmentSummary(p.scores, pieces, summaryCapacity(v.nFrames, budget));
      // F from prefix counts: the summary is whole pieces, so TP per user is a sum over the chosen pieces.
      let sel = 0;
      for (const c of chosen) sel += pieces.end[c] - pieces.start[c];
      for (let u = 0; u < v.nUsers; u++) {
        const o = u * (v.nFrames + 1);
        let tp = 0;
        for (const c of chosen) tp += p.prefix[o + pieces.end[c]] - p.prefix[o + pieces.start[c]];
        const d = p.totals[u] + sel;
        p.f[u] = d === 0 ? 0 : (2 * tp) / d;
      }
      const s = minAvgMax(p.f);
      p.sum.min += s.min;
      p.sum.avg += s.avg;
      p.sum.max += s.max;
      rmin += s.min;
      ravg += s.avg;
      rmax += s.max;
    }
    const nv = prep.length;
    perRun.min[r] = rmin / nv;
    perRun.avg[r] = ravg / nv;
    perRun.max[r] = rmax / nv;
    opts.onProgress?.(r + 1, runs);
    if (Date.now() - lastYield > 50) {
      await new Promise((res) => setImmediate(res)); // let Ctrl-C / cancellation through
      lastYield = Date.now();
    }
  }
  const videos: Record<string, VideoScores> = {};
  for (const p of prep) videos[p.v.name] = { min: p.sum.min / runs, avg: p.sum.avg / runs, max: p.sum.max / runs };
  return {
    videos,
    mean: meanScores(videos),
    baseline: 'random',
    segmentation: seg,
    runs,
    seed,
    spread: { min: sampleStd(perRun.min), avg: sampleStd(perRun.avg), max: sampleStd(perRun.max) },
  };
}

function drawSegmentation(
  seg: BaselineSegmentation,
  v: VideoGroundTruth,
  rng: Rng,
  boundaries?: ReadonlyMap<string, readonly number[]>,
): number[] {
  switch (seg) {
    case 'one-peak':
      return onePeakSegmentation(v.nFrames, rng);
    case 'two-peak':
      return twoPeakSegmentation(v.nFrames, rng);
    case 'randomized-kts':
      return randomizedSegmentation(boundaries!.get(v.name)!, rng);
    default:
      throw new Error(`unreachable segmentation ${seg}`);
  }
}

function sampleStd(a: Float64Array): number {
  if (a.length < 2) return 0;
  let m = 0;
  for (const x of a) m += x;
  m /= a.length;
  let s = 0;
  for (const x of a) s += (x - m) * (x - m);
  return Math.sqrt(s / (a.length - 1));
}

/** Leave-one-out human bound (rethinking-evs summe_eval_human_summary.py). */
export function humanBound(gt: GroundTruth, reduce: 'mean' | 'max' = 'mean', signal?: AbortSignal): HumanBoundResult {
  const videos: Record<string, VideoScores> = {};
  for (const v of gt.videos) {
    throwIfAborted(signal, 'the human bound');
    const N = v.nFrames;
    if (v.nUsers < 2)
      throw new VsumError(
        'BAD_INPUT',
        `${v.source}: video "${v.name}" has ${v.nUsers} user, the human bound needs at least 2.`,
        { file: v.source },
      );
    const row = (u: number) => v.userSummaries.subarray(u * N, (u + 1) * N);
    const pair = new Float64Array(v.nUsers * v.nUsers);
    for (let i = 0; i < v.nUsers; i++)
      for (let j = i + 1; j < v.nUsers; j++) pair[i * v.nUsers + j] = pair[j * v.nUsers + i] = f1(row(j), row(i));
    const perUser = new Float64Array(v.nUsers);
    const others = new Float64Array(v.nUsers - 1);
    const tv = { min: 0, avg: 0, max: 0 };
    for (let i = 0; i < v.nUsers; i++) {
      let k = 0;
      for (let j = 0; j < v.nUsers; j++) if (j !== i) others[k++] = pair[i * v.nUsers + j];
      const s = minAvgMax(others);
      perUser[i] = reduce === 'mean' ? s.avg : s.max;
      tv.min += s.min / v.nUsers;
      tv.avg += s.avg / v.nUsers;
      tv.max += s.max / v.nUsers;
    }
    if (gt.dataset === 'tvsum') {
      // tvsum_eval_human_summary.py: each user's min / mean / max over the others, averaged over the users.
      videos[v.name] = { ...tv, ...humanRankCorrelation(v) };
    } else videos[v.name] = minAvgMax(perUser);
  }
  return { videos, mean: meanScores(videos), baseline: 'human', reduce };
}

/**
 * TVSum's human rank correlation (rethinking-evs "rank order statistics" HumanEvaluator): each user's scores
 * against every other user's, Kendall τ-b and Spearman ρ averaged over the others, then over the users.
 */
function humanRankCorrelation(v: VideoGroundTruth): { kendall: number; spearman: number } {
  const { dense, average } = userRanks(v);
  const U = v.nUsers;
  const k = new Float64Array(U * U),
    s = new Float64Array(U * U);
  for (let i = 0; i < U; i++)
    for (let j = i + 1; j < U; j++) {
      k[i * U + j] = k[j * U + i] = kendallFromRanks(dense[i], dense[j]);
      s[i * U + j] = s[j * U + i] = spearmanFromRanks(average[i], average[j]);
    }
  let kk = 0,
    ss = 0;
  for (let i = 0; i < U; i++) {
    let ki = 0,
      si = 0;
    for (let j = 0; j < U; j++)
      if (j !== i) {
        ki += k[i * U + j];
        si += s[i * U + j];
      }
    kk += ki / (U - 1);
    ss += si / (U - 1);
  }
  return { kendall: kk / U, spearman: ss / U };
}
