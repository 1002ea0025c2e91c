/**
 * Two pipelines at once (two notebooks, or a notebook and the CLI): two summarizeVideo calls run concurrently on
 * different videos into the same folder, and two CLI processes likewise; each result equals the same run done
 * alone, and nothing is left running.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg, type FfmpegTools } from '../../src/core/video/ffmpeg';
import { summarizeVideo, type SummarizeResult } from '../../src/core/summarize/pipeline';
import { makeVideo } from '../helpers/video';
import { SAMPLE, assertFiles, assertNoChildren, cliBundle, startCli, workDir } from './_helpers';

let tools: FfmpegTools;
let dir: string;
let a: string;
let b: string;
before(async () => {
  tools = await resolveFfmpeg();
  dir = workDir('concurrency');
  a = makeVideo(tools, path.join(dir, 'first video.mp4'), 'testsrc2=s=160x120:r=25:d=8', [
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
  ]);
  b = SAMPLE;
  await cliBundle();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const essence = (r: SummarizeResult) => ({
  frames: r.selection.frames,
  segments: r.selection.segments,
  video: r.record.video,
  params: r.record.params,
});

test('two summarizeVideo calls at once give the same results as one at a time', async () => {
  const alone = path.join(dir, 'alone');
  const ra = await summarizeVideo(a, { method: 'tt01', outDir: alone }, { tools });
  const rb = await summarizeVideo(b, { method: 'kmeans', outDir: alone }, { tools });
  const together = path.join(dir, 'together');
  const [ca, cb] = await Promise.all([
    summarizeVideo(a, { method: 'tt01', outDir: together }, { tools }),
    summarizeVideo(b, { method: 'kmeans', outDir: together }, { tools }),
  ]);
  assert.deepEqual(essence(ca), essence(ra));
  assert.deepEqual(essence(cb), essence(rb));
  for (const f of ['first video.frames.txt', 'mmcv-test.frames.txt'])
    assert.equal(fs.readFileSync(path.join(together, f), 'utf8'), fs.readFileSync(path.join(alone, f), 'utf8'), f);
  assertFiles(together, [
    'first video.chapters.vtt',
    'first video.frames.txt',
    'first video.summary.csv',
    'first video.summary.json',
    'first video.summary.mp4',
    'mmcv-test.chapters.vtt',
    'mmcv-test.frames.txt',
    'mmcv-test.summary.csv',
    'mmcv-test.summary.json',
    'mmcv-test.summary.mp4',
  ]);
  await assertNoChildren();
});

test('two CLI processes at once into one folder both succeed with the same frame lists', async () => {
  const out = path.join(dir, 'cli together');
  const runs = await Promise.all([
    startCli(['summarize', a, '--method', 'tt01', '--out', out, '-q']),
    startCli(['summarize', b, '--method', 'kmeans', '--out', out, '-q']),
  ]);
  const [ra, rb] = await Promise.all(runs.map((r) => r.done));
  assert.equal(ra.code, 0, ra.stderr);
  assert.equal(rb.code, 0, rb.stderr);
  assert.equal(
    fs.readFileSync(path.join(out, 'first video.frames.txt'), 'utf8'),
    fs.readFileSync(path.join(dir, 'alone', 'first video.frames.txt'), 'utf8'),
  );
  assert.equal(
    fs.readFileSync(path.join(out, 'mmcv-test.frames.txt'), 'utf8'),
    fs.readFileSync(path.join(dir, 'alone', 'mmcv-test.frames.txt'), 'utf8'),
  );
  assertFiles(out, [
    'first video.chapters.vtt',
    'first video.frames.txt',
    'first video.summary.csv',
    'first video.summary.json',
    'first video.summary.mp4',
    'mmcv-test.chapters.vtt',
    'mmcv-test.frames.txt',
    'mmcv-test.summary.csv',
    'mmcv-test.summary.json',
    'mmcv-test.summary.mp4',
  ]);
});
