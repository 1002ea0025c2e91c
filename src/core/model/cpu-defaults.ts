/**
 * The CPU defaults of a TimeSformer session: intra-op threads and clips per inference call. Measured with
 * `npm run bench:cpu-tune` (bench/cpu-tune.ts; the figures are in the README's benchmark section).
 * ALGORITHMS.md §cpu-defaults.
 */
import fs from 'node:fs';
import os from 'node:os';

/** Clips per `session.run` on the CPU (measured: see the file comment). */
export const DEFAULT_CPU_BATCH = 4;

/**
 * Physical cores: one GEMM thread per core (a second hyper-thread on a core shares its vector units, so
 * onnxruntime's own default is the physical count too). Linux: distinct (physical id, core id) pairs of
 * /proc/cpuinfo; elsewhere, or when that file says nothing, the logical count.
 */
export function defaultCpuThreads(): number {
  const logical = os.availableParallelism?.() ?? os.cpus().length;
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const cores = new Set<string>();
    for (const block of info.split(/\n\s*\n/)) {
      const phys = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
      const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
      if (phys !== undefined && core !== undefined) cores.add(`${phys}:${core}`);
    }
    return cores.size > 0 ? Math.min(cores.size, logical) : logical;
  } catch {
    return logical;
  }
}
