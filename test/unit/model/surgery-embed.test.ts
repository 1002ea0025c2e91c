import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import {
  decodeModel,
  deriveTimesformerModel,
  headMeanNodes,
  inspectTimesformer,
  EMBEDDING_OUTPUT,
} from '../../../src/core/model/surgery';
import { loadOrt } from '../../../src/core/model/session';
import { toFloat16Bits } from '../../../src/core/model/preprocess';
import { createTimesformerEmbedder, timesformerEmbedderId } from '../../../src/core/embed/timesformer';
import { ensureDerived, ensureModel } from '../../../src/core/model/model-store';
import { VsumError } from '../../../src/core/errors';
import { tempDir } from '../../helpers/fixtures';
import { NOT_TIMESFORMER, TINY, TINY_CONFIG, maxAbsDiff, ref, testClips } from './_tiny';

const cacheDir = tempDir('vsum-surgery-');

test('surgery finds the CLS embedding and the 2·L attention Softmaxes of the tiny TimeSformer by structure', () => {
  const ins = inspectTimesformer(decodeModel(fs.readFileSync(TINY), TINY), TINY);
  const c = TINY_CONFIG;
  assert.deepEqual(
    {
      frames: ins.geometry.frames,
      patches: ins.geometry.patches,
      grid: ins.geometry.grid,
      hidden: ins.geometry.hidden,
      layers: ins.geometry.layers,
      imageSize: ins.geometry.imageSize,
      patchSize: ins.geometry.patchSize,
    },
    {
      frames: c.num_frames,
      patches: (c.image_size / c.patch_size) ** 2,
      grid: c.image_size / c.patch_size,
      hidden: c.hidden_size,
      layers: c.num_hidden_layers,
      imageSize: c.image_size,
      patchSize: c.patch_size,
    },
  );
  assert.equal(ins.temporal.length, c.num_hidden_layers);
  assert.equal(ins.spatial.length, c.num_hidden_layers);
  // Every temporal Softmax comes before its layer's spatial one (topological order).
  const order = new Map(decodeModel(fs.readFileSync(TINY), TINY).graph!.node!.map((n, i) => [n.output![0], i]));
  for (let l = 0; l < c.num_hidden_layers; l++) assert.ok(order.get(ins.temporal[l])! < order.get(ins.spatial[l])!);
});

test('derived graph: only `embedding` is output and the classifier is pruned', () => {
  const d = deriveTimesformerModel(fs.readFileSync(TINY), { attention: false, file: TINY });
  const m = onnx.ModelProto.decode(d.bytes);
  assert.deepEqual(
    m.graph!.output!.map((o) => o.name),
    [EMBEDDING_OUTPUT],
  );
  assert.ok(!m.graph!.node!.some((n) => n.opType === 'Gemm'), 'the classifier Gemm is gone');
  const a = onnx.ModelProto.decode(
    deriveTimesformerModel(fs.readFileSync(TINY), { attention: true, file: TINY }).bytes,
  );
  assert.equal(
    a.graph!.output!.length,
    1 + 4 * TINY_CONFIG.num_hidden_layers,
    'embedding + per-head and head-mean maps of both attentions per layer',
  );
});

for (const seedFaithful of [false, true]) {
  test(`embeddings after surgery equal PyTorch's last_hidden_state[:, 0] to 1e-4 (onnxruntime CPU, ${seedFaithful ? 'seed-faithful' : 'default'} preprocessing, batches 2+1)`, async () => {
    const e = await createTimesformerEmbedder({ model: TINY, batch: 2, seedFaithful, ep: 'cpu', cacheDir });
    try {
      assert.equal(e.ep, 'cpu');
      assert.equal(e.dim, TINY_CONFIG.hidden_size);
      assert.equal(e.clipLength, TINY_CONFIG.num_frames);
      assert.deepEqual(
        e.frameFormat,
        seedFaithful
          ? { width: TINY_CONFIG.image_size, height: TINY_CONFIG.image_size, pixFmt: 'bgr24', resize: 'squash' }
          : { width: TINY_CONFIG.image_size, height: TINY_CONFIG.image_size, pixFmt: 'rgb24', resize: 'crop' },
      );
      assert.ok(e.id.includes(seedFaithful ? 'seed-faithful' : 'default'), e.id);
      const clips = testClips();
      const out = new Float32Array(clips.length * e.dim);
      out.set(await e.embedBatch(clips.slice(0, 2)), 0);
      out.set(await e.embedBatch(clips.slice(2)), 2 * e.dim);
      const r = ref(seedFaithful ? 'tiny-cls-seed.npy' : 'tiny-cls.npy');
      assert.deepEqual(r.shape, [clips.length, e.dim]);
      const d = maxAbsDiff(out, r.data);
      assert.ok(d < 1e-4, `max |ours − PyTorch| = ${d}`);
      // Batch composition does not change a clip's embedding.
      const single = await e.embedBatch([clips[1]]);
      assert.ok(maxAbsDiff(single, out.subarray(e.dim, 2 * e.dim)) < 1e-5);
    } finally {
      await e.dispose();
    }
  });
}

