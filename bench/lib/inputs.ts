/**
 * Deterministic bench inputs under bench/tmp/ (gitignored), made on first use and reused by later runs: generated
 * videos (ffmpeg lavfi sources, fixed parameters) and seeded feature matrices.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPython } from '../../test/helpers/python';

export const BENCH_DIR = path.resolve(__dirname, '..');
export const REPO = path.resolve(BENCH_DIR, '..');
export const TMP = process.env.BENCH_TMP ?? path.join(BENCH_DIR, 'tmp');

export function tmpPath(...parts: string[]): string {
  const p = path.join(TMP, ...parts);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  return p;
}

/**
 * A video from an ffmpeg lavfi source, cached by its arguments (the file name carries a hash of them, so a
 * changed recipe never reuses a stale file). Written to a temp name and renamed, so an interrupted bench never
 * leaves a half video that a later run would trust.
 */
export function generatedVideo(ffmpeg: string, name: string, lavfi: string, encode: string[]): string {
  const key = crypto
    .createHash('sha1')
    .update(JSON.stringify([lavfi, encode]))
    .digest('hex')
    .slice(0, 10);
  const out = tmpPath('videos', `${name}-${key}.mp4`);
  if (fs.existsSync(out)) return out;
  const tmp = out + '.part.mp4';
  execFileSync(ffmpeg, ['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', lavfi, ...encode, tmp], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  fs.renameSync(tmp, out);
  return out;
}

/** Debian's python3 with the given modules (the test helper's lookup; fails with the apt-get line). */
export function python(modules: string[]): string {
  return findPython(modules);
}

/** Run a python script file; stdin string in, stdout parsed as JSON. */
export function runPythonJson<T>(script: string, args: string[], modules: string[], stdin?: string): T {
  const py = python(modules);
  const out = execFileSync(py, [script, ...args], {
    input: stdin,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as T;
}

/** Write a Float32Array/Float64Array as raw little-endian bytes (numpy reads it with np.fromfile). */
export function writeRaw(file: string, a: Float32Array | Float64Array | Int32Array | Uint8Array): string {
  const p = tmpPath(file);
  fs.writeFileSync(p, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  return p;
}

export function machine(): { cores: number; cpu: string; memGiB: number } {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** Standard normal variates from a seeded uniform source (Box–Muller). */
export function gauss(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}
