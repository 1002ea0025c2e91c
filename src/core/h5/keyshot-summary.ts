/**
 * DSNet's keyshot protocol (helpers/vsumm_helper.py: get_keyshot_summ + get_summ_f1score), the one the eccv16
 * peers report (docs/ALGORITHMS.md §eccv16-protocol):
 *  1. per-step scores spread to frames: frame f gets the score of the last pick ≤ f (float32, 0 before the first);
 *  2. shot score = int(1000 · mean of its frames' scores) over each change_points shot [first, last] — numpy's
 *     float32 mean, then × 1000 in float64 (numpy 1.x scalar promotion) and truncated toward zero;
 *  3. OR-tools' DP knapsack on n_frame_per_seg with capacity int(budget · n_frames), budget 0.15;
 *  4. the picked shots' frames → 1; F per user = 2·P·R/(P + R) (0 without overlap), the summary padded with 0 or
 *     cut to the users' frame count.
 */
import { VsumError } from '../errors';
import { numpyMean } from '../numpy-sum';
import { ortoolsKnapsack } from './ortools-knapsack';

/** The summary length budget of every eccv16 paper: 15 % of the frames. */
export const KEYSHOT_BUDGET = 0.15;
/** DSNet's shot-score scale before truncation to an integer knapsack profit. */
export const SHOT_SCORE_SCALE = 1000;

export interface KeyshotInput {
  /** Per-step predicted scores (length = picks). */
  scores: ArrayLike<number>;
  picks: ArrayLike<number>;
  nFrames: number;
  /** shots × 2 row-major, [first, last] inclusive. */
  changePoints: ArrayLike<number>;
  nFramePerSeg: ArrayLike<number>;
}

export interface KeyshotSummary {
  /** 0/1 per frame (n_frames). */
  summary: Uint8Array;
  /** The integer knapsack profit of every shot. */
  shotScores: Int32Array;
  /** Picked shot indices, ascending. */
  shots: number[];
  capacity: number;
}

/** Per-frame float32 scores: pick i's score from picks[i] up to the next pick (the last one up to n_frames). */
export function frameScores(scores: ArrayLike<number>, picks: ArrayLike<number>, nFrames: number): Float32Array {
  const out = new Float32Array(nFrames);
  for (let i = 0; i < picks.length; i++) {
    const hi = i + 1 < picks.length ? picks[i + 1] : nFrames;
    out.fill(scores[i], Math.max(0, picks[i]), Math.min(nFrames, hi));
  }
  return out;
}

export function keyshotSummary(x: KeyshotInput, budget = KEYSHOT_BUDGET): KeyshotSummary {
  if (x.scores.length !== x.picks.length)
    throw new VsumError(
      'BAD_INPUT',
      `${x.scores.length} scores for ${x.picks.length} picks: a score is needed for every step.`,
    );
  for (let i = 0; i < x.scores.length; i++)
    if (!Number.isFinite(x.scores[i]))
      throw new VsumError('BAD_INPUT', `score ${i} is ${x.scores[i]}; scores must be finite numbers.`);
  const frames = frameScores(x.scores, x.picks, x.nFrames);
  const shots = x.nFramePerSeg.length;
  const shotScores = new Int32Array(shots);
  for (let s = 0; s < shots; s++) {
    const first = x.changePoints[2 * s],
      last = x.changePoints[2 * s + 1];
    shotScores[s] = Math.trunc(SHOT_SCORE_SCALE * numpyMean(frames, first, last + 1, true));
  }
  const capacity = Math.floor(x.nFrames * budget);
  const picked = ortoolsKnapsack(shotScores, x.nFramePerSeg, capacity);
  const summary = new Uint8Array(x.nFrames);
  for (const s of picked) summary.fill(1, x.changePoints[2 * s], x.changePoints[2 * s + 1] + 1);
  return { summary, shotScores, shots: picked, capacity };
}

/** DSNet's f1_score per user of `pred` (padded with 0 / cut to `userFrames`) against each user's row. */
export function dsnetF1PerUser(pred: Uint8Array, users: Uint8Array, nUsers: number, userFrames: number): Float64Array {
  const out = new Float64Array(nUsers);
  const n = Math.min(pred.length, userFrames);
  let ps = 0;
  for (let i = 0; i < n; i++) ps += pred[i];
  for (let u = 0; u < nUsers; u++) {
    const off = u * userFrames;
    let overlap = 0,
      ts = 0;
    for (let i = 0; i < userFrames; i++) ts += users[off + i];
    for (let i = 0; i < n; i++) overlap += pred[i] & users[off + i];
    if (overlap === 0) continue;
    const precision = overlap / ps,
      recall = overlap / ts;
    out[u] = (2 * precision * recall) / (precision + recall);
  }
  return out;
}
