/**
 * Attention overlay (docs/ALGORITHMS.md §overlay): each frame's √P × √P map is upsampled to the frame size (bilinear,
 * pixel-centre aligned like cv2.resize), coloured with jet, added to the frame (both 0–1), renormalised by the
 * frame's max, and the frames are tiled side by side. PNG through pngjs.
 */
import { PNG } from 'pngjs';
import type { PixelFormat } from '../video/types';
import { JET } from './jet';
import type { RolloutMask } from './rollout';

export interface RgbImage {
  width: number;
  height: number;
  /** width·height·3 bytes, RGB. */
  data: Uint8Array;
}

/** Bilinear resize of a g×g map (row-major) to w×h, half-pixel centres, edges clamped (cv2.INTER_LINEAR). */
export function resizeBilinear(src: Float32Array, sw: number, sh: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    let fy = ((y + 0.5) * sh) / h - 0.5;
    if (fy < 0) fy = 0;
    const y0 = Math.min(Math.floor(fy), sh - 1);
    const y1 = Math.min(y0 + 1, sh - 1);
    const dy = Math.min(fy - y0, 1);
    for (let x = 0; x < w; x++) {
      let fx = ((x + 0.5) * sw) / w - 0.5;
      if (fx < 0) fx = 0;
      const x0 = Math.min(Math.floor(fx), sw - 1);
      const x1 = Math.min(x0 + 1, sw - 1);
      const dx = Math.min(fx - x0, 1);
      const top = src[y0 * sw + x0] * (1 - dx) + src[y0 * sw + x1] * dx;
      const bot = src[y1 * sw + x0] * (1 - dx) + src[y1 * sw + x1] * dx;
      out[y * w + x] = top * (1 - dy) + bot * dy;
    }
  }
  return out;
}

/** One frame with its mask: heat(jet(uint8(255·m))) + frame, / max, → bytes. */
export function overlayFrame(
  frame: Uint8Array,
  width: number,
  height: number,
  pixFmt: PixelFormat,
  mask: Float32Array,
  grid: number,
): Uint8Array {
  const m = resizeBilinear(mask, grid, grid, width, height);
  const n = width * height;
  const cam = new Float32Array(n * 3);
  let max = 0;
  const [ri, bi] = pixFmt === 'bgr24' ? [2, 0] : [0, 2];
  for (let i = 0; i < n; i++) {
    const idx = Math.max(0, Math.min(255, Math.floor(255 * m[i]))) * 3;
    const r = JET[idx] + frame[3 * i + ri] / 255;
    const g = JET[idx + 1] + frame[3 * i + 1] / 255;
    const b = JET[idx + 2] + frame[3 * i + bi] / 255;
    cam[3 * i] = r;
    cam[3 * i + 1] = g;
    cam[3 * i + 2] = b;
    if (r > max) max = r;
    if (g > max) max = g;
    if (b > max) max = b;
  }
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n * 3; i++) out[i] = Math.floor((255 * cam[i]) / (max || 1));
  return out;
}

/** Frame t's map out of a [g, g, T] mask. */
export function maskFrame(mask: RolloutMask, t: number): Float32Array {
  const P = mask.grid * mask.grid;
  const out = new Float32Array(P);
  for (let q = 0; q < P; q++) out[q] = mask.data[q * mask.frames + t];
  return out;
}

/** All frames of a clip overlaid and tiled left to right: (T·width) × height. */
export function overlayClip(
  frames: Uint8Array[],
  width: number,
  height: number,
  pixFmt: PixelFormat,
  mask: RolloutMask,
): RgbImage {
  const T = frames.length;
  const W = T * width;
  const data = new Uint8Array(W * height * 3);
  frames.forEach((f, t) => {
    const o = overlayFrame(f, width, height, pixFmt, maskFrame(mask, t), mask.grid);
    for (let y = 0; y < height; y++) data.set(o.subarray(y * width * 3, (y + 1) * width * 3), (y * W + t * width) * 3);
  });
  return { width: W, height, data };
}

export function encodePng(img: RgbImage): Buffer {
  const png = new PNG({ width: img.width, height: img.height });
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    png.data[4 * i] = img.data[3 * i];
    png.data[4 * i + 1] = img.data[3 * i + 1];
    png.data[4 * i + 2] = img.data[3 * i + 2];
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 2 });
}
