/**
 * Evaluation against an eccv16 dataset h5, one stated protocol for every peer's output (docs/ALGORITHMS.md
 * §eccv16-protocol): predicted per-step scores go through DSNet's keyshot summary (keyshot-summary.ts); 0/1 summaries
 * (a rethinking-evs submission) are scored directly. Both: DSNet's per-user F against `user_summary`, reduced
 * to min / avg / max (DSNet reports max on SumMe, avg on TVSum — both are given), dataset means over the videos;
 * with scores, Kendall τ-b and Spearman ρ of the per-step scores against `gtscore` (scipy's kendalltau/spearmanr).
 * Only the videos the scores or submission name are evaluated (a split's test keys), reported in `skipped`.
 */
import { VsumError } from '../errors';
import { meanScores } from '../evaluate/evaluate';
import { minAvgMax } from '../evaluate/f-measure';
import { kendallTauB, spearmanRho } from '../evaluate/rank-correlation';
import { fitSubmission, type EvsSubmission, type LengthFit } from '../evaluate/submission';
import type { EvaluationProtocol, EvaluationResult, VideoScores } from '../evaluate/types';
import { requireFields, type Eccv16Dataset, type Eccv16Video } from './dataset';
import { dsnetF1PerUser, keyshotSummary, KEYSHOT_BUDGET, SHOT_SCORE_SCALE } from './keyshot-summary';

const REDUCTION =
  "min / avg / max over the users of DSNet's per-user F = 2PR/(P+R) against user_summary (DSNet reports max on SumMe, avg on TVSum), then means over the videos";

/** The protocol of `--scores`, printed under its table and carried in its JSON. */
export function scoresProtocol(budget = KEYSHOT_BUDGET): EvaluationProtocol {
  return {
    name: 'DSNet keyshot (eccv16: get_keyshot_summ + get_summ_f1score)',
    reduction: REDUCTION,
    budget: `int(${budget} · n_frames) frames, OR-tools dynamic-programming knapsack on n_frame_per_seg`,
    segmentation: "the dataset's change_points (its KTS shots); per-step scores spread to frames over picks",
    scoreRounding: `shot score = int(${SHOT_SCORE_SCALE} · mean of its frames' float32 scores)`,
    correlation: 'Kendall τ-b and Spearman ρ of the per-step scores against gtscore',
  };
}

/** The protocol of `--submission` against an h5. */
export const SUBMISSION_PROTOCOL: EvaluationProtocol = {
  name: 'eccv16 user_summary F of a 0/1 submission',
  reduction: REDUCTION,
  budget: "the submission's own (not enforced); lengths padded with 0 / cut to user_summary's frames",
  segmentation: "the submission's own",
  scoreRounding: 'none (0/1 summaries)',
};

export interface H5Evaluation {
  result: EvaluationResult;
  protocol: EvaluationProtocol;
  /** Dataset videos without scores / entries (not evaluated). */
  skipped: string[];
  /** Submission only: lengths fitted to user_summary's. */
  fits: LengthFit[];
}

/**
 * Map the keys of a scores/submission object to dataset videos: by group key (video_1), else by a unique
 * video_name. Unknown keys are an error naming them (the scores belong to another dataset).
 */
export function matchVideos(ds: Eccv16Dataset, keys: readonly string[], source: string): Map<string, Eccv16Video> {
  const byKey = new Map(ds.videos.map((v) => [v.key, v]));
  const byName = new Map<string, Eccv16Video | null>();
  for (const v of ds.videos) if (v.name !== undefined) byName.set(v.name, byName.has(v.name) ? null : v);
  const out = new Map<string, Eccv16Video>();
  const unknown: string[] = [];
  for (const k of keys) {
    const v = byKey.get(k) ?? byName.get(k);
    if (v) out.set(k, v);
    else unknown.push(k);
  }
  if (unknown.length)
    throw new VsumError(
      'BAD_INPUT',
      `${source}: ${unknown.length} video${unknown.length > 1 ? 's are' : ' is'} not in ${ds.file}: ${unknown
        .slice(0, 5)
        .map((k) => JSON.stringify(k))
        .join(
          ', ',
        )}${unknown.length > 5 ? ', …' : ''}. Keys must be the dataset's groups (video_1, …) or its video_name values; is it the right dataset file?`,
      { file: source },
    );
  if (out.size === 0) throw new VsumError('BAD_INPUT', `${source} has no videos to evaluate.`, { file: source });
  return out;
}

