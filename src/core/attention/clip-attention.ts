/**
 * Runs one clip through the attention graph (embedding + the 2·L Softmax outputs) and returns the maps in the
 * layout rollout.ts expects. The shapes are checked against the geometry the surgery found: a graph whose Softmax
 * nodes are not temporal/spatial pairs is refused here with a clear message.
 */
import type * as Ort from 'onnxruntime-node';
import { VsumError, throwIfAborted } from '../errors';
import { ensureTimesformerModel, type TimesformerOptions } from '../embed/timesformer';
import { derivedFrom, ensureDerived, type ResolvedModel } from '../model/model-store';
import { channelTables, fillPixelValues, preprocessing, toFloat16Bits, type Preprocessing } from '../model/preprocess';
import { loadOrt, openSession, type ModelSession } from '../model/session';
import {
  spatialMeanOutput,
  spatialOutput,
  temporalMeanOutput,
  temporalOutput,
  type TimesformerGeometry,
} from '../model/surgery';
import { decodeFrames } from '../video/decode';
import type { FfmpegTools } from '../video/ffmpeg';
import type { Clip } from '../video/types';
import type { AttentionMaps } from './rollout';

export class AttentionRunner {
  private readonly tables: Float32Array[];
  constructor(
    readonly model: ResolvedModel,
    readonly geometry: TimesformerGeometry,
    readonly preprocessing: Preprocessing,
    private readonly ms: ModelSession,
  ) {
    this.tables = channelTables(preprocessing);
  }

  get ep() {
    return this.ms.ep;
  }

  /**
   * The clip's attention maps. `heads: 'mean'` (default) fetches them already averaged over heads by the graph —
   * all the rollout needs, at 1/heads of the data; `'all'` fetches every head's map.
   */
  async run(clip: Clip, signal?: AbortSignal, opts: { heads?: 'mean' | 'all' } = {}): Promise<AttentionMaps> {
    const mean = (opts.heads ?? 'mean') === 'mean';
    const tName = mean ? temporalMeanOutput : temporalOutput;
    const sName = mean ? spatialMeanOutput : spatialOutput;
    throwIfAborted(signal, 'computing attention');
    const g = this.geometry;
    const buf = new Float32Array(g.frames * 3 * g.imageSize * g.imageSize);
    fillPixelValues([clip], g.frames, g.imageSize, this.tables, buf);
    const ort = loadOrt();
    const dims = [1, g.frames, 3, g.imageSize, g.imageSize];
    const input =
      g.inputType === 'float16'
        ? new ort.Tensor('float16', toFloat16Bits(buf), dims)
        : new ort.Tensor('float32', buf, dims);
    const names: string[] = [];
    for (let l = 0; l < g.layers; l++) names.push(tName(l), sName(l));
    let out: Ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.ms.session.run({ [g.inputName]: input }, names);
    } catch (e) {
      throw new VsumError(
        'MODEL',
        `onnxruntime (${this.ep}) failed computing the attention maps: ${(e as Error).message.split('\n')[0]}`,
        { cause: e },
      );
    }
    const temporal: Float32Array[] = [];
    const spatial: Float32Array[] = [];
    let heads = 0;
    const refuse = (what: string) =>
      new VsumError(
        'MODEL',
        `${this.model.path}: ${what}; the graph's Softmax nodes are not the temporal/spatial pairs of a divided space-time TimeSformer, so there is no rollout for it.`,
        { file: this.model.path },
      );
    for (let l = 0; l < g.layers; l++) {
      const t = out[tName(l)] as Ort.Tensor;
      const s = out[sName(l)] as Ort.Tensor;
      heads = t.dims[1];
      const tOk = t.dims.length === 4 && t.dims[0] === g.patches && t.dims[2] === g.frames && t.dims[3] === g.frames;
      const sOk =
        s.dims.length === 4 &&
        s.dims[0] === g.frames &&
        s.dims[1] === heads &&
        s.dims[2] === g.patches + 1 &&
        s.dims[3] === g.patches + 1;
      if (!tOk)
        throw refuse(
          `attention map ${2 * l} has shape [${t.dims.join(', ')}], expected temporal [${g.patches}, heads, ${g.frames}, ${g.frames}]`,
        );
      if (!sOk)
        throw refuse(
          `attention map ${2 * l + 1} has shape [${s.dims.join(', ')}], expected spatial [${g.frames}, ${heads}, ${g.patches + 1}, ${g.patches + 1}]`,
        );
      temporal.push((t.data as Float32Array).slice());
      spatial.push((s.data as Float32Array).slice());
    }
    return { layers: g.layers, heads, frames: g.frames, patches: g.patches, temporal, spatial };
  }

  async dispose(): Promise<void> {
    await this.ms.release();
  }
}

export async function createAttentionRunner(opts: Omit<TimesformerOptions, 'batch'> = {}): Promise<AttentionRunner> {
  const model = await ensureTimesformerModel(opts);
  const derived = await ensureDerived(model, { attention: true, cacheDir: opts.cacheDir, log: opts.log });
  const ms = await openSession(derived.path, {
    ep: opts.ep,
    threads: opts.threads,
    log: opts.log,
    signal: opts.signal,
    derived: derivedFrom(model, derived),
  });
  const pp = preprocessing(opts.seedFaithful ? 'seed-faithful' : 'default', derived.inspection.geometry.imageSize);
  return new AttentionRunner(model, derived.inspection.geometry, pp, ms);
}

/** Decode clip `index` (frames index·T … index·T + T − 1) of a video in the runner's frame format. */
export async function decodeClip(
  video: string,
  index: number,
  runner: AttentionRunner,
  opts: { tools?: FfmpegTools; signal?: AbortSignal } = {},
): Promise<Clip> {
  const T = runner.geometry.frames;
  const frames: Uint8Array[] = [];
  for await (const f of decodeFrames(video, runner.preprocessing.frameFormat, {
    start: index * T,
    count: T,
    tools: opts.tools,
    signal: opts.signal,
  }))
    frames.push(f.data);
  if (frames.length < T)
    throw new VsumError(
      'BAD_INPUT',
      `${video} has no clip ${index}: clip ${index} needs frames ${index * T}–${index * T + T - 1}, but the video ends before (${frames.length} of them decoded). Choose a smaller --clip.`,
      { file: video },
    );
  return { index, firstFrame: index * T, frames, validFrames: T };
}
