import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { formatSplits, makeSplits } from '../../../src/core/h5/splits';
import { ensureBuiltCli, runBuiltCli } from '../../helpers/cli';
import { REFERENCE_DIR, tempDir } from '../../helpers/fixtures';
import { runPython, runPythonFile } from '../../helpers/python';

const dir = tempDir('vsum-h5-splits-');
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
const summe = path.join(dir, 'summe.h5'),
  tvsum = path.join(dir, 'tvsum.h5'),
  ovp = path.join(dir, 'ovp.h5');
for (const [f, seed] of [
  [summe, 1],
  [tvsum, 2],
  [ovp, 3],
] as const)
  runPythonFile(
    path.join(REFERENCE_DIR, 'make_eccv16.py'),
    [f, path.join(dir, `res-${seed}.h5`), String(seed)],
    ['numpy', 'h5py'],
  );

/** Load a split file the way its consumer does and open every key in its h5 (DSNet: Path(key).parent / .name). */
function consume(
  file: string,
  format: 'dsnet' | 'pgl-sum',
): Array<{ test: string[]; train: string[]; opened: number }> {
  return runPython(
    `
import json, sys
from pathlib import Path
import h5py, yaml
d = json.load(sys.stdin)
splits = yaml.safe_load(open(d['file'])) if d['format'] == 'dsnet' else json.load(open(d['file']))
out = []
for s in splits:
    opened = 0
    for key in s['test_keys'] + s['train_keys']:
        if d['format'] == 'dsnet':
            p = Path(key)
            with h5py.File(str(p.parent), 'r') as f:
                opened += 'features' in f[p.name]
        else:
            with h5py.File(d['dataset'], 'r') as f:
                opened += 'features' in f[key]
    out.append({'test': s['test_keys'], 'train': s['train_keys'], 'opened': opened})
print(json.dumps(out))`,
    { file, format, dataset: summe },
    ['h5py', 'yaml'],
  );
}

test('canonical splits: 5 disjoint folds covering every video, read by DSNet (YAML) and PGL-SUM (JSON) loaders; same seed same file', async () => {
  for (const format of ['dsnet', 'pgl-sum'] as const) {
    const { splits, setting } = await makeSplits({ dataset: summe, folds: 5, seed: 3, format });
    assert.equal(setting, 'canonical');
    const file = path.join(dir, `canon.${format === 'dsnet' ? 'yml' : 'json'}`);
    fs.writeFileSync(file, formatSplits(splits, format));
    const read = consume(file, format);
    assert.equal(read.length, 5);
    const tested = read.flatMap((s) => s.test).sort();
    assert.equal(new Set(tested).size, 7, 'every video tested exactly once');
    assert.equal(tested.length, 7);
    for (const s of read) {
      assert.equal(s.opened, 7);
      assert.deepEqual([...s.test, ...s.train].sort(), tested);
    }
    if (format === 'dsnet') assert.ok(read[0].test.every((k) => k.startsWith(`${summe}/video_`)));
    else assert.ok(read[0].test.every((k) => /^video_\d+$/.test(k)));
    const again = formatSplits((await makeSplits({ dataset: summe, folds: 5, seed: 3, format })).splits, format);
    assert.equal(again, fs.readFileSync(file, 'utf8'));
    assert.notEqual(
      formatSplits((await makeSplits({ dataset: summe, folds: 5, seed: 4, format })).splits, format),
      again,
    );
  }
});

test('augmented and transfer splits', async () => {
  const aug = await makeSplits({ dataset: summe, augment: [tvsum, ovp], folds: 5, seed: 1, format: 'dsnet' });
  assert.equal(aug.setting, 'augmented');
  for (const s of aug.splits) {
    assert.equal(s.train_keys.filter((k) => k.startsWith(`${tvsum}/`)).length, 7);
    assert.equal(s.train_keys.filter((k) => k.startsWith(`${ovp}/`)).length, 7);
    assert.ok(s.test_keys.every((k) => k.startsWith(`${summe}/`)));
  }
  const file = path.join(dir, 'aug.yml');
  fs.writeFileSync(file, formatSplits(aug.splits, 'dsnet'));
  assert.ok(consume(file, 'dsnet').every((s) => s.opened === s.test.length + s.train.length));
  const tr = await makeSplits({ dataset: summe, transfer: [tvsum, ovp], folds: 5, seed: 1, format: 'pgl-sum' });
  assert.equal(tr.setting, 'transfer');
  for (const s of tr.splits) {
    assert.equal(s.test_keys.length, 7);
    assert.ok(s.test_keys.every((k) => k.startsWith('summe/video_')));
    assert.deepEqual(
      [...s.train_keys].sort(),
      [...Array(7)].flatMap((_, i) => [`ovp/video_${i + 1}`, `tvsum/video_${i + 1}`]).sort(),
    );
  }
  await assert.rejects(
    makeSplits({ dataset: summe, augment: [tvsum], transfer: [ovp], folds: 5, seed: 1, format: 'dsnet' }),
    /--augment or --transfer, not both/,
  );
  await assert.rejects(
    makeSplits({ dataset: summe, folds: 9, seed: 1, format: 'dsnet' }),
    /9 folds need at least 9 videos/,
  );
});

test('vsum h5 splits --out writes the file; first lines', () => {
  ensureBuiltCli();
  const out = path.join(dir, 'cli.yml');
  const r = runBuiltCli([
    'h5',
    'splits',
    '--dataset',
    summe,
    '--folds',
    '5',
    '--seed',
    '7',
    '--format',
    'dsnet',
    '--out',
    out,
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(fs.readFileSync(out, 'utf8'), /^- test_keys:\n {2}- .*summe\.h5\/video_\d+\n/);
  const j = runBuiltCli(['h5', 'splits', '--dataset', summe, '--format', 'pgl-sum']);
  assert.match(j.stdout, /^\[\n {4}\{\n {8}"test_keys": \[\n {12}"video_\d+",/);
  assert.equal(runBuiltCli(['h5', 'splits', '--dataset', summe, '--format', 'vasnet']).status, 2);
});
