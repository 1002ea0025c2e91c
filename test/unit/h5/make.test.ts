import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeDataset, partsDir } from '../../../src/core/h5/make';
import { readDataset } from '../../../src/core/h5/dataset';
import { fixture, REFERENCE_DIR, tempDir } from '../../helpers/fixtures';
import { ensureBuiltCli, runBuiltCli } from '../../helpers/cli';
import { runPython } from '../../helpers/python';

const dir = tempDir('vsum-h5-make-');
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
const videos = path.join(dir, 'videos');
fs.mkdirSync(videos);
// The real sample clip (168 frames, 25 fps) twice, under two names, plus SumMe-style ground truth for both.
for (const n of ['clip_a', 'clip_b']) fs.copyFileSync(fixture('real', 'mmcv-test.mp4'), path.join(videos, `${n}.mp4`));
const gtDir = path.join(dir, 'GT');
fs.mkdirSync(gtDir);
runPython(
  `
import json, sys
import numpy as np, scipy.io
d = json.load(sys.stdin)
rng = np.random.default_rng(4)
for name in ['clip_a', 'clip_b']:
    us = np.zeros((168, 3))
    for u in range(3):
        a = int(rng.integers(0, 140)); us[a:a + 25, u] = 1
    scipy.io.savemat(f"{d}/{name}.mat", {'user_score': us, 'gt_score': us.mean(axis=1, keepdims=True), 'nFrames': 168.0})
print('null')`,
  gtDir,
  ['numpy', 'scipy'],
);

/** The dataset read back the way DSNet's data_helper.VideoDataset does, with the layout checks. */
function readLikeDsnet(file: string): Record<
  string,
  {
    seq: number[];
    gtscore: number[];
    cps: number[][];
    nFrames: number;
    nfps: number[];
    picks: number[];
    users: number[];
    name: string;
    nSteps: number;
    gtsummary: number[];
    f1: number;
  }
> {
  return runPython(
    `
import json, sys
sys.path.insert(0, ${JSON.stringify(REFERENCE_DIR)})
import h5py, numpy as np
from dsnet_reference import keyshot_summary, user_f1s
out = {}
with h5py.File(json.load(sys.stdin), 'r') as f:
    for key in f.keys():
        v = f[key]
        seq = v['features'][...].astype(np.float32)
        gtscore = v['gtscore'][...].astype(np.float32)
        cps = v['change_points'][...].astype(np.int32)
        n_frames = v['n_frames'][...].astype(np.int32)
        nfps = v['n_frame_per_seg'][...].astype(np.int32)
        picks = v['picks'][...].astype(np.int32)
        user_summary = v['user_summary'][...].astype(np.float32) if 'user_summary' in v else None
        gtscore -= gtscore.min()
        gtscore /= gtscore.max()
        summ, _ = keyshot_summary(gtscore, cps, int(n_frames), nfps, picks)
        out[key] = {'seq': list(seq.shape), 'gtscore': gtscore.tolist(), 'cps': cps.tolist(), 'nFrames': int(n_frames),
                    'nfps': nfps.tolist(), 'picks': picks.tolist(), 'users': list(user_summary.shape),
                    'name': v['video_name'][()].decode(), 'nSteps': int(v['n_steps'][()]),
                    'gtsummary': v['gtsummary'][...].tolist(), 'f1': float(np.mean(user_f1s(summ, user_summary)))}
print(json.dumps(out))`,
    file,
    ['numpy', 'h5py', 'scipy'],
  );
}

test('h5 make on the sample video: read back the DSNet way (h5py), KTS shots tile the video, GT fields from the SumMe .mat', async () => {
  const out = path.join(dir, 'made.h5');
  const r = await makeDataset({ videosDir: videos, out, gt: gtDir, stride: 15 });
  assert.deepEqual(r.failed, []);
  assert.equal(r.written, out);
  const ds = readLikeDsnet(out);
  assert.deepEqual(Object.keys(ds), ['video_1', 'video_2']);
  for (const [key, v] of Object.entries(ds)) {
    assert.equal(v.name, key === 'video_1' ? 'clip_a' : 'clip_b');
    assert.equal(v.nFrames, 168);
    assert.deepEqual(
      v.picks,
      Array.from({ length: 12 }, (_, i) => i * 15),
    );
    assert.equal(v.nSteps, 12);
    assert.deepEqual(v.seq, [12, 320]); // the histogram embedder's width
    assert.deepEqual(v.users, [3, 168]);
    assert.equal(v.cps[0][0], 0);
    assert.equal(v.cps[v.cps.length - 1][1], 167);
    for (let s = 0; s < v.cps.length; s++) {
      assert.equal(v.nfps[s], v.cps[s][1] - v.cps[s][0] + 1);
      if (s > 0) assert.equal(v.cps[s][0], v.cps[s - 1][1] + 1);
      assert.equal(v.cps[s][0] % 15, 0, 'change points fall on picks');
    }
    assert.ok(Math.min(...v.gtscore) === 0 && Math.max(...v.gtscore) === 1);
    assert.ok(v.gtsummary.every((x) => x === 0 || x === 1) && v.gtsummary.includes(1));
    assert.ok(v.f1 > 0, 'the gtscore keyshot summary overlaps the users');
  }
  // Both copies are the same video: same features, same shots.
  const back = await readDataset(out, { features: true });
  assert.deepEqual(back.videos[0].features, back.videos[1].features);
  assert.ok(!fs.readdirSync(dir).some((f) => f.includes('.vsum-tmp-')));
});

test('h5 make is resumable and shardable: parts reused, the last shard writes the dataset', async () => {
  const out = path.join(dir, 'sharded.h5');
  const one = await makeDataset({ videosDir: videos, out, shard: { index: 1, count: 2, source: 'flag' } });
  assert.deepEqual(one.made, ['video_1']);
  assert.equal(one.written, undefined);
  assert.deepEqual(one.missing, ['clip_b.mp4']);
  assert.ok(!fs.existsSync(out));
  const two = await makeDataset({ videosDir: videos, out, shard: { index: 2, count: 2, source: 'flag' } });
  assert.deepEqual(two.made, ['video_2']);
  assert.equal(two.written, out);
  const again = await makeDataset({ videosDir: videos, out });
  assert.deepEqual(again.reused, ['video_1', 'video_2']);
  assert.deepEqual(again.made, []);
  // A different stride is a different dataset: every part is redone.
  const other = await makeDataset({ videosDir: videos, out, stride: 8 });
  assert.deepEqual(other.made, ['video_1', 'video_2']);
  assert.equal((await readDataset(out)).videos[0].nSteps, 21);
  assert.ok(fs.existsSync(partsDir(out)));
});

test('vsum h5 make: the CLI, and a video without ground truth is named', () => {
  ensureBuiltCli();
  const vids2 = path.join(dir, 'v2');
  fs.mkdirSync(vids2);
  fs.copyFileSync(fixture('real', 'mmcv-test.mp4'), path.join(vids2, 'unknown.mp4'));
  const r = runBuiltCli(['h5', 'make', '--videos', vids2, '--out', path.join(dir, 'x.h5'), '--gt', gtDir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /has no ground truth for "unknown"/);
  const ok = runBuiltCli(['h5', 'make', '--videos', vids2, '--out', path.join(dir, 'y.h5'), '--stride', '10']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /y\.h5: 1 video\n/);
  assert.equal(
    runBuiltCli(['h5', 'make', '--videos', vids2, '--out', path.join(dir, 'z.h5'), '--stride', '0']).status,
    2,
  );
});
