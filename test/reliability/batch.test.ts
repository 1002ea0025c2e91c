/**
 * `vsum batch` is never stale and never lies (issue #11 item 5): a rerun with other settings, a damaged output or a
 * corrupt summary.json is recomputed with its reason; one failing method leaves the video's other methods done;
 * the report lists every failure, names only files it wrote and exits 1; two batches into one folder at once do
 * each video once; a lock left by a dead worker is taken over, one held by a live worker is waited for.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from '../helpers/fixtures';
import { findPython } from '../helpers/python';
import { SAMPLE, assertFiles, cliBundle, runCli, startCli, workDir } from './_helpers';

let dir: string;
let videos: string;
before(async () => {
  dir = workDir('batch');
  videos = path.join(dir, 'videos');
  fs.mkdirSync(videos);
  for (const n of ['a', 'b']) fs.copyFileSync(SAMPLE, path.join(videos, `${n}.mp4`));
  await cliBundle();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const batch = (out: string, ...args: string[]) =>
  runCli(['batch', videos, '--out', out, ...args], { timeoutMs: 120_000 });
const read = (...p: string[]) => fs.readFileSync(path.join(...p), 'utf8');
const record = (...p: string[]) => JSON.parse(read(...p));
/** The report lines a batch printed on stdout (one per summary it made). */
const made = (stdout: string) => stdout.split('\n').filter((l) => / \| input /.test(l));

test('a rerun with another --ratio, --seed or --methods set recomputes (and says why); the same flags skip', async () => {
  const out = path.join(dir, 'params');
  const first = await batch(out, '--methods', 'kmeans', '--no-video');
  assert.equal(first.code, 0, first.stderr);
  const frames1 = read(out, 'kmeans', 'a.frames.txt');
  const same = await batch(out, '--methods', 'kmeans', '--no-video');
  assert.equal(same.code, 0, same.stderr);
  assert.equal(made(same.stdout).length, 0, 'nothing redone with the same flags');
  assert.match(same.stderr, /a\.mp4: complete \(kmeans\), skipped/);

  const ratio = await batch(out, '--methods', 'kmeans', '--no-video', '--ratio', '0.3');
  assert.equal(ratio.code, 0, ratio.stderr);
  assert.equal(made(ratio.stdout).length, 2);
  assert.match(ratio.stderr, /a\.mp4: summarizing kmeans \(settings differ: ratio 0\.15 → 0\.3\)/);
  assert.equal(record(out, 'kmeans', 'a.summary.json').params.ratio, 0.3);
  // The dataset file follows the new results, not the old ones.
  const evs = record(out, 'kmeans.evs.json');
  const picked = evs.a.summary.reduce((s: number, x: number) => s + x, 0);
  assert.equal(picked, record(out, 'kmeans', 'a.summary.json').frames.length);
  assert.notEqual(read(out, 'kmeans', 'a.frames.txt'), frames1);

  const seed = await batch(out, '--methods', 'kmeans', '--no-video', '--ratio', '0.3', '--seed', '7');
  assert.match(seed.stderr, /settings differ: seed 1234 → 7/);
  const withVideo = await batch(out, '--methods', 'kmeans', '--ratio', '0.3', '--seed', '7');
  assert.match(withVideo.stderr, /settings differ: video false → true/);
  assert.equal(made(withVideo.stdout).length, 2);
  assertFiles(out);
});

