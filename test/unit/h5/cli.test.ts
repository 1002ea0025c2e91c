import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readDataset } from '../../../src/core/h5/dataset';
import { evaluateStepScores } from '../../../src/core/h5/evaluate';
import { readStepScores } from '../../../src/core/h5/scores';
import { ensureBuiltCli, runBuiltCli } from '../../helpers/cli';
import { REFERENCE_DIR, tempDir } from '../../helpers/fixtures';
import { runPythonFile } from '../../helpers/python';

const dir = tempDir('vsum-h5-cli-');
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
ensureBuiltCli();
const ds = path.join(dir, 'ds.h5'),
  res = path.join(dir, 'res.h5');
runPythonFile(path.join(REFERENCE_DIR, 'make_eccv16.py'), [ds, res, '9'], ['numpy', 'h5py']);

test("vsum h5 info: every video, the variants' missing fields, --json", () => {
  const r = runBuiltCli(['h5', 'info', ds, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout) as {
    videos: Array<{
      key: string;
      name?: string;
      nFrames: number;
      nSteps: number;
      featureDim: number;
      users: number;
      shots: number;
      missing: string[];
    }>;
  };
  assert.deepEqual(
    info.videos.map((v) => v.key),
    ['video_1', 'video_2', 'video_3', 'video_4', 'video_5', 'video_6', 'video_7'],
  );
  assert.equal(info.videos[0].name, 'Air_Force_One');
  assert.equal(info.videos[4].name, 'Base jumping'); // a str (vlen) video_name
  assert.deepEqual(info.videos[1].missing, ['n_steps', 'gtsummary', 'video_name']); // DSNet's make_dataset layout
  assert.equal(info.videos[1].nSteps, Math.ceil(info.videos[1].nFrames / 15)); // from the picks
  assert.ok(info.videos.every((v) => v.featureDim === 16 && v.users >= 3 && v.shots >= 2));
  const md = runBuiltCli(['h5', 'info', ds]);
  assert.match(md.stdout, /\| video_2 \| — \| \d+ \| \d+ \| 16 \| \d \| \d+ \| n_steps, gtsummary, video_name \|/);
});

test("vsum evaluate --gt X.h5 --scores: --json is evaluate's shape equal to the core; the table states the protocol", async () => {
  const r = runBuiltCli(['evaluate', '--gt', ds, '--scores', res, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const core = evaluateStepScores(await readDataset(ds), await readStepScores(res), res).result;
  assert.deepEqual(out, JSON.parse(JSON.stringify(core)));
  assert.deepEqual(Object.keys(out), ['videos', 'mean']);
  assert.ok(out.videos.video_1.min <= out.videos.video_1.avg && out.videos.video_1.avg <= out.videos.video_1.max);
  const md = runBuiltCli(['evaluate', '--gt', ds, '--scores', res]);
  assert.match(md.stdout, /^\| video \| min \| avg \| max \| kendall \| spearman \|/);
  assert.match(md.stdout, /Protocol: DSNet keyshot/);
  assert.match(md.stdout, /- segmentation: the dataset's change_points/);
  assert.match(md.stdout, /- budget: int\(0\.15 · n_frames\)/);
});

test('vsum evaluate: usage errors exit 2, a bad file exits 1 naming it', () => {
  assert.equal(runBuiltCli(['evaluate', '--gt', ds]).status, 2);
  assert.equal(runBuiltCli(['evaluate', '--gt', ds, '--scores', res, '--submission', res]).status, 2);
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{"video_1": [1, 2]}');
  const r = runBuiltCli(['evaluate', '--gt', ds, '--scores', bad]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.json: video "video_1": field "score" has 2 values/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});
