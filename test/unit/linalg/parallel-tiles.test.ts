import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRng } from '../../../src/core/random';
import { closeLinalgPool, linalgWorkers, parallelTiles, setLinalgThreads, setLinalgWasm, sharedFloat64 } from '../../../src/core/linalg/parallel-tiles';
import { mirrorLower } from '../../../src/core/linalg/mirror-lower';
import { REPO } from '../../helpers/fixtures';

function randomShared(rng: ReturnType<typeof createRng>, length: number): Float64Array {
  const x = sharedFloat64(length);
  for (let i = 0; i < length; i++) x[i] = rng.next() * 2 - 1;
  return x;
}

function plainDot(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += a[i * d + t] * b[j * d + t];
  return s;
}

function plainSqDist(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = a[i * d + t] - b[j * d + t];
    s += v * v;
  }
  return s;
}

// Sizes big enough for the worker pool (≥ 4M multiply-adds) with remainder rows/columns (not multiples of 4).
for (const wasm of [true, false])
test(`tiled kernels over worker threads equal plain in-order loops bit for bit (dot, Gram triangle, sqdist; ${wasm ? 'WebAssembly SIMD' : 'JS'} tiles)`, async () => {
  const previous = setLinalgThreads(3); // two workers + this thread, whatever the machine
  const previousWasm = setLinalgWasm(wasm);
  try {
    const rng = createRng(11);
    const nA = 203, nB = 150, d = 150;
    const a = randomShared(rng, nA * d);
    const b = randomShared(rng, nB * d);
    const dots = sharedFloat64(nA * nB);
    parallelTiles('dot', a, nA, b, nB, d, dots);
    const dist = sharedFloat64(nA * nB);
    parallelTiles('sqdist', a, nA, b, nB, d, dist);
    const n = 301;
    const g = sharedFloat64(n * n);
    const x = randomShared(rng, n * d);
    parallelTiles('dot', x, n, x, n, d, g, true);
    assert.equal(linalgWorkers(), 2, 'the products ran on the pool');
    for (let i = 0; i < nA; i++) {
      for (let j = 0; j < nB; j++) {
        assert.equal(dots[i * nB + j], plainDot(a, i, b, j, d), `dot ${i},${j}`);
        assert.equal(dist[i * nB + j], plainSqDist(a, i, b, j, d), `sqdist ${i},${j}`);
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) assert.equal(g[i * n + j], plainDot(x, i, x, j, d), `gram ${i},${j}`);
    // Ordinary (non-shared) arrays take the single-thread path with the same values.
    const local = new Float64Array(nA * nB);
    parallelTiles('dot', Float64Array.from(a), nA, Float64Array.from(b), nB, d, local);
    assert.deepEqual(local, Float64Array.from(dots));
  } finally {
    await closeLinalgPool();
    assert.equal(linalgWorkers(), 0);
    setLinalgThreads(previous);
    setLinalgWasm(previousWasm);
  }
});

test('the worker pool never keeps the process alive', () => {
  const script = `
    const { parallelTiles, sharedFloat64, setLinalgThreads } = require(${JSON.stringify(path.join(REPO, 'src/core/linalg/parallel-tiles.ts'))});
    setLinalgThreads(2);
    const n = 256, d = 128, x = sharedFloat64(n * d).fill(0.5), g = sharedFloat64(n * n);
    parallelTiles('dot', x, n, x, n, d, g, true);
    process.stdout.write(String(g[n * n - 1]));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, String(0.25 * 128));
});

test('mirrorLower copies the lower triangle onto the upper one (sizes around the 64-block edges)', () => {
  for (const n of [1, 63, 64, 65, 130]) {
    const k = new Float64Array(n * n).map((_, i) => i);
    const want = Float64Array.from(k);
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) want[a * n + b] = want[b * n + a];
    mirrorLower(k, n);
    assert.deepEqual(k, want, `n = ${n}`);
  }
});
