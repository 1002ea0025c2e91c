import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  rolloutDividedSpaceTime,
  rolloutSpatialOnly,
  prepareSpatial,
  prepareTemporal,
  type AttentionMaps,
} from '../../../src/core/attention/rollout';
import { createAttentionRunner } from '../../../src/core/attention/clip-attention';
import { runPython } from '../../helpers/python';
import { tempDir } from '../../helpers/fixtures';
import { MODELS, TINY, TINY_CONFIG, maxAbsDiff, ref, testClips } from '../model/_tiny';

/** The tiny model's PyTorch attention probabilities for clip `b`, in rollout layout. */
function torchMaps(b: number): AttentionMaps {
  const t = ref('tiny-attn-temporal.npy'); // [L, B·P, h, T, T]
  const s = ref('tiny-attn-spatial.npy'); // [L, B·T, h, P+1, P+1]
  const [L, BP, H, T] = t.shape;
  const B = ref('tiny-cls.npy').shape[0];
  const P = BP / B;
  const tl = P * H * T * T;
  const sl = T * H * (P + 1) * (P + 1);
  return {
    layers: L,
    heads: H,
    frames: T,
    patches: P,
    temporal: Array.from({ length: L }, (_, l) => t.data.slice(l * B * tl + b * tl, l * B * tl + (b + 1) * tl)),
    spatial: Array.from({ length: L }, (_, l) => s.data.slice(l * B * sl + b * sl, l * B * sl + (b + 1) * sl)),
  };
}

/** docs/ALGORITHMS.md §rollout, literally: each layer's full (P+1)T × (P+1)T matrix W, R = W_L ⋯ W_1, then reduce. */
function directRollout(m: AttentionMaps): Float64Array {
  const { layers, heads, frames: T, patches: P } = m;
  const N = P + 1;
  const D = N * T;
  let R = new Float64Array(D * D);
  for (let i = 0; i < D; i++) R[i * D + i] = 1;
  for (let l = 0; l < layers; l++) {
    const Tp = prepareTemporal(m.temporal[l], P, heads, T);
    const S = prepareSpatial(m.spatial[l], P, heads, T);
    const W = new Float64Array(D * D);
    for (let p = 0; p < N; p++)
      for (let t = 0; t < T; t++)
        for (let q = 0; q < N; q++)
          for (let k = 0; k < T; k++) {
            W[(p * T + t) * D + q * T + k] = S[t * N * N + p * N + q] * Tp[q * T * T + t * T + k];
          }
    // CLS rows: average over frames, used for every frame.
    for (let q = 0; q < N; q++)
      for (let k = 0; k < T; k++) {
        let a = 0;
        for (let t = 0; t < T; t++) a += W[t * D + q * T + k];
        for (let t = 0; t < T; t++) W[t * D + q * T + k] = a / T;
      }
    const next = new Float64Array(D * D);
    for (let i = 0; i < D; i++)
      for (let j = 0; j < D; j++) {
        const w = W[i * D + j];
        if (w === 0) continue;
        for (let c = 0; c < D; c++) next[i * D + c] += w * R[j * D + c];
      }
    R = next;
  }
  // mean over source frame t1 of rows (0, t1); drop the CLS column → (P, T), / max.
  const out = new Float64Array(P * T);
  for (let q = 1; q < N; q++)
    for (let k = 0; k < T; k++) {
      let a = 0;
      for (let t = 0; t < T; t++) a += R[t * D + q * T + k];
      out[(q - 1) * T + k] = a / T;
    }
  const max = Math.max(...out);
  return out.map((v) => v / max);
}

test('fast CLS-row rollout equals the direct full (P+1)·T-square product on the tiny model', () => {
  for (const b of [0, 1, 2]) {
    const m = torchMaps(b);
    const fast = rolloutDividedSpaceTime(m);
    assert.equal(fast.grid, TINY_CONFIG.image_size / TINY_CONFIG.patch_size);
    assert.equal(fast.frames, TINY_CONFIG.num_frames);
    const direct = directRollout(m);
    const d = maxAbsDiff(fast.data, direct);
    assert.ok(d < 1e-6, `clip ${b}: max |fast − direct| = ${d}`);
    assert.equal(Math.max(...fast.data), 1);
    assert.ok(Math.min(...fast.data) > 0);
  }
});

