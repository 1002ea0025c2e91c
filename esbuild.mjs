// Builds the three kinds of bundle vsum ships:
//   dist/extension.js   the VS Code extension (node, cjs; `vscode` and native/binary packages external)
//   dist/cli.js         the `vsum` command line (node, cjs, same core)
//   dist/renderers/*.js the notebook renderers (browser, esm), one per output kind
// Usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// Packages that must be required at run time from node_modules: native addons, packages that locate
// their own binaries or .wasm next to their files.
const nodeExternal = ['vscode', 'onnxruntime-node', '@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe', 'h5wasm', 'playwright-core', 'mocha'];

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const rendererDir = 'webview';
const rendererEntries = fs.existsSync(rendererDir)
  ? fs.readdirSync(rendererDir).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('_')).map((f) => path.join(rendererDir, f))
  : [];

const nodeEntries = [
  { in: 'src/extension/extension.ts', out: 'extension' },
  { in: 'src/cli/main.ts', out: 'cli' },
].filter((e) => fs.existsSync(e.in));

// The in-host integration suite is bundled like the extension: the mocha `run()` entry (test-electron style)
// plus one bundle per suite file (test/integration/*.test.ts → dist/test/integration/*.test.js) that it loads.
if (fs.existsSync('test/integration/index.ts')) {
  for (const f of fs.readdirSync('test/integration').filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))) {
    nodeEntries.push({ in: `test/integration/${f}`, out: `test/integration/${f.slice(0, -3)}` });
  }
}

const configs = [
  {
    ...common,
    entryPoints: nodeEntries,
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternal,
    banner: { js: '' },
  },
  {
    ...common,
    entryPoints: rendererEntries,
    outdir: 'dist/renderers',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    loader: { '.css': 'text' },
  },
].filter((c) => c.entryPoints.length > 0);

if (watch) {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching…');
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
  // The CLI is an executable: add the shebang and the x bit.
  const cli = 'dist/cli.js';
  if (fs.existsSync(cli)) {
    const src = fs.readFileSync(cli, 'utf8');
    if (!src.startsWith('#!')) fs.writeFileSync(cli, '#!/usr/bin/env node\n' + src);
    fs.chmodSync(cli, 0o755);
  }
}
