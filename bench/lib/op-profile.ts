/**
 * Where the time of one clip goes: onnxruntime's own profiler (`enableProfiling`) on a session opened like the
 * embedder's, read back as time per op type and the floating-point work of every GEMM-like node, counted from the
 * input/output shapes the profiler records (2·M·K·N; Conv: 2·output size·kernel volume). The counted work is the
 * honest denominator of an achieved GFLOP/s, and the GEMM shapes are what a fair bare-MatMul baseline runs.
 */
import fs from 'node:fs';
import type * as Ort from 'onnxruntime-node';
import { loadOrt, openSession } from '../../src/core/model/session';
import { tmpPath } from './inputs';

interface ProfileEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: {
    op_name?: string;
    input_type_shape?: Record<string, number[]>[];
    output_type_shape?: Record<string, number[]>[];
  };
}

/** One GEMM shape of the model: `batch` independent [m, k] × [k, n] products per run. */
export interface GemmShape {
  batch: number;
  m: number;
  k: number;
  n: number;
  /** B is one [k, n] matrix for the whole batch (a weight), not one per batch entry (attention's products). */
  sharedB: boolean;
}

export interface OpProfile {
  /** Wall time of the profiled run(s), ms per run. */
  runMs: number;
  /** Summed node time per op type, ms per run, largest first. */
  byOp: { op: string; ms: number; share: number; nodes: number; gflop: number }[];
  /** GFLOP of one run, counted from the shapes. */
  gflop: number;
  /** Time in GEMM-like nodes (MatMul, Gemm, FusedMatMul, quantized MatMuls, Conv), ms per run. */
  gemmMs: number;
  /** Each distinct GEMM shape with its GFLOP and ms per run. */
  shapes: (GemmShape & { op: string; count: number; gflop: number; ms: number })[];
}

const GEMM_LIKE = /MatMul|Gemm|Conv/;

const dimsOf = (s: Record<string, number[]> | undefined): number[] => (s ? (Object.values(s)[0] ?? []) : []);
const prod = (d: number[]): number => d.reduce((a, b) => a * b, 1);

/** The [batch, m, k, n] of a MatMul-like node from its recorded shapes (K is A's dim that is not the output's M). */
function gemmShape(op: string, ins: number[][], out: number[]): GemmShape | undefined {
  const a = ins[0];
  if (!a?.length || !out.length) return undefined;
  if (op === 'Conv') {
    const w = ins[1];
    if (!w?.length) return undefined;
    // As an implicit GEMM: [output pixels, kernel volume] × [kernel volume, output channels].
    return { batch: 1, m: prod(out) / out[1], k: prod(w.slice(1)), n: out[1], sharedB: true };
  }
  const n = out[out.length - 1];
  const m = out.length > 1 ? out[out.length - 2] : 1;
  const k = a.length > 1 && a[a.length - 1] === m && a[a.length - 2] !== m ? a[a.length - 2] : a[a.length - 1];
  return { batch: prod(out) / (m * n), m, k, n, sharedB: (ins[1]?.length ?? 2) <= 2 };
}

/**
 * Profile `runs` runs of `feed` on a session of `modelPath` opened with vsum's options for `threads` CPU threads
 * plus `overrides` (after one unprofiled warm-up run).
 */
export async function profileRuns(
  modelPath: string,
  feed: Record<string, Ort.Tensor>,
  threads: number,
  runs = 1,
  overrides: Ort.InferenceSession.SessionOptions = {},
): Promise<OpProfile> {
  const prefix = tmpPath('profile', `ort-${process.pid}-${Date.now()}`);
  const ms = await openSession(modelPath, {
    ep: 'cpu',
    threads,
    overrides: { ...overrides, enableProfiling: true, profileFilePrefix: prefix },
  });
  const s = ms.session as Ort.InferenceSession & { endProfiling(): void };
  await s.run(feed);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await s.run(feed);
  const runMs = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
  s.endProfiling();
  await ms.release();
  const dir = tmpPath('profile', '.keep').replace(/\.keep$/, '');
  const base = prefix.slice(dir.length);
  const file = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(base) && f.endsWith('.json'))
    .map((f) => dir + f)[0];
  if (!file) throw new Error(`onnxruntime wrote no profile next to ${prefix}`);
  const events = JSON.parse(fs.readFileSync(file, 'utf8')) as ProfileEvent[];
  fs.rmSync(file, { force: true });
  const modelRuns = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  // The warm-up run is the first model_run: keep the node events of the later ones.
  const from = modelRuns.length > runs ? modelRuns[modelRuns.length - runs].ts : 0;
  const byOp = new Map<string, { ms: number; nodes: number; gflop: number }>();
  const shapes = new Map<string, GemmShape & { op: string; count: number; gflop: number; ms: number }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < from) continue;
    const op = e.args?.op_name ?? '?';
    const msNode = e.dur / 1000 / runs;
    let gflop = 0;
    if (GEMM_LIKE.test(op)) {
      const g = gemmShape(op, (e.args?.input_type_shape ?? []).map(dimsOf), dimsOf(e.args?.output_type_shape?.[0]));
      if (g) {
        gflop = (2 * g.batch * g.m * g.k * g.n) / 1e9 / runs;
        const key = `${op} ${g.batch}×[${g.m}×${g.k}]·[${g.k}×${g.n}]`;
        const sh = shapes.get(key) ?? { ...g, op, count: 0, gflop: 0, ms: 0 };
        sh.count += 1 / runs;
        sh.gflop += gflop;
        sh.ms += msNode;
        shapes.set(key, sh);
      }
    }
    const o = byOp.get(op) ?? { ms: 0, nodes: 0, gflop: 0 };
    o.ms += msNode;
    o.nodes += 1 / runs;
    o.gflop += gflop;
    byOp.set(op, o);
  }
  const nodeMs = [...byOp.values()].reduce((a, o) => a + o.ms, 0);
  return {
    runMs,
    byOp: [...byOp.entries()].map(([op, o]) => ({ op, ...o, share: o.ms / nodeMs })).sort((a, b) => b.ms - a.ms),
    gflop: [...byOp.values()].reduce((a, o) => a + o.gflop, 0),
    gemmMs: [...byOp.entries()].filter(([op]) => GEMM_LIKE.test(op)).reduce((a, [, o]) => a + o.ms, 0),
    shapes: [...shapes.values()].sort((a, b) => b.gflop - a.gflop),
  };
}

/** A random float32 input of `dims`, deterministic. */
export function randomInput(dims: number[]): Ort.Tensor {
  const ort = loadOrt();
  const x = new Float32Array(prod(dims)).map((_, i) => ((i * 2654435761) % 1000) / 500 - 1);
  return new ort.Tensor('float32', x, dims);
}
