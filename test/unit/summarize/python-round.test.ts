import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pythonRound } from '../../../src/core/summarize/python-round';
import { runPython } from '../../helpers/python';

test("pythonRound equals Python 3's round() on ties and on every 0.15·n the summarizers compute", () => {
  const xs: number[] = [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 0.49999999999999994, 2.5000000000000004, 4.5, 1e15 + 0.5, 7, 0];
  for (let n = 0; n <= 3000; n++) xs.push(0.15 * n);
  for (let n = 1; n <= 400; n++) xs.push(n * 0.8 * 0.15, 0.3 * n, 0.45 * n, 0.5 * n);
  const want = runPython<number[]>('import json,sys\nprint(json.dumps([round(x) for x in json.load(sys.stdin)]))', xs);
  const got = xs.map(pythonRound);
  assert.deepEqual(got, want);
  // The ties called out in docs/ALGORITHMS.md §k-means.
  assert.equal(pythonRound(0.5), 0);
  assert.equal(pythonRound(2.5), 2);
  assert.equal(pythonRound(0.15 * 118), 18);
});
