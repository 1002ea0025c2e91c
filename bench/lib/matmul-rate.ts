/**
 * The machine's bare onnxruntime MatMul rate on the model's own GEMM shapes: for each shape the profiler found
 * (bench/lib/op-profile.ts) one MatMul node of exactly that shape — a shared [k, n] weight, or per-batch B for
 * attention's products — on the CPU EP with the given threads, best of a few runs. The model's work divided by the
 * time these bare products take is the ceiling its achieved GFLOP/s is judged against.
 */
import { onnx } from 'onnx-proto';
import { loadOrt } from '../../src/core/model/session';
import type { GemmShape } from './op-profile';

const fill = (n: number, seed: number) => new Float32Array(n).map((_, i) => (((i * seed) % 1000) / 500 - 1) * 0.03);

/** Seconds of the best of `runs` runs of one bare MatMul of `shape`. */
async function bareMatMulSeconds(shape: GemmShape, threads: number, runs: number): Promise<number> {
  const { batch, m, k, n, sharedB } = shape;
  const f = onnx.TensorProto.DataType.FLOAT;
  const vi = (name: string, dims: number[]) => ({
    name,
    type: { tensorType: { elemType: f, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const aDims = batch > 1 ? [batch, m, k] : [m, k];
  const bDims = sharedB ? [k, n] : [batch, k, n];
  const bytes = onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 14 }],
    graph: {
      name: 'matmul',
      node: [{ opType: 'MatMul', input: ['a', 'b'], output: ['y'] }],
      initializer: sharedB
        ? [{ name: 'b', dataType: f, dims: bDims, rawData: new Uint8Array(fill(k * n, 2654435761).buffer) }]
        : [],
      input: sharedB ? [vi('a', aDims)] : [vi('a', aDims), vi('b', bDims)],
      output: [vi('y', batch > 1 ? [batch, m, n] : [m, n])],
    },
  }).finish();
  const ort = loadOrt();
  const s = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const feed: Record<string, import('onnxruntime-node').Tensor> = {
    a: new ort.Tensor('float32', fill(batch * m * k, 7919), aDims),
  };
  if (!sharedB) feed.b = new ort.Tensor('float32', fill(batch * k * n, 104729), bDims);
  await s.run(feed);
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await s.run(feed);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  await s.release();
  return best;
}

export interface ShapedRate {
  /** The model's GEMM work over the summed time of the bare products, GFLOP/s. */
  gflops: number;
  perShape: { shape: string; gflop: number; gflops: number }[];
}

/** The bare rate on `shapes`, each weighted by how often the model runs it (`count`). */
export async function bareMatMulGflops(
  shapes: (GemmShape & { count: number })[],
  threads: number,
  runs = 3,
): Promise<ShapedRate> {
  let flop = 0;
  let seconds = 0;
  const perShape: ShapedRate['perShape'] = [];
  for (const sh of shapes) {
    const t = await bareMatMulSeconds(sh, threads, runs);
    const one = 2 * sh.batch * sh.m * sh.k * sh.n;
    flop += one * sh.count;
    seconds += t * sh.count;
    perShape.push({
      shape: `${sh.batch}×[${sh.m}×${sh.k}]·[${sh.k}×${sh.n}]${sh.sharedB ? '' : ' (per-batch B)'}`,
      gflop: (one * sh.count) / 1e9,
      gflops: one / t / 1e9,
    });
  }
  return { gflops: flop / seconds / 1e9, perShape };
}
