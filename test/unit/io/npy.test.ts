import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { encodeNpy, parseNpy, readFeaturesNpy, readNpy, writeNpy, writeFeaturesNpy } from '../../../src/core/io/npy';
import { featureMatrix } from '../../../src/core/features';
import { VsumError } from '../../../src/core/errors';
import { runPython } from '../../helpers/python';
import { tempDir } from '../../helpers/fixtures';

const dir = tempDir('vsum-npy-');
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('reads files numpy writes: f4/f8/i8, 1-D/2-D/3-D, Fortran order, format 1.0 and 2.0', () => {
  const made = runPython<Array<{ name: string; values: number[]; shape: number[]; dtype: string }>>(
    `
import json, sys, numpy as np
d = json.load(sys.stdin)
rng = np.random.default_rng(5)
out = []
def save(name, a, version=None):
    p = d + '/' + name
    if version is None:
        np.save(p, a)
    else:
        with open(p, 'wb') as f:
            np.lib.format.write_array(f, a, version=version)
    out.append({'name': name, 'values': [float(v) for v in np.ascontiguousarray(a).ravel()], 'shape': list(a.shape), 'dtype': a.dtype.str})
save('f4.npy', rng.standard_normal((7, 5)).astype(np.float32))
save('f8.npy', rng.standard_normal((3, 4)))
save('i8.npy', np.arange(-6, 6, dtype=np.int64).reshape(3, 4))
save('vec.npy', np.linspace(0, 1, 9).astype(np.float32))
save('cube.npy', rng.standard_normal((2, 3, 4)).astype(np.float32))
save('fortran.npy', np.asfortranarray(rng.standard_normal((4, 6)).astype(np.float32)))
save('v2.npy', rng.standard_normal((5, 3)).astype(np.float32), version=(2, 0))
save('empty.npy', np.zeros((0, 768), dtype=np.float32))
json.dump(out, sys.stdout)
`,
    dir,
  );
  assert.equal(made.length, 8);
  for (const m of made) {
    const a = readNpy(path.join(dir, m.name));
    assert.deepEqual(a.shape, m.shape, m.name);
    assert.equal(`<${a.dtype}`, m.dtype, m.name);
    const got = Array.from(a.data as ArrayLike<number | bigint>, Number);
    assert.deepEqual(got, m.values, m.name);
  }
  const f = readFeaturesNpy(path.join(dir, 'f8.npy'));
  assert.equal(f.rows, 3);
  assert.equal(f.cols, 4);
  assert.ok(f.data instanceof Float32Array);
});

test('numpy reads what we write (f4, f8, i8) byte-exactly; headers are 64-byte aligned', async () => {
  const f4 = new Float32Array([1.5, -2.25, 3.1415927, 1e-30, 0, -0]);
  const f8 = new Float64Array([Math.PI, -1e300, 5e-324]);
  const i8 = new BigInt64Array([0n, -1n, 9007199254740993n]);
  await writeNpy(path.join(dir, 'w4.npy'), { dtype: 'f4', shape: [2, 3], data: f4 });
  await writeNpy(path.join(dir, 'w8.npy'), { dtype: 'f8', shape: [3], data: f8 });
  await writeNpy(path.join(dir, 'wi.npy'), { dtype: 'i8', shape: [3, 1], data: i8 });
  await writeFeaturesNpy(path.join(dir, 'feat.npy'), featureMatrix(2, 2, new Float32Array([1, 2, 3, 4])));
  const seen = runPython<Record<string, { dtype: string; shape: number[]; hex: string }>>(
    `
import json, sys, numpy as np
d = json.load(sys.stdin)
out = {}
for n in ['w4', 'w8', 'wi', 'feat']:
    a = np.load(d + '/' + n + '.npy')
    out[n] = {'dtype': a.dtype.str, 'shape': list(a.shape), 'hex': a.tobytes().hex()}
json.dump(out, sys.stdout)
`,
    dir,
  );
  assert.deepEqual(seen.w4, { dtype: '<f4', shape: [2, 3], hex: Buffer.from(f4.buffer).toString('hex') });
  assert.deepEqual(seen.w8, { dtype: '<f8', shape: [3], hex: Buffer.from(f8.buffer).toString('hex') });
  assert.deepEqual(seen.wi, { dtype: '<i8', shape: [3, 1], hex: Buffer.from(i8.buffer).toString('hex') });
  assert.equal(seen.feat.shape.join('x'), '2x2');
  const enc = encodeNpy({ dtype: 'f4', shape: [1], data: new Float32Array([1]) });
  assert.equal((enc.length - 4) % 64, 0);
  assert.deepEqual(parseNpy(enc).shape, [1]);
});

test('wrong dtype, wrong shape, empty, truncated and non-npy files are clear errors', () => {
  runPython(
    `
import json, sys, numpy as np
d = json.load(sys.stdin)
np.save(d + '/big.npy', np.zeros((3, 4), dtype='>f4'))
np.save(d + '/int32.npy', np.zeros((3, 4), dtype=np.int32))
np.save(d + '/int64.npy', np.zeros((3, 4), dtype=np.int64))
np.save(d + '/vec.npy', np.zeros(8, dtype=np.float32))
np.save(d + '/zero.npy', np.zeros((0, 768), dtype=np.float32))
print('null')
`,
    dir,
  );
  const msg = (re: RegExp) => (e: unknown) => e instanceof VsumError && re.test(e.message);
  assert.throws(() => readFeaturesNpy(path.join(dir, 'big.npy')), msg(/'>f4'.*float32/));
  assert.throws(() => readFeaturesNpy(path.join(dir, 'int32.npy')), msg(/'<i4'/));
  assert.throws(() => readFeaturesNpy(path.join(dir, 'int64.npy')), msg(/int64.*float32/));
  assert.throws(() => readFeaturesNpy(path.join(dir, 'vec.npy')), msg(/shape \(8\).*2-D/));
  assert.throws(() => readFeaturesNpy(path.join(dir, 'zero.npy')), msg(/empty/));
  assert.throws(() => readFeaturesNpy(path.join(dir, 'missing.npy')), msg(/does not exist/));
  const whole = fs.readFileSync(path.join(dir, 'int64.npy'));
  fs.writeFileSync(path.join(dir, 'cut.npy'), whole.subarray(0, whole.length - 5));
  assert.throws(() => readNpy(path.join(dir, 'cut.npy')), msg(/truncated/));
  fs.writeFileSync(path.join(dir, 'text.npy'), 'hello world, not numpy');
  assert.throws(() => readNpy(path.join(dir, 'text.npy')), msg(/magic/));
});
