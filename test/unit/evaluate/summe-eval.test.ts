import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadGroundTruth, type GroundTruth } from '../../../src/core/evaluate/ground-truth';
import { evaluateSubmission } from '../../../src/core/evaluate/evaluate';
import { f1PerUser } from '../../../src/core/evaluate/f-measure';
import { humanBound } from '../../../src/core/evaluate/baselines';
import { parseSubmission, type EvsSubmission } from '../../../src/core/evaluate/submission';
import { VsumError } from '../../../src/core/errors';
import { runPython, runPythonFile } from '../../helpers/python';
import { fixture, REPO, tempDir } from '../../helpers/fixtures';

const STM = 'St Maarten Landing';
const exampleFile = fixture('real', 'rethinking-evs-example.json');
const example: EvsSubmission = parseSubmission(fs.readFileSync(exampleFile, 'utf8'), exampleFile);
const GENERATOR = path.join(REPO, 'test', 'fixtures', 'mat', 'generate.py');

// rethinking-evs summe_eval.evaluate (sklearn f1_score) for the videos of a GT folder, Gygli's summe.py (python 3
// port) and the leave-one-out human bound (numpy) — all computed from the .mat files with scipy's loadmat.
const REFERENCE = `
import json, sys, os
import numpy as np, scipy.io as sio
from sklearn.metrics import f1_score
inp = json.load(sys.stdin)
sub = json.load(open(inp['submission']))
out = {}
for mat in sorted(f for f in os.listdir(inp['gt']) if f.endswith('.mat')):
    video = mat[:-4]
    data = sio.loadmat(os.path.join(inp['gt'], mat))
    gs = data['user_score'].T.astype(bool)
    summary = sub[video]['summary']
    n = gs.shape[1]
    summary = (summary + [0] * (n - len(summary)))[:n]
    f1s = [f1_score(x, summary) for x in gs]
    # Gygli summe.py
    ind = np.array([1 if x > 0 else 0 for x in summary])
    gf = []
    for u in range(gs.shape[0]):
        g = gs[u].astype(int)
        inter = np.sum(g * ind); rec = inter / np.sum(g); p = inter / np.sum(ind)
        gf.append(2 * rec * p / (rec + p) if (p > 0 or rec > 0) else 0)
    # leave-one-out human bound in numpy: F(user_j, user_i) = 2·|i∩j| / (|i| + |j|)
    G = gs.astype(np.int64)
    inter = G @ G.T
    cnt = G.sum(axis=1)
    den = cnt[:, None] + cnt[None, :]
    F = np.where(den > 0, 2 * inter / np.maximum(den, 1), 0.0)
    human = {}
    for metric in ['mean', 'max']:
        N = len(gs)
        r = np.zeros((N,))
        for i in range(N):
            res = [F[x, i] for x in range(N) if x != i]
            r[i] = np.mean(res) if metric == 'mean' else np.max(res)
        human[metric] = [r.min(), r.mean(), r.max()]
    out[video] = {'users': f1s, 'min': min(f1s), 'avg': sum(f1s) / len(f1s), 'max': max(f1s),
                  'gygliMean': float(np.mean(gf)), 'gygliMax': float(np.max(gf)), 'human': human}
print(json.dumps(out))
`;

type Ref = Record<
  string,
  {
    users: number[];
    min: number;
    avg: number;
    max: number;
    gygliMean: number;
    gygliMax: number;
    human: Record<'mean' | 'max', number[]>;
  }
>;

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12, `${what}: ${a} vs ${b}`);

