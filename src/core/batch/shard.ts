/**
 * Which share of a dataset one worker takes: `--shard I/N` (1-based) or `--shard auto`, read from the engine that
 * started the worker — a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, 0-based; the count from VSUM_SHARD_COUNT,
 * which the manifest sets) or a Slurm job array (SLURM_ARRAY_TASK_ID relative to SLURM_ARRAY_TASK_MIN and
 * SLURM_ARRAY_TASK_STEP; the count from SLURM_ARRAY_TASK_COUNT, or from SLURM_ARRAY_TASK_MAX; or, when VSUM_SHARD_COUNT
 * is set, the task ID as the 0-based shard number, so a single task can be resubmitted). Assignment is
 * strided over the videos sorted by name: shard I takes the I-th, (I+N)-th, … video. Strided rather than hashed
 * because it balances the shards to within one video; it is stable as long as every worker sees the same folder.
 */
import { VsumError } from '../errors';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
  /** Where the numbers came from: `--shard`, `kubernetes` or `slurm`. */
  source: 'flag' | 'kubernetes' | 'slurm';
}

export const ALL: Shard = { index: 1, count: 1, source: 'flag' };

export const SHARD_ENV = {
  kubernetes: ['JOB_COMPLETION_INDEX', 'VSUM_SHARD_COUNT'],
  slurm: [
    'SLURM_ARRAY_TASK_ID',
    'SLURM_ARRAY_TASK_MIN',
    'SLURM_ARRAY_TASK_COUNT',
    'SLURM_ARRAY_TASK_MAX',
    'SLURM_ARRAY_TASK_STEP',
  ],
} as const;

function shardError(message: string): VsumError {
  return new VsumError('BAD_INPUT', message);
}

/** `I/N` with 1 ≤ I ≤ N, or `auto`. */
export function parseShard(s: string, env: NodeJS.ProcessEnv = process.env): Shard {
  if (s.trim() === 'auto') return shardFromEnv(env);
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count)
    throw shardError(`--shard must be I/N with 1 ≤ I ≤ N (e.g. 2/4) or auto, got "${s}"`);
  return { index, count, source: 'flag' };
}

function envInt(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min)
    throw shardError(`--shard auto: ${name} must be a whole number ≥ ${min}, got "${raw}".`);
  return Number(raw);
}

export function shardFromEnv(env: NodeJS.ProcessEnv = process.env): Shard {
  const k8sIndex = envInt(env, 'JOB_COMPLETION_INDEX', 0);
  if (k8sIndex !== undefined) {
    const count = envInt(env, 'VSUM_SHARD_COUNT', 1);
    if (count === undefined)
      throw shardError(
        '--shard auto: JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but VSUM_SHARD_COUNT is not: ' +
          "set it in the manifest to the Job's completions (see docs/cluster.md).",
      );
    if (k8sIndex >= count)
      throw shardError(`--shard auto: JOB_COMPLETION_INDEX=${k8sIndex} is not below VSUM_SHARD_COUNT=${count}.`);
    return { index: k8sIndex + 1, count, source: 'kubernetes' };
  }
  const id = envInt(env, 'SLURM_ARRAY_TASK_ID', 0);
  if (id !== undefined) {
    // With the count fixed by VSUM_SHARD_COUNT, task IDs are the 0-based shard numbers, so one task can be rerun
    // on its own (`sbatch --array=3`) and still take the share it had in the full array.
    const fixed = envInt(env, 'VSUM_SHARD_COUNT', 1);
    if (fixed !== undefined) {
      if (id >= fixed)
        throw shardError(
          `--shard auto: SLURM_ARRAY_TASK_ID=${id} is not below VSUM_SHARD_COUNT=${fixed} (task IDs are 0-based shard numbers: --array=0-${fixed - 1}).`,
        );
      return { index: id + 1, count: fixed, source: 'slurm' };
    }
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN', 0) ?? 0;
    const step = envInt(env, 'SLURM_ARRAY_TASK_STEP', 1) ?? 1;
    const max = envInt(env, 'SLURM_ARRAY_TASK_MAX', 0);
    const count =
      envInt(env, 'SLURM_ARRAY_TASK_COUNT', 1) ?? (max !== undefined ? Math.floor((max - min) / step) + 1 : undefined);
    if (count === undefined)
      throw shardError(
        '--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is: ' +
          'run the worker from `sbatch --array`, which sets them.',
      );
    const offset = id - min;
    if (offset < 0 || offset % step !== 0 || offset / step >= count)
      throw shardError(
        `--shard auto: SLURM_ARRAY_TASK_ID=${id} is not in the array ${min}…(step ${step}, ${count} tasks); ` +
          'use a plain range such as --array=0-N-1 (a list like 1,5,9 cannot be numbered).',
      );
    return { index: offset / step + 1, count, source: 'slurm' };
  }
  throw shardError(
    '--shard auto found no job-array environment: set JOB_COMPLETION_INDEX and VSUM_SHARD_COUNT ' +
      '(Kubernetes Indexed Job), or run under `sbatch --array` (SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_MIN and ' +
      'SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MAX), or give --shard I/N.',
  );
}

/** This shard's items: every count-th, starting at the index-th (strided over the given, sorted order). */
export function shardItems<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}

export function describeShard(shard: Shard, total: number): string {
  const from =
    shard.source === 'flag'
      ? ''
      : ` from ${shard.source === 'kubernetes' ? 'JOB_COMPLETION_INDEX/VSUM_SHARD_COUNT' : 'SLURM_ARRAY_TASK_*'}`;
  return `shard ${shard.index}/${shard.count}${from}: strided over the ${total} videos sorted by name (numbers ${shard.index}, ${shard.index + shard.count}, …)`;
}
