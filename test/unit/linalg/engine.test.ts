import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dotRows, engineAvailable } from '../../../src/core/linalg/engine';
import { VsumError } from '../../../src/core/errors';

function naive(a: Float64Array, nA: number, b: Float64Array, nB: number, d: number): Float64Array {
  const out = new Float64Array(nA * nB);
  for (let i = 0; i < nA; i++)
    for (let j = 0; j < nB; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += a[i * d + t] * b[j * d + t];
      out[i * nB + j] = s;
    }
  return out;
}

test('engine: a·bᵀ on onnxruntime equals the plain loop up to rounding, for odd shapes, subarrays and many calls', async () => {
  assert.equal(await engineAvailable(), true, 'onnxruntime-node loads here (the CI installs it)');
  for (const [nA, nB, d] of [
    [1, 1, 1],
    [37, 7, 5],
    [513, 130, 33],
    [3000, 1200, 40],
  ]) {
    const a = new Float64Array(nA * d + 6).map((_, i) => Math.sin(i * 0.77));
    const b = new Float64Array(nB * d).map((_, i) => Math.cos(i * 0.31));
    const got = await dotRows(a.subarray(3, 3 + nA * d), nA, b, nB, d);
    const want = naive(a.subarray(3), nA, b, nB, d);
    assert.equal(got.length, nA * nB);
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    assert.ok(worst <= 1e-12 * d, `${nA}×${nB}×${d}: max error ${worst}`);
  }
});

test('engine: deterministic for the same shapes, and a cancel between blocks stops a long product', async () => {
  const n = 4000,
    d = 64;
  const a = new Float64Array(n * d).map((_, i) => Math.sin(i));
  const x = await dotRows(a, n, a, 600, d);
  const y = await dotRows(a, n, a, 600, d);
  assert.deepEqual(x, y);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(
    dotRows(a, n, a, n, d, ac.signal),
    (e: unknown) => e instanceof VsumError && e.code === 'CANCELLED',
  );
});

test('engine: the event loop keeps turning during a large product (calls are cut into short blocks)', async () => {
  const n = 6000,
    d = 256;
  const a = new Float64Array(n * d).map((_, i) => Math.sin(i * 0.1));
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const t0 = performance.now();
  await dotRows(a, n, a, 2000, d);
  const ms = performance.now() - t0;
  clearInterval(timer);
  // Generous: at least one timer turn per ~250 ms of product (a single blocking call would give none).
  assert.ok(ticks >= Math.floor(ms / 250), `${ticks} timer turns in ${ms.toFixed(0)} ms`);
});