test('a truncated frames.txt, a 0-byte or swapped mp4 and a corrupt summary.json are recomputed, each with its reason', async () => {
  const out = path.join(dir, 'damaged');
  assert.equal((await batch(out, '--methods', 'kmeans,tt02')).code, 0);
  const good = { frames: read(out, 'kmeans', 'a.frames.txt'), json: read(out, 'tt02', 'b.summary.json') };
  fs.writeFileSync(path.join(out, 'kmeans', 'a.frames.txt'), good.frames.slice(0, 10));
  fs.writeFileSync(path.join(out, 'kmeans', 'b.summary.mp4'), '');
  fs.copyFileSync(path.join(out, 'kmeans', 'a.summary.mp4'), path.join(out, 'tt02', 'a.summary.mp4'));
  fs.writeFileSync(path.join(out, 'tt02', 'b.summary.json'), good.json.slice(0, good.json.length / 2));
  const r = await batch(out, '--methods', 'kmeans,tt02');
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.match(
    r.stderr,
    /a\.mp4: summarizing kmeans \(a\.frames\.txt has 10 bytes, \d+ recorded\), tt02 \(a\.summary\.mp4 (has \d+ bytes|differs)/,
  );
  assert.match(
    r.stderr,
    /b\.mp4: summarizing kmeans \(b\.summary\.mp4 has 0 bytes, \d+ recorded\), tt02 \(b\.summary\.json is corrupt/,
  );
  assert.equal(made(r.stdout).length, 4);
  assert.equal(read(out, 'kmeans', 'a.frames.txt'), good.frames);
  assert.equal(read(out, 'tt02', 'b.summary.json'), good.json);
  const again = await batch(out, '--methods', 'kmeans,tt02');
  assert.equal(made(again.stdout).length, 0, 'whole again: nothing redone');
  assertFiles(out);
});

test('one method failing leaves the others done; the report lists it, exits 1, and the next run redoes only it', async () => {
  const out = path.join(dir, 'one fails');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'kts'), 'a file where the kts folder would go');
  // --max-seg-len 4: KTS selects frames on this 7-second video once its folder can be made.
  const r = await batch(out, '--methods', 'kts,kmeans', '--no-video', '--max-seg-len', '4');
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.match(r.stderr, /^vsum: a\.mp4 kts: failed: .*kts/m);
  assert.match(r.stderr, /^vsum: b\.mp4 kts: failed: /m);
  assert.match(r.stderr, /2 summarized, 0 already complete, 2 failed/);
  assert.deepEqual(fs.readdirSync(path.join(out, 'kmeans')).sort(), [
    'a.chapters.vtt',
    'a.frames.txt',
    'a.summary.csv',
    'a.summary.json',
    'b.chapters.vtt',
    'b.frames.txt',
    'b.summary.csv',
    'b.summary.json',
  ]);
  assert.match(r.stderr, /wrote .*kmeans\.evs\.json/);
  assert.doesNotMatch(r.stderr, /kts\.evs\.json/, 'never names a file it did not write');
  assert.ok(!fs.existsSync(path.join(out, 'kts.evs.json')));

  fs.rmSync(path.join(out, 'kts'));
  const again = await batch(out, '--methods', 'kts,kmeans', '--no-video', '--max-seg-len', '4');
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    made(again.stdout).map((l) => l.split(': ')[1].split(' ')[0]),
    ['kts', 'kts'],
    'only kts redone',
  );
  assert.ok(fs.existsSync(path.join(out, 'kts.evs.json')));
});

test('every video failing: exit 1, each failure listed, no dataset file named or written', async () => {
  const bad = path.join(dir, 'bad videos');
  fs.mkdirSync(bad);
  fs.writeFileSync(path.join(bad, 'x.mp4'), 'not a video');
  fs.writeFileSync(path.join(bad, 'y.mp4'), '');
  const out = path.join(dir, 'all fail');
  const r = await runCli(['batch', bad, '--out', out, '--methods', 'kmeans,tt01']);
  assert.equal(r.code, 1, r.stderr);
  for (const v of ['x', 'y'])
    for (const m of ['kmeans', 'tt01']) assert.match(r.stderr, new RegExp(`^vsum: ${v}\\.mp4 ${m}: failed: `, 'm'));
  assert.match(r.stderr, /no dataset file written/);
  assert.doesNotMatch(r.stderr, /\.evs\.json/);
  assert.deepEqual(
    fs.readdirSync(out).filter((f) => f.endsWith('.json')),
    [],
  );
  // --collect lists them as failed (with the recorded error) and exits 1.
  const c = await runCli(['batch', bad, '--out', out, '--methods', 'kmeans,tt01', '--collect']);
  assert.equal(c.code, 1);
  assert.match(c.stderr, /^vsum: x\.mp4 kmeans: failed: /m);
});

test('two batches into one --out at once: each summary made once, both exit 0, results equal a lone run', async () => {
  const out = path.join(dir, 'together');
  const runs = await Promise.all(
    [0, 1].map(() => startCli(['batch', videos, '--out', out, '--methods', 'kmeans,tt01'])),
  );
  const [r1, r2] = await Promise.all(runs.map((r) => r.done));
  assert.equal(r1.code, 0, r1.stderr);
  assert.equal(r2.code, 0, r2.stderr);
  const lines = [...made(r1.stdout), ...made(r2.stdout)];
  assert.equal(lines.length, 4, `each of 2 videos × 2 methods made exactly once:\n${lines.join('\n')}`);
  const alone = path.join(dir, 'alone');
  assert.equal((await batch(alone, '--methods', 'kmeans,tt01')).code, 0);
  for (const m of ['kmeans', 'tt01']) {
    for (const f of ['a.frames.txt', 'b.frames.txt', 'a.summary.json', 'b.summary.json'])
      assert.equal(read(out, m, f), read(alone, m, f), `${m}/${f}`);
    assert.equal(read(out, `${m}.evs.json`), read(alone, `${m}.evs.json`));
  }
  assert.deepEqual(fs.readdirSync(path.join(out, '.vsum-locks')), [], 'every lock released');
  assertFiles(out);
});

