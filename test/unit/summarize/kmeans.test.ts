import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { kmeansSummarizer, nearestClips, clusterCount, assignNearest, lloyd } from '../../../src/core/summarize/kmeans';
import { featureMatrix } from '../../../src/core/features';
import { VsumError } from '../../../src/core/errors';
import { fixture } from '../../helpers/fixtures';
import { runPython } from '../../helpers/python';
import { sceneFeatures } from './_features';

/** Frames → clip indices, checking each clip appears as 8 consecutive frames starting at a multiple of 8. */
function wholeClips(frames: number[]): number[] {
  assert.equal(frames.length % 8, 0, 'whole clips of 8 frames');
  const clips: number[] = [];
  for (let i = 0; i < frames.length; i += 8) {
    assert.equal(frames[i] % 8, 0, `clip starts at a multiple of 8 (${frames[i]})`);
    for (let j = 1; j < 8; j++) assert.equal(frames[i + j], frames[i] + j);
    clips.push(frames[i] / 8);
  }
  return clips;
}

test('Jumps-sized input: 950 frames → 118 clips → k = 18 → 144 frames, same structure as the original run', async () => {
  const seed = fs.readFileSync(fixture('real', 'seed-kmeans-jumps.txt'), 'utf8').trim().split(/\s+/).map(Number);
  const seedClips = wholeClips(seed);
  assert.equal(seedClips.length, 18);
  const features = sceneFeatures(118, 768, 11, { scale: 2, noise: 0.3 });
  const sel = await kmeansSummarizer({ seedFaithful: true, seed: 1234 }).summarize({ features, nFrames: 950 });
  assert.equal(sel.nClips, 118);
  assert.equal(sel.scores.kind === 'kmeans' && sel.scores.k, 18);
  assert.equal(sel.frames.length, 144);
  const clips = wholeClips(sel.frames);
  assert.equal(clips.length, seedClips.length);
  for (const c of [clips, seedClips]) {
    assert.deepEqual(
      [...c].sort((a, b) => a - b),
      c,
      'clips in ascending order',
    );
    assert.ok(c.every((x) => x >= 0 && x < 118));
  }
  assert.equal(sel.segments.length, 18);
  // Default mode: duplicates removed, still whole sorted clips.
  const def = await kmeansSummarizer({ seed: 1234 }).summarize({ features, nFrames: 950 });
  const dc = wholeClips(def.frames);
  assert.ok(dc.length <= 18 && dc.length >= 1);
  assert.equal(new Set(dc).size, dc.length);
});

test('seed-faithful keeps duplicate clips when two centroids share a nearest clip', async () => {
  // 3 distinct points repeated → k = round(0.15·20) = 3 centroids; with 2 identical blocks duplicates appear.
  const features = featureMatrix(20, 2);
  for (let r = 0; r < 20; r++) features.data.set(r < 19 ? [0, 0] : [10, 10], r * 2);
  const sel = await kmeansSummarizer({ seedFaithful: true, seed: 5 }).summarize({ features, nFrames: 160 });
  const clips = wholeClips(sel.frames);
  assert.equal(clips.length, 3, 'k clips, duplicates kept');
  assert.ok(new Set(clips).size < clips.length, `a duplicate is kept: ${clips}`);
  const def = await kmeansSummarizer({ seed: 5 }).summarize({ features, nFrames: 160 });
  const dc = wholeClips(def.frames);
  assert.equal(new Set(dc).size, dc.length, 'default mode removes duplicates');
});

test('nearest clip per centroid equals a straightforward numpy implementation (first index on ties)', async () => {
  const features = sceneFeatures(60, 16, 3, { noise: 0.5 });
  features.data.copyWithin(10 * 16, 9 * 16, 10 * 16); // rows 9 and 10 identical → a tie
  const centroids = new Float64Array(7 * 16);
  for (let i = 0; i < centroids.length; i++) centroids[i] = Math.sin(i * 0.37) * 0.4;
  centroids.set(features.data.subarray(9 * 16, 10 * 16), 3 * 16);
  const ref = runPython<number[]>(
    `
import json, sys, numpy as np
d = json.load(sys.stdin)
X = np.asarray(d['x'], dtype=np.float32).reshape(60, 16).astype(np.float64)
C = np.asarray(d['c'], dtype=np.float64).reshape(7, 16)
print(json.dumps([int(np.argmin(((X - c) ** 2).sum(1))) for c in C]))
`,
    { x: Array.from(features.data), c: Array.from(centroids) },
  );
  const got = await nearestClips(features, centroids, 7);
  assert.deepEqual(got, ref);
  assert.equal(got[3], 9);
});

