// Per-platform .vsix packages. A package carries the production bundles and, of the packages that must stay files
// on disk, only its own platform's binaries: onnxruntime-node's native addon for that OS/CPU and the matching
// @ffmpeg-installer binary package (the whole set for every platform made a 163 MB .vsix). No ffprobe: vsum
// probes with ffmpeg alone, which kept 29.6 MB (compressed, linux-x64) out of each package.
//
// stage(target) lays the extension out in .cache/package/<target>/ — package.json, README, LICENSE, media,
// notebooks, a production build of dist/, and a node_modules holding only the runtime packages for that target —
// and pack() runs `vsce package --target` there. Installer packages for other platforms than this machine's are
// fetched from the npm registry (`npm pack`), since npm installs only the local one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * vsce target → onnxruntime-node's bin folder and the @ffmpeg-installer suffix. Only targets for which both
 * exist: onnxruntime-node 1.x has no darwin-x64, linux-armhf or alpine binaries, the installers no win32-arm64.
 */
export const TARGETS = {
  'linux-x64': { ort: 'linux/x64', installer: 'linux-x64' },
  'linux-arm64': { ort: 'linux/arm64', installer: 'linux-arm64' },
  'win32-x64': { ort: 'win32/x64', installer: 'win32-x64' },
  'darwin-arm64': { ort: 'darwin/arm64', installer: 'darwin-arm64' },
};

/** The vsce target of this machine. */
export function currentTarget() {
  const t = `${process.platform}-${process.arch}`;
  if (!TARGETS[t])
    throw new Error(`no .vsix target for this machine (${t}); known: ${Object.keys(TARGETS).join(', ')}`);
  return t;
}

/** The packages kept as files in node_modules (everything else is bundled into dist/ by esbuild). */
function runtimePackages(target) {
  const { installer } = TARGETS[target];
  return [
    'onnxruntime-node',
    'onnxruntime-common',
    'h5wasm',
    '@ffmpeg-installer/ffmpeg',
    `@ffmpeg-installer/${installer}`,
  ];
}

/** Files of a package that run: .vscodeignore-style allow-list, per package. */
function keep(pkg, rel, target) {
  if (rel === 'package.json' || rel === 'LICENSE' || /^LICEN[CS]E(\.\w+)?$/i.test(rel)) return true;
  switch (pkg) {
    case 'onnxruntime-node':
      return /^dist\/[\w-]+\.js$/.test(rel) || rel.startsWith(`bin/napi-v6/${TARGETS[target].ort}/`);
    case 'onnxruntime-common':
      return /^dist\/cjs\/.*\.js$/.test(rel) || rel === 'dist/cjs/package.json';
    case 'h5wasm':
      return /^dist\/node\/[\w.-]+\.js$/.test(rel);
    case '@ffmpeg-installer/ffmpeg':
      return rel === 'index.js' || /^lib\/[\w.-]+\.js$/.test(rel);
    default: // the platform binary package
      return /^ffmpeg(\.exe)?$/.test(rel);
  }
}

function files(dir, base = dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files(p, base, out);
    else if (e.isFile()) out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  return r.stdout;
}

/** The installed copy of a package, or (a platform package of another machine) the registry's, unpacked once. */
function packageDir(name, target) {
  const local = path.join(REPO, 'node_modules', name);
  if (fs.existsSync(path.join(local, 'package.json'))) return local;
  const parent = '@ffmpeg-installer/ffmpeg';
  const version = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', parent, 'package.json'), 'utf8'))
    .optionalDependencies?.[name];
  if (!version) throw new Error(`${parent} names no ${name} for target ${target}`);
  const cache = path.join(REPO, '.cache', 'package', 'registry', `${name.replace('/', '+')}-${version}`);
  if (!fs.existsSync(path.join(cache, 'package', 'package.json'))) {
    fs.rmSync(cache, { recursive: true, force: true });
    fs.mkdirSync(cache, { recursive: true });
    const tgz = run('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', cache], { cwd: cache })
      .trim()
      .split('\n')
      .pop();
    run('tar', ['xzf', path.join(cache, tgz), '-C', cache]);
  }
  return path.join(cache, 'package');
}

/** Lays out the extension for `target` in `dir` (default .cache/package/<target>) and returns dir. */
export function stage(target, dir = path.join(REPO, '.cache', 'package', target)) {
  if (!TARGETS[target]) throw new Error(`unknown target ${target}; known: ${Object.keys(TARGETS).join(', ')}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  run(process.execPath, ['esbuild.mjs', '--production', '--outdir', path.join(dir, 'dist')], { cwd: REPO });
  for (const f of ['package.json', 'README.md', 'LICENSE']) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
  for (const d of ['media', 'notebooks']) fs.cpSync(path.join(REPO, d), path.join(dir, d), { recursive: true });
  fs.copyFileSync(path.join(REPO, '.vscodeignore'), path.join(dir, '.vscodeignore'));
  // vsce finds dependencies with `npm list --production`, which must see the whole production tree: every package
  // of it gets its package.json (the .vscodeignore allow-list keeps those out of the .vsix), the runtime packages
  // their files too.
  const runtime = runtimePackages(target);
  const installers = /^@ffmpeg-installer\/(?!ffmpeg$)/;
  const tree = run('npm', ['ls', '--omit=dev', '--all', '--parseable', '--loglevel=error'], { cwd: REPO })
    .split('\n')
    .map((p) => path.relative(path.join(REPO, 'node_modules'), p.trim()).split(path.sep).join('/'))
    .filter((n) => n && !n.startsWith('..') && !(installers.test(n) && !runtime.includes(n)));
  for (const name of new Set([...tree, ...runtime])) {
    const src = packageDir(name, target);
    const keepFile = runtime.includes(name) ? (f) => keep(name, f, target) : (f) => f === 'package.json';
    for (const rel of files(src).filter(keepFile)) {
      const to = path.join(dir, 'node_modules', name, rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(path.join(src, rel), to);
      fs.chmodSync(to, fs.statSync(path.join(src, rel)).mode);
    }
  }
  return dir;
}

const VSCE_FLAGS = ['--allow-missing-repository', '--no-rewrite-relative-links', '--skip-license'];

/** `vsce ls` of a staged folder: the files its .vsix will hold. */
export function listStaged(dir) {
  const vsce = path.join(REPO, 'node_modules', '.bin', 'vsce');
  const out = run(vsce, ['ls'], { cwd: dir, env: { ...process.env, npm_config_loglevel: 'error' } });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Packs a staged folder into `out` (.vsix) for `target`; returns its size in bytes. */
export function pack(dir, target, out) {
  const vsce = path.join(REPO, 'node_modules', '.bin', 'vsce');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  run(vsce, ['package', '--target', target, ...VSCE_FLAGS, '-o', out], {
    cwd: dir,
    env: { ...process.env, HOME: process.env.HOME ?? os.homedir(), npm_config_loglevel: 'error' },
  });
  return fs.statSync(out).size;
}
