/**
 * Writing the summary video: a selection of 101–200 separate runs (ffmpeg's expression parser stops at 100 terms)
 * and a disk that fills up while the video is written (ffmpeg 5.1 exits 0 after "Error writing trailer … No space
 * left on device", so the writer must check). Both through the real CLI.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg, type FfmpegTools } from '../../src/core/video/ffmpeg';
import { probe } from '../../src/core/video/probe';
import { makeVideo } from '../helpers/video';
import {
  SAMPLE,
  assertCliError,
  assertCliStillWorks,
  assertNoChildren,
  cliBundle,
  listFiles,
  runCli,
  workDir,
} from './_helpers';

let tools: FfmpegTools;
let dir: string;
const mounts: string[] = [];
before(async () => {
  tools = await resolveFfmpeg();
  dir = workDir('write video');
  await cliBundle();
});
after(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a summary of 101–200 separate runs is written with exactly the selected frames', async () => {
  const f = makeVideo(tools, path.join(dir, 'one minute.mp4'), 'testsrc=s=160x120:r=25:d=60', [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
  ]);
  const out = path.join(dir, 'runs out');
  // The original's scattered frames (--select frames): many separate runs.
  const r = await runCli(['summarize', f, '--method', 'tt01', '--select', 'frames', '--out', out, '-q']);
  assert.equal(r.code, 0, r.stderr);
  const frames = fs.readFileSync(path.join(out, 'one minute.frames.txt'), 'utf8').trim().split('\n').map(Number);
  const runs = frames.filter((x, i) => i === 0 || x !== frames[i - 1] + 1).length;
  assert.ok(runs > 100, `${runs} runs`);
  assert.equal((await probe(path.join(out, 'one minute.summary.mp4'), { tools })).frames, frames.length);
  await assertNoChildren();
});

test('disk full while writing the summary video: clear error, no summary video (not even a truncated one), no temp file', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root for mount -t tmpfs');
  const full = path.join(dir, 'tiny disk');
  fs.mkdirSync(full);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', full]).status !== 0)
    return t.skip('mount -t tmpfs not permitted');
  mounts.push(full);
  const r = await runCli(['summarize', SAMPLE, '--method', 'kmeans', '--out', full]);
  assertCliError(r, /disk is full/, /Free some space or choose another output folder/);
  const left = listFiles(full);
  assert.deepEqual(
    left.filter((f) => f.endsWith('.mp4') || f.includes('.vsum-tmp-') || f.endsWith('.summary.json')),
    [],
    `left: ${left}`,
  );
  await assertNoChildren();
  await assertCliStillWorks();
});
