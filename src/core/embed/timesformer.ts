/**
 * The TimeSformer embedder: one 8-frame clip → the CLS token after the final LayerNorm (768 floats for the k600
 * model), computed by onnxruntime on the derived embedding graph (src/core/model/surgery.ts). Clips are batched on
 * the graph's dynamic batch axis. Construction resolves (and if needed downloads) the model, derives the graph
 * and opens the session — onnxruntime is loaded only here, never at import time.
 */
import type * as Ort from 'onnxruntime-node';
import { VsumError, throwIfAborted } from '../errors';
import type { DownloadProgress } from '../model/download';
import type { ModelVariant } from '../model/hub';
import { derivedFrom, ensureDerived, ensureModel, isHubModel, type ResolvedModel } from '../model/model-store';
import { defaultVariantFor } from '../model/variant-choice';
import {
  channelTables,
  fillPixelValues,
  preprocessing,
  toFloat16Bits,
  type PreprocessMode,
  type Preprocessing,
} from '../model/preprocess';
import type { Ep, EpChoice } from '../model/providers';
import { DEFAULT_CPU_BATCH } from '../model/cpu-defaults';
import { loadOrt, openSession, type ModelSession } from '../model/session';
import { EMBEDDING_OUTPUT, type TimesformerGeometry } from '../model/surgery';
import type { Clip, FrameFormat } from '../video/types';
import type { Embedder } from './embedder';

export interface TimesformerOptions {
  /** `k600` (default: the published model, downloaded on first use) or a path to a TimeSformer .onnx. */
  model?: string;
  variant?: ModelVariant;
  ep?: EpChoice;
  /** Clips per inference call (default DEFAULT_CPU_BATCH, cpu-defaults.ts). */
  batch?: number;
  /** The original's preprocessing: BGR, squash, VideoMAE constants. */
  seedFaithful?: boolean;
  cacheDir?: string;
  /** Download the model when missing (default true). */
  download?: boolean;
  threads?: number;
  signal?: AbortSignal;
  log?: (message: string) => void;
  onDownloadProgress?: (p: DownloadProgress) => void;
}

/** Version of what this embedder computes; part of its id (and so of every cache key). */
const EMBEDDER_VERSION = 1;

export function timesformerEmbedderId(modelLabel: string, mode: PreprocessMode): string {
  return `timesformer-${modelLabel}-${mode}-v${EMBEDDER_VERSION}`;
}

export class TimesformerEmbedder implements Embedder {
  readonly id: string;
  readonly dim: number;
  readonly clipLength: number;
  readonly frameFormat: FrameFormat;
  readonly batchSize: number;
  readonly ep: Ep;
  private readonly tables: Float32Array[];
  private spare: Float32Array | undefined;
  private disposed = false;

  constructor(
    readonly model: ResolvedModel,
    readonly geometry: TimesformerGeometry,
    readonly preprocessing: Preprocessing,
    private readonly ms: ModelSession,
    batch: number,
  ) {
    this.id = timesformerEmbedderId(model.label, preprocessing.mode);
    this.dim = geometry.hidden;
    this.clipLength = geometry.frames;
    this.frameFormat = preprocessing.frameFormat;
    this.batchSize = batch;
    this.ep = ms.ep;
    this.tables = channelTables(preprocessing);
  }

  get decisions(): string[] {
    return this.ms.decisions;
  }

  get mode(): PreprocessMode {
    return this.preprocessing.mode;
  }

