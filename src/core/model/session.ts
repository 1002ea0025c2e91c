/**
 * onnxruntime-node sessions. onnxruntime is loaded lazily (a `require` inside a function), so the extension
 * activates and the CLI starts without loading the native binding; only running a model loads it.
 * `auto` tries CUDA → WebGPU → DirectML → CoreML → CPU, skipping what `probeProviders` says is absent and falling
 * through when a present provider still fails to start (no driver, no adapter); every decision is logged. CUDA and
 * WebGPU are first started in a child process (ep-probe.ts), so their native failure text never reaches the console.
 */
import type * as Ort from 'onnxruntime-node';
import { VsumError, throwIfAborted } from '../errors';
import { defaultCpuThreads } from './cpu-defaults';
import { probeInChild } from './ep-probe';
import { AUTO_ORDER, epUnavailable, probeProviders, type Ep, type EpChoice } from './providers';
import type { DerivedNode } from './surgery';

export type OrtModule = typeof Ort;

let ortModule: OrtModule | undefined;

/** Load onnxruntime-node on first use. */
export function loadOrt(): OrtModule {
  if (!ortModule) {
    try {
      ortModule = require('onnxruntime-node') as OrtModule;
    } catch (e) {
      throw new VsumError(
        'EP_UNAVAILABLE',
        `onnxruntime-node could not be loaded (${(e as Error).message}). Reinstall it: npm install onnxruntime-node.`,
        { cause: e },
      );
    }
  }
  return ortModule;
}

export function isOrtLoaded(): boolean {
  return ortModule !== undefined;
}

export interface SessionOptions {
  ep?: EpChoice;
  /** Intra-op threads for the CPU provider (default: the physical cores, cpu-defaults.ts). */
  threads?: number;
  log?: (message: string) => void;
  signal?: AbortSignal;
  /** The model is a graph vsum derived: load errors about types or shapes are then the derivation's, not the file's. */
  derived?: DerivedFrom;
  /** onnxruntime options laid over vsum's (profiling, optimization level…: the bench's experiments). */
  overrides?: Ort.InferenceSession.SessionOptions;
}

export interface DerivedFrom {
  /** The published / given model the graph was derived from, and its variant when known. */
  source: string;
  variant?: string;
  /** Arguments of `vsum model inspect` for this model. */
  inspectArgs: string;
  added: DerivedNode[];
}

export interface ModelSession {
  session: Ort.InferenceSession;
  ep: Ep;
  /** One line per provider considered: which ran and why the others did not. */
  decisions: string[];
  release(): Promise<void>;
}

/**
 * Concurrent WebGPU sessions crash onnxruntime on Linux: one per process. A second request falls back (auto) or
 * fails clearly (forced).
 */
let webgpuOpen = false;
/** Providers that failed to start once in this process are not retried (each try costs time and native noise). */
const failedToStart = new Map<Ep, string>();

/** onnxruntime's messages start with a source path and an assertion; keep what a user can read. */
function shortReason(e: unknown): string {
  const first = ((e as Error)?.message ?? String(e)).split('\n')[0];
  return first.replace(/^.*?(?:was false\. |\] : \d+ : \w+ : )/, '').slice(0, 240);
}

