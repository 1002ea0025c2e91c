/**
 * Cancellation at every stage through the public entry points: decoding, embedding (TimeSformer on the tiny test
 * model), writing the summary video, evaluation — and Ctrl-C on the real CLI. Each stops at once with
 * CancelledError (CLI: exit 130), leaves no output and no temp file, kills every ffmpeg child, and the next run works.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg, type FfmpegTools } from '../../src/core/video/ffmpeg';
import { liveChildren } from '../../src/core/video/process';
import { summarizeVideo } from '../../src/core/summarize/pipeline';
import { randomBaseline } from '../../src/core/evaluate/baselines';
import { createRng } from '../../src/core/random';
import type { GroundTruth } from '../../src/core/evaluate/ground-truth';
import { makeVideo } from '../helpers/video';
import { REPO, fixture } from '../helpers/fixtures';
import {
  assertCliStillWorks,
  assertFiles,
  assertNoChildren,
  cliBundle,
  isVsumError,
  startCli,
  workDir,
} from './_helpers';

let tools: FfmpegTools;
let dir: string;
let long: string;
const TINY = path.join(REPO, 'test', 'models', 'tiny-timesformer.onnx');
before(async () => {
  tools = await resolveFfmpeg();
  dir = workDir('cancel');
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

const cancelled = () => isVsumError('CANCELLED', /Cancelled/);

test('cancel during decoding (histogram embedder): stops at once, nothing written, no ffmpeg left', async () => {
  const out = path.join(dir, 'out decode');
  const ac = new AbortController();
  let framesAtAbort = 0;
  await assert.rejects(
    summarizeVideo(
      long,
      { method: 'kmeans', outDir: out },
      {
        tools,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.stage === 'embed' && !ac.signal.aborted) {
            framesAtAbort = p.fraction ?? 0;
            ac.abort();
          }
        },
      },
    ),
    cancelled(),
  );
  assert.ok(framesAtAbort < 0.5, 'aborted early in the decode');
  assertFiles(out, []);
  await assertNoChildren();
});

test('cancel during embedding (TimeSformer, tiny model): stops, nothing written, no ffmpeg left; the next run works', async () => {
  const out = path.join(dir, 'out embed');
  const cacheDir = path.join(dir, 'model cache');
  const ac = new AbortController();
  const opts = {
    method: 'kmeans' as const,
    outDir: out,
    embedder: 'timesformer' as const,
    embedderOptions: { model: TINY, ep: 'cpu' as const, batch: 2, cacheDir },
  };
  await assert.rejects(
    summarizeVideo(long, opts, {
      tools,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.stage === 'embed' && (p.fraction ?? 0) > 0) ac.abort();
      },
    }),
    cancelled(),
  );
  assertFiles(out, []);
  assertFiles(cacheDir);
  await assertNoChildren();
  const ok = await summarizeVideo(long, opts, { tools });
  assert.ok(ok.embedderId.startsWith('timesformer-'), ok.embedderId);
  assertFiles(out, [
    'long clip.chapters.vtt',
    'long clip.frames.txt',
    'long clip.summary.csv',
    'long clip.summary.json',
    'long clip.summary.mp4',
  ]);
});

test('cancel while writing the summary video: no summary file, no temp file, no ffmpeg left', async () => {
  const out = path.join(dir, 'out write');
  const ac = new AbortController();
  let sawWriter = false;
  await assert.rejects(
    summarizeVideo(
      long,
      { method: 'tt01', outDir: out, ratio: 0.9 },
      {
        tools,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.stage !== 'write') return;
          // Abort once the encoder is really running.
          const poll = setInterval(() => {
            if (liveChildren().length > 0) {
              sawWriter = true;
              clearInterval(poll);
              ac.abort();
            }
          }, 2);
          ac.signal.addEventListener('abort', () => clearInterval(poll));
          setTimeout(() => {
            clearInterval(poll);
            ac.abort();
          }, 5000);
        },
      },
    ),
    cancelled(),
  );
  assert.ok(sawWriter, 'the writer ffmpeg was running when cancelled');
  assertFiles(out, []);
  await assertNoChildren();
});

test('cancel during evaluation (random baseline): stops between runs', async () => {
  const rng = createRng(3);
  const N = 3000;
  const videos = Array.from({ length: 5 }, (_, v) => ({
    name: `v${v}`,
    nFrames: N,
    nUsers: 5,
    source: 'synthetic',
    gtScore: new Float64Array(N),
    userSummaries: Uint8Array.from({ length: 5 * N }, () => (rng.next() < 0.15 ? 1 : 0)),
  }));
  const gt: GroundTruth = { dataset: 'summe', source: 'synthetic', videos };
  const ac = new AbortController();
  let last = 0;
  await assert.rejects(
    randomBaseline(gt, {
      segmentation: 'uniform',
      runs: 100_000,
      signal: ac.signal,
      onProgress: (r) => {
        last = r;
        if (r === 20) ac.abort();
      },
    }),
    cancelled(),
  );
  assert.ok(last >= 20 && last < 100_000, `stopped after run ${last}`);
});

test('Ctrl-C on `vsum summarize`: exit 130, one "Cancelled" line, no output, no ffmpeg left behind', async () => {
  const out = path.join(dir, 'out sigint');
  const run = await startCli(['summarize', long, '--method', 'kmeans', '--out', out]);
  // Wait until the CLI's ffmpeg decoder is running (its argv names our video), then press Ctrl-C.
  const ffmpegOf = () =>
    spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => l.includes(long) && /ffmpeg/.test(l));
  for (let i = 0; i < 500 && ffmpegOf().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ffmpegOf().length > 0, 'the decoder started');
  run.child.kill('SIGINT');
  const r = await run.done;
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /^vsum: Cancelled: /);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assertFiles(out, []);
  for (let i = 0; i < 50 && ffmpegOf().length; i++) await new Promise((res) => setTimeout(res, 20));
  assert.deepEqual(ffmpegOf(), [], 'no ffmpeg process of that run survives');
  await assertCliStillWorks();
});

test('Ctrl-C on `vsum baseline random`: exit 130 with a "Cancelled" line; the CLI works after', async () => {
  const gtDir = path.join(dir, 'GT');
  fs.mkdirSync(gtDir, { recursive: true });
  fs.copyFileSync(fixture('derived', 'St Maarten Landing.mat'), path.join(gtDir, 'St Maarten Landing.mat'));
  const run = await startCli([
    'baseline',
    'random',
    '--gt',
    gtDir,
    '--segmentation',
    'uniform',
    '--runs',
    '1000000',
    '--json',
  ]);
  // Press Ctrl-C once the process is well into the runs: ≥ 1 s of CPU (start-up and loading the GT take far less).
  const cpuSeconds = () => {
    try {
      const f = fs.readFileSync(`/proc/${run.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      return 0;
    }
  };
  for (let i = 0; i < 3000 && cpuSeconds() < 1 && run.child.exitCode === null; i++)
    await new Promise((r) => setTimeout(r, 10));
  run.child.kill('SIGINT');
  const r = await run.done;
  assert.equal(r.code, 130, `exit ${r.code} ${r.signal}: ${r.stderr}`);
  assert.match(r.stderr, /^vsum: Cancelled: the random baseline/m);
  assert.equal(r.stdout, '', 'no partial result printed');
  await assertCliStillWorks();
});
