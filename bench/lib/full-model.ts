/**
 * The full-size random-weight TimeSformer (224², hidden 768, 12 layers, 600 classes; ≈ 490 MB) and its converted
 * variants, generated at bench time by test/models/make_tiny_timesformer.py --full and make_variants.py --convert,
 * never committed, and cached in the OS temp dir keyed by the model-defining part of the generator (module tree,
 * forward pass, weight init), so a bench run after the first reuses them. Generation takes ~1 min on an idle 2-core
 * machine (5 min under load); each conversion 0.5–2 min.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { REPO, python } from './inputs';

export const GENERATOR = path.join(REPO, 'test', 'models', 'make_tiny_timesformer.py');
export const CONVERTER = path.join(REPO, 'test', 'models', 'make_variants.py');
/**
 * Floating-point operations of one 8×224² clip through the full model, as counted from its graph by the profiler
 * (bench/lib/op-profile.ts: 391.7 GFLOP, 96 % of it the linear layers). The "≈ 196 GFLOP" of the TimeSformer paper
 * and of the issue counts multiply-adds (fvcore's convention), half the floating-point operations; used where no
 * profile is taken (the GPU script).
 */
export const GFLOP_PER_CLIP = 391.7;

function modelKey(): string {
  const src = fs.readFileSync(GENERATOR, 'utf8');
  const defining = src.slice(0, src.indexOf('def test_frames('));
  return crypto.createHash('sha256').update(defining).digest('hex').slice(0, 12);
}

export function fullModelDir(): string {
  return path.join(process.env.VSUM_FULL_MODEL_DIR ?? os.tmpdir(), `vsum-full-timesformer-${modelKey()}`);
}

/** The fp32 full-size model, generated when absent; `log` hears about the minute it takes. */
export function fullModel(log: (m: string) => void = () => undefined): string {
  const dir = fullModelDir();
  const file = path.join(dir, 'full-random-timesformer.onnx');
  if (fs.existsSync(file)) return file;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.mkdirSync(tmp, { recursive: true });
  const t0 = Date.now();
  execFileSync(python(['torch', 'onnx']), [GENERATOR, '--full', '--out', tmp], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  fs.mkdirSync(dir, { recursive: true });
  fs.renameSync(path.join(tmp, 'full-random-timesformer.onnx'), file);
  fs.rmSync(tmp, { recursive: true, force: true });
  log(
    `generated the full-size random-weight model in ${((Date.now() - t0) / 1000).toFixed(0)} s (${dir}, not committed)`,
  );
  return file;
}

/** A converted variant of the full model (fp16, int8, q4, bnb4, …), generated when absent. */
export function fullVariant(variant: string, log: (m: string) => void = () => undefined): string {
  if (variant === 'fp32') return fullModel(log);
  const src = fullModel(log);
  const file = path.join(path.dirname(src), `full-${variant}.onnx`);
  if (fs.existsSync(file)) return file;
  const t0 = Date.now();
  execFileSync(python(['numpy', 'onnx']), [CONVERTER, '--convert', src, '--variant', variant, '--out', file], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  log(`converted the full model to ${variant} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return file;
}

/** PyTorch (Debian's python3-torch) running the same HF-mirroring module with the same weights, batch 1. */
export function torchClipSeconds(
  clips: number,
  threads: number,
): { seconds: number[]; threads: number; torch: string; cls: number[] } {
  const out = execFileSync(
    python(['torch', 'onnx']),
    [GENERATOR, '--full', '--bench-torch', String(clips), '--threads', String(threads)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 },
  );
  return JSON.parse(out.trim().split('\n').pop()!);
}
