import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { inspectModelBytes, formatModelReport, type ModelReport } from '../../../src/core/model/inspect';
import { ensureBuiltCli, runBuiltCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/fixtures';
import { NOT_TIMESFORMER } from './_tiny';
import { REPLICAS, replicaConfig, replicaPath } from './_variants';

/** The op that marks each conversion in the histogram. */
const MARKS: Partial<Record<(typeof REPLICAS)[number], string>> = {
  opset17: 'LayerNormalization',
  frames4: 'Resize',
  int8: 'MatMulInteger',
  uint8: 'ConvInteger',
  quantized: 'ConvInteger',
  q4: 'com.microsoft.MatMulNBits',
  q4f16: 'com.microsoft.MatMulNBits',
  bnb4: 'com.microsoft.MatMulBnb4',
};

test('inspect reports the geometry and tables the derivation found in every replica, and the conversion in the op histogram', () => {
  for (const v of REPLICAS) {
    const file = replicaPath(v);
    const r = inspectModelBytes(fs.readFileSync(file), file);
    const c = replicaConfig(v);
    assert.ok(r.derivation.ok, `${v}: ${!r.derivation.ok && r.derivation.problem}`);
    const d = r.derivation as Extract<ModelReport['derivation'], { ok: true }>;
    assert.equal(d.geometry.frames, 8, v);
    assert.equal(d.geometry.hidden, c.hidden_size, v);
    assert.equal(d.geometry.layers, c.num_hidden_layers, v);
    assert.equal(d.geometry.patchSize, c.patch_size, v);
    assert.equal(d.geometry.imageSize, c.image_size, v);
    assert.equal(d.found.clsToken?.consumer, 'Expand', v);
    assert.equal(d.found.timeTable?.resized, v === 'frames4', v);
    assert.equal(r.softmaxCount, 2 * c.num_hidden_layers, v);
    assert.deepEqual(
      r.inputs.map((i) => [i.name, i.type, i.dims.length]),
      [['pixel_values', 'float32', 5]],
      v,
    );
    assert.equal(r.outputs[0].type, 'float32', `${v}: float32 output (fp16 keeps its I/O types)`);
    assert.equal(r.opsets[''], v === 'opset17' ? 17 : 14, v);
    if (MARKS[v]) assert.ok(r.ops[MARKS[v]!] > 0, `${v}: ${MARKS[v]} in ${JSON.stringify(r.ops)}`);
    const expects = v === 'fp16' || v === 'q4f16' ? 'float16' : 'float32';
    assert.ok(
      d.added.every((a) => a.expects === expects),
      `${v}: ${JSON.stringify(d.added)}`,
    );
    const text = formatModelReport(r);
    assert.match(text, /derivation {2}ok/);
    assert.match(text, /frames 8/);
  }
});

test('`vsum model inspect` prints JSON for a file, says why a non-TimeSformer is refused, and needs k600 downloaded first', () => {
  ensureBuiltCli();
  const file = replicaPath('fp16');
  const r = runBuiltCli(['model', 'inspect', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as ModelReport;
  assert.equal(j.derivation.ok, true);
  assert.equal(j.softmaxCount, 4);
  const bad = runBuiltCli(['model', 'inspect', NOT_TIMESFORMER]);
  assert.equal(bad.status, 0, 'a report, not a crash');
  assert.match(bad.stdout, /derivation {2}REFUSED: .*does not look like a TimeSformer/);
  const cache = tempDir('vsum-inspect-');
  const k = runBuiltCli(['model', 'inspect', 'k600', '--variant', 'bnb4', '--cache-dir', cache]);
  assert.notEqual(k.status, 0);
  assert.match(k.stderr, /not downloaded yet: run `vsum model download --variant bnb4`/);
  assert.doesNotMatch(k.stderr, /\n\s+at /, 'no stack trace');
});
