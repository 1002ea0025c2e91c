/**
 * Bad numbers are refused, never cached (issue #11 item 6): a model whose weights are NaN, attention maps with NaN
 * or negative values, and KTS features that belong to another video. Each ends in one clear line naming the file,
 * writes no output, and (for the model) leaves no embedding in the cache.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { writeNpy } from '../../src/core/io/npy';
import { REPO, fixture } from '../helpers/fixtures';
import {
  SAMPLE,
  assertCliError,
  assertCliStillWorks,
  assertFiles,
  cliBundle,
  listFiles,
  runCli,
  workDir,
} from './_helpers';

const TINY = path.join(REPO, 'test', 'models', 'tiny-timesformer.onnx');
let dir: string;
before(async () => {
  dir = workDir('bad numbers');
  await cliBundle();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The tiny test model with its CLS token set to NaN: every embedding it computes is NaN. */
function nanModel(): string {
  const m = onnx.ModelProto.decode(fs.readFileSync(TINY));
  const cls = m.graph!.initializer!.find((t) => t.name?.endsWith('cls_token'))!;
  cls.rawData = new Uint8Array(new Float32Array(cls.rawData!.length / 4).fill(NaN).buffer);
  const file = path.join(dir, 'nan weights.onnx');
  fs.writeFileSync(file, onnx.ModelProto.encode(m).finish());
  return file;
}

test('a model with NaN weights: embed refuses, names the model and the video, writes no .npy, caches nothing', async () => {
  const model = nanModel();
  const out = path.join(dir, 'features.npy');
  const cache = path.join(dir, 'cache');
  const r = await runCli(['embed', SAMPLE, '--out', out, '--model', model, '--ep', 'cpu', '--cache-dir', cache]);
  assertCliError(r, 'nan weights.onnx', SAMPLE, /produced NaN in the embedding of clip 0/, /nothing was cached/);
  assert.equal(fs.existsSync(out), false);
  assert.deepEqual(listFiles(path.join(cache, 'embeddings')), [], 'no embedding cache entry');
  assertFiles(dir);
  // summarize through the same model fails the same way (no all-NaN summary).
  const s = await runCli([
    'summarize',
    SAMPLE,
    '--embedder',
    'timesformer',
    '--model',
    model,
    '--ep',
    'cpu',
    '--cache-dir',
    cache,
    '--out',
    path.join(dir, 'sum'),
  ]);
  assertCliError(s, /produced NaN/);
  assert.deepEqual(listFiles(path.join(dir, 'sum')), []);
});

test('a features .npy holding NaN is refused by name (kts)', async () => {
  const f = path.join(dir, 'nan features.npy');
  const data = new Float32Array(20 * 4).fill(1);
  data[13] = NaN;
  await writeNpy(f, { dtype: 'f4', shape: [20, 4], data });
  assertCliError(await runCli(['kts', '--features', f]), `${f} holds NaN at row 3, column 1`);
});

async function maps(name: string, poison: number): Promise<{ t: string; s: string }> {
  // 1 layer, 4 patches (2×2), 1 head, 2 frames: uniform softmax maps, one value poisoned.
  const t = path.join(dir, `${name} T.npy`);
  const s = path.join(dir, `${name} S.npy`);
  const temporal = new Float32Array(4 * 2 * 2).fill(0.5);
  const spatial = new Float32Array(2 * 5 * 5).fill(0.2);
  spatial[7] = poison;
  await writeNpy(t, { dtype: 'f4', shape: [1, 4, 1, 2, 2], data: temporal });
  await writeNpy(s, { dtype: 'f4', shape: [1, 2, 1, 5, 5], data: spatial });
  return { t, s };
}

for (const [what, poison] of [
  ['NaN', NaN],
  ['negative', -0.3],
] as const) {
  test(`rollout of attention maps with a ${what} value: refused naming the file, no mask written`, async () => {
    const { t, s } = await maps(what, poison);
    const out = path.join(dir, `${what} mask.npy`);
    const r = await runCli(['rollout', '--temporal', t, '--spatial', s, '--out', out]);
    assertCliError(r, `${s} holds ${Math.fround(poison)} at flat index 7`, /softmax probabilities/);
    assert.equal(fs.existsSync(out), false);
  });
}

test('rollout of good maps still works (the check does not refuse softmax output)', async () => {
  const { t, s } = await maps('good', 0.2);
  const out = path.join(dir, 'good mask.npy');
  const r = await runCli(['rollout', '--temporal', t, '--spatial', s, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(fs.existsSync(out));
});

test('baseline random --segmentation kts with 5 feature rows for a 1,751-frame video: refused naming the file', async () => {
  const gt = path.join(dir, 'GT');
  const feats = path.join(dir, 'features');
  fs.mkdirSync(gt, { recursive: true });
  fs.mkdirSync(feats, { recursive: true });
  fs.copyFileSync(fixture('derived', 'St Maarten Landing.mat'), path.join(gt, 'St Maarten Landing.mat'));
  const f = path.join(feats, 'St Maarten Landing.npy');
  await writeNpy(f, { dtype: 'f4', shape: [5, 4], data: Float32Array.from({ length: 20 }, (_, i) => Math.sin(i)) });
  const r = await runCli([
    'baseline',
    'random',
    '--gt',
    gt,
    '--segmentation',
    'kts',
    '--features',
    feats,
    '--runs',
    '2',
  ]);
  assertCliError(r, `${f} has 5 feature rows, but a 1751-frame video at 8 frames per row needs 218 or 219`);
  // The right number of rows is accepted.
  await writeNpy(f, {
    dtype: 'f4',
    shape: [218, 4],
    data: Float32Array.from({ length: 872 }, (_, i) => Math.sin(i / 7)),
  });
  const ok = await runCli([
    'baseline',
    'random',
    '--gt',
    gt,
    '--segmentation',
    'kts',
    '--features',
    feats,
    '--runs',
    '2',
    '--json',
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  await assertCliStillWorks();
});
