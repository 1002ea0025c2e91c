/**
 * A cluster without a cluster (issue #17): N local worker processes started with a Kubernetes Indexed Job's or a
 * Slurm array's environment run `vsum batch --shard auto` over one output folder; one is SIGKILLed mid-run, its
 * shard is rerun, `--collect` gathers the outputs, and the result equals a single-process batch byte for byte.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../../src/core/video/ffmpeg';
import { makeVideo } from '../helpers/video';
import { SAMPLE, assertFiles, cliBundle, runCli, startCli, workDir, type CliResult } from './_helpers';

const METHODS = 'kmeans,tt01';
const ENGINE_VARS = /^(JOB_COMPLETION_INDEX|VSUM_SHARD_COUNT|SLURM_ARRAY_TASK_\w+)$/;

let dir: string;
let videos: string;
let reference: string;
before(async () => {
  dir = workDir('cluster');
  videos = path.join(dir, 'videos');
  const tools = await resolveFfmpeg();
  fs.mkdirSync(videos, { recursive: true });
  fs.copyFileSync(SAMPLE, path.join(videos, 'a sample.mp4'));
  makeVideo(tools, path.join(videos, 'b.mp4'), 'testsrc2=s=96x72:r=25:d=6', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
  makeVideo(tools, path.join(videos, 'c.mkv'), 'mandelbrot=s=96x72:r=25,trim=duration=6', [
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
  ]);
  makeVideo(tools, path.join(videos, 'd.mp4'), 'testsrc=s=96x72:r=30:d=5', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
  await cliBundle();
  reference = path.join(dir, 'single');
  const r = await runCli(['batch', videos, '--out', reference, '--methods', METHODS], { timeoutMs: 180_000 });
  assert.equal(r.code, 0, r.stderr);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The environment without any engine variable of the test runner's own, plus this worker's. */
function workerEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !ENGINE_VARS.test(k)));
  return { ...env, ...vars };
}

const worker = (out: string, vars: Record<string, string>) =>
  startCli(['batch', videos, '--out', out, '--methods', METHODS, '--shard', 'auto'], { env: workerEnv(vars) });

/** summary.json without timings (none are recorded today; a later `timings` key must not break the comparison). */
function withoutTimings(text: string): unknown {
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => !/^timings?$/.test(k))
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  return strip(JSON.parse(text));
}

function assertSameAsReference(out: string): void {
  for (const m of METHODS.split(',')) {
    const names = fs.readdirSync(path.join(reference, m)).sort();
    assert.deepEqual(fs.readdirSync(path.join(out, m)).sort(), names, `${m}: the same files`);
    for (const f of names) {
      const a = fs.readFileSync(path.join(out, m, f));
      const b = fs.readFileSync(path.join(reference, m, f));
      if (f.endsWith('.summary.json'))
        assert.deepEqual(withoutTimings(a.toString('utf8')), withoutTimings(b.toString('utf8')), `${m}/${f}`);
      else assert.ok(a.equals(b), `${m}/${f} byte for byte`);
    }
    assert.ok(
      fs.readFileSync(path.join(out, `${m}.evs.json`)).equals(fs.readFileSync(path.join(reference, `${m}.evs.json`))),
      `${m}.evs.json`,
    );
  }
  assertFiles(out);
}

async function simulate(engine: string, shards: Array<Record<string, string>>, victim: number): Promise<void> {
  const out = path.join(dir, engine);
  const runs = await Promise.all(shards.map((vars) => worker(out, vars)));
  // SIGKILL the victim once it has finished its first summary and is working on the next.
  const v = runs[victim];
  let firstLine = false;
  v.child.stdout.on('data', (s: Buffer) => {
    if (!firstLine && / \| input /.test(s.toString())) {
      firstLine = true;
      v.child.kill('SIGKILL');
    }
  });
  const results: CliResult[] = await Promise.all(runs.map((r) => r.done));
  assert.equal(results[victim].signal, 'SIGKILL', `the victim was killed mid-run: ${results[victim].stderr}`);
  results.forEach((r, i) => {
    if (i !== victim) assert.equal(r.code, 0, `shard ${i}: ${r.stderr}`);
  });
  for (const [i, r] of results.entries())
    if (i !== victim) assert.match(r.stderr, /strided over the 4 videos sorted by name/);

  const early = await runCli(['batch', videos, '--out', out, '--methods', METHODS, '--collect']);
  assert.equal(early.code, 1, 'the killed shard left videos missing');
  assert.match(early.stderr, /: missing: /);

  const rerun = await runCli(['batch', videos, '--out', out, '--methods', METHODS, '--shard', 'auto'], {
    env: workerEnv(shards[victim]),
    timeoutMs: 120_000,
  });
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stderr, /took over a stale lock \(its owner, PID \d+ on this host, is gone\)/);

  const collected = await runCli(['batch', videos, '--out', out, '--methods', METHODS, '--collect']);
  assert.equal(collected.code, 0, collected.stderr);
  assert.match(collected.stderr, /wrote .*kmeans\.evs\.json, .*tt01\.evs\.json/);
  assert.deepEqual(fs.readdirSync(path.join(out, '.vsum-locks')), [], 'no lock left');
  assertSameAsReference(out);
}

test('Kubernetes Indexed Job: 2 workers (JOB_COMPLETION_INDEX, VSUM_SHARD_COUNT), one killed and rerun, collect = single batch', async () => {
  await simulate(
    'kubernetes',
    [0, 1].map((i) => ({ JOB_COMPLETION_INDEX: String(i), VSUM_SHARD_COUNT: '2' })),
    0,
  );
});

test('Slurm array --array=1-3: 3 workers (SLURM_ARRAY_TASK_ID/MIN/MAX), one killed and rerun, collect = single batch', async () => {
  const shards = [1, 2, 3].map((id) => ({
    SLURM_ARRAY_TASK_ID: String(id),
    SLURM_ARRAY_TASK_MIN: '1',
    SLURM_ARRAY_TASK_MAX: '3',
    SLURM_ARRAY_JOB_ID: '77',
  }));
  await simulate('slurm', shards, 0);
});

test('--collect on a single-machine output writes the same dataset files as the batch did', async () => {
  const before = Object.fromEntries(
    METHODS.split(',').map((m) => [m, fs.readFileSync(path.join(reference, `${m}.evs.json`))]),
  );
  for (const m of METHODS.split(',')) fs.rmSync(path.join(reference, `${m}.evs.json`));
  const c = await runCli(['batch', videos, '--out', reference, '--methods', METHODS, '--collect']);
  assert.equal(c.code, 0, c.stderr);
  for (const m of METHODS.split(','))
    assert.ok(fs.readFileSync(path.join(reference, `${m}.evs.json`)).equals(before[m]), m);
  const none = await runCli(['batch', videos, '--out', path.join(dir, 'empty'), '--collect', '--methods', 'kmeans']);
  assert.equal(none.code, 1);
  assert.equal((none.stderr.match(/kmeans: missing: not summarized yet/g) ?? []).length, 4, none.stderr);
});