test('the derived model is cached next to the download (reused, not rebuilt) and keyed by the source hash', async () => {
  const model = await ensureModel({ model: TINY, cacheDir });
  const a = await ensureDerived(model, { attention: false, cacheDir });
  const mtime = fs.statSync(a.path).mtimeMs;
  const logs: string[] = [];
  const b = await ensureDerived(model, { attention: false, cacheDir, log: (m) => logs.push(m) });
  assert.equal(b.path, a.path);
  assert.equal(fs.statSync(b.path).mtimeMs, mtime);
  assert.deepEqual(logs, [], 'no second derivation');
  assert.ok(a.path.includes(model.sha256.slice(0, 16)));
  assert.equal(timesformerEmbedderId(model.label, 'default'), 'timesformer-tiny-timesformer.onnx-default-v1');
});

test('surgery refuses a video classifier that is not a TimeSformer, saying what is missing', () => {
  assert.throws(
    () => deriveTimesformerModel(fs.readFileSync(NOT_TIMESFORMER), { attention: false, file: NOT_TIMESFORMER }),
    (e: unknown) => {
      assert.ok(e instanceof VsumError);
      assert.equal(e.code, 'MODEL');
      assert.ok(e.message.includes(NOT_TIMESFORMER));
      assert.match(e.message, /does not look like a TimeSformer/);
      assert.match(e.message, /CLS token/);
      assert.match(e.message, /Softmax/);
      return true;
    },
  );
});

test('surgery refuses an image (rank-4) model, naming the input rank', () => {
  // Make a rank-4 input version of the tiny graph: same nodes, but the declared input is [b, 3, H, W].
  const m = onnx.ModelProto.decode(fs.readFileSync(TINY));
  m.graph!.input![0].type!.tensorType!.shape!.dim = m.graph!.input![0].type!.tensorType!.shape!.dim!.slice(1);
  assert.throws(() => inspectTimesformer(m, 'image.onnx'), /input pixel_values has rank 4, expected 5/);
});

test('missing, empty, truncated and garbage model files: clear errors, no derived files left behind', async () => {
  const dir = tempDir('vsum-badmodel-');
  const missing = path.join(dir, 'nope.onnx');
  await assert.rejects(
    createTimesformerEmbedder({ model: missing, cacheDir: dir, ep: 'cpu' }),
    (e: unknown) => e instanceof VsumError && e.code === 'FILE_NOT_FOUND' && e.message.includes(missing),
  );
  const empty = path.join(dir, 'empty.onnx');
  fs.writeFileSync(empty, '');
  await assert.rejects(
    createTimesformerEmbedder({ model: empty, cacheDir: dir, ep: 'cpu' }),
    (e: unknown) => e instanceof VsumError && e.code === 'BAD_FILE' && /empty/.test(e.message),
  );
  const bytes = fs.readFileSync(TINY);
  for (const cut of [1000, Math.floor(bytes.length / 2), bytes.length - 7]) {
    const trunc = path.join(dir, `trunc-${cut}.onnx`);
    fs.writeFileSync(trunc, bytes.subarray(0, cut));
    await assert.rejects(createTimesformerEmbedder({ model: trunc, cacheDir: dir, ep: 'cpu' }), (e: unknown) => {
      assert.ok(e instanceof VsumError, String(e));
      assert.ok(['BAD_FILE', 'MODEL'].includes(e.code), `${e.code}: ${e.message}`);
      assert.ok(e.message.includes(trunc), e.message);
      return true;
    });
  }
  const garbage = path.join(dir, 'garbage.onnx');
  fs.writeFileSync(garbage, Buffer.from('this is not a protobuf at all, just text\n'.repeat(50)));
  await assert.rejects(
    createTimesformerEmbedder({ model: garbage, cacheDir: dir, ep: 'cpu' }),
    (e: unknown) => e instanceof VsumError && ['BAD_FILE', 'MODEL'].includes(e.code) && e.message.includes(garbage),
  );
  const derivedDir = path.join(dir, 'derived');
  const left = fs.existsSync(derivedDir) ? fs.readdirSync(derivedDir) : [];
  assert.deepEqual(
    left.filter((f) => f.includes('vsum-tmp')),
    [],
    'no temp files',
  );
  assert.deepEqual(
    left.filter((f) => /trunc|garbage|empty/.test(f)),
    [],
    'no derived graph for a broken model',
  );
});

