import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readDataset } from '../../../src/core/h5/dataset';
import { evaluateStepScores } from '../../../src/core/h5/evaluate';
import { readStepScores } from '../../../src/core/h5/scores';
import { VsumError } from '../../../src/core/errors';
import { tempDir } from '../../helpers/fixtures';
import { runPython } from '../../helpers/python';

const dir = tempDir('vsum-h5-bad-');
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A one-video eccv16 file with `change` applied (Python statements on group g) written by h5py. */
function file(name: string, change: string): string {
  const out = path.join(dir, `${name}.h5`);
  runPython(
    `
import json, sys
import h5py, numpy as np
out = json.load(sys.stdin)
with h5py.File(out, 'w') as f:
    g = f.create_group('video_1')
    g['features'] = np.zeros((10, 4), np.float32)
    g['picks'] = np.arange(0, 150, 15)
    g['n_frames'] = 150
    g['gtscore'] = np.linspace(0, 1, 10).astype(np.float32)
    g['user_summary'] = np.zeros((2, 150), np.float32)
    g['change_points'] = np.array([[0, 74], [75, 149]])
    g['n_frame_per_seg'] = np.array([75, 75])
${change
  .split('\n')
  .map((l) => '    ' + l)
  .join('\n')}
print('null')`,
    out,
    ['numpy', 'h5py'],
  );
  return out;
}

const scores = new Map([['video_1', new Float64Array(10).fill(0.5)]]);

async function evalError(f: string, s = scores): Promise<VsumError> {
  try {
    evaluateStepScores(await readDataset(f), s, 'scores.json');
  } catch (e) {
    assert.ok(e instanceof VsumError, String(e));
    return e;
  }
  throw new Error('no error');
}

test('malformed datasets: errors name the file, the video key and the field', async () => {
  const cases: Array<[string, string, RegExp]> = [
    ['no-nframes', "del g['n_frames']", /no field "n_frames"/],
    [
      'picks-out',
      "del g['picks']\ng['picks'] = np.arange(0, 150, 15) + 20",
      /field "picks" item 9 is frame 155, outside the video's 150 frames/,
    ],
    ['picks-order', "del g['picks']\ng['picks'] = np.arange(0, 150, 15)[::-1]", /field "picks" must increase/],
    [
      'cps-shape',
      "del g['change_points']\ng['change_points'] = np.array([0, 74, 75, 149])",
      /field "change_points" must be shots × 2.*shape is 4/,
    ],
    [
      'cps-range',
      "del g['change_points']\ng['change_points'] = np.array([[0, 74], [80, 70]])",
      /field "change_points" shot 1 is \[80, 70\]/,
    ],
    [
      'nfps-len',
      "del g['n_frame_per_seg']\ng['n_frame_per_seg'] = np.array([150])",
      /field "n_frame_per_seg" has 1 values for 2 shots/,
    ],
    ['no-users', "del g['user_summary']", /no field "user_summary"/],
    [
      'nan-gtscore',
      "del g['gtscore']\ng['gtscore'] = np.full(10, np.nan, np.float32)",
      /field "gtscore" holds a non-finite value/,
    ],
    ['str-nframes', "del g['n_frames']\ng['n_frames'] = 'many'", /field "n_frames" must be numeric/],
  ];
  for (const [name, change, re] of cases) {
    const f = file(name, change);
    const e = await evalError(f).catch((x: unknown) => x as VsumError);
    assert.ok(e.message.startsWith(f), `${name}: ${e.message}`);
    assert.match(e.message, /video "video_1"/, name);
    assert.match(e.message, re, `${name}: ${e.message}`);
  }
});

test('scores that do not fit: wrong length, unknown key, NaN, not a results file', async () => {
  const f = file('ok', '');
  await assert.rejects(
    evalError(f, new Map([['video_1', new Float64Array(9)]])).then((e) => {
      throw e;
    }),
    /scores\.json: video "video_1": field "score" has 9 values, but .* has 10 picks/,
  );
  await assert.rejects(
    evalError(f, new Map([['video_7', new Float64Array(10)]])).then((e) => {
      throw e;
    }),
    /scores\.json: 1 video is not in .*"video_7"/,
  );
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{"video_1": [0.1, null]}');
  await assert.rejects(readStepScores(bad), /bad\.json: video "video_1": field "score" item 1 is null/);
  await assert.rejects(readStepScores(f), /ok\.h5: video "video_1" has no dataset "score"/);
  fs.writeFileSync(path.join(dir, 'x.h5'), 'not hdf5 at all');
  await assert.rejects(readDataset(path.join(dir, 'x.h5')), /x\.h5: cannot open it as an HDF5 file/);
  await assert.rejects(readDataset(path.join(dir, 'missing.h5')), /missing\.h5 does not exist/);
});
