/**
 * A fresh machine runs `bash .ci/run`, which apt-installs PKGS and then `npm ci && npm test`. Every Python module
 * a test, bench or reference script imports, and every package the host stage checks for, must therefore be in
 * PKGS — otherwise the suite passes here and fails on the first clean machine (as python3-torch once did).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PYTHON_DEBIAN_PACKAGES, findPython } from '../../helpers/python';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', '.git', '.cache', 'test-results']);

/** PKGS=(…) of .ci/run, one bash array (possibly over several lines). */
export function ciPackages(script: string): string[] {
  const m = /^PKGS=\(([^)]*)\)/m.exec(script);
  if (!m) throw new Error('.ci/run has no PKGS=(…) array');
  return m[1].split(/\s+/).filter((w) => w && !w.startsWith('#'));
}

/** Top-level module names of `import a.b, c` / `from a.b import x` lines (relative imports skipped). */
export function pythonImports(source: string): string[] {
  const mods: string[] = [];
  for (const line of source.split('\n')) {
    const from = /^\s*from\s+([A-Za-z_][\w.]*)\s+import\s+[\w*(]/.exec(line);
    if (from) mods.push(from[1].split('.')[0]);
    const imp =
      /^\s*import\s+([A-Za-z_][\w.]*(?:\s+as\s+\w+)?(?:\s*,\s*[A-Za-z_][\w.]*(?:\s+as\s+\w+)?)*)\s*(?:#.*)?;?$/.exec(
        line,
      );
    if (imp) for (const part of imp[1].split(',')) mods.push(part.trim().split(/\s+/)[0].split('.')[0]);
  }
  return mods;
}

/** The text between the parentheses of a call whose `(` is at `open`, skipping string and template contents. */
function callArguments(src: string, open: number): string {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === "'" || c === '"' || c === '`') {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === '\\') i++;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && --depth === 0) return src.slice(open + 1, i);
  }
  return '';
}

/** Module lists handed to the Python helpers as their last argument: `runPython(src, input, ['numpy', 'scipy'])`. */
export function helperModuleLists(source: string): string[] {
  const mods: string[] = [];
  for (const m of source.matchAll(/\b(?:findPython|runPython|runPythonFile|python)\s*(?:<[^()]*>)?\(/g)) {
    const list = /(?:^|,)\s*\[\s*('[\w.]+'(?:\s*,\s*'[\w.]+')*)\s*,?\s*\]\s*$/.exec(
      callArguments(source, m.index + m[0].length - 1),
    );
    if (list) for (const q of list[1].split(',')) mods.push(q.trim().slice(1, -1));
  }
  return mods;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(e.name) || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

test('the PKGS parser and the import scanners read what they should', () => {
  assert.deepEqual(ciPackages('x\nPKGS=(ffmpeg python3\n  python3-numpy)\ny'), ['ffmpeg', 'python3', 'python3-numpy']);
  assert.deepEqual(
    pythonImports(
      'import numpy as np\nimport os, sys\nfrom sklearn.metrics import f1_score\nfrom . import x\n' +
        "import fs from 'node:fs';\nimport { a } from './b';\n  import torch.nn as nn  # comment\n",
    ),
    ['numpy', 'os', 'sys', 'sklearn', 'torch'],
  );
  assert.deepEqual(
    helperModuleLists("runPython<A[]>(`a (b`, x, ['numpy', 'scipy']);\nf(y, ['min']);\nfindPython(['torch'])"),
    ['numpy', 'scipy', 'torch'],
  );
});

test('.ci/run installs a Debian package for every Python module the tests, benches and references import', () => {
  const pkgs = new Set(ciPackages(fs.readFileSync(path.join(REPO, '.ci', 'run'), 'utf8')));
  assert.ok(pkgs.has('python3'), '.ci/run installs python3');
  const py = findPython([]);
  const stdlib = new Set(
    spawnSync(py, ['-c', 'import sys; print("\\n".join(sys.stdlib_module_names))'], { encoding: 'utf8' }).stdout.split(
      '\n',
    ),
  );
  assert.ok(stdlib.has('json') && stdlib.has('os'), `${py} lists its standard library`);

  const files = walk(REPO);
  const local = new Set(files.filter((f) => f.endsWith('.py')).map((f) => path.basename(f, '.py')));
  const users = new Map<string, string[]>(); // module → files importing it
  const note = (mod: string, file: string) => users.set(mod, [...(users.get(mod) ?? []), path.relative(REPO, file)]);
  for (const f of files) {
    if (f.endsWith('.py')) for (const m of pythonImports(fs.readFileSync(f, 'utf8'))) note(m, f);
    else if (/\.(ts|mjs)$/.test(f) && /^(test|bench)\b/.test(path.relative(REPO, f))) {
      const src = fs.readFileSync(f, 'utf8');
      // Inline Python lives in template strings; modules for findPython/runPython come as the last argument.
      if (!/helpers\/python|python\(/.test(src)) continue;
      for (const m of [...pythonImports(src), ...helperModuleLists(src)]) note(m, f);
    }
  }
  assert.ok(users.has('numpy') && users.has('torch'), 'the scan finds the known references (numpy, torch)');

  const problems: string[] = [];
  for (const [mod, where] of users) {
    if (stdlib.has(mod) || local.has(mod)) continue;
    const pkg = PYTHON_DEBIAN_PACKAGES[mod];
    const files = [...new Set(where)].join(', ');
    if (!pkg)
      problems.push(
        `${mod} (imported by ${files}) has no Debian package in PYTHON_DEBIAN_PACKAGES (test/helpers/python.ts)`,
      );
    else if (!pkgs.has(pkg))
      problems.push(`${mod} (imported by ${files}) needs ${pkg}, which is not in PKGS of .ci/run`);
  }
  assert.deepEqual(problems, []);
});

test('.ci/run installs every Debian package the host stage checks for', async () => {
  const pkgs = new Set(ciPackages(fs.readFileSync(path.join(REPO, '.ci', 'run'), 'utf8')));
  const { APT_PACKAGES } = (await import(path.join(REPO, 'test', 'host', 'lib', 'install.mjs'))) as {
    APT_PACKAGES: string[];
  };
  assert.ok(APT_PACKAGES.length > 0);
  assert.deepEqual(
    APT_PACKAGES.filter((p) => !pkgs.has(p)),
    [],
    'host-stage packages missing from .ci/run',
  );
  assert.ok(pkgs.has('ffmpeg'), 'the system ffmpeg (the tests run it beside the bundled one)');
});
