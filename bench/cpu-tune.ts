/**
 * `npm run bench:cpu-tune`: the measurements behind vsum's CPU session options and its default thread count and
 * batch size, on the full-size random-weight TimeSformer (generated at bench time, bench/lib/full-model.ts).
 * Each arm is a session on the same derived graph; the arms run round-robin, one batch at a time, so the load of a
 * shared machine falls on all of them alike; the report is each arm's median clips/s against vsum's current options
 * (ratios only). Arms: onnxruntime options (spinning threads, optimization level, memory arena), intra-op threads
 * (1 … all cores) and batch sizes (2, the default, 8). BENCH_TUNE_ROUNDS (default 3) sets the rounds;
 * BENCH_TUNE_ARMS picks arms by name (comma-separated; `vsum`, the baseline, always runs). Prints one JSON line at the end.
 */
import os from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { fullModel } from './lib/full-model';
import { tmpPath } from './lib/inputs';
import { randomInput } from './lib/op-profile';
import { ensureDerived, ensureModel } from '../src/core/model/model-store';
import { openSession, type ModelSession } from '../src/core/model/session';
import { DEFAULT_CPU_BATCH, defaultCpuThreads } from '../src/core/model/cpu-defaults';

interface Arm {
  name: string;
  threads: number;
  batch: number;
  overrides?: Ort.InferenceSession.SessionOptions;
}

const cores = os.availableParallelism?.() ?? os.cpus().length;
const threads = defaultCpuThreads();
const spinning = { extra: { session: { intra_op: { allow_spinning: '1' }, inter_op: { allow_spinning: '1' } } } };
// The option and thread arms run batch 1 (their effect does not depend on the batch, and a loaded machine makes
// every clip count); the batch arms are judged per clip against the same batch-1 arm.
const ARMS: Arm[] = [
  { name: 'vsum', threads, batch: 1 },
  { name: 'spinning threads', threads, batch: 1, overrides: spinning },
  { name: "optimization 'extended'", threads, batch: 1, overrides: { graphOptimizationLevel: 'extended' } },
  { name: "optimization 'basic'", threads, batch: 1, overrides: { graphOptimizationLevel: 'basic' } },
  { name: 'no memory arena', threads, batch: 1, overrides: { enableCpuMemArena: false, enableMemPattern: false } },
  ...[...new Set([1, Math.max(1, Math.floor(cores / 2)), cores])]
    .filter((t) => t !== threads)
    .map((t) => ({ name: `${t} thread${t > 1 ? 's' : ''}`, threads: t, batch: 1 })),
  ...[2, DEFAULT_CPU_BATCH, 8]
    .filter((b, i, a) => a.indexOf(b) === i)
    .map((b) => ({ name: `batch ${b}`, threads, batch: b })),
];

async function main(): Promise<void> {
  const pick = process.env.BENCH_TUNE_ARMS?.split(',').map((s) => s.trim());
  const arms = pick ? ARMS.filter((a) => a.name === 'vsum' || pick.includes(a.name)) : ARMS;
  const rounds = Number(process.env.BENCH_TUNE_ROUNDS ?? 3);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const resolved = await ensureModel({ model: fullModel(log) });
  const cacheDir = tmpPath('model-cache', '.keep').replace(/\.keep$/, '');
  const derived = await ensureDerived(resolved, { attention: false, cacheDir });
  const g = derived.inspection.geometry;
  const clip = [g.frames, 3, g.imageSize, g.imageSize];
  // clips/s (wall) decides threads and batch; CPU seconds a clip (this process, user + system) is the figure a
  // loaded machine disturbs least, and judges the options that do not change the parallelism.
  const open: { arm: Arm; ms: ModelSession; feed: Record<string, Ort.Tensor>; rates: number[]; cpu: number[] }[] = [];
  for (const arm of arms) {
    const ms = await openSession(derived.path, { ep: 'cpu', threads: arm.threads, overrides: arm.overrides });
    const feed = { [g.inputName]: randomInput([arm.batch, ...clip]) };
    await ms.session.run(feed); // warm-up: first-run allocations and kernel selection
    open.push({ arm, ms, feed, rates: [], cpu: [] });
  }
  log(`load average ${os.loadavg()[0].toFixed(1)} on ${cores} cores; ${arms.length} arms × ${rounds} rounds`);
  for (let r = 0; r < rounds; r++)
    for (const o of r % 2 ? [...open].reverse() : open) {
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      await o.ms.session.run(o.feed);
      const c = process.cpuUsage(c0);
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      o.rates.push(o.arm.batch / s);
      o.cpu.push((c.user + c.system) / 1e6 / o.arm.batch);
      log(
        `round ${r + 1} ${o.arm.name}: ${(o.arm.batch / s).toFixed(3)} clips/s, ${o.cpu.at(-1)!.toFixed(2)} CPU s/clip`,
      );
    }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const base = median(open[0].rates);
  const result = open.map((o) => ({
    arm: o.arm.name,
    threads: o.arm.threads,
    batch: o.arm.batch,
    clipsPerSecond: +median(o.rates).toFixed(4),
    vsVsum: +(median(o.rates) / base).toFixed(3),
    cpuSecondsPerClip: +median(o.cpu).toFixed(2),
    cpuVsVsum: +(median(o.cpu) / median(open[0].cpu)).toFixed(3),
    rates: o.rates.map((x) => +x.toFixed(4)),
  }));
  for (const o of open) await o.ms.release();
  for (const x of result)
    console.log(
      `${x.arm.padEnd(26)} ${x.clipsPerSecond.toFixed(3).padStart(7)} clips/s ${x.vsVsum.toFixed(2)}× vsum  ` +
        `${x.cpuSecondsPerClip.toFixed(2).padStart(6)} CPU s/clip ${x.cpuVsVsum.toFixed(2)}× vsum`,
    );
  console.log(JSON.stringify({ cores, loadAverage: os.loadavg(), rounds, result }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
