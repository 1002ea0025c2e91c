import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { summarizeVideo, reportLine, prepareFeatures, summarizePrepared } from '../../../src/core/summarize/pipeline';
import { SUMMARY_METHODS } from '../../../src/core/summarize/selection';
import { HISTOGRAM_EMBEDDER_ID } from '../../../src/core/embed/histogram';
import { probe } from '../../../src/core/video/probe';
import { writeNpy } from '../../../src/core/io/npy';
import { VsumError } from '../../../src/core/errors';
import { REPO, tempDir } from '../../helpers/fixtures';

const SAMPLE = path.join(REPO, 'media', 'sample', 'mmcv-test.mp4');
const dir = tempDir('vsum-pipeline-');
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('summarizeVideo end to end on the real sample with the histogram embedder: every method, all outputs', async () => {
  const info = await probe(SAMPLE);
  assert.equal(info.frames, 168);
  const prep = await prepareFeatures(SAMPLE, { embedder: 'histogram' });
  assert.equal(prep.embedderId, HISTOGRAM_EMBEDDER_ID);
  assert.equal(prep.features.rows, 21);
  for (const method of SUMMARY_METHODS) {
    const out = path.join(dir, method);
    // KTS on 21 clips finds segments longer than the 25-frame budget; bounding them to 3 clips (24 frames) fits.
    const r = await summarizePrepared(SAMPLE, prep, {
      method,
      outDir: out,
      ...(method === 'kts' ? { maxSegmentLength: 3 } : {}),
    });
    const txt = fs.readFileSync(r.paths.frames, 'utf8');
    assert.deepEqual(txt.trim().split('\n').map(Number), r.selection.frames, method);
    const json = JSON.parse(fs.readFileSync(r.paths.json, 'utf8'));
    assert.equal(json.video, 'mmcv-test.mp4');
    assert.equal(json.nFrames, 168);
    assert.equal(json.fps, 25);
    assert.equal(json.method, method);
    assert.equal(json.embedder, HISTOGRAM_EMBEDDER_ID);
    assert.deepEqual(json.frames, r.selection.frames);
    assert.deepEqual(json.scores, r.selection.scores);
    assert.ok('ratio' in json.params);
    if (method !== 'kts') assert.equal(json.seed, 1234);
    if (method === 'tt01' || method === 'tt02')
      assert.equal(json.params.threshold, 0.5, 'histogram threshold scale by default');
    const v = await probe(r.paths.video);
    assert.equal(v.frames, r.selection.frames.length, `${method}: summary video has one frame per selected index`);
    assert.equal(`${v.width}x${v.height}`, '294x240');
    assert.match(reportLine(r), /input 6\.72 s \(168 frames\) → output .* \| 25 fps \| 294×240 \| histogram/);
    assert.deepEqual(fs.readdirSync(out).sort(), [
      'mmcv-test.chapters.vtt',
      'mmcv-test.frames.txt',
      'mmcv-test.summary.csv',
      'mmcv-test.summary.json',
      'mmcv-test.summary.mp4',
    ]);
  }
});

test('same seed → byte-identical frame list and JSON; seed-faithful writes 224×224', async () => {
  const run = async (sub: string, seed: number, seedFaithful = false) =>
    summarizeVideo(SAMPLE, {
      method: 'tt02',
      seed,
      seedFaithful,
      outDir: path.join(dir, sub),
      threshold: 0.05,
      select: 'frames',
    });
  const a = await run('a', 9);
  const b = await run('b', 9);
  const c = await run('c', 10);
  assert.equal(fs.readFileSync(a.paths.json, 'utf8'), fs.readFileSync(b.paths.json, 'utf8'));
  assert.equal(fs.readFileSync(a.paths.frames, 'utf8'), fs.readFileSync(b.paths.frames, 'utf8'));
  assert.notEqual(fs.readFileSync(a.paths.frames, 'utf8'), fs.readFileSync(c.paths.frames, 'utf8'));
  const sf = await summarizeVideo(SAMPLE, { method: 'kmeans', seedFaithful: true, outDir: path.join(dir, 'sf') });
  const v = await probe(sf.paths.video);
  assert.equal(`${v.width}x${v.height}`, '224x224');
  assert.equal(sf.selection.frames.length, 3 * 8, 'k = round(0.15 × 21) = 3 clips');
});