export function sessionOptions(ep: Ep, threads: number): Ort.InferenceSession.SessionOptions {
  const providers: Ort.InferenceSession.ExecutionProviderConfig[] = ep === 'cpu' ? ['cpu'] : [ep, 'cpu'];
  return {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: ep === 'cpu' ? threads : undefined,
    interOpNumThreads: 1,
    enableCpuMemArena: true,
    enableMemPattern: true,
    logSeverityLevel: 3,
    // Idle intra-op threads must not spin: while a batch infers, ffmpeg decodes the next clips on the same cores
    // (measured in the bench embed row: spinning threads slowed the pipelined embedding).
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

/** onnxruntime's type / shape checks at load: "Type Error: … of node (X) …", "[ShapeInferenceError] … Node (X) …". */
const TYPE_OR_SHAPE =
  /Type Error|type \(tensor|does not match expected type|ShapeInferenceError|TypeInferenceError|shape mismatch|Incompatible dimensions/i;

/**
 * A type or shape error in a derived graph: the file is fine (it parsed, and the derivation read it), so no
 * re-download can help. Name the variant, the node and what the derivation expected there.
 */
function derivationError(modelPath: string, derived: DerivedFrom, msg: string, e: unknown): VsumError {
  const first = msg.split('\n')[0].replace(/^.*?failed:/, '');
  const nodeName = /[Nn]ode \(([^)]+)\)/.exec(msg)?.[1];
  const ours = derived.added.find((a) => a.node === nodeName);
  const where = nodeName ? `at node ${nodeName}` : 'while checking types and shapes';
  const expected = ours
    ? `; the derivation added ${ours.node} (${ours.op}) reading ${ours.reads}, which it expected to be ${ours.expects}`
    : nodeName
      ? `; ${nodeName} is a node of the published graph that the derivation kept as it was`
      : '';
  const variant = derived.variant ? `variant ${derived.variant}` : 'a local model';
  return new VsumError(
    'MODEL',
    `The embedding graph vsum derived from ${derived.source} (${variant}) does not type-check ${where}: ${first}${expected}. ` +
      'The model file itself is fine (it parsed and was read); re-downloading it will not help. This export differs from what the derivation knows: ' +
      `run \`vsum model inspect ${derived.inspectArgs}\` and report its output with this message.`,
    { file: modelPath, cause: e },
  );
}

function describeLoadError(modelPath: string, e: unknown, derived?: DerivedFrom): VsumError {
  const msg = (e as Error)?.message ?? String(e);
  if (derived && TYPE_OR_SHAPE.test(msg)) return derivationError(modelPath, derived, msg, e);
  if (/protobuf|parsing|invalid model|load model|no graph|ModelProto|Invalid|truncat/i.test(msg))
    return new VsumError(
      'BAD_FILE',
      `${modelPath} could not be loaded as an ONNX model (${msg.split('\n')[0]}). The file is probably truncated or corrupt: delete it and run \`vsum model download\` again, or point --model at a complete .onnx file.`,
      { file: modelPath, cause: e },
    );
  return new VsumError('MODEL', `onnxruntime could not open ${modelPath}: ${msg.split('\n')[0]}`, {
    file: modelPath,
    cause: e,
  });
}

export async function openSession(modelPath: string, opts: SessionOptions = {}): Promise<ModelSession> {
  const choice = opts.ep ?? 'auto';
  const log = opts.log ?? (() => undefined);
  const threads = opts.threads ?? defaultCpuThreads();
  const probes = probeProviders();
  const decisions: string[] = [];
  const candidates: Ep[] = choice === 'auto' ? AUTO_ORDER : [choice];
  let lastError: unknown;
  for (const ep of candidates) {
    throwIfAborted(opts.signal, 'opening the model');
    const probe = probes.find((p) => p.ep === ep)!;
    if (!probe.available) {
      decisions.push(`${ep}: skipped — ${probe.reason}`);
      if (choice !== 'auto') throw epUnavailable(ep, probe.reason, probe.hint);
      continue;
    }
    const earlier = failedToStart.get(ep);
    if (earlier !== undefined) {
      decisions.push(`${ep}: skipped — it failed to start earlier in this process (${earlier})`);
      if (choice !== 'auto') throw epUnavailable(ep, earlier);
      continue;
    }
    if (ep === 'webgpu' && webgpuOpen) {
      const reason = 'a WebGPU session is already open in this process (onnxruntime allows one on Linux)';
      decisions.push(`${ep}: skipped — ${reason}`);
      if (choice !== 'auto') throw epUnavailable(ep, reason);
      continue;
    }
    const ort = loadOrt();
    const supported = ort.listSupportedBackends?.().find((b) => b.name === ep);
    if (ep !== 'cpu' && supported === undefined) {
      const reason = `this onnxruntime-node build does not include it (${process.platform}/${process.arch})`;
      decisions.push(`${ep}: skipped — ${reason}`);
      if (choice !== 'auto') throw epUnavailable(ep, reason);
      continue;
    }
    if (ep === 'cuda' || ep === 'webgpu') {
      // A failing GPU provider prints native text to stderr that JS cannot catch: ask a child process first.
      const child = await probeInChild(ep);
      if (!child.ok) {
        failedToStart.set(ep, child.reason);
        decisions.push(`${ep}: skipped — it does not start here: ${child.reason}`);
        if (choice !== 'auto') throw epUnavailable(ep, child.reason);
        continue;
      }
    }
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        ...sessionOptions(ep, threads),
        ...opts.overrides,
      });
      if (ep === 'webgpu') webgpuOpen = true;
      decisions.push(`${ep}: running${ep === 'cpu' ? ` (${threads} threads)` : ''}`);
      for (const d of decisions) log(`execution provider ${d}`);
      let released = false;
      return {
        session,
        ep,
        decisions,
        release: async () => {
          if (released) return;
          released = true;
          if (ep === 'webgpu') webgpuOpen = false;
          await session.release();
        },
      };
    } catch (e) {
      const err = describeLoadError(modelPath, e, opts.derived);
      // A broken model fails on every provider: say so at once.
      if (err.code === 'BAD_FILE' && ep === 'cpu') throw err;
      lastError = e;
      const first = shortReason(e);
      if (ep !== 'cpu') failedToStart.set(ep, first);
      decisions.push(`${ep}: failed to start — ${first}`);
      if (choice !== 'auto') {
        if (ep === 'cpu') throw err;
        throw epUnavailable(ep, first);
      }
    }
  }
  for (const d of decisions) log(`execution provider ${d}`);
  throw describeLoadError(modelPath, lastError, opts.derived);
}
