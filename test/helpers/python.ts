/**
 * Python is a test-time reference only (numpy / scipy / scikit-learn / h5py / torch / onnx from Debian). Tests that
 * compare against it call `runPython()`; when the interpreter or a module is missing they FAIL with the apt-get line
 * to run (CI installs them in .ci/run) — never a silent skip.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const candidates = [process.env.VSUM_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean) as string[];
const cache = new Map<string, string>();

/**
 * The Debian package of each third-party module a test, bench or reference script imports. .ci/run installs them;
 * test/unit/ci/debian-packages.test.ts fails when a script imports a module missing here or from .ci/run.
 */
export const PYTHON_DEBIAN_PACKAGES: Record<string, string> = {
  numpy: 'python3-numpy',
  scipy: 'python3-scipy',
  sklearn: 'python3-sklearn',
  h5py: 'python3-h5py',
  torch: 'python3-torch',
  onnx: 'python3-onnx',
  cv2: 'python3-opencv',
  yaml: 'python3-yaml',
};

/** The first python3 that imports every module in `modules`; throws an actionable error otherwise. */
export function findPython(modules: string[] = ['numpy']): string {
  const key = modules.join(',');
  const hit = cache.get(key);
  if (hit) return hit;
  for (const py of candidates) {
    if (py.startsWith('/') && !fs.existsSync(py)) continue;
    const r = spawnSync(py, ['-c', modules.map((m) => `import ${m}`).join('; ') || 'pass'], { encoding: 'utf8' });
    if (r.status === 0) {
      cache.set(key, py);
      return py;
    }
  }
  const pkgs = modules.map((m) => PYTHON_DEBIAN_PACKAGES[m] ?? `python3-${m}`).join(' ');
  throw new Error(
    `reference check needs python3 with ${modules.join(', ')}: run \`apt-get install -y ${pkgs}\` (.ci/run does this) or set VSUM_PYTHON`,
  );
}

/** Run a python script (source text) with JSON on stdin; returns parsed JSON from stdout. */
export function runPython<T = unknown>(script: string, input: unknown, modules: string[] = ['numpy']): T {
  const py = findPython(modules);
  const r = spawnSync(py, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`python reference failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Run a python script file with arguments; returns stdout. */
export function runPythonFile(file: string, args: string[], modules: string[] = ['numpy']): string {
  const py = findPython(modules);
  const r = spawnSync(py, [file, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`python ${file} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
