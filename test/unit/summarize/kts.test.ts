import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  cpdAuto,
  cpdNonlin,
  defaultMaxSegmentLength,
  featureKernel,
  matrixKernel,
  kts,
  type Kernel,
} from '../../../src/core/summarize/kts';
import { featureMatrix, type FeatureMatrix } from '../../../src/core/features';
import { createRng } from '../../../src/core/random';
import { runPythonFile } from '../../helpers/python';
import { REPO } from '../../helpers/fixtures';
import { VsumError } from '../../../src/core/errors';
import fs from 'node:fs';
import os from 'node:os';

const REF = path.join(REPO, 'test', 'reference', 'kts_reference.py');

function gauss(rng: ReturnType<typeof createRng>): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

async function kernelValues(k: Kernel): Promise<number[]> {
  return Array.from(await k.block(0, k.n, 0, k.n));
}

/** Piecewise-constant features (segments of random length around random centres) plus noise. */
function structured(rng: ReturnType<typeof createRng>, n: number, d: number, noise: number): FeatureMatrix {
  const m = featureMatrix(n, d);
  let centre = Array.from({ length: d }, () => gauss(rng));
  let left = 0;
  for (let r = 0; r < n; r++) {
    if (left === 0) {
      centre = Array.from({ length: d }, () => gauss(rng));
      left = 1 + rng.int(12);
    }
    left--;
    for (let c = 0; c < d; c++) m.data[r * d + c] = centre[c] + noise * gauss(rng);
  }
  return m;
}

interface Case {
  name: string;
  features: FeatureMatrix;
  ncp?: number;
  vmax?: number;
  lmax?: number;
  mode?: 'auto' | 'nonlin';
}

function cases(): Case[] {
  const rng = createRng(20240917);
  const out: Case[] = [];
  for (let i = 0; i < 10; i++) {
    const n = 5 + rng.int(70);
    const d = 2 + rng.int(15);
    const m = featureMatrix(n, d);
    for (let t = 0; t < n * d; t++) m.data[t] = gauss(rng);
    out.push({ name: `random ${i} (${n}×${d})`, features: m, vmax: [1, 0.5, 2, 0.1][i % 4] });
  }
  for (let i = 0; i < 8; i++) {
    const n = 20 + rng.int(100);
    out.push({
      name: `structured ${i}`,
      features: structured(rng, n, 3 + rng.int(30), [0.05, 0.3, 1][i % 3]),
      vmax: [1, 0.3][i % 2],
    });
  }
  // Ties: identical rows (scatters exactly 0), alternating two rows, a constant matrix.
  const same = featureMatrix(30, 4);
  for (let r = 0; r < 30; r++) same.data.set([1, 2, 3, 4], r * 4);
  out.push({ name: 'constant rows (all ties)', features: same });
  const alt = featureMatrix(40, 3);
  for (let r = 0; r < 40; r++) alt.data.set(Math.floor(r / 5) % 2 ? [1, 0, 0] : [0, 1, 0], r * 3);
  out.push({ name: 'two alternating blocks (exact ties)', features: alt, vmax: 0.2 });
  out.push({ name: 'alternating, max 3 cp', features: alt, ncp: 3 });
  out.push({ name: 'structured, max segment 9', features: structured(rng, 60, 8, 0.2), lmax: 9 });
  out.push({ name: 'structured, lmax 16, ncp 10', features: structured(rng, 90, 8, 0.2), lmax: 16, ncp: 10 });
  out.push({ name: 'cpd_nonlin m=4', features: structured(rng, 50, 6, 0.2), ncp: 4, mode: 'nonlin' });
  out.push({ name: 'cpd_nonlin m=7 lmax 12', features: structured(rng, 70, 6, 0.5), ncp: 7, lmax: 12, mode: 'nonlin' });
  out.push({ name: 'one row', features: featureMatrix(1, 3, new Float32Array([1, 2, 3])) });
  out.push({ name: 'vmax 0 (no pruning possible)', features: structured(rng, 25, 5, 0.3), vmax: 0 });
  return out;
}

/**
 * Unbounded runs reproduce numpy's arithmetic exactly (1e-14: numpy's vectorised log is not correctly rounded);
 * bounded runs sum each block from the band (≤ lmax² terms) where numpy differences n²-sized prefix sums, so their
 * objectives agree up to that rounding — and their change points exactly.
 */
function bandTolerance(c: Case): number {
  return c.lmax !== undefined && c.lmax < c.features.rows ? 1e-11 : 1e-14;
}

