import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MIME } from '../../../src/common/mime';
import type { EvaluationPayload } from '../../../src/common/payloads';
import { parseNotebook } from '../../../src/notebook/format';
import { parseStageCell } from '../../../src/notebook/parse';
import { buildMiniSumme, NotebookRun, REPO, SAMPLE, tempNotebookDir, TINY_MODEL } from './_stage-harness';

const shipped = (name: string) => parseNotebook(new Uint8Array(fs.readFileSync(path.join(REPO, 'notebooks', name))));

test('every stage cell of the shipped notebooks is valid', () => {
  for (const name of fs.readdirSync(path.join(REPO, 'notebooks')).filter((f) => f.endsWith('.vsumnb'))) {
    const nb = shipped(name);
    const stages = nb.cells.filter((c) => c.kind === 'stage');
    assert.ok(stages.length >= 2, name);
    for (const c of stages) assert.deepEqual(parseStageCell(c.source).diagnostics, [], `${name}: ${c.source}`);
  }
});

test('the SumMe evaluation notebook runs end to end on a small SumMe-shaped dataset (histogram embedder)', async () => {
  const dir = tempNotebookDir();
  buildMiniSumme(path.join(dir, 'data', 'summe'));
  const nb = shipped('summe-evaluation.vsumnb');
  const run = new NotebookRun(
    dir,
    nb.cells.filter((c) => c.kind === 'stage').map((c) => c.source),
    { model: 'histogram', executionProvider: 'cpu' },
  );
  const results = await run.runAll();
  for (const m of ['kmeans', 'tt01', 'tt02']) assert.ok(fs.existsSync(path.join(dir, 'results', `${m}.json`)), m);
  const table = results
    .flatMap((r) => r.outputs)
    .flatMap((o) => o.items)
    .find((i) => i.mime === MIME.evaluationTable);
  assert.ok(table, 'an evaluation table');
  const p = JSON.parse(new TextDecoder().decode(table.data)) as EvaluationPayload;
  assert.deepEqual(p.methods, ['kmeans', 'tt01', 'tt02']);
  assert.equal(p.videos.length, 2);
  assert.deepEqual(
    p.baselines.map((b) => b.name),
    ['random', 'human (leave-one-out, mean)', 'human (leave-one-out, max)'],
  );
  const comparison = JSON.parse(new TextDecoder().decode(results[results.length - 1].outputs[0].items[0].data));
  assert.deepEqual(Object.keys(comparison), [
    'kmeans',
    'tt01',
    'tt02',
    'random',
    'human (leave-one-out, mean)',
    'human (leave-one-out, max)',
  ]);
  assert.equal(comparison.kmeans.avg, +(p.mean.kmeans.avg * 100).toFixed(2));
});

test('the attention notebook runs on a video with the tiny TimeSformer', async () => {
  const dir = tempNotebookDir();
  fs.mkdirSync(path.join(dir, 'videos'));
  fs.copyFileSync(SAMPLE, path.join(dir, 'videos', 'clip.mp4'));
  const nb = shipped('attention-visualisation.vsumnb');
  const run = new NotebookRun(
    dir,
    nb.cells.filter((c) => c.kind === 'stage').map((c) => c.source),
    { model: TINY_MODEL, executionProvider: 'cpu' },
  );
  const results = await run.runAll();
  const att = results[results.length - 1].outputs[0];
  assert.equal(att.items[0].mime, MIME.attention);
  assert.equal(att.items[1].mime, 'image/png');
});
