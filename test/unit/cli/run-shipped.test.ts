// `vsum run` (headless, like papermill / nbconvert --execute) on each shipped notebook, with the data each one says
// it needs built by the test: every stage cell runs, exit 0, and the executed notebook holds each cell's outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MIME } from '../../../src/common/mime';
import { parseNotebook } from '../../../src/notebook/format';
import { buildMiniSumme, REPO, SAMPLE, tempNotebookDir, TINY_MODEL } from '../extension/_stage-harness';
import { REFERENCE_DIR } from '../../helpers/fixtures';
import { runPythonFile } from '../../helpers/python';
import { runBuiltCli } from '../../helpers/cli';

function runShipped(name: string, dir: string, extra: string[] = []) {
  const nbFile = path.join(dir, name);
  fs.copyFileSync(path.join(REPO, 'notebooks', name), nbFile);
  const out = path.join(dir, 'executed.vsumnb');
  const r = runBuiltCli(['run', nbFile, '--out', out, '-q', ...extra]);
  assert.equal(r.status, 0, `${name}: ${r.stderr}`);
  const nb = parseNotebook(new Uint8Array(fs.readFileSync(out)));
  const stages = nb.cells.filter((c) => c.kind === 'stage');
  assert.ok(stages.length >= 2);
  for (const c of stages) assert.ok((c.outputs ?? []).length > 0, `${name}: no output for ${c.source.split('\n')[0]}`);
  const mimes = stages.flatMap((c) => (c.outputs ?? []).flatMap((o) => o.items.map((i) => i.mime)));
  assert.ok(!mimes.includes('application/vnd.code.notebook.error'), `${name}: an error output`);
  return mimes;
}

test('vsum run: the SumMe evaluation notebook on a small SumMe-shaped dataset', () => {
  const dir = tempNotebookDir();
  buildMiniSumme(path.join(dir, 'data', 'summe'));
  const mimes = runShipped('summe-evaluation.vsumnb', dir, ['--model', 'histogram']);
  assert.ok(mimes.includes(MIME.evaluationTable));
  for (const m of ['kmeans', 'tt01', 'tt02']) assert.ok(fs.existsSync(path.join(dir, 'results', `${m}.json`)), m);
});

test('vsum run: the attention notebook with the tiny TimeSformer', () => {
  const dir = tempNotebookDir();
  fs.mkdirSync(path.join(dir, 'videos'));
  fs.copyFileSync(SAMPLE, path.join(dir, 'videos', 'clip.mp4'));
  const mimes = runShipped('attention-visualisation.vsumnb', dir, ['--model', TINY_MODEL, '--ep', 'cpu']);
  assert.ok(mimes.includes(MIME.attention));
});

test('vsum run: the eccv16 evaluation notebook on h5py-made dataset and results files', () => {
  const dir = tempNotebookDir();
  fs.mkdirSync(path.join(dir, 'data'));
  fs.mkdirSync(path.join(dir, 'results'));
  const ds = path.join(dir, 'data', 'eccv16_dataset_summe_google_pool5.h5');
  runPythonFile(
    path.join(REFERENCE_DIR, 'make_eccv16.py'),
    [ds, path.join(dir, 'results', 'result.h5'), '12'],
    ['numpy', 'h5py'],
  );
  const mimes = runShipped('eccv16-evaluation.vsumnb', dir);
  assert.ok(mimes.includes(MIME.evaluationTable));
});
