import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './_stage-harness';

// What `vsce ls` says the .vsix holds (the same list `npm run package` packs), checked against the allow-list.
test('the .vsix holds only dist/, media/, notebooks/, README, LICENSE and the runtime dependencies', () => {
  const vsce = path.join(REPO, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['ls'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const allowed = [
    /^package\.json$/, /^README\.md$/, /^LICENSE$/,
    /^dist\/(extension|cli)\.js$/, /^dist\/renderers\/[\w-]+\.js$/,
    /^media\/[\w.-]+\.(png|json)$/, /^media\/screenshots\/[\w.-]+\.png$/, /^media\/walkthrough\/[\w-]+\.md$/,
    /^notebooks\/[\w-]+\.vsumnb$/,
    /^node_modules\/(onnxruntime-node|onnxruntime-common|h5wasm|@ffmpeg-installer\/[\w-]+|@ffprobe-installer\/[\w-]+)\//,
  ];
  const stray = files.filter((f) => !allowed.some((re) => re.test(f)));
  assert.deepEqual(stray, [], 'files outside the allow-list');
  assert.ok(!files.some((f) => /\.map$|\.ts$|^dist\/test\/|^media\/sample\/|^\.cache\/|^test-results\//.test(f)), 'no source maps, sources, tests or caches');
  // The files the extension needs at run time, whatever the build state.
  for (const need of [
    'LICENSE',
    'node_modules/onnxruntime-common/dist/cjs/package.json', // "type": "commonjs" — without it onnxruntime cannot load
    'node_modules/onnxruntime-node/dist/binding.js',
    `node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`,
    'node_modules/h5wasm/dist/node/hdf5_hl.js',
    'node_modules/@ffmpeg-installer/ffmpeg/index.js',
    'notebooks/summe-evaluation.vsumnb',
    'notebooks/attention-visualisation.vsumnb',
    'media/icon.png',
  ]) assert.ok(files.includes(need), `${need} is packed`);
  if (fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    for (const r of pkg.contributes.notebookRenderer) assert.ok(files.includes(r.entrypoint.replace(/^\.\//, '')), `${r.entrypoint} is packed`);
    assert.ok(files.includes('dist/extension.js'));
  }
});
