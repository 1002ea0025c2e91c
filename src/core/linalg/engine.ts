/**
 * Dense products on onnxruntime's CPU kernels (MLAS GEMM, multithreaded): Y = A·Bᵀ through a one-node ONNX graph
 * (Gemm, transB) built once per process with dynamic shapes (ALGORITHMS.md §Linear algebra), in float64 (the features are float32; every float32 is exact in float64, and cpd_auto / k-means compare sums
 * that cancel). The graphs' ModelProto bytes come from onnx-proto (protobufjs), which src/core/model already uses
 * for graph surgery, so no hand-written protobuf encoder.
 *
 * onnxruntime-node's `session.run` runs the graph synchronously on the calling thread (inside a setImmediate; see
 * its dist/backend.js), so one call blocks the event loop for as long as the product takes. Every product is
 * therefore cut into row blocks of at most WORK_PER_RUN multiply-adds (≈ 10–30 ms), and the signal is
 * checked between blocks: a cancel is seen within one block. Nothing here waits on Atomics.
 *
 * onnxruntime is loaded on first use only (the extension activates without it). Where it cannot be loaded, the
 * same products run as plain loops in JS (slower, same results up to rounding), so k-means and KTS never depend on
 * the native binding being present.
 */
import type * as Ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { throwIfAborted } from '../errors';
import { loadOrt } from '../model/session';

/** Multiply-adds per session.run: bounds how long one call holds the event loop. */
const WORK_PER_RUN = 1 << 27;
/** Below this many multiply-adds a JS loop beats a session.run round trip (tensor setup, copies). */
const MIN_ENGINE_WORK = 1 << 14;

let threads = defaultThreads();
let session: Promise<Ort.InferenceSession | null> | undefined;

function defaultThreads(): number {
  const env = Number(process.env.VSUM_THREADS);
  return Number.isInteger(env) && env >= 1 ? env : 0; // 0: onnxruntime's default, one per core
}

/** A float64 tensor type with symbolic dimensions. */
function valueInfo(name: string, dims: string[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: { elemType: onnx.TensorProto.DataType.DOUBLE, shape: { dim: dims.map((d) => ({ dimParam: d })) } },
    },
  };
}

/** The ModelProto bytes of Y = A·Bᵀ for A: n × d, B: m × d, all float64 and every dimension dynamic. */
export function dotModel(): Uint8Array {
  const transB: onnx.IAttributeProto = { name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'vsum',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'dot',
      node: [{ opType: 'Gemm', input: ['A', 'B'], output: ['Y'], attribute: [transB] }],
      input: [valueInfo('A', ['n', 'd']), valueInfo('B', ['m', 'd'])],
      output: [valueInfo('Y', ['n', 'm'])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function openSession(): Promise<Ort.InferenceSession | null> {
  if (!session) {
    session = (async () => {
      let ort: ReturnType<typeof loadOrt>;
      try {
        ort = loadOrt();
      } catch {
        return null; // no native binding here: the JS loops below
      }
      const opts: Ort.InferenceSession.SessionOptions = {
        executionProviders: ['cpu'],
        ...(threads ? { intraOpNumThreads: threads } : {}),
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        // Spinning threads would compete with ffmpeg and the embedder between our short calls.
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      };
      return ort.InferenceSession.create(dotModel(), opts);
    })();
  }
  return session;
}

/** out[i·nB + j] = a_i · b_j in plain loops (the fallback, and products too small for a session.run). */
function dotJs(a: Float64Array, nA: number, b: Float64Array, nB: number, d: number, out: Float64Array): void {
  for (let i = 0; i < nA; i++) {
    const ao = i * d;
    for (let j = 0; j < nB; j++) {
      const bo = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) s += a[ao + t] * b[bo + t];
      out[i * nB + j] = s;
    }
  }
}

/**
 * a·bᵀ: out[i·nB + j] = a_i · b_j for the row-major matrices a (nA × d) and b (nB × d), row-major into `out` (allocated when
 * not given). Callers keep nA × nB bounded (they work in row blocks); this splits further so that no single
 * session.run exceeds WORK_PER_RUN. Deterministic: the same shapes always take the same blocks and kernels.
 */
export async function dotRows(
  a: Float64Array,
  nA: number,
  b: Float64Array,
  nB: number,
  d: number,
  signal?: AbortSignal,
  out = new Float64Array(nA * nB),
): Promise<Float64Array> {
  if (nA === 0 || nB === 0) return out;
  const s = nA * nB * d >= MIN_ENGINE_WORK ? await openSession() : null;
  if (!s) {
    dotJs(a, nA, b, nB, d, out);
    return out;
  }
  const ort = loadOrt();
  const bT = new ort.Tensor('float64', b.subarray(0, nB * d), [nB, d]);
  const rowsPerRun = Math.max(1, Math.floor(WORK_PER_RUN / Math.max(1, nB * d)));
  for (let r0 = 0; r0 < nA; r0 += rowsPerRun) {
    throwIfAborted(signal, 'a matrix product');
    const nr = Math.min(rowsPerRun, nA - r0);
    const aT = new ort.Tensor('float64', a.subarray(r0 * d, (r0 + nr) * d), [nr, d]);
    const res = await s.run({ A: aT, B: bT });
    out.set(res.Y.data as Float64Array, r0 * nB);
    res.Y.dispose();
  }
  return out;
}

/** Whether products run on onnxruntime (false: it could not be loaded here; the JS loops run instead). */
export async function engineAvailable(): Promise<boolean> {
  return (await openSession()) !== null;
}

/**
 * Intra-op threads for later products (default: onnxruntime's, one per core; or VSUM_THREADS). The session already
 * open is closed and reopened with the new count. Returns the previous setting (0 = the default).
 */
export async function setLinalgThreads(n: number): Promise<number> {
  if (!(Number.isInteger(n) && n >= 0))
    throw new RangeError(`threads must be a whole number ≥ 0 (0 = one per core), got ${n}`);
  const previous = threads;
  await closeLinalgEngine();
  threads = n;
  return previous;
}

/** Releases the product session (a later product opens them again). */
export async function closeLinalgEngine(): Promise<void> {
  const s = session;
  session = undefined;
  const open = await s?.catch(() => null);
  if (open) await open.release();
}
