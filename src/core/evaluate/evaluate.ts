/**
 * Evaluate summaries against a ground truth with the rethinking-evs protocol (docs/ALGORITHMS.md §f-measure): per video
 * the min / mean / max over users of sklearn's F, Gygli's mean/max F, and for TVSum the Kendall τ / Spearman ρ of the
 * frame scores; dataset means over the videos.
 */
import { VsumError } from '../errors';
import type { GroundTruth, VideoGroundTruth } from './ground-truth';
import { f1PerUser, gygliF, minAvgMax } from './f-measure';
import { denseRanks, kendallFromRanks, rankdata, spearmanFromRanks, type DenseRanks } from './rank-correlation';
import { fitSubmission, type EvsSubmission, type LengthFit } from './submission';
import type { EvaluationProtocol, EvaluationResult, MeanScores, VideoScores } from './types';

/** What `vsum evaluate` against SumMe / TVSum .mat ground truth computes, stated under its tables. */
export function rethinkingEvsProtocol(dataset: GroundTruth['dataset']): EvaluationProtocol {
  return {
    name: 'rethinking-evs (Otani et al., CVPR 2019)',
    reduction:
      "min / avg / max over the users of scikit-learn's F against each user's 0/1 summary, then means over the videos",
    budget: "the submission's own (not enforced); lengths padded with 0 / cut to the ground truth's",
    segmentation: "the submission's own",
    scoreRounding:
      dataset === 'tvsum'
        ? "none; the users' 0/1 summaries: mean score per uniform 60-frame segment, knapsack at int(0.15 · N)"
        : 'none (0/1 summaries)',
    ...(dataset === 'tvsum' && {
      correlation:
        "Kendall τ-b / Spearman ρ of the submission's frame scores (else its 0/1 summary) against each user's, averaged over the users",
    }),
  };
}

/** Scores of one 0/1 summary (length = nFrames) against one video's users. */
export function scoreVideo(gt: VideoGroundTruth, summary: Uint8Array, frameScores?: ArrayLike<number>): VideoScores {
  if (summary.length !== gt.nFrames)
    throw new VsumError(
      'BAD_INPUT',
      `video "${gt.name}": the summary has ${summary.length} frames, the ground truth ${gt.nFrames}.`,
    );
  const { min, avg, max } = minAvgMax(f1PerUser(gt.userSummaries, gt.nUsers, gt.nFrames, summary));
  const g = gygliF(gt.userSummaries, gt.nUsers, gt.nFrames, summary);
  const out: VideoScores = { min, avg, max, gygliMean: g.mean, gygliMax: g.max };
  if (gt.userScores) {
    const pred = frameScores ?? summary;
    const users = userRanks(gt);
    const pd = denseRanks(pred),
      pa = rankdata(pred);
    let k = 0,
      s = 0;
    for (let u = 0; u < gt.nUsers; u++) {
      k += kendallFromRanks(users.dense[u], pd);
      s += spearmanFromRanks(users.average[u], pa);
    }
    out.kendall = k / gt.nUsers;
    out.spearman = s / gt.nUsers;
  }
  return out;
}

const rankCache = new WeakMap<VideoGroundTruth, { dense: DenseRanks[]; average: Float64Array[] }>();

/** Each user's dense and average ranks (TVSum importance scores), computed once per video. */
export function userRanks(gt: VideoGroundTruth): { dense: DenseRanks[]; average: Float64Array[] } {
  let r = rankCache.get(gt);
  if (!r) {
    if (!gt.userScores) throw new Error(`video "${gt.name}" has no importance scores`);
    const rows = Array.from({ length: gt.nUsers }, (_, u) =>
      gt.userScores!.subarray(u * gt.nFrames, (u + 1) * gt.nFrames),
    );
    r = { dense: rows.map(denseRanks), average: rows.map(rankdata) };
    rankCache.set(gt, r);
  }
  return r;
}

/** Dataset means of min / avg / max (and the correlations when every video has them). */
export function meanScores(videos: Record<string, VideoScores>): MeanScores {
  const list = Object.values(videos);
  const mean = (f: (v: VideoScores) => number) => list.reduce((a, v) => a + f(v), 0) / list.length;
  const out: MeanScores = { min: mean((v) => v.min), avg: mean((v) => v.avg), max: mean((v) => v.max) };
  if (list.length && list.every((v) => v.kendall !== undefined)) {
    out.kendall = mean((v) => v.kendall!);
    out.spearman = mean((v) => v.spearman!);
  }
  return out;
}

/** Evaluate already fitted summaries (one per GT video, GT length). */
export function evaluateSummaries(
  gt: GroundTruth,
  summaries: ReadonlyMap<string, Uint8Array>,
  frameScores?: ReadonlyMap<string, ArrayLike<number>>,
): EvaluationResult {
  const videos: Record<string, VideoScores> = {};
  for (const v of gt.videos) {
    const s = summaries.get(v.name);
    if (!s) throw new VsumError('BAD_INPUT', `No summary for ground-truth video "${v.name}".`);
    videos[v.name] = scoreVideo(v, s, frameScores?.get(v.name));
  }
  return { videos, mean: meanScores(videos) };
}

export interface SubmissionEvaluation {
  result: EvaluationResult;
  /** Videos whose summary length was padded/truncated to the GT's. */
  fits: LengthFit[];
  /** Submission videos the GT does not have (ignored). */
  extra: string[];
  protocol: EvaluationProtocol;
}

/** Evaluate a rethinking-evs submission (`file` names it in errors): every GT video must be in it. */
export function evaluateSubmission(gt: GroundTruth, sub: EvsSubmission, file: string): SubmissionEvaluation {
  const fitted = fitSubmission(sub, new Map(gt.videos.map((v) => [v.name, v.nFrames])), file);
  const result = evaluateSummaries(gt, fitted.summaries, gt.dataset === 'tvsum' ? fitted.scores : undefined);
  return { result, fits: fitted.fits, extra: fitted.extra, protocol: rethinkingEvsProtocol(gt.dataset) };
}
