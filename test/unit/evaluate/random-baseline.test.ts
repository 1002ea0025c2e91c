import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadGroundTruth } from '../../../src/core/evaluate/ground-truth';
import { randomBaseline, randomSummary } from '../../../src/core/evaluate/baselines';
import { splitPieces } from '../../../src/core/evaluate/segment-summary';
import { numpyMean } from '../../../src/core/numpy-sum';
import {
  ktsSegmentation,
  onePeakSegmentation,
  twoPeakSegmentation,
  uniformSegmentation,
  randomizedSegmentation,
} from '../../../src/core/evaluate/segmentation';
import { kts } from '../../../src/core/summarize/kts';
import { sceneFeatures } from '../summarize/_features';
import { parseSubmission } from '../../../src/core/evaluate/submission';
import { createRng } from '../../../src/core/random';
import { VsumError } from '../../../src/core/errors';
import { runPython } from '../../helpers/python';
import { fixture, REFERENCE_DIR } from '../../helpers/fixtures';

const STM = 'St Maarten Landing';
const exampleFile = fixture('real', 'rethinking-evs-example.json');
const example = parseSubmission(fs.readFileSync(exampleFile, 'utf8'), exampleFile);

// rethinking-evs tools/summarizer.summarize + tools/knapsack_solver.knapsack (test/reference/evs_reference.py).
const SUMMARIZE = `
import sys
sys.path.insert(0, ${JSON.stringify(REFERENCE_DIR)})
from evs_reference import knapsack, summarize
`;

test('numpyMean is bit-identical to numpy mean (pairwise summation)', () => {
  const rng = createRng(3);
  const a = Float64Array.from({ length: 3000 }, () => rng.next() * 10 - 3);
  const cuts = [
    [0, 1],
    [0, 7],
    [0, 8],
    [5, 21],
    [0, 128],
    [0, 129],
    [3, 700],
    [0, 3000],
    [17, 2999],
  ];
  const ref = runPython<number[]>(
    `
import json, sys, numpy as np
d = json.load(sys.stdin); a = np.array(d['a'])
print(json.dumps([float(a[s:e].mean()) for s, e in d['cuts']]))`,
    { a: [...a], cuts },
  );
  cuts.forEach(([s, e], i) => assert.equal(numpyMean(a, s, e), ref[i], `[${s}, ${e})`));
});

test('same uniform scores in → the same random summary as rethinking-evs summarize, exactly', () => {
  const rng = createRng(11);
  const cases: Array<{ scores: number[]; segment: number[]; capacity: number }> = [];
  for (const [video, e] of Object.entries(example).slice(0, 8)) {
    const n = e.summary.length;
    const scores = Array.from({ length: n }, () => rng.next());
    cases.push({ scores, segment: e.segment, capacity: Math.trunc(n * 0.15) }); // the submission's segments
    cases.push({ scores, segment: uniformSegmentation(n), capacity: Math.trunc(n * 0.15) });
    cases.push({ scores, segment: onePeakSegmentation(n, rng), capacity: Math.trunc(n * 0.15) });
    cases.push({ scores, segment: twoPeakSegmentation(n, rng), capacity: Math.trunc(n * 0.15) });
    void video;
  }
  // tie-heavy: constant scores (rethinking-evs' 'constant' score type) — every segment has value 0.5
  cases.push({ scores: new Array(600).fill(0.5), segment: uniformSegmentation(600, 45), capacity: 90 });
  const ref = runPython<number[][]>(
    `${SUMMARIZE}
import json, sys
print(json.dumps([summarize(c['scores'], c['segment'], c['capacity']).astype(int).tolist() for c in json.load(sys.stdin)]))`,
    cases,
  );
  cases.forEach((c, i) =>
    assert.deepEqual([...randomSummary(Float64Array.from(c.scores), c.segment)], ref[i], `case ${i}`),
  );
});