test('KTS change points are identical to the numpy reference cpd_auto / cpd_nonlin (≥ 20 matrices, ties included)', async () => {
  const cs = cases();
  assert.ok(cs.length >= 20);
  const kernels = await Promise.all(cs.map((c) => kernelValues(featureKernel(c.features))));
  const input = cs.map((c, i) => ({
    K: kernels[i],
    n: c.features.rows,
    ncp: c.ncp ?? c.features.rows - 1,
    vmax: c.vmax ?? 1,
    lmax: c.lmax ?? null,
    mode: c.mode ?? 'auto',
  }));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-kts-'));
  const inFile = path.join(tmp, 'cases.json');
  fs.writeFileSync(inFile, JSON.stringify(input));
  const ref = JSON.parse(
    runPythonFile('-c', [
      `import sys,runpy; sys.stdin=open(${JSON.stringify(inFile)}); runpy.run_path(${JSON.stringify(REF)}, run_name='__main__')`,
    ]),
  ) as Array<{ cps: number[]; scores: Array<number | null> }>;
  fs.rmSync(tmp, { recursive: true, force: true });
  let nonTrivial = 0;
  for (const [i, c] of cs.entries()) {
    const k = matrixKernel(input[i].K, c.features.rows);
    if (c.mode === 'nonlin') {
      const r = await cpdNonlin(k, c.ncp!, { maxSegmentLength: c.lmax });
      assert.deepEqual(r.changePoints, ref[i].cps, c.name);
      r.scores.forEach((v, m) => {
        const want = ref[i].scores[m];
        if (want === null) assert.equal(v, Infinity, `${c.name}: objective of ${m} change points`);
        else
          assert.ok(
            Math.abs(v - want) <= bandTolerance(c) * Math.max(1, Math.abs(want)),
            `${c.name}: objective of ${m}: ${v} vs ${want}`,
          );
      });
    } else {
      const r = await cpdAuto(k, { maxCp: input[i].ncp, vmax: input[i].vmax, maxSegmentLength: c.lmax });
      assert.deepEqual(r.changePoints, ref[i].cps, c.name);
      // Our costs stop where the penalty alone exceeds the best; the ones computed equal the reference's up to
      // numpy's vectorised log, which is not correctly rounded (1 ulp off libm / Math.log for some arguments).
      const tol = bandTolerance(c);
      r.costs.forEach((v, m) => {
        const want = ref[i].scores[m];
        if (want === null) assert.equal(v, Infinity, `${c.name}: cost of ${m} change points`);
        else
          assert.ok(
            Math.abs(v - want) <= tol * Math.max(1, Math.abs(want)),
            `${c.name}: cost of ${m} change points ${v} vs ${want}`,
          );
      });
    }
    if (ref[i].cps.length > 0) nonTrivial++;
  }
  assert.ok(nonTrivial >= 12, `most cases find change points (${nonTrivial})`);
});

test('KTS finds planted boundaries in clean piecewise-constant features', async () => {
  const d = 16;
  const bounds = [0, 17, 40, 41, 70, 100];
  const rng = createRng(3);
  const m = featureMatrix(100, d);
  for (let s = 0; s + 1 < bounds.length; s++) {
    const centre = Array.from({ length: d }, () => gauss(rng));
    for (let r = bounds[s]; r < bounds[s + 1]; r++)
      for (let c = 0; c < d; c++) m.data[r * d + c] = centre[c] + 0.01 * gauss(rng);
  }
  assert.deepEqual((await kts(m, { vmax: 0.05 })).changePoints, [17, 40, 41, 70]);
});

test('KTS rejects impossible limits and empty input with a VsumError', async () => {
  const m = featureMatrix(10, 2, new Float32Array(20).fill(1));
  await assert.rejects(
    kts(m, { maxCp: 1, maxSegmentLength: 3 }),
    (e: unknown) => e instanceof VsumError && /cannot be cut/.test(e.message),
  );
  await assert.rejects(kts(m, { maxCp: 10 }), VsumError);
  await assert.rejects(kts(featureMatrix(0, 2)), VsumError);
  await assert.rejects(kts(m, { vmax: -1 }), VsumError);
  // Memory guard: 9000 rows unbounded would need ~1.2 GB of scatters; the message names the bound to use.
  const big = featureMatrix(9000, 1, new Float32Array(9000).fill(1));
  await assert.rejects(
    cpdAuto(featureKernel(big)),
    (e: unknown) => e instanceof VsumError && /--max-seg-len 450 /.test(e.message),
  );
});

