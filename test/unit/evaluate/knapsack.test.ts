import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knapsack } from '../../../src/core/summarize/knapsack';
import { createRng } from '../../../src/core/random';
import { runPython } from '../../helpers/python';
import { REFERENCE_DIR } from '../../helpers/fixtures';

// The rethinking-evs knapsack_solver, transcribed as the reference (docs/ALGORITHMS.md §knapsack;
// test/reference/evs_reference.py).
const REF = `
import json, sys
sys.path.insert(0, ${JSON.stringify(REFERENCE_DIR)})
from evs_reference import knapsack
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
  cases.push(
    { v: [1, 1, 1], w: [2, 2, 2], W: 4 },
    { v: [0.5, 0.5], w: [3, 3], W: 3 },
    { v: [], w: [], W: 10 },
    { v: [1], w: [5], W: 0 },
  );
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
