/**
 * dotTiles (dot-tiles.ts, or its WebAssembly SIMD twin wasm-tiles.ts) and sqDistTiles (sqdist-tiles.ts) split
 * over the machine's cores with worker_threads, behind a synchronous call: the matrices live in SharedArrayBuffers
 * (sharedFloat64) or a shared wasm memory, each worker computes its 4-row tiles in place, the calling thread
 * computes part 0 and then blocks in Atomics.wait until every worker has flagged its part done. Results are
 * bit-identical to a single-threaded dotTiles (each entry is computed by exactly one thread, in the same order).
 *
 * The pool is created on the first large call, reused, unref'd (it never keeps the process alive) and closed with
 * closeLinalgPool(). Small products stay on the calling thread (a round trip costs ~0.1 ms). A worker that fails
 * or does not answer within WORKER_TIMEOUT_MS has its part recomputed here and the pool is dropped for good:
 * threads are only ever a speed-up, never a new way to fail.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { dotTiles } from './dot-tiles';
import { sqDistTiles } from './sqdist-tiles';
import { tileModuleBytes, wasmDotPart } from './wasm-tiles';

/** Below this many multiply-adds the product stays on the calling thread (≈ 2 ms of work). */
const MIN_PARALLEL_WORK = 1 << 22;
/** Below this the copies into wasm memory cost more than the SIMD tiles save. */
const MIN_WASM_WORK = 1 << 16;
/** Generous: a worker's first job waits for its thread to boot (tens of ms, more on a loaded machine). */
const WORKER_TIMEOUT_MS = 30_000;

interface PoolWorker {
  worker: Worker;
  /** ctl[0]: the last finished job's sequence number; ctl[1]: 1 = ok, 2 = threw. */
  ctl: Int32Array;
}

let wasmModule: WebAssembly.Module | null | undefined; // undefined: not tried; null: no wasm SIMD here
let useWasm = process.env.VSUM_WASM !== '0';
let pool: PoolWorker[] | null | undefined; // undefined: not tried yet; null: unavailable / disabled
let seq = 0;
let maxThreads = defaultThreads();

function defaultThreads(): number {
  const env = Number(process.env.VSUM_THREADS);
  if (Number.isInteger(env) && env >= 1) return env;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores));
}

