import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VsumError } from '../../../src/core/errors';
import { parseShard, shardFromEnv, shardItems } from '../../../src/core/batch/shard';

test('--shard I/N is 1-based and strided over the sorted list; bad values are refused', () => {
  assert.deepEqual(parseShard('2/3'), { index: 2, count: 3, source: 'flag' });
  assert.deepEqual(shardItems(['a', 'b', 'c', 'd', 'e', 'f', 'g'], parseShard('2/3')), ['b', 'e']);
  for (const bad of ['', '0/2', '3/2', '1/0', '1', 'a/b', '1/2/3', '-1/2', '1.5/2'])
    assert.throws(
      () => parseShard(bad, {}),
      (e: unknown) => e instanceof VsumError && /--shard must be I\/N/.test(e.message),
      bad,
    );
});

test('every shard together takes each item exactly once', () => {
  const items = Array.from({ length: 23 }, (_, i) => `v${i}`);
  for (const count of [1, 2, 5, 23, 40]) {
    const all = Array.from({ length: count }, (_, i) =>
      shardItems(items, { index: i + 1, count, source: 'flag' }),
    ).flat();
    assert.deepEqual(all.sort(), [...items].sort(), `count ${count}`);
  }
});

test('--shard auto: Kubernetes Indexed Job (0-based JOB_COMPLETION_INDEX + VSUM_SHARD_COUNT)', () => {
  assert.deepEqual(shardFromEnv({ JOB_COMPLETION_INDEX: '0', VSUM_SHARD_COUNT: '4' }), {
    index: 1,
    count: 4,
    source: 'kubernetes',
  });
  assert.deepEqual(parseShard('auto', { JOB_COMPLETION_INDEX: '3', VSUM_SHARD_COUNT: '4' }), {
    index: 4,
    count: 4,
    source: 'kubernetes',
  });
  assert.throws(() => shardFromEnv({ JOB_COMPLETION_INDEX: '1' }), /VSUM_SHARD_COUNT is not/);
  assert.throws(
    () => shardFromEnv({ JOB_COMPLETION_INDEX: '4', VSUM_SHARD_COUNT: '4' }),
    /not below VSUM_SHARD_COUNT=4/,
  );
  assert.throws(
    () => shardFromEnv({ JOB_COMPLETION_INDEX: 'x', VSUM_SHARD_COUNT: '4' }),
    /JOB_COMPLETION_INDEX must be a whole number/,
  );
});

test('--shard auto: Slurm arrays by COUNT, by MAX, with a step and a non-zero MIN', () => {
  assert.deepEqual(shardFromEnv({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '3' }), {
    index: 3,
    count: 3,
    source: 'slurm',
  });
  assert.deepEqual(shardFromEnv({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' }), {
    index: 5,
    count: 8,
    source: 'slurm',
  });
  // --array=0-12:4 → tasks 0, 4, 8, 12.
  const step = { SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '12', SLURM_ARRAY_TASK_STEP: '4' };
  assert.deepEqual(shardFromEnv({ ...step, SLURM_ARRAY_TASK_ID: '8' }), { index: 3, count: 4, source: 'slurm' });
  assert.throws(() => shardFromEnv({ ...step, SLURM_ARRAY_TASK_ID: '6' }), /SLURM_ARRAY_TASK_ID=6 is not in the array/);
  assert.throws(
    () => shardFromEnv({ SLURM_ARRAY_TASK_ID: '1' }),
    /neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX/,
  );
  // VSUM_SHARD_COUNT fixes the count: a task resubmitted alone (--array=3) keeps its share of the full array.
  const alone = {
    SLURM_ARRAY_TASK_ID: '3',
    SLURM_ARRAY_TASK_MIN: '3',
    SLURM_ARRAY_TASK_MAX: '3',
    SLURM_ARRAY_TASK_COUNT: '1',
  };
  assert.deepEqual(shardFromEnv({ ...alone, VSUM_SHARD_COUNT: '8' }), { index: 4, count: 8, source: 'slurm' });
  assert.deepEqual(shardFromEnv(alone), { index: 1, count: 1, source: 'slurm' });
  assert.throws(() => shardFromEnv({ ...alone, VSUM_SHARD_COUNT: '3' }), /not below VSUM_SHARD_COUNT=3/);
});

test('--shard auto with no engine environment names every variable it looked for', () => {
  assert.throws(
    () => parseShard('auto', {}),
    (e: unknown) => {
      assert.ok(e instanceof VsumError);
      for (const v of [
        'JOB_COMPLETION_INDEX',
        'VSUM_SHARD_COUNT',
        'SLURM_ARRAY_TASK_ID',
        'SLURM_ARRAY_TASK_MIN',
        'SLURM_ARRAY_TASK_COUNT',
        'SLURM_ARRAY_TASK_MAX',
      ])
        assert.ok(e.message.includes(v), `${v} named: ${e.message}`);
      return true;
    },
  );
});