let dir: string;
let fullDir: string;
before(() => {
  dir = tempDir('vsum-summe-');
  fullDir = path.join(dir, 'GT');
  runPythonFile(GENERATOR, ['summe-dir', fullDir, STM], ['numpy', 'scipy']);
  fs.copyFileSync(fixture('derived', `${STM}.mat`), path.join(fullDir, `${STM}.mat`));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

for (const variant of [`${STM}.mat`, `${STM}.uncompressed.mat`]) {
  test(`St Maarten (${variant}): per-user F equals sklearn f1_score to 1e-12; GT equals the real annotations`, async () => {
    const gtDir = path.join(dir, variant.includes('uncompressed') ? 'u' : 'c');
    fs.mkdirSync(gtDir, { recursive: true });
    fs.copyFileSync(fixture('derived', variant), path.join(gtDir, `${STM}.mat`));
    const gt = await loadGroundTruth(gtDir);
    assert.equal(gt.dataset, 'summe');
    assert.deepEqual(
      gt.videos.map((v) => v.name),
      [STM],
    );
    const v = gt.videos[0];
    const real = JSON.parse(fs.readFileSync(fixture('real', 'summe-st-maarten-landing.user_summary.json'), 'utf8'))
      .user_summary as number[][];
    assert.equal(v.nUsers, real.length);
    assert.equal(v.nFrames, real[0].length);
    for (let u = 0; u < v.nUsers; u++)
      assert.deepEqual([...v.userSummaries.subarray(u * v.nFrames, (u + 1) * v.nFrames)], real[u], `user ${u}`);

    const ref = runPython<Ref>(REFERENCE, { gt: gtDir, submission: exampleFile }, ['numpy', 'scipy', 'sklearn'])[STM];
    const { result, extra } = evaluateSubmission(gt, example, exampleFile);
    assert.equal(extra.length, 24);
    const ours = f1PerUser(v.userSummaries, v.nUsers, v.nFrames, Uint8Array.from(example[STM].summary));
    ref.users.forEach((f, u) => close(ours[u], f, `user ${u}`));
    const r = result.videos[STM];
    for (const k of ['min', 'avg', 'max', 'gygliMean', 'gygliMax'] as const) close(r[k]!, ref[k], k);
    assert.deepEqual(result.mean, { min: r.min, avg: r.avg, max: r.max });
    for (const reduce of ['mean', 'max'] as const) {
      const h = humanBound(gt, reduce).videos[STM];
      close(h.min, ref.human[reduce][0], `human ${reduce} min`);
      close(h.avg, ref.human[reduce][1], `human ${reduce} avg`);
      close(h.max, ref.human[reduce][2], `human ${reduce} max`);
    }
  });
}

test('full 25-video submission on a SumMe-sized GT folder: every video and the dataset means equal the reference', async () => {
  const gt: GroundTruth = await loadGroundTruth(fullDir);
  assert.equal(gt.videos.length, 25);
  assert.ok(
    gt.videos.some((v) => v.name === 'Excavators river crossing'),
    'names keep their spaces',
  );
  const ref = runPython<Ref>(REFERENCE, { gt: fullDir, submission: exampleFile }, ['numpy', 'scipy', 'sklearn']);
  const { result, fits } = evaluateSubmission(gt, example, exampleFile);
  assert.deepEqual(fits, []);
  assert.deepEqual(Object.keys(result.videos), Object.keys(ref));
  const mean = { min: 0, avg: 0, max: 0 };
  for (const [name, r] of Object.entries(ref)) {
    for (const k of ['min', 'avg', 'max', 'gygliMean', 'gygliMax'] as const)
      close(result.videos[name][k]!, r[k], `${name} ${k}`);
    mean.min += r.min / 25;
    mean.avg += r.avg / 25;
    mean.max += r.max / 25;
  }
  close(result.mean.min, mean.min, 'mean min');
  close(result.mean.avg, mean.avg, 'mean avg');
  close(result.mean.max, mean.max, 'mean max');
  for (const reduce of ['mean', 'max'] as const) {
    const h = humanBound(gt, reduce);
    for (const [name, r] of Object.entries(ref)) {
      close(h.videos[name].min, r.human[reduce][0], `${name} human ${reduce} min`);
      close(h.videos[name].avg, r.human[reduce][1], `${name} human ${reduce} avg`);
      close(h.videos[name].max, r.human[reduce][2], `${name} human ${reduce} max`);
    }
  }
});

test('GT folder errors: missing video in the submission, missing user_score, wrong magic, empty folder', async () => {
  const gt = await loadGroundTruth(fullDir);
  const partial = { ...example };
  delete partial['Jumps'];
  delete partial['Bike Polo'];
  assert.throws(
    () => evaluateSubmission(gt, partial, 'sub.json'),
    (e: unknown) =>
      e instanceof VsumError && /sub\.json: no entry for 2 ground-truth videos: "Bike Polo", "Jumps"/.test(e.message),
  );

  const bad = path.join(dir, 'bad');
  fs.mkdirSync(bad, { recursive: true });
  fs.copyFileSync(path.join(REPO, 'test', 'fixtures', 'mat', 'bad-no-user-score.mat'), path.join(bad, 'Jumps.mat'));
  await assert.rejects(
    loadGroundTruth(bad),
    (e: unknown) =>
      e instanceof VsumError && e.message.includes('Jumps.mat') && /no field "user_score"/.test(e.message),
  );
  fs.copyFileSync(path.join(REPO, 'test', 'fixtures', 'mat', 'bad-magic.mat'), path.join(bad, 'Jumps.mat'));
  await assert.rejects(
    loadGroundTruth(bad),
    (e: unknown) =>
      e instanceof VsumError && e.message.includes('Jumps.mat') && /not a MATLAB MAT-file/.test(e.message),
  );
  fs.copyFileSync(path.join(REPO, 'test', 'fixtures', 'mat', 'bad-truncated.mat'), path.join(bad, 'Jumps.mat'));
  await assert.rejects(
    loadGroundTruth(bad),
    (e: unknown) => e instanceof VsumError && e.code === 'TRUNCATED' && e.message.includes('Jumps.mat'),
  );
  const empty = path.join(dir, 'empty');
  fs.mkdirSync(empty);
  await assert.rejects(loadGroundTruth(empty), /has no \.mat files/);
  await assert.rejects(
    loadGroundTruth(path.join(dir, 'nowhere')),
    (e: unknown) => e instanceof VsumError && e.code === 'FILE_NOT_FOUND',
  );
});
