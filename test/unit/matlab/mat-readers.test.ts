import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readMatFile, matVersion } from '../../../src/core/matlab/read-mat';
import { readMat5 } from '../../../src/core/matlab/mat5';
import type { MatValue } from '../../../src/core/matlab/types';
import { VsumError } from '../../../src/core/errors';
import { runPythonFile } from '../../helpers/python';
import { fixture, REPO, tempDir } from '../../helpers/fixtures';

const MAT_DIR = path.join(REPO, 'test', 'fixtures', 'mat');
const DUMP = path.join(MAT_DIR, 'dump.py');

const DTYPE: Record<string, string> = { double: 'float64', single: 'float32' };

/** Our value in dump.py's JSON form (little-endian column-major bytes, base64). */
function dump(v: MatValue): unknown {
  switch (v.kind) {
    case 'numeric': {
      const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
      const out: Record<string, unknown> = {
        k: 'num',
        dtype: v.logical ? 'bool' : (DTYPE[v.class] ?? v.class),
        shape: v.dims,
        re: b64(v.real),
      };
      if (v.imag) out.im = b64(v.imag);
      return out;
    }
    case 'char':
      return { k: 'char', rows: v.rows };
    case 'cell':
      return { k: 'cell', shape: v.dims, items: v.items.map(dump) };
    case 'struct':
      return {
        k: 'struct',
        shape: v.dims,
        fields: v.fields,
        elems: v.elements.map((e) => Object.fromEntries(v.fields.map((f) => [f, dump(e[f])]))),
      };
  }
}

const files = [
  ...fs
    .readdirSync(MAT_DIR)
    .filter((f) => f.endsWith('.mat') && !f.startsWith('bad-'))
    .map((f) => path.join(MAT_DIR, f)),
  fixture('derived', 'St Maarten Landing.mat'),
  fixture('derived', 'St Maarten Landing.uncompressed.mat'),
];

for (const file of files) {
  test(`readMatFile equals ${file.endsWith('v73.mat') ? 'h5py' : 'scipy loadmat'}: ${path.basename(file)}`, async () => {
    const ref = JSON.parse(
      runPythonFile(DUMP, [file], file.endsWith('v73.mat') ? ['numpy', 'h5py'] : ['numpy', 'scipy']),
    ) as Record<string, unknown>;
    const ours = await readMatFile(file);
    assert.deepEqual([...ours.keys()].sort(), Object.keys(ref).sort());
    for (const [name, v] of ours) assert.deepEqual(dump(v), ref[name], `variable ${name}`);
  });
}

test('the generated set covers every class, both byte orders, compression and v7.3', async () => {
  assert.ok(files.length >= 9);
  const le = await readMatFile(path.join(MAT_DIR, 'classes-le.mat'));
  const kinds = new Set(
    [...le.values()].map((v) =>
      v.kind === 'numeric' ? `${v.class}${v.logical ? '-logical' : ''}${v.imag ? '-complex' : ''}` : v.kind,
    ),
  );
  for (const k of [
    'double',
    'single',
    'int8',
    'uint8',
    'int16',
    'uint16',
    'int32',
    'uint32',
    'int64',
    'uint64',
    'double-complex',
    'single-complex',
    'uint8-logical',
    'char',
    'cell',
    'struct',
  ])
    assert.ok(kinds.has(k), `missing ${k}`);
  assert.equal(matVersion(fs.readFileSync(path.join(MAT_DIR, 'classes-be.mat')), 'x'), 'v5');
  assert.equal(matVersion(fs.readFileSync(path.join(MAT_DIR, 'tvsum-like-v73.mat')).subarray(0, 520), 'x'), 'v7.3');
  // MATLAB-style storage (integer-valued doubles kept as miUINT8) still comes back as class double
  const ms = (await readMatFile(path.join(MAT_DIR, 'summe-matlab-style.mat'))).get('user_score')!;
  assert.ok(ms.kind === 'numeric' && ms.real instanceof Float64Array && ms.class === 'double');
});

test('malformed files: clear errors naming the file', async () => {
  const bad = (f: string) => path.join(MAT_DIR, f);
  await assert.rejects(
    readMatFile(bad('bad-magic.mat')),
    (e: unknown) =>
      e instanceof VsumError &&
      e.code === 'BAD_FILE' &&
      e.message.includes('bad-magic.mat') &&
      /not a MATLAB MAT-file/.test(e.message),
  );
  await assert.rejects(
    readMatFile(bad('bad-truncated.mat')),
    (e: unknown) =>
      e instanceof VsumError &&
      e.code === 'TRUNCATED' &&
      e.message.includes('bad-truncated.mat') &&
      /cut short/.test(e.message),
  );
  await assert.rejects(
    readMatFile(bad('nope.mat')),
    (e: unknown) => e instanceof VsumError && e.code === 'FILE_NOT_FOUND',
  );
  // an uncompressed file cut inside an element
  const whole = fs.readFileSync(path.join(MAT_DIR, 'classes-le.mat'));
  assert.throws(
    () => readMat5(whole.subarray(0, 700), 'cut.mat'),
    (e: unknown) => e instanceof VsumError && e.code === 'TRUNCATED' && /cut\.mat: variable #\d+/.test(e.message),
  );
  assert.throws(() => readMat5(whole.subarray(0, 60), 'short.mat'), /short\.mat: only 60 bytes/);
  const dir = tempDir();
  try {
    const empty = path.join(dir, 'empty.mat');
    fs.writeFileSync(empty, '');
    await assert.rejects(
      readMatFile(empty),
      (e: unknown) => e instanceof VsumError && e.code === 'EMPTY_FILE' && e.message.includes('empty.mat'),
    );
    // an HDF5 signature with garbage after it
    const h = path.join(dir, 'broken73.mat');
    const b = Buffer.alloc(2048);
    fs.readFileSync(path.join(MAT_DIR, 'tvsum-like-v73.mat')).copy(b, 0, 0, 600);
    fs.writeFileSync(h, b);
    await assert.rejects(readMatFile(h), (e: unknown) => e instanceof VsumError && e.message.includes('broken73.mat'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
