import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readDataset } from '../../../src/core/h5/dataset';
import { evaluateH5Submission, evaluateStepScores } from '../../../src/core/h5/evaluate';
import { readStepScores } from '../../../src/core/h5/scores';
import { ortoolsKnapsack } from '../../../src/core/h5/ortools-knapsack';
import { knapsack } from '../../../src/core/summarize/knapsack';
import { numpyMean } from '../../../src/core/numpy-sum';
import { REFERENCE_DIR, tempDir } from '../../helpers/fixtures';
import { runPython, runPythonFile } from '../../helpers/python';

const dir = tempDir('vsum-h5-eval-');
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
const H5PY = ['numpy', 'scipy', 'h5py'];

interface RefVideo {
  f1s: number[];
  min: number;
  avg: number;
  max: number;
  kendall?: number | null;
  spearman?: number | null;
  summary_ones: number;
  shots: number[];
}

function make(seed: number): { ds: string; res: string } {
  const ds = path.join(dir, `ds-${seed}.h5`),
    res = path.join(dir, `res-${seed}.h5`);
  runPythonFile(path.join(REFERENCE_DIR, 'make_eccv16.py'), [ds, res, String(seed)], H5PY);
  return { ds, res };
}

test('--scores: F min/avg/max and τ/ρ equal the DSNet transcription to 1e-9 on multi-video h5py files', async () => {
  let worstF = 0,
    worstRank = 0,
    videos = 0;
  for (const seed of [1, 2, 3, 4]) {
    const { ds, res } = make(seed);
    const ref = JSON.parse(runPythonFile(path.join(REFERENCE_DIR, 'dsnet_reference.py'), [ds, res], H5PY)) as {
      videos: Record<string, RefVideo>;
    };
    const dataset = await readDataset(ds);
    const { result, skipped } = evaluateStepScores(dataset, await readStepScores(res), res);
    assert.deepEqual(skipped, []);
    assert.deepEqual(Object.keys(result.videos).sort(), Object.keys(ref.videos).sort());
    for (const [key, r] of Object.entries(ref.videos)) {
      const v = result.videos[key];
      for (const k of ['min', 'avg', 'max'] as const) {
        worstF = Math.max(worstF, Math.abs(v[k] - r[k]));
        assert.ok(Math.abs(v[k] - r[k]) <= 1e-9, `seed ${seed} ${key} ${k}: ${v[k]} vs ${r[k]}`);
      }
      for (const k of ['kendall', 'spearman'] as const) {
        if (r[k] === null) assert.ok(Number.isNaN(v[k]), `${key} ${k} should be undefined (constant scores)`);
        else {
          worstRank = Math.max(worstRank, Math.abs(v[k]! - r[k]!));
          assert.ok(Math.abs(v[k]! - r[k]!) <= 1e-9, `seed ${seed} ${key} ${k}: ${v[k]} vs ${r[k]}`);
        }
      }
      videos++;
    }
    const refMean = (k: 'min' | 'avg' | 'max') =>
      Object.values(ref.videos).reduce((a, v) => a + v[k], 0) / Object.keys(ref.videos).length;
    for (const k of ['min', 'avg', 'max'] as const) assert.ok(Math.abs(result.mean[k] - refMean(k)) <= 1e-9);
  }
  process.stdout.write(
    `# ${videos} videos: largest |F − reference| ${worstF.toExponential(2)}, largest |τ/ρ − reference| ${worstRank.toExponential(2)}\n`,
  );
});

test('--scores from JSON {"<key>": [...]} give the same result as the results h5', async () => {
  const { ds, res } = make(5);
  const scores = await readStepScores(res);
  const json = path.join(dir, 'scores.json');
  fs.writeFileSync(json, JSON.stringify(Object.fromEntries([...scores].map(([k, v]) => [k, Array.from(v)]))));
  const dataset = await readDataset(ds);
  const a = evaluateStepScores(dataset, scores, res);
  const b = evaluateStepScores(dataset, await readStepScores(json), json);
  assert.deepEqual(b.result, a.result);
  assert.match(a.protocol.scoreRounding, /int\(1000/);
});

test('OR-tools DP knapsack: same picks as a transcription of OR-tools, ties included; differs from rethinking-evs only by its two rules', () => {
  // Random small instances with many ties (values from a tiny range) through the Python transcription.
  const cases: Array<{ v: number[]; w: number[]; c: number }> = [];
  let s = 7;
  const rnd = (n: number) => ((s = (s * 1103515245 + 12345) % 2147483648), s % n);
  for (let t = 0; t < 300; t++) {
    const n = 1 + rnd(9);
    const v = Array.from({ length: n }, () => rnd(4));
    const w = Array.from({ length: n }, () => 1 + rnd(6));
    cases.push({ v, w, c: rnd(20) });
  }
  const ref = runPython<number[][]>(
    `
import json, sys
sys.path.insert(0, ${JSON.stringify(REFERENCE_DIR)})
from dsnet_reference import ortools_dp_knapsack
print(json.dumps([ortools_dp_knapsack(c['v'], c['w'], c['c']) for c in json.load(sys.stdin)]))`,
    cases,
    H5PY,
  );
  let differ = 0;
  cases.forEach((c, i) => {
    assert.deepEqual(ortoolsKnapsack(c.v, c.w, c.c), ref[i], JSON.stringify(c));
    const evs = knapsack(c.v, c.w, c.c);
    if (JSON.stringify(evs) !== JSON.stringify(ref[i])) {
      differ++;
      const total = c.w.reduce((a, b) => a + b, 0);
      // Every difference is one of the two OR-tools rules: everything fits, or shot 0 added to fill the rest.
      assert.ok(
        total <= c.c ||
          (ref[i][0] === 0 && !evs.includes(0) && JSON.stringify(ref[i].slice(1)) === JSON.stringify(evs)),
        JSON.stringify(c),
      );
    }
  });
  assert.ok(differ > 0 && differ < cases.length);
});

test('numpyMean equals np.mean of float32 vectors bit for bit (the shot score truncates, so ulps matter)', () => {
  const arrays: number[][] = [];
  let s = 11;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648);
  for (const n of [1, 3, 7, 8, 9, 15, 16, 17, 127, 128, 129, 200, 257, 1000, 4097])
    arrays.push(Array.from({ length: n }, () => Math.fround(rnd() * (n % 3 === 0 ? 1000 : 1))));
  const ref = runPython<number[]>(
    `
import json, sys
import numpy as np
print(json.dumps([float(np.asarray(a, dtype=np.float32).mean()) for a in json.load(sys.stdin)]))`,
    arrays,
  );
  arrays.forEach((a, i) => assert.equal(numpyMean(Float32Array.from(a), 0, a.length, true), ref[i], `n = ${a.length}`));
});

test('--submission against an h5: users from user_summary, only the named videos, keys or video_name', async () => {
  const { ds } = make(6);
  const dataset = await readDataset(ds);
  const v1 = dataset.videos[0];
  const sub = { Air_Force_One: { summary: Array.from(v1.userSummary!.subarray(0, v1.userFrames!)), segment: [] } };
  const { result, skipped } = evaluateH5Submission(dataset, sub, 'sub.json');
  assert.equal(result.videos.video_1.videoName, 'Air_Force_One');
  assert.equal(result.videos.video_1.max, 1); // user 0's own summary
  assert.equal(skipped.length, dataset.videos.length - 1);
  assert.throws(
    () => evaluateH5Submission(dataset, { video_99: sub.Air_Force_One }, 'sub.json'),
    /sub\.json: 1 video is not in .*"video_99"/,
  );
});
