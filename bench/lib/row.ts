/**
 * What one bench row measures and reports. Each row is its own process (bench/rows/<id>.ts run through tsx by
 * bench/run.mjs), so a row's crash, memory or loaded native modules never affect another, and `runRow` writes the
 * row's result to the JSON file the orchestrator names in BENCH_RESULT.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Timing of one side (ours or the baseline) over repeats, in seconds. */
export interface Timing {
  label: string;
  runs: number;
  median: number;
  min: number;
  max: number;
  values: number[];
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface RowResult {
  id: string;
  title: string;
  status: 'ok' | 'pending' | 'error';
  /** Why the row is pending / what failed. */
  reason?: string;
  input: string;
  ours?: Timing;
  baseline?: Timing;
  /** `time`: ratio = our time / baseline time (lower is better); `rate`: ratio = our rate / baseline rate. */
  ratioKind?: 'time' | 'rate';
  ratio?: number;
  /** Throughput figures where the row is about a rate, e.g. { unit: 'frames/s', ours: 212, baseline: 230 }. */
  rate?: { unit: string; ours: number; baseline?: number };
  goal: string;
  goalMet?: boolean;
  checks: Check[];
  /** Extra measured figures (peak RSS, inertia ratio…). */
  figures: Record<string, number | string>;
  notes: string[];
  /** When the goal is missed: why, and what to do next. */
  missed?: { reason: string; next: string };
}

/** Thrown (via `pending`) when the component a row measures has not landed. */
export class Pending extends Error {}
export function pending(why: string): never {
  throw new Pending(why);
}

/** Import a module of the product; a missing module makes the row pending instead of failing the bench. */
export async function need<T>(spec: string, what: string): Promise<T> {
  try {
    return (await import(spec)) as T;
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    if (/Cannot find module|ERR_MODULE_NOT_FOUND|Could not resolve/i.test(msg))
      pending(`${what} has not landed (${path.basename(spec)} missing)`);
    throw e;
  }
}

/** Like need(), but also pending when the module lacks the export. */
export async function needExport<T>(spec: string, name: string, what: string): Promise<T> {
  const m = await need<Record<string, unknown>>(spec, what);
  if (m[name] === undefined) pending(`${what} has not landed (${path.basename(spec)} has no ${name})`);
  return m[name] as T;
}

export function stats(label: string, values: number[]): Timing {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { label, runs: s.length, median, min: s[0], max: s[s.length - 1], values };
}

/** Seconds of one call. */
export async function timeOnce(fn: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * Time ours and the baseline alternately (ours, base, ours, base, …) so drift in the machine's speed hits both
 * alike. `warmup` untimed calls of each first.
 */
export async function timePair(
  ours: () => unknown,
  base: () => unknown,
  opts: { repeats: number; warmup?: number; oursLabel: string; baseLabel: string },
): Promise<{ ours: Timing; baseline: Timing }> {
  for (let i = 0; i < (opts.warmup ?? 0); i++) {
    await ours();
    await base();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < opts.repeats; i++) {
    a.push(await timeOnce(ours));
    b.push(await timeOnce(base));
  }
  return { ours: stats(opts.oursLabel, a), baseline: stats(opts.baseLabel, b) };
}

export type RowBody = (r: RowResult) => Promise<void>;

/** Run a row body and write its result where the orchestrator expects it. */
export function runRow(id: string, title: string, goal: string, input: string, body: RowBody): void {
  const r: RowResult = { id, title, status: 'ok', input, goal, checks: [], figures: {}, notes: [] };
  const out = process.env.BENCH_RESULT;
  const write = () => {
    if (out) {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, JSON.stringify(r, null, 2));
    } else {
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    }
  };
  body(r).then(
    () => {
      if (r.ours && r.baseline && r.ratio === undefined) {
        r.ratioKind ??= 'time';
        r.ratio = r.ratioKind === 'time' ? r.ours.median / r.baseline.median : r.baseline.median / r.ours.median;
      }
      write();
      process.exit(0);
    },
    (e) => {
      if (e instanceof Pending) {
        r.status = 'pending';
        r.reason = e.message;
      } else {
        r.status = 'error';
        r.reason = e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 6).join('\n') : String(e);
      }
      write();
      process.exit(0);
    },
  );
}

/** "1.23 s", "45.6 ms", "789 µs". */
export function fmtSeconds(s: number): string {
  if (s >= 1) return `${s.toFixed(2)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toFixed(1)} ms`;
  return `${(s * 1e6).toFixed(0)} µs`;
}