test('default segment bound: 2 minutes of clips at the clip rate, unbounded for shorter inputs', async () => {
  assert.equal(defaultMaxSegmentLength(450), undefined);
  assert.equal(defaultMaxSegmentLength(451), 450); // 30 fps, 8-frame clips: 3.75 clips/s × 120 s
  assert.equal(defaultMaxSegmentLength(5000, 25 / 8), 375);
  // kts() on a long input applies it (and records it); 9000 constant rows → one segment per 450 rows at most.
  const big = featureMatrix(9000, 1, new Float32Array(9000).fill(1));
  const r = await kts(big);
  assert.equal(r.maxSegmentLength, 450);
  const starts = [0, ...r.changePoints, 9000];
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] <= 450, `segment ${i} ≤ 450 rows`);
});

test('bounded KTS (band of the kernel) = numpy cpd_auto with the same bound on 1,500 rows', async () => {
  const rng = createRng(77);
  const n = 1500,
    d = 12,
    lmax = 60,
    ncp = 120;
  const f = structured(rng, n, d, 0.4);
  // Hand the reference the same L2-normalised rows (JSON keeps every double); each side forms K = X·Xᵀ itself.
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += f.data[r * d + t] ** 2;
    for (let t = 0; t < d; t++) x[r * d + t] = f.data[r * d + t] / Math.sqrt(s);
  }
  const rows = Array.from({ length: n }, (_, r) => Array.from(x.subarray(r * d, (r + 1) * d)));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-kts-band-'));
  const inFile = path.join(tmp, 'case.json');
  fs.writeFileSync(inFile, JSON.stringify([{ Xn: rows, ncp, vmax: 1, lmax }]));
  const ref = JSON.parse(
    runPythonFile('-c', [
      `import sys,runpy; sys.stdin=open(${JSON.stringify(inFile)}); runpy.run_path(${JSON.stringify(REF)}, run_name='__main__')`,
    ]),
  ) as Array<{ cps: number[] }>;
  fs.rmSync(tmp, { recursive: true, force: true });
  const ours = await kts(f, { maxCp: ncp, vmax: 1, maxSegmentLength: lmax });
  assert.ok(ref[0].cps.length > 20, `a real segmentation (${ref[0].cps.length} change points)`);
  assert.deepEqual(ours.changePoints, ref[0].cps);
  const starts = [0, ...ours.changePoints, n];
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] <= lmax);
});

test('KTS with few kept DP rows (checkpointed backtrack) = all back-pointers kept', async () => {
  // 5000 rows × up to 4999 change points exceeds the whole back-pointer table, so change points come from
  // stretches recomputed from every c-th DP row; compare with the same run on a prefix small enough to keep all.
  const rng = createRng(5);
  const f = structured(rng, 5000, 6, 0.3);
  const r = await kts(f, { vmax: 0.5, maxSegmentLength: 40 });
  const ref = await cpdNonlin(featureKernel(f), r.changePoints.length, { maxSegmentLength: 40 });
  assert.deepEqual(r.changePoints, ref.changePoints);
  assert.ok(r.changePoints.length > 100);
});

test('KTS honours cancellation: already aborted, and mid-run within a few hundred ms, nothing left running', async () => {
  const ac = new AbortController();
  ac.abort();
  const m = featureMatrix(
    200,
    4,
    new Float32Array(800).map((_, i) => Math.sin(i)),
  );
  await assert.rejects(kts(m, { signal: ac.signal }), (e: unknown) => e instanceof VsumError && e.code === 'CANCELLED');
  // A long run (20,000 rows, 2-minute bound): abort once it reports progress; it must stop soon after.
  const rng = createRng(9);
  const big = structured(rng, 20000, 16, 0.3);
  const live = new AbortController();
  const phases = new Set<string>();
  let abortedAt = 0;
  const run = kts(big, {
    signal: live.signal,
    onProgress: (p) => {
      phases.add(p.phase);
      if (p.phase === 'segmentation' && !abortedAt) {
        abortedAt = performance.now();
        setTimeout(() => live.abort(), 0);
      }
    },
  });
  await assert.rejects(run, (e: unknown) => e instanceof VsumError && e.code === 'CANCELLED');
  const stopMs = performance.now() - abortedAt;
  assert.ok(phases.has('kernel') && phases.has('segmentation'), `progress from both phases (${[...phases]})`);
  assert.ok(stopMs < 2000, `stopped ${stopMs.toFixed(0)} ms after the abort (generous bound; the bench measures it)`);
});
