import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHistogramEmbedder, hsvBin, HISTOGRAM_EMBEDDER_ID } from '../../../src/core/embed/histogram';
import { createEmbedder } from '../../../src/core/embed/factory';
import { ssdThreshold } from '../../../src/core/stages/defaults';
import { featureMatrix } from '../../../src/core/features';
import { ssd } from '../../../src/core/summarize/ssd';
import type { Clip } from '../../../src/core/video/types';

function solidClip(index: number, rgb: [number, number, number], valid = 8): Clip {
  const frame = new Uint8Array(64 * 64 * 3);
  for (let p = 0; p < frame.length; p += 3) frame.set(rgb, p);
  // a diagonal gradient so the thumbnail is not flat
  for (let y = 0; y < 64; y++) frame[(y * 64 + y) * 3] = 255;
  return { index, firstFrame: index * 8, frames: new Array(8).fill(frame), validFrames: valid };
}

test('HSV bins: hue 16 × saturation 4 × value 4', () => {
  assert.equal(hsvBin(0, 0, 0), 0);
  assert.equal(hsvBin(255, 255, 255), 3); // h 0, s 0, v top
  assert.equal(hsvBin(255, 0, 0), (0 * 4 + 3) * 4 + 3);
  assert.equal(hsvBin(0, 255, 0), (5 * 4 + 3) * 4 + 3); // 120° → bin 5
  assert.equal(hsvBin(0, 0, 255), (10 * 4 + 3) * 4 + 3); // 240° → bin 10
});

test('histogram embedder: unit rows, 320-d, same clip → SSD 0, different colours → large SSD, id recorded', async () => {
  const e = await createEmbedder('histogram');
  assert.equal(e.id, HISTOGRAM_EMBEDDER_ID);
  assert.equal(e.dim, 320);
  assert.deepEqual(e.frameFormat, { width: 64, height: 64, pixFmt: 'rgb24', resize: 'squash' });
  const out = await e.embedBatch([
    solidClip(0, [200, 30, 30]),
    solidClip(1, [200, 30, 30]),
    solidClip(2, [30, 30, 200]),
    solidClip(3, [200, 30, 30], 3),
  ]);
  const m = featureMatrix(4, 320, out);
  for (let r = 0; r < 4; r++) {
    let n = 0;
    for (let c = 0; c < 320; c++) n += out[r * 320 + c] ** 2;
    assert.ok(Math.abs(n - 1) < 1e-5, `row ${r} has unit length`);
  }
  assert.equal(ssd(m, 0, 1), 0);
  assert.equal(ssd(m, 0, 3), 0, 'a padded clip uses its valid frames');
  assert.ok(ssd(m, 0, 2) > 0.5 && ssd(m, 0, 2) <= 4);
  assert.equal(ssdThreshold(undefined, e.id), 0.5);
  assert.equal(ssdThreshold(undefined, 'timesformer-k600-default-v1'), 400);
  await assert.rejects(
    createHistogramEmbedder().embedBatch([{ index: 0, firstFrame: 0, frames: [new Uint8Array(10)], validFrames: 1 }]),
    RangeError,
  );
});
