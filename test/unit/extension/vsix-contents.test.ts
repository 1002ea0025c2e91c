import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');

interface Vsix {
  TARGETS: Record<string, { ort: string; installer: string }>;
  currentTarget(): string;
  stage(target: string, dir?: string): string;
  listStaged(dir: string): string[];
  pack(dir: string, target: string, out: string): number;
}

/**
 * The .vsix of this platform, the way `npm run package` makes it: the production bundles plus only this platform's
 * onnxruntime and ffmpeg binaries (no ffprobe: probing uses ffmpeg). The binaries are about 41 MB compressed on
 * linux-x64 (ffmpeg 23.5, onnxruntime 17.9); the bound is the 60 MB, which any second platform's binaries
 * or a source map creeping back in would break. The all-platform package it replaced was 163 MB.
 */
const MAX_VSIX_BYTES = 60e6;

test("the .vsix holds only the production bundles, media, notebooks and this platform's runtime binaries", async () => {
  const vsix = (await import(path.join(REPO, 'scripts', 'vsix.mjs'))) as Vsix;
  const target = vsix.currentTarget();
  const { ort, installer } = vsix.TARGETS[target];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-vsix-'));
  try {
    const dir = vsix.stage(target, path.join(work, 'stage'));
    const files = vsix.listStaged(dir);
    const allowed = [
      /^package\.json$/,
      /^README\.md$/,
      /^LICENSE$/,
      /^dist\/(extension|cli|engine)\.js$/,
      /^dist\/renderers\/[\w-]+\.js$/,
      /^media\/[\w.-]+\.(png|json)$/,
      /^media\/screenshots\/[\w.-]+\.png$/,
      /^media\/walkthrough\/[\w-]+\.md$/,
      /^notebooks\/[\w-]+\.vsumnb$/,
      /^node_modules\/(onnxruntime-node|onnxruntime-common|h5wasm|@ffmpeg-installer\/[\w-]+)\//,
    ];
    const stray = files.filter((f) => !allowed.some((re) => re.test(f)));
    assert.deepEqual(stray, [], 'files outside the allow-list');
    assert.ok(
      !files.some((f) => /\.map$|\.ts$|^dist\/test\/|^media\/sample\/|^\.cache\/|^test-results\//.test(f)),
      'no source maps, sources, tests or caches',
    );
    // Only this platform's binaries.
    const otherOrt = files.filter(
      (f) =>
        f.startsWith('node_modules/onnxruntime-node/bin/') &&
        !f.startsWith(`node_modules/onnxruntime-node/bin/napi-v6/${ort}/`),
    );
    assert.deepEqual(otherOrt, [], `only onnxruntime's ${ort} binaries`);
    const otherInstallers = files.filter(
      (f) => /^node_modules\/@ffmpeg-installer\/(?!ffmpeg\/)/.test(f) && !f.includes(`-installer/${installer}/`),
    );
    assert.deepEqual(otherInstallers, [], `only the ${installer} ffmpeg`);
    assert.deepEqual(
      files.filter((f) => /ffprobe/i.test(f)),
      [],
      'no ffprobe: probing uses ffmpeg alone',
    );
    // The files the extension needs at run time.
    const exe = target.startsWith('win32') ? '.exe' : '';
    for (const need of [
      'LICENSE',
      'dist/extension.js',
      'dist/cli.js',
      'dist/engine.js',
      'node_modules/onnxruntime-common/dist/cjs/package.json', // "type": "commonjs" — without it onnxruntime cannot load
      'node_modules/onnxruntime-node/dist/binding.js',
      `node_modules/onnxruntime-node/bin/napi-v6/${ort}/onnxruntime_binding.node`,
      'node_modules/h5wasm/dist/node/hdf5_hl.js',
      'node_modules/@ffmpeg-installer/ffmpeg/index.js',
      `node_modules/@ffmpeg-installer/${installer}/ffmpeg${exe}`,
      'notebooks/summe-evaluation.vsumnb',
      'notebooks/attention-visualisation.vsumnb',
      'media/icon.png',
    ])
      assert.ok(files.includes(need), `${need} is packed`);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    for (const r of pkg.contributes.notebookRenderer)
      assert.ok(files.includes(r.entrypoint.replace(/^\.\//, '')), `${r.entrypoint} is packed`);
    // plotly once: the score plot and the evaluation table share one bundle.
    const plotly = files.filter(
      (f) => f.startsWith('dist/renderers/') && fs.readFileSync(path.join(dir, f), 'utf8').includes('plotly_relayout'),
    );
    assert.equal(plotly.length, 1, `one renderer bundle carries plotly, not ${plotly.join(', ')}`);

    const bytes = vsix.pack(dir, target, path.join(work, `vsum-${target}.vsix`));
    assert.ok(
      bytes < MAX_VSIX_BYTES,
      `the ${target} .vsix is ${(bytes / 1e6).toFixed(1)} MB, over ${MAX_VSIX_BYTES / 1e6} MB`,
    );
    console.log(`# ${target} .vsix: ${(bytes / 1e6).toFixed(1)} MB`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
