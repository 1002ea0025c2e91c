import type { Clip, FrameFormat } from '../video/types';

/**
 * Turns clips of decoded frames into one feature vector each. Implementations: `histogram` (no model, offline)
 * and `timesformer` (onnxruntime). The id is recorded in every output so a histogram run is never mistaken for
 * a TimeSformer one.
 */
export interface Embedder {
  /** Stable identifier recorded in outputs and cache keys, e.g. `histogram-hsv16x4x4+grey8-v1`. */
  readonly id: string;
  /** Feature dimension (768 for TimeSformer base). */
  readonly dim: number;
  /** Frames per clip (8 for TimeSformer). */
  readonly clipLength: number;
  /** The size and channel order the decoder must deliver frames in. */
  readonly frameFormat: FrameFormat;
  /** Clips per inference call. */
  readonly batchSize: number;
  /** Embed clips → Float32Array of clips.length × dim, row-major. */
  embedBatch(clips: Clip[], signal?: AbortSignal): Promise<Float32Array>;
  dispose(): Promise<void>;
}
