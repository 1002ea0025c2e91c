/**
 * numpy's sum (np.add.reduce of a contiguous vector) and mean, bit for bit: pairwise summation — fewer than 8
 * values in order; up to 128 in eight interleaved accumulators combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) then
 * the tail in order; longer halves split at a multiple of 8 — started from the identity 0. In float32 every
 * addition rounds to float32; the mean divides the float32 sum by the count in float64 and rounds back, as
 * numpy 1.x's `_mean` does. DSNet's shot score `int(1000 · mean)` truncates, so one ulp can change a shot's value
 * and the knapsack's pick: being exact here is what makes the keyshot summaries equal to DSNet's.
 */
const f32 = Math.fround;

function pairwise(a: ArrayLike<number>, lo: number, n: number, single: boolean): number {
  const r = single ? f32 : (x: number) => x;
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s = r(s + a[lo + i]);
    return s;
  }
  if (n <= 128) {
    const acc = [a[lo], a[lo + 1], a[lo + 2], a[lo + 3], a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) acc[j] = r(acc[j] + a[lo + i + j]);
    let s = r(r(r(acc[0] + acc[1]) + r(acc[2] + acc[3])) + r(r(acc[4] + acc[5]) + r(acc[6] + acc[7])));
    for (; i < n; i++) s = r(s + a[lo + i]);
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return r(pairwise(a, lo, n2, single) + pairwise(a, lo + n2, n - n2, single));
}

/** np.sum of a[start:end] (float32 values and arithmetic when `single`, else float64). */
export function numpySum(a: ArrayLike<number>, start = 0, end = a.length, single = false): number {
  return single ? f32(0 + pairwise(a, start, end - start, true)) : 0 + pairwise(a, start, end - start, false);
}

/** np.mean of a[start:end]: NaN for an empty range, as numpy (which also warns). */
export function numpyMean(a: ArrayLike<number>, start = 0, end = a.length, single = false): number {
  if (end <= start) return NaN;
  const s = numpySum(a, start, end, single) / (end - start);
  return single ? f32(s) : s;
}
