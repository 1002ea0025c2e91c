/**
 * F-measures of a 0/1 summary against users' 0/1 summaries (docs/ALGORITHMS.md §f-measure):
 *  - rethinking-evs / scikit-learn `f1_score(user, summary)` (binary): F = 2·TP / (2·TP + FP + FN) = 2·TP /
 *    (|user| + |summary|), 0 when both are empty — exact integer counts, one division;
 *  - Gygli et al.'s summe.py: summary padded/cropped to nFrames, indicators x > 0, recall = TP/|user|,
 *    precision = TP/|summary|, F = 2·r·p/(r + p) (0 when both are 0), then mean and max ("nn") over users.
 * Summaries are Uint8Array rows (users × frames in one buffer), so everything is tight integer loops.
 */

/** sklearn's binary f1_score(truth, pred) for 0/1 arrays of equal length. */
export function f1(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  let tp = 0,
    t = 0,
    p = 0;
  for (let i = 0; i < truth.length; i++) {
    const a = truth[i],
      b = pred[i];
    t += a;
    p += b;
    tp += a & b;
  }
  return t + p === 0 ? 0 : (2 * tp) / (t + p);
}

/** Per-user F of `pred` (length nFrames) against each row of `users` (nUsers × nFrames). */
export function f1PerUser(
  users: Uint8Array,
  nUsers: number,
  nFrames: number,
  pred: Uint8Array,
  out = new Float64Array(nUsers),
): Float64Array {
  let p = 0;
  for (let i = 0; i < nFrames; i++) p += pred[i];
  for (let u = 0; u < nUsers; u++) {
    const off = u * nFrames;
    let tp = 0,
      t = 0;
    for (let i = 0; i < nFrames; i++) {
      const a = users[off + i];
      t += a;
      tp += a & pred[i];
    }
    out[u] = t + p === 0 ? 0 : (2 * tp) / (t + p);
  }
  return out;
}

/** min, mean (Python's sum(x)/len(x)) and max. */
export function minAvgMax(a: ArrayLike<number>): { min: number; avg: number; max: number } {
  let min = Infinity,
    max = -Infinity,
    sum = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, avg: sum / a.length, max };
}

/** Gygli's summe.py evaluateSummary: mean F and max ("nn") F over users. */
export function gygliF(
  users: Uint8Array,
  nUsers: number,
  nFrames: number,
  summary: ArrayLike<number>,
): { mean: number; max: number } {
  const ind = new Uint8Array(nFrames);
  let s = 0;
  for (let i = 0; i < nFrames && i < summary.length; i++) s += ind[i] = summary[i] > 0 ? 1 : 0;
  let sum = 0,
    max = -Infinity;
  for (let u = 0; u < nUsers; u++) {
    const off = u * nFrames;
    let inter = 0,
      len = 0;
    for (let i = 0; i < nFrames; i++) {
      const g = users[off + i];
      len += g;
      inter += g & ind[i];
    }
    const recall = inter / len;
    const precision = inter / s;
    const f = precision > 0 || recall > 0 ? (2 * recall * precision) / (recall + precision) : 0;
    sum += f;
    if (f > max) max = f;
  }
  return { mean: sum / nUsers, max };
}
