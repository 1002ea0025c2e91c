import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { defaultVariant, MEASURED_AGREEMENT, type VariantMeasurement } from '../../../src/core/model/variant-choice';
import { defaultCpuThreads } from '../../../src/core/model/cpu-defaults';

const m = (over: Partial<VariantMeasurement>): VariantMeasurement => ({
  weights: 'published',
  kmeansJaccard: 0.95,
  tt02Jaccard: 0.97,
  cosine: 0.999,
  cpuSpeedVsFp32: 2,
  measured: 'test table',
  ...over,
});

test('the CPU default is the fastest variant proven to agree with fp32 on the published weights', () => {
  const table = {
    int8: [m({ cpuSpeedVsFp32: 2.4 })],
    uint8: [m({ cpuSpeedVsFp32: 2.6, tt02Jaccard: 0.85 })], // faster, but tt02 disagrees
    q4: [m({ cpuSpeedVsFp32: 0.9 })], // agrees, but slower than fp32
  };
  const d = defaultVariant('cpu', table);
  assert.equal(d.variant, 'int8');
  assert.match(d.why, /2\.4× fp32/);
  assert.equal(defaultVariant('gpu', table).variant, 'fp32', 'a GPU runs fp32 whatever the table says');
});

test('random-weight agreement is evidence, not proof: the default stays fp32 and says why', () => {
  const table = { int8: [m({ weights: 'random', cpuSpeedVsFp32: 2.4, kmeansJaccard: 1, tt02Jaccard: 1 })] };
  const d = defaultVariant('cpu', table);
  assert.equal(d.variant, 'fp32');
  assert.match(d.why, /int8: measured on random weights only/);
  assert.equal(defaultVariant('cpu', {}).variant, 'fp32');
});

test('the recorded table makes no variant the default without a published-weight measurement', () => {
  const proven = Object.values(MEASURED_AGREEMENT).flatMap((ms) => ms!.filter((x) => x.weights === 'published'));
  if (proven.length === 0) assert.equal(defaultVariant('cpu').variant, 'fp32');
  for (const x of Object.values(MEASURED_AGREEMENT).flat())
    assert.ok(x!.measured.length > 10, 'each measurement says when, on what and where');
});

test('the default thread count is the physical cores (one per core id in /proc/cpuinfo)', () => {
  const t = defaultCpuThreads();
  const logical = os.availableParallelism?.() ?? os.cpus().length;
  assert.ok(t >= 1 && t <= logical);
  if (fs.existsSync('/proc/cpuinfo')) {
    const ids = new Set(
      fs
        .readFileSync('/proc/cpuinfo', 'utf8')
        .split(/\n\s*\n/)
        .map((b) => `${/^physical id\s*:\s*(\d+)/m.exec(b)?.[1]}:${/^core id\s*:\s*(\d+)/m.exec(b)?.[1]}`)
        .filter((k) => !k.includes('undefined')),
    );
    if (ids.size) assert.equal(t, Math.min(ids.size, logical));
  }
});