test('a lock left by a dead process is taken over at once; one held by a live process is waited for', async () => {
  const out = path.join(dir, 'locks');
  const locks = path.join(out, '.vsum-locks');
  fs.mkdirSync(locks, { recursive: true });
  // A worker that died: a PID that is not running on this host.
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => dead.on('close', r));
  const owner = (pid: number) =>
    JSON.stringify({ host: os.hostname(), pid, pidStart: null, token: `t${pid}`, since: new Date().toISOString() });
  fs.writeFileSync(path.join(locks, 'a.lock'), owner(dead.pid!));
  // A live worker: this test's sleeping child holds b's lock until it is killed.
  const live = spawn('sleep', ['60']);
  fs.writeFileSync(path.join(locks, 'b.lock'), owner(live.pid!));
  const run = await startCli(['batch', videos, '--out', out, '--methods', 'kmeans', '--no-video']);
  for (let i = 0; i < 600 && !/b\.mp4: locked by/.test(run.stderr()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(run.stderr(), /a\.mp4: took over a stale lock \(its owner, PID \d+ on this host, is gone\)/);
  assert.match(run.stderr(), /b\.mp4: locked by [^ ]+:\d+/);
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(!fs.existsSync(path.join(out, 'kmeans', 'b.summary.json')), 'b is not touched while its owner lives');
  live.kill('SIGKILL');
  const r = await run.done;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /b\.mp4: took over a stale lock/);
  assert.equal(made(r.stdout).length, 2);
  assert.deepEqual(fs.readdirSync(locks), []);
});

test('Ctrl-C mid-video: exit 130, its lock released, no temp file; the rerun finishes the batch', async () => {
  const out = path.join(dir, 'interrupted');
  const run = await startCli(['batch', videos, '--out', out, '--methods', 'kmeans,tt01']);
  for (let i = 0; i < 600 && !/a\.mp4: summarizing/.test(run.stderr()); i++)
    await new Promise((r) => setTimeout(r, 20));
  run.child.kill('SIGINT');
  const r = await run.done;
  assert.equal(r.code, 130, r.stderr);
  assert.deepEqual(fs.readdirSync(path.join(out, '.vsum-locks')), [], 'lock released');
  assertFiles(out);
  const again = await batch(out, '--methods', 'kmeans,tt01');
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /took over/, 'nothing stale to take over');
  assert.ok(fs.existsSync(path.join(out, 'tt01.evs.json')));
});

test('another --embedder, or a --model file whose content changed under the same name, recomputes', async () => {
  const out = path.join(dir, 'models');
  const model = path.join(dir, 'model.onnx');
  fs.copyFileSync(path.join(REPO, 'test', 'models', 'tiny-timesformer.onnx'), model);
  const env = { VSUM_CACHE: path.join(dir, 'cache') };
  const tf = ['--methods', 'kmeans', '--no-video', '--embedder', 'timesformer', '--model', model];
  assert.equal((await batch(out, '--methods', 'kmeans', '--no-video')).code, 0);
  const first = await runCli(['batch', videos, '--out', out, ...tf], { env, timeoutMs: 120_000 });
  assert.equal(first.code, 0, first.stderr);
  assert.match(
    first.stderr,
    /settings differ: embedder "histogram-[^"]+" → "timesformer-model\.onnx-default-v1", model null → "[0-9a-f]{64}"/,
  );
  const same = await runCli(['batch', videos, '--out', out, ...tf], { env });
  assert.equal(made(same.stdout).length, 0, same.stderr);
  // The same file name with other weights (a documentation string changed): its sha256 differs.
  const py = findPython(['onnx']);
  const edit = `import onnx,sys; m=onnx.load(sys.argv[1]); m.doc_string='retrained'; onnx.save(m, sys.argv[1])`;
  assert.equal(spawnSync(py, ['-c', edit, model]).status, 0);
  const changed = await runCli(['batch', videos, '--out', out, ...tf], { env, timeoutMs: 120_000 });
  assert.equal(changed.code, 0, changed.stderr);
  assert.match(changed.stderr, /a\.mp4: summarizing kmeans \(settings differ: model "[0-9a-f]{64}" → "[0-9a-f]{64}"\)/);
  assert.equal(made(changed.stdout).length, 2);
});
