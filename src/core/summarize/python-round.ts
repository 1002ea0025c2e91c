/**
 * Python 3's `round(x)` for the counts the original computes (k = round(0.15·n_clips), frames per SSD segment):
 * round half to even on the double value itself (0.5 → 0, 1.5 → 2, 2.5 → 2). `x − floor(x)` is exact for
 * |x| < 2^52, so comparing it with 0.5 decides exactly like CPython does.
 */
export function pythonRound(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`cannot round ${x}`);
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
