/**
 * The knapsack DSNet's get_keyshot_summ calls: OR-tools' KnapsackSolver with KNAPSACK_DYNAMIC_PROGRAMMING_SOLVER
 * (integer profits and weights). Its picks are the rethinking-evs solver's (../summarize/knapsack.ts) — same DP,
 * same tie rule — except for two things OR-tools does on its own (docs/ALGORITHMS.md §eccv16-knapsack):
 *
 *  - when every item fits (Σ weights ≤ capacity) its Init reduces the problem and packs them all, zero-profit
 *    items included, where the DP would leave those out;
 *  - it reconstructs by re-solving the prefix left of each pick and reading "which item last raised the best profit
 *    at this capacity", whose array starts at 0, so once no remaining item can raise the profit item 0 is taken
 *    anyway if it fits the capacity left. The DP reconstruction would stop there.
 *
 * The re-solve is equivalent to walking the DP's table (the prefix sub-problems are its rows), so this runs the
 * rethinking-evs solver once and applies the two rules, O(n · C) instead of OR-tools' O(picks · n · C).
 */
import { knapsack } from '../summarize/knapsack';

/** Item indices (ascending) OR-tools' dynamic-programming solver packs. */
export function ortoolsKnapsack(values: ArrayLike<number>, weights: ArrayLike<number>, capacity: number): number[] {
  const n = values.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  if (n > 0 && total <= capacity) return Array.from({ length: n }, (_, i) => i);
  const chosen = knapsack(values, weights, capacity);
  let left = capacity;
  for (const i of chosen) left -= weights[i];
  const lowest = chosen.length ? chosen[0] : n;
  if (left > 0 && lowest > 0 && weights[0] <= left) chosen.unshift(0);
  return chosen;
}