test('frames of the wrong size or clips of the wrong length are refused before inference', async () => {
  const e = await createTimesformerEmbedder({ model: TINY, batch: 2, ep: 'cpu', cacheDir });
  try {
    const [c] = testClips();
    await assert.rejects(
      e.embedBatch([{ ...c, frames: c.frames.map((f) => f.subarray(0, f.length - 3)) }]),
      (err: unknown) => err instanceof VsumError && err.code === 'BAD_INPUT' && /expected 48×48×3/.test(err.message),
    );
    await assert.rejects(
      e.embedBatch([{ ...c, frames: c.frames.slice(0, 5) }]),
      (err: unknown) => err instanceof VsumError && err.code === 'BAD_INPUT' && /exactly 8/.test(err.message),
    );
  } finally {
    await e.dispose();
  }
});

test('an export without visible attention Softmaxes still gives embeddings, but attention surgery refuses it', () => {
  const m = onnx.ModelProto.decode(fs.readFileSync(TINY));
  for (const n of m.graph!.node!) if (n.opType === 'Softmax') n.opType = 'Sigmoid'; // stands in for a fused attention op
  const ins = inspectTimesformer(m, 'fused.onnx');
  assert.equal(ins.geometry.hidden, TINY_CONFIG.hidden_size);
  assert.equal(ins.geometry.layers, 0);
  assert.throws(
    () => inspectTimesformer(m, 'fused.onnx', { attention: true }),
    /0 attention Softmax nodes.*fused attention ops/,
  );
});

test('head-mean nodes run in onnxruntime both as opset 14 (axes attribute) and opset 18 (axes input), fp32 and fp16', async () => {
  const ort = loadOrt();
  const dims = [2, 3, 4, 4];
  const x = Float32Array.from({ length: 96 }, (_, i) => Math.sin(i) * 3);
  const expect = new Float32Array(2 * 16);
  for (let b = 0; b < 2; b++)
    for (let j = 0; j < 16; j++)
      expect[b * 16 + j] = (x[(b * 3 + 0) * 16 + j] + x[(b * 3 + 1) * 16 + j] + x[(b * 3 + 2) * 16 + j]) / 3;
  for (const opset of [14, 18])
    for (const fp16 of [false, true]) {
      const r = headMeanNodes('X', 'Y', opset, fp16);
      const model = onnx.ModelProto.create({
        irVersion: 8,
        opsetImport: [{ domain: '', version: opset }],
        graph: {
          name: 'g',
          node: r.nodes,
          initializer: r.initializers,
          input: [
            {
              name: 'X',
              type: { tensorType: { elemType: fp16 ? 10 : 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
            },
          ],
          output: [
            {
              name: 'Y',
              type: { tensorType: { elemType: 1, shape: { dim: [2, 1, 4, 4].map((d) => ({ dimValue: d })) } } },
            },
          ],
        },
      });
      const s = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish());
      const input = fp16 ? new ort.Tensor('float16', toFloat16Bits(x), dims) : new ort.Tensor('float32', x, dims);
      const out = (await s.run({ X: input })).Y;
      assert.deepEqual(out.dims, [2, 1, 4, 4]);
      assert.ok(maxAbsDiff(out.data as Float32Array, expect) < (fp16 ? 3e-3 : 1e-6), `opset ${opset} fp16 ${fp16}`);
      await s.release();
    }
});
