/**
 * Videos that are valid but unusual, end to end: variable frame rate (every frame kept, none resampled), rotation
 * metadata (the summary is upright, with the display size), and a path full of spaces, quotes, unicode and
 * `<script>` that must go through the CLI untouched and come back verbatim in the outputs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg, type FfmpegTools } from '../../src/core/video/ffmpeg';
import { probe } from '../../src/core/video/probe';
import { decodeFrames } from '../../src/core/video/decode';
import { summarizeVideo } from '../../src/core/summarize/pipeline';
import { makeVideo } from '../helpers/video';
import { assertCliStillWorks, assertFiles, assertNoChildren, runCli, workDir, cliBundle } from './_helpers';

let tools: FfmpegTools;
let dir: string;
before(async () => {
  tools = await resolveFfmpeg();
  dir = workDir('quirks');
  await cliBundle();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function countDecoded(file: string): Promise<number> {
  let n = 0;
  for await (const _ of decodeFrames(file, { width: 32, height: 32, pixFmt: 'rgb24', resize: 'squash' }, { tools }))
    n++;
  return n;
}

test('variable frame rate: decode count == probe count, the summary has exactly the selected frames', async () => {
  // 25 frames 1/25 s apart, then 75 frames 3/25 s apart: avg_frame_rate ≠ r_frame_rate.
  const f = makeVideo(tools, path.join(dir, 'vfr clip.mp4'), 'testsrc=s=96x64:r=25:d=4', [
    '-vf',
    "setpts='if(lt(N\\,25)\\,N\\,25+(N-25)*3)/25/TB'",
    '-fps_mode',
    'vfr',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
  ]);
  const info = await probe(f, { tools });
  assert.equal(info.variableFrameRate, true);
  assert.equal(info.frames, 100);
  assert.equal(await countDecoded(f), info.frames, 'no frame dropped or duplicated');
  const out = path.join(dir, 'vfr out');
  const r = await summarizeVideo(f, { method: 'kmeans', outDir: out }, { tools });
  assert.equal(r.info.frames, 100);
  assert.ok(r.selection.frames.every((x) => x >= 0 && x < 100));
  const written = await probe(r.paths.video, { tools });
  assert.equal(written.frames, r.selection.frames.length, 'summary video frame count = selected frames');
  assert.deepEqual(fs.readFileSync(r.paths.frames, 'utf8').trim().split('\n').map(Number), r.selection.frames);
  assertFiles(out, [
    'vfr clip.chapters.vtt',
    'vfr clip.frames.txt',
    'vfr clip.summary.csv',
    'vfr clip.summary.json',
    'vfr clip.summary.mp4',
  ]);
  await assertNoChildren();
});

test('rotation metadata: decode count == probe count, the summary video is upright with the display size', async () => {
  const plain = makeVideo(tools, path.join(dir, 'plain.mp4'), 'testsrc=s=96x64:r=25:d=2', [
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
  ]);
  const f = path.join(dir, 'rotated phone clip.mp4');
  execFileSync(tools.ffmpeg, ['-v', 'error', '-y', '-i', plain, '-c', 'copy', '-metadata:s:v', 'rotate=90', f]);
  const info = await probe(f, { tools });
  assert.ok(info.rotation === 90 || info.rotation === 270, `rotation ${info.rotation}`);
  assert.deepEqual([info.width, info.height], [96, 64], 'coded size');
  assert.equal(await countDecoded(f), info.frames);
  const out = path.join(dir, 'rot out');
  const r = await summarizeVideo(f, { method: 'tt02', outDir: out }, { tools });
  const written = await probe(r.paths.video, { tools });
  assert.deepEqual(
    [written.width, written.height, written.rotation],
    [64, 96, 0],
    'upright: display width × height, no rotation flag left',
  );
  assert.equal(written.frames, r.selection.frames.length);
  const rec = JSON.parse(fs.readFileSync(r.paths.json, 'utf8'));
  assert.deepEqual([rec.width, rec.height], [64, 96], 'the JSON reports the display size');
  await assertNoChildren();
});

test('a path with spaces, quotes, unicode and <script> goes through the CLI verbatim', async () => {
  const sub = path.join(dir, `dir "with" 'quotes' ünï 视频`);
  fs.mkdirSync(sub);
  const name = `clip "q" 'a' ü 视频 <script>alert(1)<script> & $HOME;`;
  const f = makeVideo(tools, path.join(sub, `${name}.mp4`), 'testsrc=s=64x48:r=25:d=1.6', [
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
  ]);
  const probed = await runCli(['probe', f, '--json']);
  assert.equal(probed.code, 0, probed.stderr);
  assert.equal(JSON.parse(probed.stdout).frames, 40);
  const out = path.join(sub, 'out <b>');
  const r = await runCli(['summarize', f, '--method', 'tt01', '--out', out, '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes(name), `report names the video: ${r.stdout}`);
  assertFiles(out, [
    `${name}.chapters.vtt`,
    `${name}.frames.txt`,
    `${name}.summary.csv`,
    `${name}.summary.json`,
    `${name}.summary.mp4`,
  ]);
  const rec = JSON.parse(fs.readFileSync(path.join(out, `${name}.summary.json`), 'utf8'));
  assert.equal(rec.video, `${name}.mp4`, "the name is stored verbatim (escaping is the renderer's job)");
  // And an error about such a file names it verbatim too.
  const missing = path.join(sub, `gone <script>.mp4`);
  const bad = await runCli(['summarize', missing, '--method', 'tt01']);
  assert.equal(bad.code, 1);
  assert.ok(bad.stderr.includes(missing), bad.stderr);
  await assertNoChildren();
  await assertCliStillWorks();
});