  /** Run the embedding graph on clips; returns clips.length × dim floats. */
  async embedBatch(clips: Clip[], signal?: AbortSignal): Promise<Float32Array> {
    if (this.disposed) throw new VsumError('MODEL', 'The TimeSformer embedder was disposed; create a new one.');
    throwIfAborted(signal, 'embedding');
    if (clips.length === 0) return new Float32Array(0);
    const g = this.geometry;
    const perClip = g.frames * 3 * g.imageSize * g.imageSize;
    // One reusable buffer for full batches (embedVideo keeps one batch in flight; a concurrent call allocates).
    const buf =
      this.spare && this.spare.length === clips.length * perClip
        ? this.spare
        : new Float32Array(clips.length * perClip);
    this.spare = undefined;
    try {
      fillPixelValues(clips, g.frames, g.imageSize, this.tables, buf);
      const ort = loadOrt();
      const dims = [clips.length, g.frames, 3, g.imageSize, g.imageSize];
      const input: Ort.Tensor =
        g.inputType === 'float16'
          ? new ort.Tensor('float16', toFloat16Bits(buf), dims)
          : new ort.Tensor('float32', buf, dims);
      let out: Ort.InferenceSession.OnnxValueMapType;
      try {
        out = await this.ms.session.run({ [g.inputName]: input }, [EMBEDDING_OUTPUT]);
      } catch (e) {
        throw new VsumError(
          'MODEL',
          `onnxruntime (${this.ep}) failed on a batch of ${clips.length} clips of shape [${dims.join(', ')}]: ${(e as Error).message.split('\n')[0]}`,
          { cause: e },
        );
      }
      const emb = out[EMBEDDING_OUTPUT] as Ort.Tensor;
      if (emb.dims.length !== 2 || emb.dims[0] !== clips.length || emb.dims[1] !== this.dim)
        throw new VsumError(
          'MODEL',
          `The embedding output has shape [${emb.dims.join(', ')}], expected [${clips.length}, ${this.dim}].`,
        );
      const result = (emb.data as Float32Array).slice();
      emb.dispose?.();
      throwIfAborted(signal, 'embedding');
      return result;
    } finally {
      if (clips.length === this.batchSize) this.spare = buf;
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.spare = undefined;
    await this.ms.release();
  }
}

/** The model file `opts` names (k600 variant, path or cache), downloaded when missing and allowed. */
export function ensureTimesformerModel(opts: TimesformerOptions): Promise<ResolvedModel> {
  let variant = opts.variant;
  if (variant === undefined && isHubModel(opts.model)) {
    const d = defaultVariantFor(opts.ep);
    opts.log?.(`model variant ${d.why}`);
    variant = d.variant;
  }
  return ensureModel({
    model: opts.model,
    variant,
    cacheDir: opts.cacheDir,
    download: opts.download,
    signal: opts.signal,
    onProgress: opts.onDownloadProgress,
    log: opts.log,
  });
}

/** Resolve/download the model, derive the embedding graph (cached), open the session. */
export async function createTimesformerEmbedder(opts: TimesformerOptions = {}): Promise<TimesformerEmbedder> {
  const batch = opts.batch ?? DEFAULT_CPU_BATCH;
  if (!(Number.isInteger(batch) && batch >= 1))
    throw new VsumError('BAD_INPUT', `Batch size must be a whole number ≥ 1, got ${batch}.`);
  const model = await ensureTimesformerModel(opts);
  const derived = await ensureDerived(model, { attention: false, cacheDir: opts.cacheDir, log: opts.log });
  throwIfAborted(opts.signal, 'loading the TimeSformer model');
  const ms = await openSession(derived.path, {
    ep: opts.ep,
    threads: opts.threads,
    log: opts.log,
    signal: opts.signal,
    derived: derivedFrom(model, derived),
  });
  const pp = preprocessing(opts.seedFaithful ? 'seed-faithful' : 'default', derived.inspection.geometry.imageSize);
  return new TimesformerEmbedder(model, derived.inspection.geometry, pp, ms, batch);
}

/**
 * What the embedding cache needs before any inference: the embedder id (model label + preprocessing mode) and the
 * model file's sha256 — resolving (or downloading) the model but not loading onnxruntime — plus a factory for the
 * embedder on a cache miss.
 */
export async function timesformerSpec(opts: TimesformerOptions = {}): Promise<{
  embedderId: string;
  modelHash: string;
  model: ResolvedModel;
  create: () => Promise<TimesformerEmbedder>;
}> {
  const model = await ensureTimesformerModel(opts);
  const mode: PreprocessMode = opts.seedFaithful ? 'seed-faithful' : 'default';
  return {
    embedderId: timesformerEmbedderId(model.label, mode),
    modelHash: model.sha256,
    model,
    create: () => createTimesformerEmbedder(opts),
  };
}
