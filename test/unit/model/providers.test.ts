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
import { probeReason } from '../../../src/core/model/ep-probe';
import { ensureBuiltCli, runBuiltCli } from '../../helpers/cli';

test('CUDA is detected from the provider libraries on disk, not by failing late', () => {
  const dir = tempDir('vsum-ortbin-');
  const without = probeProviders({ binDir: dir, platform: 'linux', env: {} });
  const cuda = without.find((p) => p.ep === 'cuda')!;
  assert.equal(cuda.available, false);
  assert.match(cuda.reason, /libonnxruntime_providers_cuda\.so/);
  assert.match(cuda.hint!, /Microsoft\.ML\.OnnxRuntime\.Gpu\.Linux/);
  assert.ok(cuda.hint!.includes(dir), 'names the folder to drop the files into');
  fs.writeFileSync(path.join(dir, 'libonnxruntime_providers_cuda.so'), '');
  assert.equal(
    probeProviders({ binDir: dir, platform: 'linux', env: {} }).find((p) => p.ep === 'cuda')!.available,
    false,
    'both libraries are needed',
  );
  fs.writeFileSync(path.join(dir, 'libonnxruntime_providers_shared.so'), '');
  assert.equal(
    probeProviders({ binDir: dir, platform: 'linux', env: {} }).find((p) => p.ep === 'cuda')!.available,
    true,
  );
  // DirectML / CoreML only where they exist; CPU always.
  const lin = probeProviders({ binDir: dir, platform: 'linux', env: {} });
  assert.equal(lin.find((p) => p.ep === 'dml')!.available, false);
  assert.equal(lin.find((p) => p.ep === 'coreml')!.available, false);
  assert.equal(lin.find((p) => p.ep === 'cpu')!.available, true);
  assert.equal(
    probeProviders({ binDir: dir, platform: 'darwin', env: {} }).find((p) => p.ep === 'coreml')!.available,
    true,
  );
});

test('auto falls back to the CPU and logs why every other provider was skipped or failed', async () => {
  const logs: string[] = [];
  const s = await openSession(TINY, { ep: 'auto', log: (m) => logs.push(m) });
  try {
    assert.equal(s.ep, 'cpu', s.decisions.join('\n'));
    assert.equal(s.decisions.at(-1)?.startsWith('cpu: running'), true);
    for (const ep of ['cuda', 'webgpu', 'dml', 'coreml'])
      assert.ok(
        s.decisions.some((d) => d.startsWith(`${ep}: `)),
        `a line for ${ep}: ${s.decisions.join(' | ')}`,
      );
    assert.equal(logs.length, s.decisions.length);
    const cudaPresent = fs.existsSync(path.join(ortBinDir()!, 'libonnxruntime_providers_cuda.so'));
    if (!cudaPresent)
      assert.match(
        s.decisions.find((d) => d.startsWith('cuda'))!,
        /skipped — CUDA provider libraries not installed/,
      );
  } finally {
    await s.release();
  }
});

test('a forced provider that is unavailable fails with EP_UNAVAILABLE and a reason', async () => {
  for (const ep of ['dml', 'coreml'] as const) {
    await assert.rejects(
      openSession(TINY, { ep }),
      (e: unknown) =>
        e instanceof VsumError &&
        e.code === 'EP_UNAVAILABLE' &&
        e.message.includes(`The ${ep} execution provider is not available`) &&
        /--ep cpu/.test(e.message),
    );
  }
  if (!fs.existsSync(path.join(ortBinDir()!, 'libonnxruntime_providers_cuda.so')))
    await assert.rejects(
      createTimesformerEmbedder({ model: TINY, ep: 'cuda', cacheDir: tempDir() }),
      (e: unknown) =>
        e instanceof VsumError &&
        e.code === 'EP_UNAVAILABLE' &&
        /libonnxruntime_providers_cuda\.so/.test(e.message) &&
        /Microsoft\.ML\.OnnxRuntime\.Gpu\.Linux/.test(e.message),
    );
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

test('a GPU provider that fails natively is probed in a child: one readable reason, no native stack text', () => {
  const dawn =
    'Warning: vkCreateInstance: Found no drivers!\nWarning: vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER\n    at CheckVkSuccessImpl (/build/Release/_deps/dawn-src/src/dawn/native/vulkan/VulkanError.cpp:106)\n';
  const r = probeReason('error: Failed to get a WebGPU adapter: No supported adapters', dawn);
  assert.equal(r, 'Failed to get a WebGPU adapter: No supported adapters (vkCreateInstance: Found no drivers!)');
  assert.doesNotMatch(r, /CheckVkSuccessImpl|\.cpp/);
});

test('`--ep auto` logs why each provider was skipped and prints no native text (CLI on the tiny model)', () => {
  ensureBuiltCli();
  const dir = tempDir('vsum-ep-auto-');
  const video = path.join(REPO, 'media', 'sample', 'mmcv-test.mp4');
  const r = runBuiltCli([
    'embed',
    video,
    '--out',
    path.join(dir, 'f.npy'),
    '--model',
    TINY,
    '--ep',
    'auto',
    '--no-cache',
    '--cache-dir',
    dir,
  ]);
  assert.equal(r.status, 0, r.stderr);
  for (const ep of ['cuda', 'webgpu', 'dml', 'coreml'])
    assert.match(r.stderr, new RegExp(`execution provider ${ep}: (skipped|running|failed to start) — ?`), r.stderr);
  assert.match(r.stderr, /execution provider (cpu|cuda|webgpu): running/);
  assert.doesNotMatch(r.stderr, /CheckVkSuccessImpl|VulkanError\.cpp|^\s+at /m, 'no native stack text');
  assert.doesNotMatch(r.stderr, /^Warning: vk/m);
});
