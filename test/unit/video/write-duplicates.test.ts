import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { featureMatrix } from '../../../src/core/features';
import { kmeansSummarizer } from '../../../src/core/summarize/kmeans';
import { resolveFfmpeg, type FfmpegTools } from '../../../src/core/video/ffmpeg';
import { probe } from '../../../src/core/video/probe';
import { writeSummaryVideo } from '../../../src/core/video/write';
import { REPO, tempDir } from '../../helpers/fixtures';
import { decodeAllRaw, psnr } from '../../helpers/video';

let tools: FfmpegTools;
const sample = path.join(REPO, 'media', 'sample', 'mmcv-test.mp4');
before(async () => {
  tools = await resolveFfmpeg();
});

test('seed-faithful k-means: a clip two centroids chose is written twice, in place, like the original', async () => {
  // 20 clips of 8 frames: 19 identical features and one far away, k = round(0.15 · 20) = 3 — at least two
  // centroids share their nearest clip.
  const features = featureMatrix(20, 2);
  for (let r = 0; r < 20; r++) features.data.set(r < 19 ? [0, 0] : [10, 10], r * 2);
  const info = await probe(sample, { tools });
  assert.ok(info.frames >= 160, `sample has ${info.frames} frames`);
  const sel = await kmeansSummarizer({ seedFaithful: true, seed: 5 }).summarize({ features, nFrames: 160 });
  const clips = sel.segments.map((s) => s.start / 8);
  assert.equal(clips.length, 3);
  assert.ok(new Set(clips).size < clips.length, `a duplicate clip: ${clips}`);
  const dir = tempDir('vsum-dup-');
  const out = path.join(dir, 'summary.mp4');
  const w = await writeSummaryVideo(sample, sel.frames, out, { tools, info });
  assert.equal(w.frames, 24, 'each chosen clip, a duplicate twice');
  const W = info.width - (info.width % 2);
  const H = info.height - (info.height % 2);
  const written = decodeAllRaw(tools, out, W, H);
  const source = decodeAllRaw(tools, sample, W, H);
  assert.equal(written.length, 24);
  // Every written frame is the source frame the selection lists at its position (not a re-sorted interleave).
  for (let j = 0; j < 24; j++) {
    const want = sel.frames[j];
    const p = psnr(written[j], source[want]);
    assert.ok(p > 30, `output frame ${j} vs source frame ${want}: PSNR ${p.toFixed(1)} dB`);
    const other = want === 0 ? 1 : want - 1;
    if (psnr(source[want], source[other]) < 30)
      assert.ok(p > psnr(written[j], source[other]), `frame ${j} is ${want}, not ${other}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a frame list stepping back to a frame never listed is still refused, and nothing is written', async () => {
  const dir = tempDir('vsum-dup-');
  const out = path.join(dir, 'x.mp4');
  await assert.rejects(
    writeSummaryVideo(sample, [9, 3], out, { tools }),
    /increasing order, apart from repeating frames already listed/,
  );
  assert.deepEqual(fs.readdirSync(dir), []);
  fs.rmSync(dir, { recursive: true, force: true });
});
