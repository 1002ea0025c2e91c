// Builds the three kinds of bundle vsum ships:
//   dist/extension.js   the VS Code extension (node, cjs; `vscode` and native/binary packages external)
//   dist/cli.js         the `vsum` command line (node, cjs, same core)
//   dist/renderers/*.js the notebook renderers (browser, esm): one per `notebookRenderer` entrypoint in package.json
// and, outside production builds, the in-host test suite (dist/test/integration/, never shipped).
// Usage: node esbuild.mjs [--watch] [--production [--tests]] [--outdir DIR]
//   --production  minified, no source maps, no test bundles, and DIR emptied first (so no stale file is packed)
//   --tests       the test bundles in a production build too (the host stage tests the production bundles)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const watch = args.includes('--watch');
const production = args.includes('--production');
const withTests = !production || args.includes('--tests');
const outIndex = args.indexOf('--outdir');
const outdir = outIndex >= 0 ? args[outIndex + 1] : 'dist';
if (!outdir) throw new Error('--outdir needs a directory');

// Packages that must be required at run time from node_modules: native addons, packages that locate
// their own binaries or .wasm next to their files.
const nodeExternal = [
  'vscode',
  'onnxruntime-node',
  '@ffmpeg-installer/ffmpeg',
  'h5wasm',
  'playwright-core',
  'mocha',
];

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

// One bundle per distinct renderer entrypoint (./dist/renderers/<name>.js ← webview/<name>.ts). Several renderer ids
// may share one entrypoint: the score plot and the evaluation table both load plots.js, so plotly ships once.
const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const rendererEntries = [...new Set((manifest.contributes?.notebookRenderer ?? []).map((r) => r.entrypoint))].map(
  (e) => {
    const m = /^\.\/dist\/renderers\/([\w-]+)\.js$/.exec(e);
    if (!m) throw new Error(`package.json: renderer entrypoint ${e} is not ./dist/renderers/<name>.js`);
    const src = path.join('webview', `${m[1]}.ts`);
    if (!fs.existsSync(src)) throw new Error(`package.json: renderer entrypoint ${e} has no source ${src}`);
    return { in: src, out: m[1] };
  },
);

const nodeEntries = [
  { in: 'src/extension/extension.ts', out: 'extension' },
  { in: 'src/cli/main.ts', out: 'cli' },
  // The stage engine process the kernel and `vsum run` fork (src/notebook/engine/child-engine.ts).
  { in: 'src/notebook/engine/child-main.ts', out: 'engine' },
].filter((e) => fs.existsSync(e.in));

// The in-host integration suite is bundled like the extension: the mocha `run()` entry (test-electron style)
// plus one bundle per suite file (test/integration/*.test.ts → dist/test/integration/*.test.js) that it loads.
if (withTests && fs.existsSync('test/integration/index.ts')) {
  for (const f of fs.readdirSync('test/integration').filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))) {
    nodeEntries.push({ in: `test/integration/${f}`, out: `test/integration/${f.slice(0, -3)}` });
  }
}

const configs = [
  {
    ...common,
    entryPoints: nodeEntries,
    outdir,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternal,
    banner: { js: '' },
  },
  {
    ...common,
    entryPoints: rendererEntries,
    outdir: path.join(outdir, 'renderers'),
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
  if (production) fs.rmSync(outdir, { recursive: true, force: true });
  await Promise.all(configs.map((c) => esbuild.build(c)));
  // The CLI is an executable: add the shebang and the x bit.
  const cli = path.join(outdir, 'cli.js');
  if (fs.existsSync(cli)) {
    const src = fs.readFileSync(cli, 'utf8');
    if (!src.startsWith('#!')) fs.writeFileSync(cli, '#!/usr/bin/env node\n' + src);
    fs.chmodSync(cli, 0o755);
  }
}
