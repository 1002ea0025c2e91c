/**
 * The machine's bare onnxruntime MatMul rate: one MatMul node of the TimeSformer's largest shape (the MLP's
 * [8·197, 768] × [768, 3072]) on the CPU EP with the given threads, best of a few runs — the ceiling against which
 * the model's achieved GFLOP/s is judged.
 */
import { onnx } from 'onnx-proto';
import { loadOrt } from '../../src/core/model/session';

export async function bareMatMulGflops(threads: number, runs = 5): Promise<{ gflops: number; shape: string }> {
  const [M, K, N] = [8 * 197, 768, 3072];
  const f = onnx.TensorProto.DataType.FLOAT;
  const w = new Float32Array(K * N).map((_, i) => (((i * 2654435761) % 1000) / 500 - 1) * 0.03);
  const bytes = onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 14 }],
    graph: {
      name: 'matmul',
      node: [{ opType: 'MatMul', input: ['a', 'w'], output: ['y'] }],
      initializer: [{ name: 'w', dataType: f, dims: [K, N], rawData: new Uint8Array(w.buffer) }],
      input: [{ name: 'a', type: { tensorType: { elemType: f, shape: { dim: [{ dimValue: M }, { dimValue: K }] } } } }],
      output: [
        { name: 'y', type: { tensorType: { elemType: f, shape: { dim: [{ dimValue: M }, { dimValue: N }] } } } },
      ],
    },
  }).finish();
  const ort = loadOrt();
  const s = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const a = new ort.Tensor(
    'float32',
    new Float32Array(M * K).map((_, i) => ((i * 7919) % 200) / 100 - 1),
    [M, K],
  );
  await s.run({ a });
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await s.run({ a });
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  await s.release();
  return { gflops: (2 * M * K * N) / best / 1e9, shape: `[${M}, ${K}] × [${K}, ${N}]` };
}
