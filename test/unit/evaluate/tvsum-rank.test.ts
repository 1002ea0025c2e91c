import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { rankdata, kendallTauB, tvsumKendall, spearmanRho } from '../../../src/core/evaluate/rank-correlation';
import { loadGroundTruth } from '../../../src/core/evaluate/ground-truth';
import { evaluateSubmission } from '../../../src/core/evaluate/evaluate';
import { humanBound } from '../../../src/core/evaluate/baselines';
import { createRng } from '../../../src/core/random';
import { runPython } from '../../helpers/python';
import { REPO, REFERENCE_DIR } from '../../helpers/fixtures';

const TVSUM = path.join(REPO, 'test', 'fixtures', 'mat', 'tvsum-like-v73.mat');

test('rankdata, Kendall τ-b and Spearman ρ equal scipy (ties, TVSum-style 1–5 scores, continuous)', () => {
  const rng = createRng(9);
  const cases: Array<{ x: number[]; y: number[] }> = [];
  for (let k = 0; k < 30; k++) {
    const n = 2 + rng.int(400);
    const kind = k % 3;
    const draw = () => (kind === 0 ? 1 + rng.int(5) : kind === 1 ? rng.next() : rng.int(3) * 0.5);
    cases.push({
      x: Array.from({ length: n }, draw),
      y: Array.from({ length: n }, () => (kind === 1 ? rng.next() : 1 + rng.int(5))),
    });
  }
  cases.push({ x: [1, 2, 3, 4], y: [4, 3, 2, 1] }, { x: [1, 1, 2, 2], y: [1, 2, 1, 2] });
  const ref = runPython<Array<{ r: number[]; k: number; kt: number; s: number }>>(
    `
import json, sys, numpy as np
from scipy.stats import kendalltau, spearmanr, rankdata
out = []
for c in json.load(sys.stdin):
    x, y = np.array(c['x']), np.array(c['y'])
    out.append({'r': rankdata(x).tolist(), 'k': float(kendalltau(x, y)[0]), 'kt': float(kendalltau(rankdata(-x), rankdata(-y))[0]), 's': float(spearmanr(x, y)[0])})
print(json.dumps(out))`,
    cases,
    ['numpy', 'scipy'],
  );
  cases.forEach((c, i) => {
    assert.deepEqual([...rankdata(c.x)], ref[i].r, `rankdata ${i}`);
    assert.equal(kendallTauB(c.x, c.y), ref[i].k, `kendall ${i}`);
    assert.equal(tvsumKendall(c.x, c.y), ref[i].kt, `tvsum kendall ${i}`);
    assert.ok(
      Math.abs(spearmanRho(c.x, c.y) - ref[i].s) < 1e-12,
      `spearman ${i}: ${spearmanRho(c.x, c.y)} vs ${ref[i].s}`,
    );
  });
  assert.ok(Number.isNaN(kendallTauB([1, 1, 1], [1, 2, 3])));
});

