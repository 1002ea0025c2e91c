import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  channelTables,
  fillPixelValues,
  preprocessing,
  toFloat16Bits,
  K600_MEAN,
  VIDEOMAE_STD,
} from '../../../src/core/model/preprocess';
import { runPython } from '../../helpers/python';

test('normalisation tables equal numpy float32 (x/255 − mean)/std for both modes', () => {
  for (const mode of ['default', 'seed-faithful'] as const) {
    const p = preprocessing(mode, 224);
    const ours = channelTables(p).map((t) => Array.from(t));
    const theirs = runPython<number[][]>(
      `
import json, sys, numpy as np
a = json.load(sys.stdin)
v = np.arange(256, dtype=np.uint8).astype(np.float32) / 255.0
print(json.dumps([((v - np.float32(m)) / np.float32(s)).astype(np.float32).tolist() for m, s in zip(a['mean'], a['std'])]))
`,
      { mean: p.mean, std: p.std },
    );
    assert.deepEqual(ours, theirs);
  }
  assert.deepEqual(preprocessing('default', 224).mean, K600_MEAN);
  assert.deepEqual(preprocessing('seed-faithful', 224).std, VIDEOMAE_STD);
});

test('pixel_values layout is [clip, frame, channel, y, x] from interleaved HWC bytes', () => {
  const S = 2,
    T = 2;
  const frames = [0, 1].map((t) => Uint8Array.from({ length: S * S * 3 }, (_, i) => t * 100 + i));
  const identity = [0, 1, 2].map(() => Float32Array.from({ length: 256 }, (_, v) => v));
  const out = new Float32Array(T * 3 * S * S);
  fillPixelValues([{ index: 0, firstFrame: 0, validFrames: T, frames }], T, S, identity, out);
  // frame 1, channel 2, y 1, x 0 → byte index (1*2 + 0)*3 + 2 = 8 of frame 1 → 108
  assert.equal(out[((1 * 3 + 2) * S + 1) * S + 0], 108);
  assert.equal(out[((0 * 3 + 1) * S + 0) * S + 1], 4);
});

test('float32 → float16 bits match numpy astype(float16), including subnormals, overflow and ties', () => {
  const xs = [
    0,
    -0,
    1,
    -1,
    0.1,
    1 / 3,
    65504,
    65519,
    65520,
    1e6,
    -1e6,
    6e-5,
    6.1e-5,
    1e-7,
    3e-8,
    2.98e-8,
    1e-9,
    1.0009765625,
    1.00048828125,
    1.00146484375,
    2049,
    2051,
    Infinity,
    -Infinity,
    NaN,
  ];
  for (let i = 0; i < 200; i++) xs.push(Math.sin(i * 12.9898) * 10 ** ((i % 13) - 8));
  const ours = Array.from(toFloat16Bits(Float32Array.from(xs)));
  // JSON cannot carry NaN/Infinity: numpy gets the finite ones, the specials are checked by their known bits.
  const finite = xs.map((x, i) => [x, i] as const).filter(([x]) => Number.isFinite(x) && !Object.is(x, -0));
  const theirs = runPython<number[]>(
    `
import json, sys, numpy as np
print(json.dumps(np.array(json.load(sys.stdin), dtype=np.float32).astype(np.float16).view(np.uint16).tolist()))
`,
    finite.map(([x]) => x),
    ['numpy'],
  );
  finite.forEach(([x, i], k) => assert.equal(ours[i], theirs[k], `x=${x}`));
  assert.equal(ours[1], 0x8000, '−0 keeps its sign');
  assert.equal(ours[xs.indexOf(Infinity)], 0x7c00);
  assert.equal(ours[xs.indexOf(-Infinity)], 0xfc00);
  const nan = ours[xs.findIndex((x) => Number.isNaN(x))];
  assert.ok((nan & 0x7c00) === 0x7c00 && (nan & 0x3ff) !== 0, 'NaN stays NaN');
});
