/**
 * Signals end every stage of the real CLI (issue #11 item 4): SIGINT, SIGTERM and SIGHUP during decoding,
 * embedding, k-means, the KTS DP, the random baseline and writing. Each run exits with 128 + the signal number
 * (130 / 143 / 129) well within a generous bound, prints one "Cancelled" line, leaves no process that names its
 * files, and no temp file. Temp files of a run killed outright (SIGKILL) are swept by the next run in that folder.
 * The bound (STOP_BOUND_MS) only proves the stage stopped rather than finishing; how fast is the bench's business.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../../src/core/video/ffmpeg';
import { writeNpy } from '../../src/core/io/npy';
import { createRng } from '../../src/core/random';
import { makeVideo } from '../helpers/video';
import { REPO, fixture } from '../helpers/fixtures';
import { assertCliStillWorks, assertFiles, cliBundle, listFiles, startCli, workDir } from './_helpers';

const TINY = path.join(REPO, 'test', 'models', 'tiny-timesformer.onnx');
const EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
/** Far above the 200 ms goal (the machine may be loaded), far below any stage finishing on these inputs. */
const STOP_BOUND_MS = 5000;

let dir: string;
let long: string;
before(async () => {
  const tools = await resolveFfmpeg();
  dir = workDir('signals');
  long = makeVideo(tools, path.join(dir, 'long clip.mp4'), 'testsrc=s=320x240:r=25:d=30', [
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

/** Processes (other than the test itself) whose command line names a file of this test's folder. */
function processesOf(folder: string): string[] {
  return spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.includes(folder) && !l.includes('ps -eo'));
}

async function waitFor(what: string, cond: () => boolean, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * Start `vsum args…`, wait until `running()` says the stage is under way, send `sig`; the run must exit with the
 * signal's code within the bound, with one "Cancelled" line, no descendant left, no temp file in `out`.
 */
async function stopsOn(
  sig: NodeJS.Signals,
  args: string[],
  running: (pid: number, stderr: string) => boolean,
  out: string,
): Promise<string> {
  const run = await startCli(args);
  await waitFor(
    `the stage of \`vsum ${args[0]}\` to start`,
    () => running(run.child.pid!, run.stderr()) || run.child.exitCode !== null,
  );
  assert.equal(run.child.exitCode, null, `the run was still going when signalled: ${run.stderr()}`);
  const t0 = Date.now();
  run.child.kill(sig);
  // A stage that ignores the signal is not waited for: the test fails on the bound below.
  const guard = setTimeout(() => run.child.kill('SIGKILL'), 2 * STOP_BOUND_MS);
  const r = await run.done;
  clearTimeout(guard);
  const ms = Date.now() - t0;
  assert.equal(r.code, EXIT[sig], `exit ${r.code} (${r.signal}) after ${sig}: ${r.stderr}`);
  assert.ok(ms < STOP_BOUND_MS, `stopped ${ms} ms after ${sig}`);
  assert.equal(r.stderr.match(/^vsum: Cancelled/gm)?.length, 1, `one "Cancelled" line: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  await waitFor('its children to go', () => processesOf(dir).length === 0, 2000).catch(() => undefined);
  assert.deepEqual(processesOf(dir), [], 'no process of that run survives');
  assertFiles(out);
  return r.stdout;
}

const ffmpegRunning = (file: string) => () =>
  processesOf(path.dirname(file)).some((l) => /ffmpeg/.test(l) && l.includes(file));

test('SIGINT while decoding (summarize, histogram embedder): exit 130, no ffmpeg left, nothing written', async () => {
  const out = path.join(dir, 'out decode');
  await stopsOn('SIGINT', ['summarize', long, '--out', out], ffmpegRunning(long), out);
  assert.deepEqual(listFiles(out), []);
});

test('SIGTERM while embedding (TimeSformer, tiny model): exit 143, no ffmpeg left, nothing written or cached', async () => {
  const out = path.join(dir, 'out embed');
  const cache = path.join(dir, 'cache embed');
  await stopsOn(
    'SIGTERM',
    [
      'embed',
      long,
      '--model',
      TINY,
      '--ep',
      'cpu',
      '--batch',
      '1',
      '--cache-dir',
      cache,
      '--out',
      path.join(out, 'f.npy'),
    ],
    (_, err) => /execution provider cpu: running/.test(err) && ffmpegRunning(long)(),
    out,
  );
  assert.deepEqual(listFiles(out), []);
  assert.deepEqual(listFiles(path.join(cache, 'embeddings')), [], 'no embedding cached');
});

test('SIGHUP while writing the summary video: exit 129, no temp file, no summary, no encoder left', async () => {
  const out = path.join(dir, 'out write');
  await stopsOn(
    'SIGHUP',
    ['summarize', long, '--method', 'tt01', '--ratio', '0.9', '--out', out],
    () => listFiles(out).some((f) => f.includes('.vsum-tmp-')),
    out,
  );
  assert.deepEqual(listFiles(out), []);
});

test('SIGTERM during the random baseline: exit 143, no partial result printed', async () => {
  const gt = path.join(dir, 'GT');
  fs.mkdirSync(gt, { recursive: true });
  fs.copyFileSync(fixture('derived', 'St Maarten Landing.mat'), path.join(gt, 'St Maarten Landing.mat'));
  const stdout = await stopsOn(
    'SIGTERM',
    ['baseline', 'random', '--gt', gt, '--segmentation', 'uniform', '--runs', '1000000', '--json'],
    (pid) => cpuSeconds(pid) > 1,
    gt,
  );
  assert.equal(stdout, '');
});

/** Random clip features for a video of `frames` frames (one row per 8 frames). */
async function features(name: string, rows: number, dim: number): Promise<string> {
  const rng = createRng(7);
  const f = path.join(dir, name);
  await writeNpy(f, {
    dtype: 'f4',
    shape: [rows, dim],
    data: Float32Array.from({ length: rows * dim }, () => rng.next()),
  });
  return f;
}

// k-means and the KTS DP check the AbortSignal and yield between blocks (scale's rewrite, issue #11 items 1–3).
test('SIGTERM during k-means: exit 143, nothing written', async () => {
  const tools = await resolveFfmpeg();
  const video = makeVideo(tools, path.join(dir, 'kmeans src.mp4'), 'testsrc2=s=16x16:r=1000:d=48', [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
  ]);
  const f = await features('kmeans features.npy', 6000, 64);
  const out = path.join(dir, 'out kmeans');
  await stopsOn(
    'SIGTERM',
    ['summarize', video, '--features', f, '--method', 'kmeans', '--no-video', '--out', out],
    (pid) => cpuSeconds(pid) > 2,
    out,
  );
  assert.deepEqual(listFiles(out), []);
});

test('SIGHUP during the KTS DP: exit 129, nothing printed', async () => {
  const f = await features('kts features.npy', 20000, 32);
  const stdout = await stopsOn('SIGHUP', ['kts', '--features', f, '--json'], (pid) => cpuSeconds(pid) > 1.2, dir);
  assert.equal(stdout, '');
});

test('a run killed by SIGKILL mid-write leaves its temp file; the next run in that folder sweeps it (its PID is dead)', async () => {
  const out = path.join(dir, 'out sigkill');
  const run = await startCli(['summarize', long, '--method', 'tt01', '--ratio', '0.9', '--out', out]);
  await waitFor(
    'the summary video temp file',
    () => listFiles(out).some((f) => f.includes('.vsum-tmp-')) || run.child.exitCode !== null,
  );
  run.child.kill('SIGKILL');
  await run.done;
  // Its ffmpeg encoder is orphaned, not ours to wait for: kill it so the leftover is final.
  for (const l of processesOf(dir)) process.kill(Number(l.trim().split(/\s+/)[0]), 'SIGKILL');
  const left = listFiles(out).filter((f) => f.includes(`.vsum-tmp-${run.child.pid}-`));
  assert.equal(left.length, 1, `the killed run left its temp file: ${listFiles(out)}`);
  // A live process's temp file is never touched (our own PID stands for one).
  const live = path.join(out, `.other.vsum-tmp-${process.pid}-0123abcd.mp4`);
  fs.writeFileSync(live, 'in progress');
  const again = await startCli(['summarize', long, '--method', 'kmeans', '--no-video', '--out', out]);
  const r = await again.done;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    listFiles(out).filter((f) => f.includes(`.vsum-tmp-${run.child.pid}-`)),
    [],
    'swept',
  );
  assert.ok(fs.existsSync(live), "a live PID's temp file is kept");
  fs.rmSync(live);
  await assertCliStillWorks();
});