test('rollout equals a numpy transcription of the original combine_divided_attention + rollout loop', () => {
  const b = 1;
  const py = runPython<{ mask: number[]; spatial_only: number[] }>(
    `
import json, sys, numpy as np
inp = json.load(sys.stdin)
t = np.load(inp['t']); s = np.load(inp['s'])
B = np.load(inp['cls']).shape[0]; b = inp['b']
L, BP, H, T, _ = t.shape; P = BP // B; N = P + 1
def combine(at, as_):
    at = at.mean(1); at = np.concatenate([np.eye(T)[None], at], 0); at = at + np.eye(T)[None]; at = at / at.sum(-1)[..., None]
    as_ = as_.mean(1); as_ = as_ + np.eye(N)[None]; as_ = as_ / as_.sum(-1)[..., None]
    ts = np.einsum('tpk,ktq->ptkq', as_, at)
    cls = ts[0].mean(0)
    ts = np.concatenate([np.repeat(cls[None], T, 0)[None], ts[1:]], 0)
    return ts, as_
res = np.eye(N * T); sres = [np.eye(N) for _ in range(T)]
for l in range(L):
    at = t[l, b * P:(b + 1) * P].astype(np.float64); as_ = s[l, b * T:(b + 1) * T].astype(np.float64)
    w, sn = combine(at, as_)
    res = w.reshape(N * T, N * T) @ res
    sres = [sn[f] @ sres[f] for f in range(T)]
mask = res.reshape(N, T, N, T).mean(1)[0, 1:, :]
g = int(round(P ** 0.5)); mask = mask.reshape(g, g, T); mask = mask / mask.max()
so = np.stack([r[0, 1:] for r in sres], 1).reshape(g, g, T); so = so / so.max()
print(json.dumps({'mask': mask.ravel().tolist(), 'spatial_only': so.ravel().tolist()}))
`,
    {
      t: path.join(MODELS, 'tiny-attn-temporal.npy'),
      s: path.join(MODELS, 'tiny-attn-spatial.npy'),
      cls: path.join(MODELS, 'tiny-cls.npy'),
      b,
    },
    ['numpy'],
  );
  const m = torchMaps(b);
  assert.ok(maxAbsDiff(rolloutDividedSpaceTime(m).data, py.mask) < 1e-6);
  assert.ok(maxAbsDiff(rolloutSpatialOnly(m).data, py.spatial_only) < 1e-6);
});

test("the attention graph (surgery + onnxruntime) gives PyTorch's attention probabilities and the same rollout, per head and head-averaged in the graph", async () => {
  const runner = await createAttentionRunner({ model: TINY, ep: 'cpu', cacheDir: tempDir('vsum-attn-') });
  try {
    const clips = testClips();
    for (const b of [0, 2]) {
      const ours = await runner.run(clips[b], undefined, { heads: 'all' });
      const theirs = torchMaps(b);
      assert.equal(ours.heads, TINY_CONFIG.num_attention_heads);
      for (let l = 0; l < ours.layers; l++) {
        assert.ok(maxAbsDiff(ours.temporal[l], theirs.temporal[l]) < 1e-5, `temporal layer ${l}`);
        assert.ok(maxAbsDiff(ours.spatial[l], theirs.spatial[l]) < 1e-5, `spatial layer ${l}`);
      }
      assert.ok(maxAbsDiff(rolloutDividedSpaceTime(ours).data, rolloutDividedSpaceTime(theirs).data) < 1e-4);
      // The default fetch: maps averaged over heads inside the graph (1/heads of the data), same rollout.
      const mean = await runner.run(clips[b]);
      assert.equal(mean.heads, 1);
      assert.equal(mean.spatial[0].length, ours.spatial[0].length / ours.heads);
      assert.ok(maxAbsDiff(rolloutDividedSpaceTime(mean).data, rolloutDividedSpaceTime(ours).data) < 1e-5);
      assert.ok(maxAbsDiff(rolloutSpatialOnly(mean).data, rolloutSpatialOnly(ours).data) < 1e-5);
    }
  } finally {
    await runner.dispose();
  }
});

test('rollout input checks: wrong map sizes are refused', () => {
  const m = torchMaps(0);
  assert.throws(() => rolloutDividedSpaceTime({ ...m, patches: 8 }), /not a square grid/);
  assert.throws(
    () => rolloutDividedSpaceTime({ ...m, temporal: [m.temporal[0].subarray(1), m.temporal[1]] }),
    /temporal map 0/,
  );
});