test('k = round(ratio · clips) with ties to even; k = 0 is an error in seed-faithful mode, clamped to 1 otherwise', async () => {
  assert.equal(clusterCount(118, 0.15, true), 18);
  assert.equal(clusterCount(10, 0.15, true), 2); // 1.5 → 2
  assert.equal(clusterCount(30, 0.15, true), 4); // 4.5 → 4
  assert.equal(clusterCount(3, 0.15, false), 1);
  assert.throws(
    () => clusterCount(3, 0.15, true),
    (e: unknown) => e instanceof VsumError && /= 0/.test(e.message),
  );
  const f = sceneFeatures(3, 4, 1);
  await assert.rejects(kmeansSummarizer({ seedFaithful: true }).summarize({ features: f, nFrames: 24 }), VsumError);
  const one = await kmeansSummarizer().summarize({ features: f, nFrames: 24 });
  assert.equal(one.frames.length, 8);
});

test('k-means is deterministic for a seed; restarts keep the lowest inertia', async () => {
  const features = sceneFeatures(200, 32, 8, { noise: 0.8 });
  const a = await kmeansSummarizer({ seed: 42 }).summarize({ features, nFrames: 1600 });
  const b = await kmeansSummarizer({ seed: 42 }).summarize({ features, nFrames: 1600 });
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  const one = await kmeansSummarizer({ seed: 42, restarts: 1 }).summarize({ features, nFrames: 1600 });
  const many = await kmeansSummarizer({ seed: 42, restarts: 8 }).summarize({ features, nFrames: 1600 });
  assert.ok(many.scores.kind === 'kmeans' && one.scores.kind === 'kmeans' && many.scores.inertia <= one.scores.inertia);
});

test('engine distance kernel and bounded Lloyd agree with a naive nearest-centroid scan (remainder rows/centroids too)', async () => {
  for (const [n, k, d] of [
    [37, 7, 5],
    [40, 8, 16],
    [9, 3, 1],
    [101, 13, 33],
  ]) {
    const m = sceneFeatures(n, d, n + k, { noise: 1 });
    const cents = new Float64Array(k * d);
    for (let i = 0; i < cents.length; i++) cents[i] = Math.cos(i * 1.7) * 0.5;
    const naive = (c: Float64Array) =>
      Array.from({ length: n }, (_, r) => {
        let best = 0,
          bd = Infinity;
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += (m.data[r * d + t] - c[j * d + t]) ** 2;
          if (s < bd - 1e-9) {
            bd = s;
            best = j;
          }
        }
        return best;
      });
    const labels = new Int32Array(n),
      dist2 = new Float64Array(n);
    await assignNearest(m, cents, k, labels, dist2);
    assert.deepEqual(Array.from(labels), naive(cents), `assign ${n}×${k}×${d}`);
    const res = await lloyd(m, k, Float64Array.from(cents), 300, false);
    assert.deepEqual(
      Array.from(res.labels),
      naive(res.centroids),
      `converged labels are nearest centroids ${n}×${k}×${d}`,
    );
  }
});

test('k-means cancellation: a run aborted mid-way (init or Lloyd) rejects with CANCELLED soon after, progress seen first', async () => {
  const features = sceneFeatures(6000, 24, 40, { noise: 0.8 });
  const ac = new AbortController();
  const seen: string[] = [];
  let abortedAt = 0;
  const run = kmeansSummarizer({ seed: 3 }).summarize({
    features,
    nFrames: 6000 * 8,
    signal: ac.signal,
    onProgress: (p) => {
      if (p.method !== 'kmeans') return;
      seen.push(`${p.restart}/${p.restarts}:${p.iteration}`);
      if (!abortedAt && (p.restart > 1 || p.iteration > 0)) {
        abortedAt = performance.now();
        setTimeout(() => ac.abort(), 0);
      }
    },
  });
  await assert.rejects(run, (e: unknown) => e instanceof VsumError && e.code === 'CANCELLED');
  assert.ok(abortedAt > 0, `progress reported before the abort (${seen.join(', ')})`);
  assert.ok(
    seen.every((s) => /^\d\/5:\d+$/.test(s)),
    'restart r of 5, iteration i',
  );
  const ms = performance.now() - abortedAt;
  assert.ok(ms < 2000, `stopped ${ms.toFixed(0)} ms after the abort (generous; the bench measures)`);
  // Already aborted: nothing starts.
  await assert.rejects(
    kmeansSummarizer().summarize({ features, nFrames: 6000 * 8, signal: AbortSignal.abort() }),
    (e: unknown) => e instanceof VsumError && e.code === 'CANCELLED',
  );
});
