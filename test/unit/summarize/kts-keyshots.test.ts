import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ktsSummarizer } from '../../../src/core/summarize/kts-keyshots';
import { selectKeyshots, segmentsFromChangePoints } from '../../../src/core/summarize/keyshots';
import { knapsack } from '../../../src/core/summarize/knapsack';
import { kts } from '../../../src/core/summarize/kts';
import { sceneFeatures } from './_features';

test('kts method: KTS boundaries × 8 tile the video, keyshots fit floor(N·ratio) and follow the knapsack on mean scores', async () => {
  const f = sceneFeatures(119, 64, 5, { noise: 0.05 }); // 950 frames: 118 whole clips + a padded tail clip
  const sel = await ktsSummarizer({ vmax: 0.2 }).summarize({ features: f, nFrames: 950 });
  assert.ok(sel.scores.kind === 'kts');
  if (sel.scores.kind !== 'kts') return;
  assert.deepEqual(sel.scores.changePoints, (await kts(f, { vmax: 0.2 })).changePoints);
  assert.ok(sel.scores.changePoints.length >= 5);
  const bounds = sel.segments.map((s) => [s.start, s.end]);
  assert.deepEqual(
    bounds.map((b) => b[0]),
    [0, ...sel.scores.changePoints.map((c) => c * 8)],
  );
  assert.equal(bounds[bounds.length - 1][1], 950, 'default mode reaches the last frame (padded tail clip)');
  assert.ok(sel.frames.length <= Math.floor(950 * 0.15) && sel.frames.length > 0);
  // Segment score = mean of the per-frame (= per-clip) score; selection = knapsack on them.
  const frameScore = new Float64Array(950);
  for (let c = 0; c < 119; c++) frameScore.fill(sel.scores.clipScore[c], c * 8, Math.min(950, c * 8 + 8));
  const want = knapsack(
    sel.segments.map((s) => {
      let t = 0;
      for (let i = s.start; i < s.end; i++) t += frameScore[i];
      return t / (s.end - s.start);
    }),
    sel.segments.map((s) => s.end - s.start),
    Math.floor(950 * 0.15),
  );
  assert.deepEqual(sel.scores.selectedSegments, want);
  const sf = await ktsSummarizer({ vmax: 0.2, seedFaithful: true }).summarize({ features: f, nFrames: 950 });
  assert.equal(sf.segments[sf.segments.length - 1].end, 944);
});

test('keyshots: the knapsack prefers not taking the later of two equal items', () => {
  const bounds = segmentsFromChangePoints([2, 4], (r) => r * 8, 6, 48);
  assert.deepEqual(bounds, [
    [0, 16],
    [16, 32],
    [32, 48],
  ]);
  const k = selectKeyshots(new Float64Array(48).fill(1), bounds, 48, 0.34);
  assert.deepEqual(k.selected, [0]);
  assert.deepEqual(
    k.frames,
    Array.from({ length: 16 }, (_, i) => i),
  );
});
