/**
 * Reference points under the eccv16 protocol (docs/ALGORITHMS.md §eccv16-protocol), for the same videos a result
 * is evaluated on:
 *  - random: per step a U(0, 1) score (one seeded xoshiro128** stream), through the same keyshot summary and F as
 *    a method's scores, τ/ρ against gtscore; the mean over `runs` runs per video, then over the videos;
 *  - human (leave-one-out): each user's summary scored against every other user with DSNet's F, min / avg / max
 *    over the others, averaged over the users; then over the videos.
 */
import { VsumError, throwIfAborted } from '../errors';
import { meanScores } from '../evaluate/evaluate';
import { minAvgMax } from '../evaluate/f-measure';
import type { EvaluationResult, VideoScores } from '../evaluate/types';
import { createRng } from '../random';
import { requireFields, type Eccv16Dataset, type Eccv16Video } from './dataset';
import { scoreVideoSteps } from './evaluate';
import { dsnetF1PerUser } from './keyshot-summary';

export async function randomStepBaseline(
  ds: Eccv16Dataset,
  videos: readonly Eccv16Video[],
  opts: { runs?: number; seed?: number; signal?: AbortSignal; onProgress?: (run: number, runs: number) => void } = {},
): Promise<EvaluationResult & { runs: number; seed: number }> {
  const runs = opts.runs ?? 100,
    seed = opts.seed ?? 0;
  if (!Number.isInteger(runs) || runs < 1)
    throw new VsumError('BAD_INPUT', `runs must be a whole number ≥ 1, got ${runs}.`);
  const rng = createRng(seed);
  const sums = videos.map(() => ({ min: 0, avg: 0, max: 0, kendall: 0, spearman: 0 }));
  for (let r = 0; r < runs; r++) {
    throwIfAborted(opts.signal, 'the random baseline');
    videos.forEach((v, i) => {
      requireFields(v, ds.file, ['keyshots', 'users', 'gtscore']);
      const scores = new Float64Array(v.picks!.length);
      for (let k = 0; k < scores.length; k++) scores[k] = rng.next();
      const s = scoreVideoSteps(v, scores, ds.file, 'random scores');
      const acc = sums[i];
      acc.min += s.min;
      acc.avg += s.avg;
      acc.max += s.max;
      acc.kendall += s.kendall ?? NaN;
      acc.spearman += s.spearman ?? NaN;
    });
    opts.onProgress?.(r + 1, runs);
    await new Promise((res) => setImmediate(res)); // let cancellation through
  }
  const out: Record<string, VideoScores> = {};
  videos.forEach((v, i) => {
    const a = sums[i];
    out[v.key] = {
      min: a.min / runs,
      avg: a.avg / runs,
      max: a.max / runs,
      ...(v.gtscore && { kendall: a.kendall / runs, spearman: a.spearman / runs }),
    };
  });
  return { videos: out, mean: meanScores(out), runs, seed };
}

export function humanLeaveOneOut(ds: Eccv16Dataset, videos: readonly Eccv16Video[]): EvaluationResult {
  const out: Record<string, VideoScores> = {};
  for (const v of videos) {
    requireFields(v, ds.file, ['users']);
    const U = v.nUsers!,
      N = v.userFrames!;
    if (U < 2)
      throw new VsumError(
        'BAD_INPUT',
        `${ds.file}: video "${v.key}" has ${U} user in user_summary; the human bound needs at least 2.`,
        { file: ds.file },
      );
    const acc = { min: 0, avg: 0, max: 0 };
    for (let i = 0; i < U; i++) {
      const own = v.userSummary!.subarray(i * N, (i + 1) * N);
      const f = dsnetF1PerUser(own, v.userSummary!, U, N).filter((_, j) => j !== i);
      const s = minAvgMax(f);
      acc.min += s.min / U;
      acc.avg += s.avg / U;
      acc.max += s.max / U;
    }
    out[v.key] = acc;
  }
  return { videos: out, mean: meanScores(out) };
}