test("TVSum (v7.3): loader, users' uniform-segment summaries and rank correlations equal the Python protocol", async () => {
  const gt = await loadGroundTruth(TVSUM);
  assert.equal(gt.dataset, 'tvsum');
  assert.deepEqual(
    gt.videos.map((v) => [v.name, v.nFrames, v.nUsers]),
    [
      ['98MoyGZKHXc', 181, 20],
      ['AwmHb44_ouw', 120, 20],
      ['J0nA4VgnoCo', 90, 20],
    ],
  );
  const rng = createRng(4);
  const sub = Object.fromEntries(
    gt.videos.map((v) => {
      const score = Array.from({ length: v.nFrames }, () => Math.round(rng.next() * 20) / 4);
      const summary = score.map((s) => (s > 3.5 ? 1 : 0));
      return [v.name, { summary, segment: [], score }];
    }),
  );
  const { result } = evaluateSubmission(gt, sub, 'tvsum-sub.json');
  const ref = runPython<
    Record<string, { users: number[][]; min: number; avg: number; max: number; kendall: number; spearman: number }>
  >(
    `
import json, sys, numpy as np, h5py
from scipy.stats import kendalltau, spearmanr, rankdata
from sklearn.metrics import f1_score
sys.path.insert(0, ${JSON.stringify(REFERENCE_DIR)})
from evs_reference import knapsack, summarize  # rethinking-evs' solver and summarize (uniform segments: its TVSum gold standard)
d = json.load(sys.stdin)
out = {}
with h5py.File(d['file'], 'r') as f:
    g = f['tvsum50']
    for i in range(g['video'].shape[0]):
        name = ''.join(chr(c) for c in f[g['video'][i, 0]][()].ravel())
        anno = f[g['user_anno'][i, 0]][()]  # users × frames (MATLAB frames × users, transposed)
        n = anno.shape[1]
        gs = [summarize(x, np.arange(0, n, 60), int(n * 0.15)) for x in anno]
        pred = np.array(d['sub'][name]['score'])
        summ = d['sub'][name]['summary']
        f1s = [f1_score(x, summ) for x in gs]
        out[name] = {'users': [x.astype(int).tolist() for x in gs], 'min': min(f1s), 'avg': sum(f1s) / len(f1s), 'max': max(f1s),
                     'kendall': float(np.mean([kendalltau(rankdata(-x), rankdata(-pred))[0] for x in anno])),
                     'spearman': float(np.mean([spearmanr(x, pred)[0] for x in anno]))}
print(json.dumps(out))`,
    { file: TVSUM, sub },
    ['numpy', 'scipy', 'h5py', 'sklearn'],
  );
  for (const v of gt.videos) {
    const r = ref[v.name];
    for (let u = 0; u < v.nUsers; u++)
      assert.deepEqual(
        [...v.userSummaries.subarray(u * v.nFrames, (u + 1) * v.nFrames)],
        r.users[u],
        `${v.name} user ${u}`,
      );
    const o = result.videos[v.name];
    for (const k of ['min', 'avg', 'max', 'kendall', 'spearman'] as const)
      assert.ok(Math.abs(o[k]! - r[k]) < 1e-12, `${v.name} ${k}: ${o[k]} vs ${r[k]}`);
  }
  assert.ok(result.mean.kendall !== undefined && result.mean.spearman !== undefined);
});

test("TVSum human bound: F rule of tvsum_eval_human_summary.py and the users' mutual τ / ρ equal the Python reference", async () => {
  const gt = await loadGroundTruth(TVSUM);
  const ours = humanBound(gt, 'mean');
  const ref = runPython<Record<string, { min: number; avg: number; max: number; kendall: number; spearman: number }>>(
    `
import json, sys, numpy as np, h5py
from scipy.stats import kendalltau, spearmanr, rankdata
sys.path.insert(0, ${JSON.stringify(REFERENCE_DIR)})
from evs_reference import knapsack, summarize  # rethinking-evs' solver and summarize (uniform segments: its TVSum gold standard)
def f1(a, b):
    tp = int(np.sum(a * b)); d = int(a.sum() + b.sum())
    return 2 * tp / d if d else 0.0
out = {}
with h5py.File(json.load(sys.stdin), 'r') as f:
    g = f['tvsum50']
    for i in range(g['video'].shape[0]):
        name = ''.join(chr(c) for c in f[g['video'][i, 0]][()].ravel())
        anno = f[g['user_anno'][i, 0]][()]
        n = anno.shape[1]
        gs = [summarize(x, np.arange(0, n, 60), int(n * 0.15)).astype(int) for x in anno]
        N = len(gs)
        mn, me, mx = np.zeros(N), np.zeros(N), np.zeros(N)
        for a in range(N):
            res = [f1(gs[x], gs[a]) for x in range(N) if x != a]
            me[a] = sum(res) / len(res); mx[a] = max(res); mn[a] = min(res)
        kt = [np.mean([kendalltau(rankdata(-x), rankdata(-anno[j]))[0] for j in range(N) if j != a]) for a, x in enumerate(anno)]
        sp = [np.mean([spearmanr(x, anno[j])[0] for j in range(N) if j != a]) for a, x in enumerate(anno)]
        out[name] = {'min': mn.mean(), 'avg': me.mean(), 'max': mx.mean(), 'kendall': float(np.mean(kt)), 'spearman': float(np.mean(sp))}
print(json.dumps(out))`,
    TVSUM,
    ['numpy', 'scipy', 'h5py'],
  );
  for (const [name, r] of Object.entries(ref))
    for (const k of ['min', 'avg', 'max', 'kendall', 'spearman'] as const)
      assert.ok(Math.abs(ours.videos[name][k]! - r[k]) < 1e-12, `${name} ${k}: ${ours.videos[name][k]} vs ${r[k]}`);
  assert.ok(ours.mean.kendall! > -1 && ours.mean.kendall! < 1);
});
