/**
 * ffmpeg missing or dying under a running pipeline: a clear error naming what to fix, no output, no process left,
 * and the next run works.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg, type FfmpegTools } from '../../src/core/video/ffmpeg';
import { liveChildren } from '../../src/core/video/process';
import { summarizeVideo } from '../../src/core/summarize/pipeline';
import { makeVideo } from '../helpers/video';
import {
  SAMPLE,
  assertCliError,
  assertCliStillWorks,
  assertFiles,
  assertNoChildren,
  cliBundle,
  isVsumError,
  runCli,
  workDir,
} from './_helpers';

let tools: FfmpegTools;
let dir: string;
let long: string;
before(async () => {
  tools = await resolveFfmpeg();
  dir = workDir('ffmpeg faults');
  long = makeVideo(tools, path.join(dir, 'long clip.mp4'), 'testsrc=s=320x240:r=25:d=20', [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
  ]);
  await cliBundle();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('missing ffmpeg: a bad --ffmpeg path names the path and the fix; nothing written', async () => {
  const bad = path.join(dir, 'no ffmpeg here', 'ffmpeg');
  const out = path.join(dir, 'out missing');
  assertCliError(
    await runCli(['--ffmpeg', bad, 'summarize', SAMPLE, '--method', 'tt01', '--out', out]),
    `ffmpeg not found at ${bad}`,
    /Fix the path, or clear it/,
  );
  assertFiles(out, []);
  assertCliError(
    await runCli(['probe', SAMPLE], { env: { VSUM_FFMPEG: bad } }),
    `ffmpeg not found at ${bad} (from VSUM_FFMPEG)`,
    /Fix the variable or unset it/,
  );
  await assertCliStillWorks();
});

test('ffmpeg killed mid-decode while summarizing: clear error, no output, no child, the next run works', async () => {
  const out = path.join(dir, 'out killed');
  let killed = 0;
  await assert.rejects(
    summarizeVideo(
      long,
      { method: 'tt01', outDir: out },
      {
        tools,
        onProgress: (p) => {
          if (p.stage === 'embed' && killed === 0)
            for (const pid of liveChildren()) {
              process.kill(pid, 'SIGKILL');
              killed++;
            }
        },
      },
    ),
    isVsumError('FFMPEG_FAILED', long, /stopped unexpectedly \(SIGKILL\)/, /Run again/),
  );
  assert.ok(killed > 0, 'an ffmpeg child was running during embedding');
  assertFiles(out, []);
  await assertNoChildren();
  const ok = await summarizeVideo(long, { method: 'tt01', outDir: out }, { tools });
  assert.equal(ok.info.frames, 500);
  assertFiles(out, [
    'long clip.chapters.vtt',
    'long clip.frames.txt',
    'long clip.summary.csv',
    'long clip.summary.json',
    'long clip.summary.mp4',
  ]);
  await assertNoChildren();
});
