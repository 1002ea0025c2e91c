/**
 * `histogram`: a clip embedding that needs no model, so vsum runs offline and its tests run anywhere. Per clip:
 * a 16×4×4 HSV colour histogram over all (valid) frames of the clip, and an 8×8 grey thumbnail of the middle
 * frame (mean removed); each part L2-normalised and scaled by 1/√2, so every row has unit length
 * (320 values). Frames arrive as 64×64 rgb24 squashed by ffmpeg, which keeps decoding cheap.
 *
 * Scale: rows are unit vectors, so SSD between clips lies in [0, 4] (TimeSformer CLS SSDs run in the hundreds;
 * its 100/400/800 thresholds mean nothing here). HISTOGRAM_SSD_PRESETS.average is the measured default (see below).
 * Never mistaken for TimeSformer: its id is written into every output.
 */
import { throwIfAborted } from '../errors';
import type { Clip, FrameFormat } from '../video/types';
import type { Embedder } from './embedder';

export const HISTOGRAM_EMBEDDER_ID = 'histogram-hsv16x4x4+grey8x8-v1';
/**
 * tt01/tt02 threshold for histogram features. Measured on the real fixtures: a static shot 0.000–0.001 between
 * adjacent clips, a hand-held moving shot 0.15–0.9 (mmcv-test.mp4), different clips of SumMe "Jumps" 0.08–1.13
 * (adjacent) and up to 2.2 (to an anchor). 0.5 splits at clear changes; presets keep TimeSformer's 1 : 4 : 8
 * (100 / 400 / 800) proportions.
 */
export const HISTOGRAM_SSD_PRESETS = { small: 0.125, average: 0.5, large: 1 } as const;

const H_BINS = 16;
const S_BINS = 4;
const V_BINS = 4;
const HIST = H_BINS * S_BINS * V_BINS;
const SIDE = 64;
const THUMB = 8;
const DIM = HIST + THUMB * THUMB;

export interface HistogramOptions {
  clipLength?: number;
  batchSize?: number;
}

/** Bin of an RGB pixel in the 16×4×4 HSV histogram (H 0–360° in 16, S and V 0–1 in 4). */
export function hsvBin(r: number, g: number, b: number): number {
  const max = r > g ? (r > b ? r : b) : g > b ? g : b;
  const min = r < g ? (r < b ? r : b) : g < b ? g : b;
  const delta = max - min;
  let h = 0;
  if (delta > 0) {
    if (max === r) h = ((g - b) / delta + 6) % 6;
    else if (max === g) h = (b - r) / delta + 2;
    else h = (r - g) / delta + 4;
  }
  const hb = Math.min(H_BINS - 1, Math.floor((h / 6) * H_BINS));
  const s = max > 0 ? delta / max : 0;
  const sb = Math.min(S_BINS - 1, Math.floor(s * S_BINS));
  const vb = Math.min(V_BINS - 1, Math.floor((max / 256) * V_BINS));
  return (hb * S_BINS + sb) * V_BINS + vb;
}

/** Lookup table over the 2^15 colours of 5-bit channels would lose precision at bin edges; 24-bit is too big, so
 * bins are computed per pixel (64·64·8 pixels per clip: cheap). */
export function embedClip(clip: Clip, out: Float32Array, offset: number): void {
  const hist = new Float64Array(HIST);
  const valid = Math.max(1, Math.min(clip.validFrames, clip.frames.length));
  for (let f = 0; f < valid; f++) {
    const px = clip.frames[f];
    for (let p = 0; p < px.length; p += 3) hist[hsvBin(px[p], px[p + 1], px[p + 2])]++;
  }
  const thumb = new Float64Array(THUMB * THUMB);
  const mid = clip.frames[Math.floor((valid - 1) / 2)];
  const cell = SIDE / THUMB;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const p = (y * SIDE + x) * 3;
      // ITU-R BT.601 luma
      thumb[Math.floor(y / cell) * THUMB + Math.floor(x / cell)] +=
        0.299 * mid[p] + 0.587 * mid[p + 1] + 0.114 * mid[p + 2];
    }
  }
  let mean = 0;
  for (let i = 0; i < thumb.length; i++) mean += thumb[i] / thumb.length;
  for (let i = 0; i < thumb.length; i++) thumb[i] -= mean;
  const put = (v: Float64Array, at: number) => {
    let n = 0;
    for (let i = 0; i < v.length; i++) n += v[i] * v[i];
    const k = n > 0 ? Math.SQRT1_2 / Math.sqrt(n) : 0;
    for (let i = 0; i < v.length; i++) out[offset + at + i] = v[i] * k;
  };
  put(hist, 0);
  put(thumb, HIST);
}

export class HistogramEmbedder implements Embedder {
  readonly id = HISTOGRAM_EMBEDDER_ID;
  readonly dim = DIM;
  readonly clipLength: number;
  readonly frameFormat: FrameFormat = { width: SIDE, height: SIDE, pixFmt: 'rgb24', resize: 'squash' };
  readonly batchSize: number;

  constructor(opts: HistogramOptions = {}) {
    this.clipLength = opts.clipLength ?? 8;
    this.batchSize = opts.batchSize ?? 16;
  }

  async embedBatch(clips: Clip[], signal?: AbortSignal): Promise<Float32Array> {
    throwIfAborted(signal, 'histogram embedding');
    const out = new Float32Array(clips.length * DIM);
    clips.forEach((c, i) => {
      if (c.frames.some((f) => f.length !== SIDE * SIDE * 3))
        throw new RangeError(`histogram embedder needs ${SIDE}×${SIDE} rgb24 frames`);
      embedClip(c, out, i * DIM);
    });
    return out;
  }

  async dispose(): Promise<void> {
    /* nothing held */
  }
}

export function createHistogramEmbedder(opts: HistogramOptions = {}): HistogramEmbedder {
  return new HistogramEmbedder(opts);
}
