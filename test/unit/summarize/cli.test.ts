import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFeaturesNpy, writeNpy } from '../../../src/core/io/npy';
import { kts } from '../../../src/core/summarize/kts';
import { REPO, tempDir } from '../../helpers/fixtures';
import { sceneFeatures } from './_features';

const SAMPLE = path.join(REPO, 'media', 'sample', 'mmcv-test.mp4');
const dir = tempDir('vsum-cli-');
// Runs from a temp folder, so load tsx by path rather than by package name.
const TSX = pathToFileURL(path.join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

function vsum(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, path.join(REPO, 'src', 'cli', 'main.ts'), ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('vsum kts --features F.npy --json prints {"changePoints": […]} equal to cpd_auto', async () => {
  const f = sceneFeatures(80, 24, 6, { noise: 0.1 });
  const npy = path.join(dir, 'k.npy');
  await writeFeaturesNpy(npy, f);
  const r = vsum('kts', '--features', npy, '--vmax', '0.5', '--max-cp', '30', '--json');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), { changePoints: (await kts(f, { vmax: 0.5, maxCp: 30 })).changePoints });
  assert.equal(vsum('kts', '--json').code, 2, 'missing --features is a usage error');
  assert.equal(vsum('kts', '--features', npy, '--vmax', 'x').code, 2);
  await writeNpy(path.join(dir, 'bad.npy'), { dtype: 'i8', shape: [3, 2], data: new BigInt64Array(6) });
  const bad = vsum('kts', '--features', path.join(dir, 'bad.npy'), '--json');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /int64.*float32/);
});

test('vsum summarize writes the three outputs and prints the one-line report; bad flags exit 2', () => {
  const out = path.join(dir, 'sum');
  const r = vsum('summarize', SAMPLE, '--method', 'tt01', '--threshold', 'average', '--seed', '3', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    /^mmcv-test\.mp4: tt01 \| input 6\.72 s \(168 frames\) → output [\d.]+ s \(\d+ frames, ratio [\d.]+\) \| 25 fps \| 294×240 \| histogram-hsv16x4x4\+grey8x8-v1 \| processed in [\d.]+ s\n/,
  );
  assert.deepEqual(fs.readdirSync(out).sort(), [
    'mmcv-test.chapters.vtt',
    'mmcv-test.frames.txt',
    'mmcv-test.summary.csv',
    'mmcv-test.summary.json',
    'mmcv-test.summary.mp4',
  ]);
  const json = JSON.parse(fs.readFileSync(path.join(out, 'mmcv-test.summary.json'), 'utf8'));
  assert.equal(json.params.threshold, 0.5);
  assert.equal(json.seed, 3);
  assert.equal(vsum('summarize', SAMPLE, '--method', 'nope').code, 2);
  assert.equal(vsum('summarize', SAMPLE, '--ratio', '0').code, 2);
  assert.equal(vsum('summarize', SAMPLE, '--ratio', '1.5').code, 2);
  assert.equal(vsum('summarize', SAMPLE, '--embedder', 'clip').code, 2);
  const missing = vsum('summarize', path.join(dir, 'nope.mp4'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nope\.mp4/);
});

test('vsum batch: one pass per video for all methods, resumable, shardable, rethinking-evs files', () => {
  const videos = path.join(dir, 'videos');
  fs.mkdirSync(videos);
  for (const n of ['a', 'b', 'c']) fs.copyFileSync(SAMPLE, path.join(videos, `${n}.mp4`));
  fs.writeFileSync(path.join(videos, 'notes.txt'), 'not a video');
  const out = path.join(dir, 'batch');
  const s1 = vsum('batch', videos, '--methods', 'kmeans,tt02', '--out', out, '--shard', '1/2', '--no-video');
  assert.equal(s1.code, 0, s1.err);
  assert.deepEqual(fs.readdirSync(path.join(out, 'kmeans')).sort(), [
    'a.chapters.vtt',
    'a.frames.txt',
    'a.summary.csv',
    'a.summary.json',
    'c.chapters.vtt',
    'c.frames.txt',
    'c.summary.csv',
    'c.summary.json',
  ]);
  const s2 = vsum('batch', videos, '--methods', 'kmeans,tt02', '--out', out, '--shard', '2/2', '--no-video');
  assert.equal(s2.code, 0, s2.err);
  assert.equal(s2.out.trim().split('\n').length, 2, 'shard 2 did b with two methods');
  // Interrupted run: b's tt02 JSON missing → only b is redone.
  fs.rmSync(path.join(out, 'tt02', 'b.summary.json'));
  const again = vsum('batch', videos, '--methods', 'kmeans,tt02', '--out', out, '--no-video');
  assert.equal(again.code, 0, again.err);
  assert.match(again.err, /a\.mp4: complete \(kmeans, tt02\), skipped/);
  assert.match(again.err, /1 summarized, 2 already complete, 0 failed/);
  assert.equal(again.out.trim().split('\n').length, 1, 'only the missing method ran');
  const evs = JSON.parse(fs.readFileSync(path.join(out, 'kmeans.evs.json'), 'utf8'));
  assert.deepEqual(Object.keys(evs), ['a', 'b', 'c']);
  assert.equal(evs.a.summary.length, 168);
  assert.equal(vsum('batch', videos, '--shard', '3/2').code, 2);
});

test('vsum demo summarizes the bundled sample offline and says where the outputs are', () => {
  const r = vsum('demo', '--out', 'demo-out');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /summary video .*demo-out\/mmcv-test\.kmeans\.summary\.mp4/);
  assert.match(r.out, /frame list +.*demo-out\/mmcv-test\.kmeans\.frames\.txt/);
  assert.match(r.out, /ffmpeg: ffmpeg \S+ \(/);
  assert.ok(fs.existsSync(path.join(dir, 'demo-out', 'mmcv-test.kmeans.summary.mp4')));
});
