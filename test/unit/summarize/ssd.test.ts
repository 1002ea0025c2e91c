import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ssdAnchorSummarizer } from '../../../src/core/summarize/ssd-anchor';
import { ssdAdjacentSummarizer } from '../../../src/core/summarize/ssd-adjacent';
import { representativeClip, runAround } from '../../../src/core/summarize/ssd';
import { pythonRound } from '../../../src/core/summarize/python-round';
import { featureMatrix } from '../../../src/core/features';
import type { Selection } from '../../../src/core/summarize/selection';
import { fixture } from '../../helpers/fixtures';
import { sceneFeatures } from './_features';

/** Every segment contributes round(0.15·len) sorted frames from inside itself; segments tile [0, end). */
function assertSsdStructure(sel: Selection, end: number, ratio = 0.15): void {
  let pos = 0;
  let fi = 0;
  for (const s of sel.segments) {
    assert.equal(s.start, pos);
    assert.equal(s.start % 8, 0);
    assert.equal(s.picked, pythonRound(ratio * (s.end - s.start)));
    const inside = sel.frames.slice(fi, fi + s.picked);
    assert.ok(
      inside.every((f) => f >= s.start && f < s.end),
      'frames drawn from their segment',
    );
    assert.deepEqual(
      [...inside].sort((a, b) => a - b),
      inside,
      'sorted within the segment',
    );
    assert.equal(new Set(inside).size, inside.length, 'without replacement');
    fi += s.picked;
    pos = s.end;
  }
  assert.equal(pos, end);
  assert.equal(fi, sel.frames.length);
}

/** Is there a cut of [0, 944) at multiples of 8 where each piece holds exactly round(0.15·len) of `frames`? */
function explainableAsTt01(frames: number[], end: number): boolean {
  const count = (a: number, b: number) => frames.filter((f) => f >= a && f < b).length;
  const ok = new Array<boolean>(end / 8 + 1).fill(false);
  ok[0] = true;
  for (let b = 1; b <= end / 8; b++)
    for (let a = 0; a < b && !ok[b]; a++)
      if (ok[a] && count(8 * a, 8 * b) === pythonRound(0.15 * 8 * (b - a))) ok[b] = true;
  return ok[end / 8];
}

test('tt01 on Jumps-sized input has the original output structure: round(0.15·len) sorted frames per segment', async () => {
  const seed = fs.readFileSync(fixture('real', 'seed-tt01-jumps.txt'), 'utf8').trim().split(/\s+/).map(Number);
  assert.equal(seed.length, 141);
  assert.ok(seed.every((f, i) => i === 0 || f > seed[i - 1]) && seed[seed.length - 1] < 944);
  assert.ok(explainableAsTt01(seed, 944), "the original's tt01 output is a per-segment round(0.15·len) sample");

  const features = sceneFeatures(118, 768, 21, { scale: 4, noise: 0.2 });
  const sel = await ssdAnchorSummarizer({ threshold: 400, seedFaithful: true, seed: 7 }).summarize({
    features,
    nFrames: 950,
  });
  assert.ok(sel.segments.length > 3, `several segments (${sel.segments.length})`);
  assertSsdStructure(sel, 944);
  assert.ok(explainableAsTt01(sel.frames, 944));
  assert.ok(sel.frames.every((f, i) => i === 0 || f > sel.frames[i - 1]));
  assert.ok(
    Math.abs(sel.frames.length - 0.15 * 944) < sel.segments.length,
    `≈ 15 % of the frames (${sel.frames.length})`,
  );
});

test('tt01 compares with the segment anchor, tt02 with the previous clip (hand-checked sequence)', async () => {
  // 1-D features: 0, 1, 2, 3, 10, 11 with threshold 4 (SSD = squared difference).
  const features = featureMatrix(6, 1, new Float32Array([0, 1, 2, 3, 10, 11]));
  const a = await ssdAnchorSummarizer({ threshold: 4, ratio: 0.5, seed: 1, seedFaithful: true }).summarize({
    features,
    nFrames: 48,
  });
  // anchor 0: 1, 4 ok; 9 > 4 → cut at clip 3; anchor 3: 49 → cut at 4; anchor 4: 1 ok; end.
  assert.deepEqual(
    a.segments.map((s) => [s.start, s.end]),
    [
      [0, 24],
      [24, 32],
      [32, 48],
    ],
  );
  assert.ok(a.scores.kind === 'ssd');
  assert.deepEqual(a.scores.kind === 'ssd' && a.scores.ssd, [null, 1, 4, 9, 49, 1]);
  assert.deepEqual(a.scores.kind === 'ssd' && a.scores.segmentStarts, [0, 3, 4]);
  const b = await ssdAdjacentSummarizer({ threshold: 4, ratio: 0.5, seed: 1, seedFaithful: true }).summarize({
    features,
    nFrames: 48,
  });
  assert.deepEqual(
    b.segments.map((s) => [s.start, s.end]),
    [
      [0, 32],
      [32, 48],
    ],
  );
  assert.deepEqual(b.scores.kind === 'ssd' && b.scores.ssd, [null, 1, 1, 1, 49, 1]);
  assertSsdStructure(a, 48, 0.5);
  assertSsdStructure(b, 48, 0.5);
});

