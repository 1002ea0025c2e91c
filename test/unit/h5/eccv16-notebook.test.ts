import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MIME } from '../../../src/common/mime';
import type { EvaluationPayload } from '../../../src/common/payloads';
import { parseNotebook } from '../../../src/notebook/format';
import { readDataset } from '../../../src/core/h5/dataset';
import { evaluateStepScores } from '../../../src/core/h5/evaluate';
import { readStepScores } from '../../../src/core/h5/scores';
import { NotebookRun, REPO, tempNotebookDir } from '../extension/_stage-harness';
import { REFERENCE_DIR } from '../../helpers/fixtures';
import { runPythonFile } from '../../helpers/python';

test('the shipped "Evaluate an eccv16-format result" notebook: per-video and mean F, τ/ρ, random and human baselines, protocol', async () => {
  const dir = tempNotebookDir();
  fs.mkdirSync(path.join(dir, 'data'));
  fs.mkdirSync(path.join(dir, 'results'));
  const ds = path.join(dir, 'data', 'eccv16_dataset_summe_google_pool5.h5'),
    res = path.join(dir, 'results', 'result.h5');
  runPythonFile(path.join(REFERENCE_DIR, 'make_eccv16.py'), [ds, res, '12'], ['numpy', 'h5py']);
  const nb = parseNotebook(new Uint8Array(fs.readFileSync(path.join(REPO, 'notebooks', 'eccv16-evaluation.vsumnb'))));
  const run = new NotebookRun(
    dir,
    nb.cells.filter((c) => c.kind === 'stage').map((c) => c.source),
    { model: 'histogram', executionProvider: 'cpu' },
  );
  const results = await run.runAll();
  const table = results
    .flatMap((r) => r.outputs)
    .flatMap((o) => o.items)
    .find((i) => i.mime === MIME.evaluationTable);
  assert.ok(table, 'an evaluation table (the renderer draws its bar chart too)');
  const p = JSON.parse(new TextDecoder().decode(table.data)) as EvaluationPayload;
  assert.deepEqual(p.methods, ['result']);
  assert.equal(p.videos.length, 7);
  assert.equal(p.videos[0].name, 'video_1 (Air_Force_One)');
  const core = evaluateStepScores(await readDataset(ds), await readStepScores(res), res).result;
  assert.equal(p.mean.result.avg, core.mean.avg);
  assert.equal(p.mean.result.max, core.mean.max);
  assert.equal(p.videos[0].scores.result.kendall, core.videos.video_1.kendall);
  assert.deepEqual(
    p.baselines.map((b) => b.name),
    ['random', 'human (leave-one-out)'],
  );
  const human = p.baselines[1].scores;
  assert.ok(human.avg > p.baselines[0].scores.avg, 'humans agree more than random scores do');
  assert.ok(Math.abs(p.baselines[0].scores.kendall!) < 0.2, 'random scores do not rank like gtscore');
  assert.ok(
    p.notes.some((n) => /^Protocol: DSNet keyshot/.test(n)) && p.notes.some((n) => /budget: int\(0\.15/.test(n)),
  );
  const comparison = JSON.parse(new TextDecoder().decode(results[results.length - 1].outputs[0].items[0].data));
  assert.deepEqual(Object.keys(comparison), ['result', 'random', 'human (leave-one-out)']);
  assert.equal(comparison.result.max, +(core.mean.max * 100).toFixed(2));
});
