/**
 * 0/1 knapsack exactly as rethinking-evs `tools/knapsack_solver.knapsack` (docs/ALGORITHMS.md §knapsack), which the
 * random baselines and the KTS keyshot selection both use:
 *
 *   best[i+1][c] = best[i][c]                                   if w_i > c
 *                = max(best[i][c], best[i][c − w_i] + v_i)       otherwise  (Python's max: the first on ties)
 *   reconstruction: c = W; for i = n…1, take item i−1 when best[i][c] ≠ best[i−1][c], then c −= w_{i−1}.
 *
 * Ties therefore prefer NOT taking the later item. Same IEEE-754 double arithmetic, same comparisons, so the
 * selection is identical to the Python one bit for bit.
 *
 * Speed/memory: the DP keeps only two rows of doubles; reconstruction needs just "did row i+1 differ from row i
 * at c", which is stored as one byte per (item, capacity) — n·(W+1) bytes instead of 8·(n+1)·(W+1).
 */

/** Item indices (ascending) chosen by the rethinking-evs knapsack for integer `weights` and `capacity`. */
export function knapsack(values: ArrayLike<number>, weights: ArrayLike<number>, capacity: number): number[] {
  const n = values.length;
  if (weights.length !== n) throw new RangeError(`knapsack: ${n} values but ${weights.length} weights`);
  if (!Number.isInteger(capacity) || capacity < 0)
    throw new RangeError(`knapsack: capacity must be a whole number ≥ 0, got ${capacity}`);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!Number.isInteger(w) || w < 0)
      throw new RangeError(`knapsack: weight ${i} must be a whole number ≥ 0, got ${w}`);
    // NaN would make Python's `!=` reconstruction take items at random; refuse it instead of copying that.
    if (!Number.isFinite(values[i])) throw new RangeError(`knapsack: value ${i} must be finite, got ${values[i]}`);
  }
  if (n === 0) return [];
  const W = capacity;
  const cols = W + 1;
  if (n * cols > 2 ** 31) throw new RangeError(`knapsack: ${n} items × capacity ${W} is too large for the exact DP`);

  let prev = new Float64Array(cols); // best[i][·]
  let cur = new Float64Array(cols); // best[i+1][·]
  const changed = new Uint8Array(n * cols); // changed[i·cols + c] = best[i+1][c] != best[i][c]
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const w = weights[i];
    const row = i * cols;
    const lim = w <= W ? w : cols;
    for (let c = 0; c < lim; c++) cur[c] = prev[c];
    for (let c = lim; c < cols; c++) {
      const c1 = prev[c];
      const c2 = prev[c - w] + v;
      const b = c2 > c1 ? c2 : c1;
      cur[c] = b;
      if (b !== c1) changed[row + c] = 1;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }

  const chosen: number[] = [];
  let c = W;
  for (let i = n; i > 0; i--) {
    if (changed[(i - 1) * cols + c]) {
      chosen.push(i - 1);
      c -= weights[i - 1];
    }
  }
  return chosen.reverse();
}