test('bad features / ratio leave nothing in the output folder', async () => {
  const out = path.join(dir, 'bad');
  fs.mkdirSync(out);
  const npy = path.join(dir, 'wrong.npy');
  await writeNpy(npy, { dtype: 'f4', shape: [5, 4], data: new Float32Array(20) });
  await assert.rejects(
    summarizeVideo(SAMPLE, { method: 'kmeans', features: npy, outDir: out }),
    (e: unknown) => e instanceof VsumError && /5 rows but a 168-frame video has 21 clips/.test(e.message),
  );
  await writeNpy(npy, { dtype: 'i8', shape: [21, 4], data: new BigInt64Array(84) });
  await assert.rejects(
    summarizeVideo(SAMPLE, { method: 'kmeans', features: npy, outDir: out }),
    (e: unknown) => e instanceof VsumError && /int64/.test(e.message),
  );
  const nan = new Float32Array(21 * 4).fill(1);
  nan[7] = NaN;
  await writeNpy(npy, { dtype: 'f4', shape: [21, 4], data: nan });
  await assert.rejects(
    summarizeVideo(SAMPLE, { method: 'tt01', features: npy, outDir: out }),
    (e: unknown) => e instanceof VsumError && /row 1/.test(e.message),
  );
  await assert.rejects(summarizeVideo(SAMPLE, { method: 'tt01', ratio: 0, outDir: out }), VsumError);
  // A budget shorter than one clip (floor(168 × 0.04) = 6 frames) cannot hold any KTS segment: the message names
  // the ratio that would.
  await assert.rejects(
    summarizeVideo(SAMPLE, { method: 'kts', ratio: 0.04, outDir: out }),
    (e: unknown) => e instanceof VsumError && /selected no frames.*--ratio to at least 0\.048/.test(e.message),
  );
  assert.deepEqual(fs.readdirSync(out), []);
  // With the default flags, KTS segments are bounded by the summary budget, so a short video gets a summary.
  const kts = await summarizeVideo(SAMPLE, { method: 'kts', outDir: path.join(dir, 'kts-default'), writeVideo: false });
  assert.ok(kts.selection.frames.length > 0 && kts.selection.frames.length <= Math.floor(168 * 0.15));
  assert.equal(kts.record.params.maxSegmentLength, 3, 'floor(floor(168 × 0.15) / 8) = 3 clips, recorded');
  // Features from a .npy are accepted and recorded as such.
  const ok = new Float32Array(21 * 4).map((_, i) => Math.sin(i));
  await writeNpy(npy, { dtype: 'f4', shape: [21, 4], data: ok });
  const r = await summarizeVideo(SAMPLE, { method: 'kmeans', features: npy, outDir: out, writeVideo: false });
  assert.equal(r.record.embedder, 'features:wrong.npy');
  assert.deepEqual(fs.readdirSync(out).sort(), [
    'mmcv-test.chapters.vtt',
    'mmcv-test.frames.txt',
    'mmcv-test.summary.csv',
    'mmcv-test.summary.json',
  ]);
});

test('the timesformer embedder path (tiny test model) goes through the embedding cache and records its id', async () => {
  const cacheDir = path.join(dir, 'cache');
  const run = (sub: string) =>
    summarizeVideo(SAMPLE, {
      method: 'kmeans',
      embedder: 'timesformer',
      embedderOptions: { model: path.join(REPO, 'test', 'models', 'tiny-timesformer.onnx'), cacheDir, ep: 'cpu' },
      outDir: path.join(dir, sub),
      writeVideo: false,
    });
  const a = await run('tf-a');
  assert.match(a.record.embedder, /^timesformer-tiny-timesformer\.onnx-default-v\d+$/);
  assert.equal(a.selection.nClips, 21);
  assert.ok(
    fs.readdirSync(path.join(cacheDir, 'embeddings')).some((f) => f.endsWith('.npy')),
    'embedding cached',
  );
  const b = await run('tf-b');
  assert.equal(fs.readFileSync(a.paths.json, 'utf8'), fs.readFileSync(b.paths.json, 'utf8'));
});