test('1,000 seeded runs: mean F agrees with a numpy reference run within the standard error', async (t) => {
  const gt = await loadGroundTruth(fixture('derived', `${STM}.mat`));
  const runs = 1000;
  const boundaries = new Map([[STM, example[STM].segment]]);
  const ours = await randomBaseline(gt, { segmentation: 'submission', boundaries, runs, seed: 2024 });
  // the reference: numpy's own RNG stream, rethinking-evs evaluate_baseline on this video (F in numpy).
  const ref = runPython<{ mean: number[]; std: number[] }>(
    `
import json, sys
import numpy as np, scipy.io as sio
d = json.load(sys.stdin)
gs = sio.loadmat(d['gt'])['user_score'].T.astype(bool).astype(np.int64)
seg = d['segment']
N = gs.shape[1]
# vectorised over capacities, identical recurrence/tie rule to knapsack_solver
def knap(v, w, W):
    best = np.zeros((len(v) + 1, W + 1))
    for i in range(len(v)):
        best[i + 1] = best[i]
        if w[i] <= W:
            cand = best[i, :W + 1 - w[i]] + v[i]
            best[i + 1, w[i]:] = np.where(cand > best[i, w[i]:], cand, best[i, w[i]:])
    sel, j = [], W
    for i in range(len(v), 0, -1):
        if best[i, j] != best[i - 1, j]:
            sel.append(i - 1); j -= w[i - 1]
    return sel
np.random.seed(7)
res = []
for r in range(d['runs']):
    score = np.random.random((N,))
    pieces = [x for x in np.split(np.arange(N), seg) if x.size]
    sel = knap([score[p].mean() for p in pieces], [p.size for p in pieces], int(N * 0.15))
    s = np.zeros(N, dtype=np.int64)
    for k in sel: s[pieces[k]] = 1
    f = 2 * (gs @ s) / (gs.sum(axis=1) + s.sum())
    res.append((f.min(), f.mean(), f.max()))
res = np.array(res)
print(json.dumps({'mean': res.mean(axis=0).tolist(), 'std': res.std(axis=0, ddof=1).tolist()}))
`,
    { gt: fixture('derived', `${STM}.mat`), segment: example[STM].segment, runs },
    ['numpy', 'scipy'],
  );
  (['min', 'avg', 'max'] as const).forEach((k, i) => {
    const se = Math.sqrt(ours.spread[k] ** 2 / runs + ref.std[i] ** 2 / runs);
    const z = Math.abs(ours.mean[k] - ref.mean[i]) / se;
    t.diagnostic(
      `${k}: vsum ${ours.mean[k].toFixed(5)} ± ${ours.spread[k].toFixed(5)}, numpy ${ref.mean[i].toFixed(5)} ± ${ref.std[i].toFixed(5)}, |Δ| = ${z.toFixed(2)} SE`,
    );
    assert.ok(z < 3, `${k}: |Δ| = ${z.toFixed(2)} standard errors`);
    // the spread of single runs is a property of the protocol too
    assert.ok(Math.abs(ours.spread[k] / ref.std[i] - 1) < 0.15, `${k}: spread ${ours.spread[k]} vs ${ref.std[i]}`);
  });
  assert.equal(ours.runs, runs);
  assert.equal(ours.mean.avg, ours.videos[STM].avg);
});

test('random baseline is deterministic per seed; generated segmentations; clear errors', async () => {
  const gt = await loadGroundTruth(fixture('derived', `${STM}.mat`));
  for (const segmentation of ['uniform', 'one-peak', 'two-peak'] as const) {
    const a = await randomBaseline(gt, { segmentation, runs: 20, seed: 5 });
    const b = await randomBaseline(gt, { segmentation, runs: 20, seed: 5 });
    const c = await randomBaseline(gt, { segmentation, runs: 20, seed: 6 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.mean, c.mean);
    assert.ok(a.mean.avg > 0.05 && a.mean.avg < 0.4, `${segmentation}: ${a.mean.avg}`);
    assert.ok(a.mean.min <= a.mean.avg && a.mean.avg <= a.mean.max);
  }
  await assert.rejects(
    randomBaseline(gt, { segmentation: 'submission', runs: 2 }),
    (e: unknown) => e instanceof VsumError && /no boundaries for video "St Maarten Landing"/.test(e.message),
  );
  await assert.rejects(
    randomBaseline(gt, { segmentation: 'submission', boundaries: new Map([[STM, [500, 100]]]), runs: 2 }),
    /video "St Maarten Landing": field "segment": the boundaries are not increasing/,
  );
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(
    randomBaseline(gt, { segmentation: 'uniform', runs: 5, signal: ac.signal }),
    (e: unknown) => e instanceof VsumError && e.code === 'CANCELLED',
  );
  // segmentation rules
  assert.deepEqual(uniformSegmentation(130), [0, 60, 120]);
  const rng = createRng(1);
  const one = onePeakSegmentation(100000, rng);
  assert.ok(one[0] > 0 && one.every((b, i) => i === 0 || b >= one[i - 1]) && one[one.length - 1] <= 99999);
  const steps = one.map((b, i) => b - (i ? one[i - 1] : 0));
  const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
  assert.ok(Math.abs(mean - 60) < 1, `one-peak mean step ${mean}`);
  const two = twoPeakSegmentation(200000, rng);
  const s2 = two.map((b, i) => b - (i ? two[i - 1] : 0));
  assert.ok(Math.abs(s2.reduce((a, b) => a + b, 0) / s2.length - 60) < 1.5);
  assert.ok(s2.filter((x) => x < 45).length > s2.length * 0.4, 'two peaks: about half the steps near 30');
  const r = randomizedSegmentation([0, 10, 30, 60], createRng(2));
  assert.equal(r[0], 0);
  assert.equal(r[r.length - 1], 60);
  assert.deepEqual(
    r
      .slice(1)
      .map((b, i) => b - r[i])
      .sort((a, b) => a - b),
    [10, 20, 30],
  );
  assert.equal(splitPieces(100, [0, 60, 60, 500]).count, 2);
});

test('KTS segmentation for the baseline: change points × frames per row, between 0 and N; randomized KTS keeps the lengths', async () => {
  const f = sceneFeatures(219, 16, 3, { noise: 0.05 }); // 219 clips of 8 frames ≈ St Maarten's 1751 frames
  const b = await ktsSegmentation(f, 1751, 8);
  assert.deepEqual(b, [0, ...(await kts(f)).changePoints.map((c) => c * 8), 1751]);
  assert.ok(b.length > 5);
  const gt = await loadGroundTruth(fixture('derived', `${STM}.mat`));
  const boundaries = new Map([[STM, b]]);
  const k = await randomBaseline(gt, { segmentation: 'kts', boundaries, runs: 10, seed: 1 });
  const rk = await randomBaseline(gt, { segmentation: 'randomized-kts', boundaries, runs: 10, seed: 1 });
  assert.ok(k.mean.avg > 0 && rk.mean.avg > 0);
  assert.equal(k.segmentation, 'kts');
});
