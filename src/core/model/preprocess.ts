/**
 * TimeSformer input preprocessing (docs/ALGORITHMS.md §preprocessing). Frames arrive from the decoder already at the
 * model size, in the channel order and resize mode the mode asks for; here they only become normalised float CHW
 * planes:
 *  - `default` (corrected): RGB, shortest side to size + centre crop, the k600 checkpoint's own constants
 *    (its preprocessor config: image_mean 0.45, image_std 0.225 for every channel);
 *  - `seed-faithful`: BGR (OpenCV order, never converted), squashed to size, VideoMAE's ImageNet constants
 *    indexed by channel position — exactly what the original fed the model.
 */
import { VsumError } from '../errors';
import type { Clip, FrameFormat } from '../video/types';

export type PreprocessMode = 'default' | 'seed-faithful';

/** facebook/timesformer-base-finetuned-k600 preprocessor_config.json: image_mean / image_std. */
export const K600_MEAN = [0.45, 0.45, 0.45] as const;
export const K600_STD = [0.225, 0.225, 0.225] as const;
/** MCG-NJU/videomae-base's processor constants, which the original used by mistake. */
export const VIDEOMAE_MEAN = [0.485, 0.456, 0.406] as const;
export const VIDEOMAE_STD = [0.229, 0.224, 0.225] as const;

export interface Preprocessing {
  mode: PreprocessMode;
  mean: readonly number[];
  std: readonly number[];
  frameFormat: FrameFormat;
}

export function preprocessing(mode: PreprocessMode, size: number): Preprocessing {
  return mode === 'seed-faithful'
    ? {
        mode,
        mean: VIDEOMAE_MEAN,
        std: VIDEOMAE_STD,
        frameFormat: { width: size, height: size, pixFmt: 'bgr24', resize: 'squash' },
      }
    : {
        mode,
        mean: K600_MEAN,
        std: K600_STD,
        frameFormat: { width: size, height: size, pixFmt: 'rgb24', resize: 'crop' },
      };
}

/** byte → normalised float, one table per channel position (computed as float32 like numpy: x/255, −mean, /std). */
export function channelTables(p: Preprocessing): Float32Array[] {
  return [0, 1, 2].map((c) => {
    const t = new Float32Array(256);
    const mean = Math.fround(p.mean[c]);
    const std = Math.fround(p.std[c]);
    for (let v = 0; v < 256; v++) t[v] = Math.fround(Math.fround(Math.fround(v / 255) - mean) / std);
    return t;
  });
}

/**
 * Write clips as pixel_values [clips.length, frames, 3, size, size] into `out` (interleaved HWC bytes → planar CHW
 * floats). Throws BAD_INPUT when a clip or frame has the wrong length.
 */
export function fillPixelValues(
  clips: Clip[],
  frames: number,
  size: number,
  tables: Float32Array[],
  out: Float32Array,
): void {
  const plane = size * size;
  const frameBytes = plane * 3;
  if (out.length < clips.length * frames * 3 * plane) throw new RangeError('pixel buffer too small');
  const [t0, t1, t2] = tables;
  let o = 0;
  for (const clip of clips) {
    if (clip.frames.length !== frames)
      throw new VsumError(
        'BAD_INPUT',
        `Clip ${clip.index} has ${clip.frames.length} frames; the TimeSformer model takes exactly ${frames} per clip.`,
      );
    for (const f of clip.frames) {
      if (f.length !== frameBytes)
        throw new VsumError(
          'BAD_INPUT',
          `Clip ${clip.index}: a frame has ${f.length} bytes, expected ${size}×${size}×3 = ${frameBytes} (frames must be decoded at the model's input size).`,
        );
      for (let i = 0, j = 0; i < plane; i++, j += 3) {
        out[o + i] = t0[f[j]];
        out[o + plane + i] = t1[f[j + 1]];
        out[o + 2 * plane + i] = t2[f[j + 2]];
      }
      o += 3 * plane;
    }
  }
}

/** float32 → IEEE half bits (round to nearest even), for fp16 graphs whose input is float16. */
export function toFloat16Bits(src: Float32Array): Uint16Array {
  const out = new Uint16Array(src.length);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < src.length; i++) {
    f[0] = src[i];
    const x = u[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      let h = mant >>> shift;
      const rem = mant & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rem > half || (rem === half && h & 1)) h++;
      out[i] = sign | h;
      continue;
    }
    let h = (e << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
    out[i] = sign | h;
    void e;
  }
  return out;
}