function skippedVideos(ds: Eccv16Dataset, used: Iterable<Eccv16Video>): string[] {
  const seen = new Set([...used].map((v) => v.key));
  return ds.videos.filter((v) => !seen.has(v.key)).map((v) => v.key);
}

function withName(v: Eccv16Video, s: VideoScores): VideoScores {
  return v.name !== undefined ? { ...s, videoName: v.name } : s;
}

/** Scores of one video's per-step predictions under the DSNet protocol. */
export function scoreVideoSteps(
  v: Eccv16Video,
  scores: ArrayLike<number>,
  file: string,
  source: string,
  budget = KEYSHOT_BUDGET,
): VideoScores {
  requireFields(v, file, ['keyshots', 'users', 'gtscore']);
  if (scores.length !== v.picks!.length)
    throw new VsumError(
      'BAD_INPUT',
      `${source}: video "${v.key}": field "score" has ${scores.length} values, but ${file} has ${v.picks!.length} picks for it (one score per step).`,
      { file: source },
    );
  for (let i = 0; i < scores.length; i++)
    if (!Number.isFinite(scores[i]))
      throw new VsumError(
        'BAD_INPUT',
        `${source}: video "${v.key}": field "score" item ${i} is ${scores[i]}; scores must be finite.`,
        { file: source },
      );
  const { summary } = keyshotSummary(
    { scores, picks: v.picks!, nFrames: v.nFrames!, changePoints: v.changePoints!, nFramePerSeg: v.nFramePerSeg! },
    budget,
  );
  const out: VideoScores = minAvgMax(dsnetF1PerUser(summary, v.userSummary!, v.nUsers!, v.userFrames!));
  if (v.gtscore) {
    out.kendall = kendallTauB(scores, v.gtscore);
    out.spearman = spearmanRho(scores, v.gtscore);
  }
  return withName(v, out);
}

/** `vsum evaluate --gt X.h5 --scores P.h5|P.json`. */
export function evaluateStepScores(
  ds: Eccv16Dataset,
  scores: ReadonlyMap<string, ArrayLike<number>>,
  source: string,
  budget = KEYSHOT_BUDGET,
): H5Evaluation {
  const matched = matchVideos(ds, [...scores.keys()], source);
  const videos: Record<string, VideoScores> = {};
  const order = [...matched.entries()].sort((a, b) => ds.videos.indexOf(a[1]) - ds.videos.indexOf(b[1]));
  for (const [k, v] of order) videos[v.key] = scoreVideoSteps(v, scores.get(k)!, ds.file, source, budget);
  return {
    result: { videos, mean: meanScores(videos) },
    protocol: scoresProtocol(budget),
    skipped: skippedVideos(ds, matched.values()),
    fits: [],
  };
}

/** `vsum evaluate --gt X.h5 --submission S.json`: 0/1 summaries against user_summary. */
export function evaluateH5Submission(ds: Eccv16Dataset, sub: EvsSubmission, source: string): H5Evaluation {
  const matched = matchVideos(ds, Object.keys(sub), source);
  const byKey: EvsSubmission = {};
  const lengths = new Map<string, number>();
  for (const [k, v] of matched) {
    requireFields(v, ds.file, ['users']);
    byKey[v.key] = sub[k];
    lengths.set(v.key, v.userFrames!);
  }
  const fitted = fitSubmission(byKey, lengths, source);
  const videos: Record<string, VideoScores> = {};
  for (const v of ds.videos) {
    const s = fitted.summaries.get(v.key);
    if (s) videos[v.key] = withName(v, minAvgMax(dsnetF1PerUser(s, v.userSummary!, v.nUsers!, v.userFrames!)));
  }
  return {
    result: { videos, mean: meanScores(videos) },
    protocol: SUBMISSION_PROTOCOL,
    skipped: skippedVideos(ds, matched.values()),
    fits: fitted.fits,
  };
}
