import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { probeProviders, ortBinDir } from '../../../src/core/model/providers';
import { openSession } from '../../../src/core/model/session';
import { createTimesformerEmbedder } from '../../../src/core/embed/timesformer';
import { VsumError } from '../../../src/core/errors';
import { REPO, tempDir } from '../../helpers/fixtures';
import { TINY } from './_tiny';

test('CUDA is detected from the provider libraries on disk, not by failing late', () => {
  const dir = tempDir('vsum-ortbin-');
  const without = probeProviders({ binDir: dir, platform: 'linux', env: {} });
  const cuda = without.find((p) => p.ep === 'cuda')!;
  assert.equal(cuda.available, false);
  assert.match(cuda.reason, /libonnxruntime_providers_cuda\.so/);
  assert.match(cuda.hint!, /Microsoft\.ML\.OnnxRuntime\.Gpu\.Linux/);
  assert.ok(cuda.hint!.includes(dir), 'names the folder to drop the files into');
  fs.writeFileSync(path.join(dir, 'libonnxruntime_providers_cuda.so'), '');
  assert.equal(probeProviders({ binDir: dir, platform: 'linux', env: {} }).find((p) => p.ep === 'cuda')!.available, false, 'both libraries are needed');
  fs.writeFileSync(path.join(dir, 'libonnxruntime_providers_shared.so'), '');
  assert.equal(probeProviders({ binDir: dir, platform: 'linux', env: {} }).find((p) => p.ep === 'cuda')!.available, true);
  // DirectML / CoreML only where they exist; CPU always.
  const lin = probeProviders({ binDir: dir, platform: 'linux', env: {} });
  assert.equal(lin.find((p) => p.ep === 'dml')!.available, false);
  assert.equal(lin.find((p) => p.ep === 'coreml')!.available, false);
  assert.equal(lin.find((p) => p.ep === 'cpu')!.available, true);
  assert.equal(probeProviders({ binDir: dir, platform: 'darwin', env: {} }).find((p) => p.ep === 'coreml')!.available, true);
});

test('auto falls back to the CPU and logs why every other provider was skipped or failed', async () => {
  const logs: string[] = [];
  const s = await openSession(TINY, { ep: 'auto', log: (m) => logs.push(m) });
  try {
    assert.equal(s.ep, 'cpu', s.decisions.join('\n'));
    assert.equal(s.decisions.at(-1)?.startsWith('cpu: running'), true);
    for (const ep of ['cuda', 'webgpu', 'dml', 'coreml']) assert.ok(s.decisions.some((d) => d.startsWith(`${ep}: `)), `a line for ${ep}: ${s.decisions.join(' | ')}`);
    assert.equal(logs.length, s.decisions.length);
    const cudaPresent = fs.existsSync(path.join(ortBinDir()!, 'libonnxruntime_providers_cuda.so'));
    if (!cudaPresent) assert.match(s.decisions.find((d) => d.startsWith('cuda'))!, /skipped — CUDA provider libraries not installed/);
  } finally {
    await s.release();
  }
});

test('a forced provider that is unavailable fails with EP_UNAVAILABLE and a reason', async () => {
  for (const ep of ['dml', 'coreml'] as const) {
    await assert.rejects(openSession(TINY, { ep }), (e: unknown) => e instanceof VsumError && e.code === 'EP_UNAVAILABLE' && e.message.includes(`The ${ep} execution provider is not available`) && /--ep cpu/.test(e.message));
  }
  if (!fs.existsSync(path.join(ortBinDir()!, 'libonnxruntime_providers_cuda.so')))
    await assert.rejects(createTimesformerEmbedder({ model: TINY, ep: 'cuda', cacheDir: tempDir() }), (e: unknown) => e instanceof VsumError && e.code === 'EP_UNAVAILABLE' && /libonnxruntime_providers_cuda\.so/.test(e.message) && /Microsoft\.ML\.OnnxRuntime\.Gpu\.Linux/.test(e.message));
});

test('importing the embedder, factory, attention and CLI modules does not load onnxruntime (lazy require)', () => {
  const script = `
    require('./src/core/embed/factory');
    require('./src/core/embed/timesformer');
    require('./src/core/attention/clip-attention');
    require('./src/core/embed/cache');
    const loaded = Object.keys(require.cache).filter((k) => k.includes('onnxruntime-node'));
    process.stdout.write(JSON.stringify(loaded));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
});
