/**
 * rethinking-evs `tools/summarizer.summarize` (docs/ALGORITHMS.md §random-baseline): frame scores → split at segment
 * boundaries with numpy `split` semantics (empty pieces dropped) → value = mean score of a piece (numpy's pairwise sum,
 * so the values are bit-identical to numpy's and the knapsack picks the same pieces) → knapsack at the capacity →
 * selected pieces become 1.
 */
import { VsumError } from '../errors';
import { numpyMean, numpySum } from '../numpy-sum';
import { knapsack } from '../summarize/knapsack';

/** Non-empty pieces [start[i], end[i]) of `np.split(range(n), boundaries)`, which must tile 0…n−1 in order. */
export interface Pieces {
  start: Int32Array;
  end: Int32Array;
  count: number;
}

/**
 * np.split(a, indices) for an array of length n: piece i = a[b[i−1]:b[i]] with Python slice semantics (negative
 * indices count from the end, out-of-range ones clamp), empty pieces dropped. Pieces that overlap or leave gaps
 * (unsorted boundaries) would make the reference's summary a different length than the video: refused.
 */
export function splitPieces(n: number, boundaries: ArrayLike<number>, where = 'segment'): Pieces {
  const start = new Int32Array(boundaries.length + 1);
  const end = new Int32Array(boundaries.length + 1);
  const clamp = (i: number) => (i < 0 ? Math.max(0, i + n) : Math.min(i, n));
  let count = 0;
  let covered = 0;
  for (let i = 0; i <= boundaries.length; i++) {
    const s = i === 0 ? 0 : clamp(boundaries[i - 1]);
    const e = i === boundaries.length ? n : clamp(boundaries[i]);
    if (e > s) {
      if (s !== covered)
        throw new VsumError(
          'BAD_INPUT',
          `${where}: the boundaries are not increasing (a piece starts at frame ${s} after frames up to ${covered - 1}), so the pieces do not cover each frame once; give increasing frame indices.`,
        );
      start[count] = s;
      end[count] = e;
      count++;
      covered = e;
    }
  }
  if (covered !== n && n > 0)
    throw new VsumError(
      'BAD_INPUT',
      `${where}: the boundaries leave frames ${covered}…${n - 1} outside every piece; give increasing frame indices.`,
    );
  return { start, end, count };
}

/**
 * The rethinking-evs summary: 0/1 per frame from `scores`, pieces and a frame budget `capacity`
 * (int(N · 0.15) in the protocol). `useSum` = piece value is the sum instead of the mean (summarize's use_sum).
 * Returns the chosen piece indices too (the random baseline evaluates from them directly).
 */
export function segmentSummary(
  scores: ArrayLike<number>,
  pieces: Pieces,
  capacity: number,
  useSum = false,
): { summary: Uint8Array; chosen: number[] } {
  const values = new Float64Array(pieces.count);
  const weights = new Int32Array(pieces.count);
  for (let i = 0; i < pieces.count; i++) {
    const s = pieces.start[i],
      e = pieces.end[i];
    values[i] = useSum ? numpySum(scores, s, e) : numpyMean(scores, s, e);
    weights[i] = e - s;
  }
  const chosen = knapsack(values, weights, capacity);
  const summary = new Uint8Array(scores.length);
  for (const c of chosen) summary.fill(1, pieces.start[c], pieces.end[c]);
  return { summary, chosen };
}

/** The protocol's budget: int(N · ratio). */
export function summaryCapacity(nFrames: number, ratio = 0.15): number {
  return Math.trunc(nFrames * ratio);
}
