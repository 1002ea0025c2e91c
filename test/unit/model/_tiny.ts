/** The committed tiny TimeSformer (test/models, made by make_tiny_timesformer.py) and its PyTorch references. */
import path from 'node:path';
import fs from 'node:fs';
import { REPO } from '../../helpers/fixtures';
import { readNpy } from '../../../src/core/io/npy';
import type { Clip } from '../../../src/core/video/types';

export const MODELS = path.join(REPO, 'test', 'models');
export const TINY = path.join(MODELS, 'tiny-timesformer.onnx');
export const NOT_TIMESFORMER = path.join(MODELS, 'not-timesformer.onnx');
export const TINY_CONFIG = JSON.parse(fs.readFileSync(path.join(MODELS, 'tiny-config.json'), 'utf8')) as {
  num_frames: number;
  image_size: number;
  patch_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
};

export function ref(name: string): { shape: number[]; data: Float32Array } {
  const a = readNpy(path.join(MODELS, name));
  return { shape: a.shape, data: a.data as Float32Array };
}

/** The generator's deterministic frames [b, t, size, size, 3] (same LCG as test_frames in the script). */
export function testFrames(b: number, t: number, size: number): Uint8Array {
  const n = b * t * size * size * 3;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(((i * 1103515245 + 12345) % 2147483648) / 65536) % 256;
  return out;
}

export function testClips(): Clip[] {
  const { num_frames: T, image_size: S } = TINY_CONFIG;
  const B = ref('tiny-cls.npy').shape[0];
  const all = testFrames(B, T, S);
  const fb = S * S * 3;
  return Array.from({ length: B }, (_, b) => ({
    index: b,
    firstFrame: b * T,
    validFrames: T,
    frames: Array.from({ length: T }, (_, t) => all.subarray((b * T + t) * fb, (b * T + t + 1) * fb)),
  }));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