/** The worker: the two kernels' own source plus a message loop (eval'd, so bundling needs no extra entry file). */
function workerSource(): string {
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const __name = (f) => f; // esbuild's keepNames helper, in case the function text refers to it
const dotTiles = (${dotTiles.toString()});
const sqDistTiles = (${sqDistTiles.toString()});
const wasmDotPart = (${wasmDotPart.toString()});
const ctl = workerData.ctl;
parentPort.on('message', (j) => {
  let status = 1;
  try {
    if (j.op === 'wasm') {
      const tile = new WebAssembly.Instance(j.module, { m: { mem: j.memory } }).exports[j.kernel];
      wasmDotPart(tile, j.aOff, j.pOff, j.outOff, j.nA, j.nB, j.d, j.lower, j.part, j.parts);
    } else if (j.op === 'dot') dotTiles(j.a, j.nA, j.b, j.nB, j.d, j.out, j.lower, j.part, j.parts);
    else sqDistTiles(j.a, j.nA, j.b, j.nB, j.d, j.out, j.part, j.parts);
  } catch { status = 2; }
  Atomics.store(ctl, 1, status);
  Atomics.store(ctl, 0, j.seq);
  Atomics.notify(ctl, 0);
});`;
}

function getPool(): PoolWorker[] | null {
  if (pool !== undefined) return pool;
  if (maxThreads < 2) return (pool = null);
  try {
    const src = workerSource();
    pool = [];
    for (let i = 1; i < maxThreads; i++) {
      const ctl = new Int32Array(new SharedArrayBuffer(8));
      const worker = new Worker(src, { eval: true, workerData: { ctl } });
      worker.unref();
      worker.on('error', () => dropPool());
      pool.push({ worker, ctl });
    }
  } catch {
    dropPool();
  }
  return pool ?? null;
}

function dropPool(): void {
  const p = pool;
  pool = null;
  for (const w of p ?? []) void w.worker.terminate();
}

/** A float64 array other threads can write into (an ordinary one when SharedArrayBuffer is unavailable). */
export function sharedFloat64(length: number): Float64Array {
  return typeof SharedArrayBuffer === 'function' ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

const isShared = (x: Float64Array) => typeof SharedArrayBuffer === 'function' && x.buffer instanceof SharedArrayBuffer;

function getWasmModule(): WebAssembly.Module | null {
  if (wasmModule !== undefined) return wasmModule;
  try {
    const bytes = tileModuleBytes();
    wasmModule = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    wasmModule = null;
  }
  return wasmModule;
}

/** Largest wasm arena (a, the column panels and out, in bytes): byte offsets must stay within i32. */
const MAX_WASM_BYTES = 2 ** 30;

/**
 * `op` through the wasm SIMD tiles (wasm-tiles.ts): a, b's column panels and out are laid out in a
 * fresh shared wasm memory, the whole tiles run on this thread and the pool (each instantiates the module on that
 * memory), the n mod 4 leftover rows and columns in JS (same in-order sums), and out is copied back.
 * Returns false (nothing done) when wasm SIMD is unavailable or the arena would be too large.
 */
function wasmTiles(op: TileOp, a: Float64Array, nA: number, b: Float64Array, nB: number, d: number, out: Float64Array, lower: boolean, parallel: boolean): boolean {
  const module = useWasm ? getWasmModule() : null;
  const nA4 = nA - (nA % 4);
  const nB4 = nB - (nB % 4);
  const aBytes = nA * d * 8, pBytes = nB4 * d * 8, oBytes = nA * nB * 8;
  if (!module || nA4 === 0 || nB4 === 0 || aBytes + pBytes + oBytes > MAX_WASM_BYTES) return false;
  const pages = Math.ceil((aBytes + pBytes + oBytes) / 65536);
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return false; // out of memory for the arena: the JS tiles need none
  }
  const f = new Float64Array(memory.buffer);
  const aOff = 0, pOff = aBytes, outOff = aBytes + pBytes;
  f.set(a.subarray(0, nA * d), 0);
  for (let j = 0, p = pOff / 8; j < nB4; j += 4, p += 4 * d)
    for (let t = 0; t < d; t++) for (let c = 0; c < 4; c++) f[p + t * 4 + c] = b[(j + c) * d + t];
  type Tile = (a: number, b: number, d: number, out: number, os: number) => void;
  const tile = (new WebAssembly.Instance(module, { m: { mem: memory } }).exports as Record<TileOp, Tile>)[op];
  const workers = parallel ? getPool() : null;
  if (!workers || workers.length === 0) wasmDotPart(tile, aOff, pOff, outOff, nA, nB, d, lower, 0, 1);
  else {
    const parts = workers.length + 1;
    const job = ++seq;
    workers.forEach((w, i) => w.worker.postMessage({ op: 'wasm', kernel: op, module, memory, aOff, pOff, outOff, nA, nB, d, lower, part: i + 1, parts, seq: job }));
    wasmDotPart(tile, aOff, pOff, outOff, nA, nB, d, lower, 0, parts);
    awaitParts(workers, job, (part) => wasmDotPart(tile, aOff, pOff, outOff, nA, nB, d, lower, part, parts));
  }
  out.set(f.subarray(outOff / 8, outOff / 8 + nA * nB));
  // Leftovers one entry at a time, as in dotTiles / sqDistTiles: columns past the last whole tile, then rows.
  for (let i = 0; i < nA; i++) {
    const jTo = lower ? Math.min(i + 1, nB) : nB;
    for (let j = i < nA4 ? nB4 : 0; j < jTo; j++) {
      let s = 0;
      if (op === 'dot') for (let t = 0, ao = i * d, bo = j * d; t < d; t++) s += a[ao + t] * b[bo + t];
      else {
        for (let t = 0, ao = i * d, bo = j * d; t < d; t++) {
          const v = a[ao + t] - b[bo + t];
          s += v * v;
        }
      }
      out[i * nB + j] = s;
    }
  }
  return true;
}

/** Blocks until every worker has flagged job `job` done; a part that failed or timed out is redone by `redo`. */
function awaitParts(workers: PoolWorker[], job: number, redo: (part: number) => void): void {
  const deadline = Date.now() + WORKER_TIMEOUT_MS;
  let failed = false;
  workers.forEach((w, i) => {
    for (;;) {
      const v = Atomics.load(w.ctl, 0);
      if (v === job) break;
      if (Date.now() > deadline) { failed = true; break; }
      Atomics.wait(w.ctl, 0, v, 100);
    }
    if (Atomics.load(w.ctl, 0) !== job || Atomics.load(w.ctl, 1) !== 1) {
      failed = true;
      redo(i + 1);
    }
  });
  if (failed) dropPool();
}

export type TileOp = 'dot' | 'sqdist';

function runPart(op: TileOp, a: Float64Array, nA: number, b: Float64Array, nB: number, d: number, out: Float64Array, lower: boolean, part: number, parts: number): void {
  if (op === 'dot') dotTiles(a, nA, b, nB, d, out, lower, part, parts);
  else sqDistTiles(a, nA, b, nB, d, out, part, parts);
}

/**
 * out = a·bᵀ ('dot'; `lower`: a is b and only the lower triangle is wanted) or the squared distances between
 * their rows ('sqdist'), nA × nB row-major, using the worker pool when the product is large and a, b and out are
 * shared (sharedFloat64); otherwise on this thread. Synchronous.
 */
export function parallelTiles(op: TileOp, a: Float64Array, nA: number, b: Float64Array, nB: number, d: number, out: Float64Array, lower = false): void {
  lower = lower && op === 'dot';
  const work = nA * nB * d * (lower ? 0.5 : 1);
  const large = work >= MIN_PARALLEL_WORK && nA >= 8;
  if (work >= MIN_WASM_WORK && wasmTiles(op, a, nA, b, nB, d, out, lower, large)) return;
  const workers = large && isShared(a) && isShared(b) && isShared(out) ? getPool() : null;
  if (!workers || workers.length === 0) {
    runPart(op, a, nA, b, nB, d, out, lower, 0, 1);
    return;
  }
  const parts = workers.length + 1;
  const job = ++seq;
  workers.forEach((w, i) => w.worker.postMessage({ op, a, nA, b, nB, d, out, lower, part: i + 1, parts, seq: job }));
  runPart(op, a, nA, b, nB, d, out, lower, 0, parts);
  awaitParts(workers, job, (part) => runPart(op, a, nA, b, nB, d, out, lower, part, parts));
}

/**
 * Threads used by parallelTiles from now on (1 = this thread only; the default is the core count, at most 4, or
 * the environment's VSUM_THREADS). Returns the previous setting.
 */
export function setLinalgThreads(n: number): number {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`threads must be a whole number ≥ 1, got ${n}`);
  const previous = maxThreads;
  void closeLinalgPool();
  maxThreads = n;
  return previous;
}

/** Whether products may use the WebAssembly SIMD tiles (default yes, or VSUM_WASM=0). Returns the previous setting. */
export function setLinalgWasm(on: boolean): boolean {
  const previous = useWasm;
  useWasm = on;
  return previous;
}

/** Workers running now (0 before the first large product, after closeLinalgPool, or when threads are off). */
export function linalgWorkers(): number {
  return pool ? pool.length : 0;
}

/** Terminates the worker pool (a later large call starts a new one). */
export async function closeLinalgPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await Promise.all((p ?? []).map((w) => w.worker.terminate()));
}
