import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knapsack } from '../../../src/core/summarize/knapsack';
import { createRng } from '../../../src/core/random';
import { runPython } from '../../helpers/python';

// The rethinking-evs knapsack_solver, transcribed as the reference (ALGORITHMS §6).
const REF = `
import json, sys
def knapsack(items, maxweight):
    N = len(items)
    W = maxweight
    best = [[0] * (W + 1) for i in range(N + 1)]
    for i, (value, weight) in enumerate(items):
        for capacity in range(maxweight + 1):
            if weight > capacity:
                best[i + 1][capacity] = best[i][capacity]
            else:
                best[i + 1][capacity] = max(best[i][capacity], best[i][capacity - weight] + value)
    rec = []
    j = maxweight
    for i in range(N, 0, -1):
        if best[i][j] != best[i - 1][j]:
            rec.append(i - 1)
            j -= items[i - 1][1]
    rec.reverse()
    return rec
cases = json.load(sys.stdin)
print(json.dumps([knapsack(list(zip(c['v'], c['w'])), c['W']) for c in cases]))
`;

test('knapsack equals the rethinking-evs solver on random and tie-heavy problems', () => {
  const rng = createRng(42);
  const cases: Array<{ v: number[]; w: number[]; W: number }> = [];
  for (let k = 0; k < 300; k++) {
    const n = rng.int(25);
    const ties = k % 3 === 0; // small integer values → many equal-value alternatives
    const zeroW = k % 7 === 0;
    const v = Array.from({ length: n }, () => (ties ? rng.int(4) : rng.next()));
    const w = Array.from({ length: n }, () => (zeroW ? rng.int(5) : 1 + rng.int(30)));
    const W = rng.int(120);
    cases.push({ v, w, W });
  }
  cases.push({ v: [1, 1, 1], w: [2, 2, 2], W: 4 }, { v: [0.5, 0.5], w: [3, 3], W: 3 }, { v: [], w: [], W: 10 }, { v: [1], w: [5], W: 0 });
  const ref = runPython<number[][]>(REF, cases);
  cases.forEach((c, i) => assert.deepEqual(knapsack(c.v, c.w, c.W), ref[i], `case ${i}: ${JSON.stringify(c)}`));
});

test('knapsack: tie prefers not taking the later item', () => {
  assert.deepEqual(knapsack([1, 1], [2, 2], 2), [0]);
  assert.deepEqual(knapsack(new Float64Array([0.3, 0.7]), new Int32Array([1, 1]), 2), [0, 1]);
});

test('knapsack rejects bad input with a clear message', () => {
  assert.throws(() => knapsack([1], [1.5], 3), /weight 0 must be a whole number/);
  assert.throws(() => knapsack([NaN], [1], 3), /value 0 must be finite/);
  assert.throws(() => knapsack([1, 2], [1], 3), /2 values but 1 weights/);
  assert.throws(() => knapsack([1], [1], -1), /capacity/);
});
