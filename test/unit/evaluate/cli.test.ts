import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadGroundTruth } from '../../../src/core/evaluate/ground-truth';
import { evaluateSubmission } from '../../../src/core/evaluate/evaluate';
import { humanBound, randomBaseline } from '../../../src/core/evaluate/baselines';
import { parseSubmission, readSubmission } from '../../../src/core/evaluate/submission';
import { markdownTable } from '../../../src/core/evaluate/report';
import { fixture, REPO, tempDir } from '../../helpers/fixtures';
import { runPythonFile } from '../../helpers/python';

const STM = 'St Maarten Landing';
const dir = tempDir('vsum-eval-cli-');
const TSX = pathToFileURL(path.join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
const gtDir = path.join(dir, 'GT');
fs.mkdirSync(gtDir);
fs.copyFileSync(fixture('derived', `${STM}.mat`), path.join(gtDir, `${STM}.mat`));
const example = fixture('real', 'rethinking-evs-example.json');

/** `vsum …` run in one long-lived child process (see _cli-driver.ts); one real spawn below checks the binary. */
const driver = fork(path.join(__dirname, '_cli-driver.ts'), [], {
  execArgv: ['--import', TSX],
  cwd: dir,
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const ready = new Promise<void>((res) => driver.once('message', () => res()));
const pending = new Map<number, (r: { code: number; out: string; err: string }) => void>();
driver.on('message', (m: { id?: number; code: number; out: string; err: string }) => {
  if (m.id !== undefined) pending.get(m.id)?.(m);
});
test.after(() => driver.kill());
let nextId = 0;
async function vsum(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  await ready;
  const id = nextId++;
  return new Promise((res) => {
    pending.set(id, res);
    driver.send({ id, args });
  });
}

test('the vsum binary: evaluate exits 0 with the table, a bad flag exits 2', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', TSX, path.join(REPO, 'src', 'cli', 'main.ts'), ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  const ok = run('evaluate', '--gt', gtDir, '--submission', example);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^\| video \| min \| avg \| max \|/);
  assert.equal(run('baseline', 'human', '--gt', gtDir, '--reduce', 'median').status, 2);
});

test('vsum evaluate: --json is the contract shape and equals the core; default prints the markdown table', async () => {
  const r = await vsum('evaluate', '--gt', gtDir, '--submission', example, '--json');
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  const gt = await loadGroundTruth(gtDir);
  const { result: core, protocol } = evaluateSubmission(
    gt,
    parseSubmission(fs.readFileSync(example, 'utf8'), example),
    example,
  );
  assert.deepEqual(json, JSON.parse(JSON.stringify(core)));
  assert.deepEqual(Object.keys(json), ['videos', 'mean']);
  assert.deepEqual(Object.keys(json.videos[STM]), ['min', 'avg', 'max', 'gygliMean', 'gygliMax']);
  assert.deepEqual(Object.keys(json.mean), ['min', 'avg', 'max']);
  assert.match(r.err, /24 submission videos are not in the ground truth/);
  const md = await vsum('evaluate', '--gt', gtDir, '--submission', example);
  assert.equal(md.code, 0);
  assert.equal(md.out, markdownTable(core, protocol));
  assert.match(md.out, /Protocol: rethinking-evs/);
  assert.match(
    md.out,
    /^\| video \| min \| avg \| max \|\n\|---\|---:\|---:\|---:\|\n\| St Maarten Landing \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d \|\n\| Avg\. \|/,
  );
  const csv = await vsum('evaluate', '--gt', gtDir, '--submission', example, '--csv');
  assert.match(csv.out, /^video,min,avg,max,gygliMean,gygliMax\nSt Maarten Landing,/);
});

test('vsum evaluate: bad input exits 1 with a message naming the file/field; bad flags exit 2', async () => {
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{"St Maarten Landing": {"summary": [0, 1, 2], "segment": []}}');
  let r = await vsum('evaluate', '--gt', gtDir, '--submission', bad);
  assert.equal(r.code, 1);
  assert.match(r.err, /bad\.json: video "St Maarten Landing": field "summary" must hold only 0 and 1/);
  fs.writeFileSync(bad, '{"Jumps": {"summary": [1], "segment": []}}');
  r = await vsum('evaluate', '--gt', gtDir, '--submission', bad);
  assert.equal(r.code, 1);
  assert.match(r.err, /bad\.json: no entry for 1 ground-truth video: "St Maarten Landing"/);
  fs.writeFileSync(bad, '{"Jumps": ');
  assert.match((await vsum('evaluate', '--gt', gtDir, '--submission', bad)).err, /bad\.json is not valid JSON/);
  assert.equal((await vsum('evaluate', '--gt', gtDir, '--submission', example, '--dataset', 'youtube')).code, 2);
  assert.equal((await vsum('evaluate', '--gt', gtDir)).code, 2);
  r = await vsum(
    'evaluate',
    '--gt',
    path.join(REPO, 'test', 'fixtures', 'mat', 'bad-no-user-score.mat'),
    '--submission',
    example,
  );
  assert.equal(r.code, 1);
  assert.match(r.err, /bad-no-user-score\.mat: has no field "user_score"/);
});

test('vsum baseline random / human: JSON equals the core with the same seed', async () => {
  const gt = await loadGroundTruth(gtDir);
  const sub = await readSubmission(example);
  const r = await vsum(
    'baseline',
    'random',
    '--gt',
    gtDir,
    '--submission',
    example,
    '--runs',
    '30',
    '--seed',
    '9',
    '--json',
  );
  assert.equal(r.code, 0, r.err);
  const core = await randomBaseline(gt, {
    segmentation: 'submission',
    boundaries: new Map([[STM, sub[STM].segment]]),
    runs: 30,
    seed: 9,
  });
  assert.deepEqual(JSON.parse(r.out), JSON.parse(JSON.stringify(core)));
  const u = await vsum('baseline', 'random', '--gt', gtDir, '--segmentation', 'two-peak', '--runs', '5', '--json');
  assert.equal(u.code, 0, u.err);
  assert.equal(JSON.parse(u.out).segmentation, 'two-peak');
  assert.equal((await vsum('baseline', 'random', '--gt', gtDir, '--runs', '0')).code, 2);
  assert.equal(
    (await vsum('baseline', 'random', '--gt', gtDir)).code,
    2,
    'submission segmentation without --submission',
  );
  const h = await vsum('baseline', 'human', '--gt', gtDir, '--reduce', 'max', '--json');
  assert.equal(h.code, 0, h.err);
  assert.deepEqual(JSON.parse(h.out), JSON.parse(JSON.stringify(humanBound(gt, 'max'))));
  assert.equal((await vsum('baseline', 'human', '--gt', gtDir, '--reduce', 'median')).code, 2);
});

test('vsum export-evs: frame lists → submission fitted to the GT, changed lengths reported', async () => {
  const frames = path.join(dir, 'frames');
  fs.mkdirSync(frames);
  // the original project's naming (<video>.mp4.txt); a video 2 frames longer than its GT, last frame selected
  const sel = [0, 1, 2, 100, 101, 1751, 1752];
  fs.writeFileSync(path.join(frames, `${STM}.mp4.txt`), sel.join('\n') + '\n');
  fs.writeFileSync(path.join(frames, 'notes.txt.bak'), 'x');
  const out = path.join(dir, 'sub.json');
  const r = await vsum('export-evs', '--frames-dir', frames, '--gt', gtDir, '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /"St Maarten Landing": length 1753 → 1751 \(truncated by 2\)/);
  const sub = await readSubmission(out);
  assert.equal(sub[STM].summary.length, 1751);
  assert.deepEqual(sub[STM].segment, [3, 100, 102, 1751]); // boundaries from the 1753-frame vector, before the fix
  assert.equal(
    sub[STM].summary.reduce((a, b) => a + b, 0),
    5,
  );
  const ev = await vsum('evaluate', '--gt', gtDir, '--submission', out, '--json');
  assert.equal(ev.code, 0, ev.err);
  fs.writeFileSync(path.join(frames, `${STM}.mp4.txt`), '3\nseven\n');
  const bad = await vsum('export-evs', '--frames-dir', frames, '--gt', gtDir, '--out', out);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /St Maarten Landing\.mp4\.txt:2: "seven" is not a frame index/);
});

test('vsum export-evs --videos: lengths before fitting come from the videos themselves (ffprobe)', async () => {
  const gt = path.join(dir, 'GT-mmcv');
  fs.mkdirSync(gt);
  // the real clip has 168 frames; a GT one frame longer → padded by 1, as the notebook did for playing_ball
  runPythonFile(
    path.join(REPO, 'test', 'fixtures', 'mat', 'generate.py'),
    ['summe-file', path.join(gt, 'mmcv-test.mat'), '169'],
    ['numpy', 'scipy'],
  );
  const videos = path.join(dir, 'videos');
  fs.mkdirSync(videos);
  fs.copyFileSync(fixture('real', 'mmcv-test.mp4'), path.join(videos, 'mmcv-test.mp4'));
  const frames = path.join(dir, 'frames-mmcv');
  fs.mkdirSync(frames);
  fs.writeFileSync(path.join(frames, 'mmcv-test.mp4.txt'), '10\n11\n12\n167\n');
  const out = path.join(dir, 'mmcv.json');
  const r = await vsum('export-evs', '--frames-dir', frames, '--gt', gt, '--out', out, '--videos', videos);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /"mmcv-test": length 168 → 169 \(padded with 1 zero\)/);
  const sub = await readSubmission(out);
  assert.equal(sub['mmcv-test'].summary.length, 169);
  assert.deepEqual(sub['mmcv-test'].segment, [10, 13, 167]); // from the 168-frame vector: no boundary after frame 167
});
