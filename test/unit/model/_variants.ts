/**
 * Tiny replicas of every published model variant (test/models/make_variants.py), generated at test time into the
 * OS temp dir, keyed by the generators' content so a changed generator rebuilds them and repeated runs do not.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readNpy } from '../../../src/core/io/npy';
import { runPythonFile } from '../../helpers/python';
import { MODELS } from './_tiny';

export const REPLICAS = [
  'fp32',
  'opset17',
  'frames4',
  'fp16',
  'q4f16',
  'int8',
  'uint8',
  'quantized',
  'q4',
  'bnb4',
] as const;
export type Replica = (typeof REPLICAS)[number];

interface Manifest {
  variants: Record<Replica, { file: string; config: string }>;
  configs: Record<
    string,
    {
      num_frames: number;
      image_size: number;
      patch_size: number;
      hidden_size: number;
      num_hidden_layers: number;
      num_attention_heads: number;
    }
  >;
}

const GENERATORS = ['make_variants.py', 'make_tiny_timesformer.py'].map((f) => path.join(MODELS, f));

let built: { dir: string; manifest: Manifest } | undefined;

export function variantsDir(): { dir: string; manifest: Manifest } {
  if (built) return built;
  const h = crypto.createHash('sha256');
  for (const g of GENERATORS) h.update(fs.readFileSync(g));
  const dir = path.join(os.tmpdir(), `vsum-tiny-variants-${h.digest('hex').slice(0, 12)}`);
  const manifestPath = path.join(dir, 'variants.json');
  if (!fs.existsSync(manifestPath)) {
    // Built beside, then renamed: a concurrent or interrupted run never sees half a set.
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    runPythonFile(GENERATORS[0], ['--out', tmp], ['numpy', 'torch', 'onnx']);
    try {
      fs.renameSync(tmp, dir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another run won the race
    }
  }
  built = { dir, manifest: JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest };
  return built;
}

export function replicaPath(v: Replica): string {
  const { dir, manifest } = variantsDir();
  return path.join(dir, manifest.variants[v].file);
}

export function replicaConfig(v: Replica): Manifest['configs'][string] & { tag: string } {
  const { manifest } = variantsDir();
  const tag = manifest.variants[v].config;
  return { ...manifest.configs[tag], tag };
}

export function replicaRef(
  v: Replica,
  what: 'x' | 'cls' | 'temporal' | 'spatial',
): { shape: number[]; data: Float32Array } {
  const { dir } = variantsDir();
  const a = readNpy(path.join(dir, `ref-${replicaConfig(v).tag}-${what}.npy`));
  return { shape: a.shape, data: a.data as Float32Array };
}