test('end-of-video rule, a single clip, and the partial tail', async () => {
  // Last clip differs → it is its own final segment (i == j case): frames 8j … 8j+7.
  const f = featureMatrix(3, 1, new Float32Array([0, 0, 100]));
  const s = await ssdAnchorSummarizer({ threshold: 400, seedFaithful: true }).summarize({ features: f, nFrames: 24 });
  assert.deepEqual(
    s.segments.map((x) => [x.start, x.end]),
    [
      [0, 16],
      [16, 24],
    ],
  );
  // One clip: the original crashes; here the clip is the only segment, round(0.15·8) = 1 frame.
  const one = featureMatrix(1, 4, new Float32Array([1, 2, 3, 4]));
  for (const mk of [ssdAnchorSummarizer, ssdAdjacentSummarizer]) {
    const r = await mk({ seedFaithful: true }).summarize({ features: one, nFrames: 13 });
    assert.deepEqual(r.segments, [{ start: 0, end: 8, picked: 1 }]);
    assert.equal(r.frames.length, 1);
    assert.ok(r.frames[0] < 8);
  }
  // Default mode keeps a padded last clip (ceil rows): the last segment reaches the last frame.
  const tail = featureMatrix(2, 1, new Float32Array([0, 0]));
  const t = await ssdAdjacentSummarizer({ threshold: 400 }).summarize({ features: tail, nFrames: 13 });
  assert.deepEqual(t.segments, [{ start: 0, end: 13, picked: 2 }]);
  const sf = await ssdAdjacentSummarizer({ threshold: 400, seedFaithful: true }).summarize({
    features: tail,
    nFrames: 13,
  });
  assert.deepEqual(sf.segments, [{ start: 0, end: 8, picked: 1 }]);
});

test('same seed → identical selection; another seed changes tt01 and tt02 sampling', async () => {
  const features = sceneFeatures(118, 64, 4, { scale: 6 });
  for (const mk of [ssdAnchorSummarizer, ssdAdjacentSummarizer]) {
    const a = await mk({ seed: 1, threshold: 50, select: 'frames' }).summarize({ features, nFrames: 950 });
    const b = await mk({ seed: 1, threshold: 50, select: 'frames' }).summarize({ features, nFrames: 950 });
    const c = await mk({ seed: 2, threshold: 50, select: 'frames' }).summarize({ features, nFrames: 950 });
    assert.equal(JSON.stringify(a), JSON.stringify(b));
    assert.notDeepEqual(a.frames, c.frames);
    assert.deepEqual(a.segments, c.segments, 'segmentation does not depend on the seed');
  }
});

test('select shots: one contiguous run of round(ratio · len) frames per segment, around its representative clip', async () => {
  const features = sceneFeatures(118, 64, 4, { scale: 6 });
  for (const mk of [ssdAnchorSummarizer, ssdAdjacentSummarizer]) {
    const sel = await mk({ threshold: 50, seed: 1 }).summarize({ features, nFrames: 950 });
    assert.equal(mk({}).params.select, 'shots', 'shots is the default');
    assert.equal(mk({ seedFaithful: true }).params.select, 'frames', 'seed-faithful keeps the original frames');
    let at = 0;
    for (const seg of sel.segments) {
      const mine = sel.frames.slice(at, at + seg.picked);
      at += seg.picked;
      assert.equal(seg.picked, pythonRound(0.15 * (seg.end - seg.start)));
      mine.forEach((f, i) => assert.equal(f, mine[0] + i, 'contiguous'));
      if (mine.length) assert.ok(mine[0] >= seg.start && mine.at(-1)! < seg.end, 'inside its segment');
      const firstClip = seg.start / 8;
      const lastClip = Math.ceil(seg.end / 8) - 1;
      const rep = representativeClip(features, firstClip, lastClip);
      if (mine.length >= 8)
        assert.ok(mine[0] <= rep * 8 && rep * 8 + 8 <= mine.at(-1)! + 1, 'covers the representative clip');
      else if (mine.length)
        assert.ok(mine[0] >= rep * 8 - 8 && mine.at(-1)! < rep * 8 + 16, 'near the representative clip');
    }
    assert.equal(at, sel.frames.length);
    const other = await mk({ threshold: 50, seed: 2 }).summarize({ features, nFrames: 950 });
    assert.deepEqual(other.frames, sel.frames, 'no randomness in shots mode');
  }
});

test('representativeClip is the clip nearest the segment mean, and runAround clamps to the segment', () => {
  const m = featureMatrix(5, 1, new Float32Array([0, 10, 4, 5, 11]));
  assert.equal(representativeClip(m, 0, 4), 3, 'mean 6: clip 3 (value 5) is nearest');
  assert.equal(representativeClip(m, 0, 1), 0, 'a tie goes to the first clip');
  assert.equal(runAround(0, 100, 10, 40, 48), 39, 'centred on the clip');
  assert.equal(runAround(0, 100, 10, 0, 8), 0, 'clamped at the segment start');
  assert.equal(runAround(0, 100, 10, 96, 100), 90, 'clamped at the segment end');
});
