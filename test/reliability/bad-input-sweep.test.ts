/**
 * The bad-input sweep (issue #11 item 7), one case per finding, through the real CLI: each input that used to end
 * in a stack trace, a wrong message or a silent acceptance now gives one clear line naming the file (exit 1; a bad
 * flag: exit 2), writes nothing half-done — or, where the input is legitimate (a 1×1 video, a BOM in JSON, a
 * read-only cache), just works.
 */
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg, type FfmpegTools } from '../../src/core/video/ffmpeg';
import { encodeNpy, writeNpy } from '../../src/core/io/npy';
import { variantPath } from '../../src/core/model/hub';
import { FFPROBE, makeVideo } from '../helpers/video';
import { REPO, fixture } from '../helpers/fixtures';
import { SAMPLE, assertCliError, assertFiles, cliBundle, listFiles, runCli, workDir, type CliResult } from './_helpers';

const TINY = path.join(REPO, 'test', 'models', 'tiny-timesformer.onnx');
const VIDEO = 'St Maarten Landing';
let tools: FfmpegTools;
let dir: string;
let gt: string;
const mounts: string[] = [];
before(async () => {
  tools = await resolveFfmpeg();
  dir = workDir('bad input sweep');
  gt = path.join(dir, 'GT');
  fs.mkdirSync(gt);
  fs.copyFileSync(fixture('derived', `${VIDEO}.mat`), path.join(gt, `${VIDEO}.mat`));
  await cliBundle();
});
after(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A read-only tmpfs (root ignores chmod); undefined where mounting is not permitted. */
function readOnlyMount(name: string): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const m = path.join(dir, name);
  fs.mkdirSync(m);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', m]).status !== 0) return undefined;
  mounts.push(m);
  return m;
}
const noMount = (t: TestContext) =>
  t.diagnostic(
    'mount -t tmpfs is not permitted here: the read-only case is not exercised (run as root, as .ci/run does)',
  );

function usageError(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit 2 expected: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

// ---- videos ----

test('a 1×1 video is summarized (the summary is written 2×2, the smallest yuv420p size)', async () => {
  const v = makeVideo(tools, path.join(dir, 'one pixel.mkv'), 'color=c=red:s=2x2:r=25:d=1', [
    '-vf',
    'scale=1:1',
    '-c:v',
    'ffv1',
  ]);
  const out = path.join(dir, 'out 1x1');
  const r = await runCli(['summarize', v, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const p = spawnSync(
    FFPROBE,
    ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path.join(out, 'one pixel.summary.mp4')],
    { encoding: 'utf8' },
  );
  assert.equal(p.stdout.trim(), '2,2');
});

test('an image-sequence pattern, a FIFO and /dev/null each get their own message', async () => {
  const pattern = path.join(dir, 'frames', 'img%03d.png');
  assertCliError(
    await runCli(['summarize', pattern, '--out', dir]),
    `${pattern} looks like an image-sequence pattern`,
    /ffmpeg -framerate 25 -i/,
  );
  const fifo = path.join(dir, 'a fifo');
  spawnSync('mkfifo', [fifo]);
  assertCliError(
    await runCli(['summarize', fifo, '--out', dir], { timeoutMs: 20_000 }),
    `${fifo} is a named pipe (FIFO), not a video file`,
  );
  assertCliError(await runCli(['probe', '/dev/null']), '/dev/null is a device, not a video file');
  assertFiles(dir);
});

test('embed on a 7-frame video: TOO_SHORT naming it, no 0-row .npy', async () => {
  const v = makeVideo(tools, path.join(dir, 'seven frames.mp4'), 'testsrc2=s=64x64:r=25', [
    '-frames:v',
    '7',
    '-pix_fmt',
    'yuv420p',
  ]);
  const out = path.join(dir, 'seven.npy');
  assertCliError(
    await runCli(['embed', v, '--model', TINY, '--ep', 'cpu', '--no-cache', '--out', out]),
    `${v} has 7 frame(s); embedding needs at least 8`,
    /--partial pad/,
  );
  assert.equal(fs.existsSync(out), false);
});

// ---- outputs ----

test('export-evs / rollout --out an existing folder: "is an existing folder", no stack trace', async () => {
  const frames = path.join(dir, 'frame lists');
  fs.mkdirSync(frames, { recursive: true });
  fs.writeFileSync(path.join(frames, `${VIDEO}.txt`), '0\n1\n2\n');
  const folder = path.join(dir, 'a folder');
  fs.mkdirSync(folder, { recursive: true });
  assertCliError(
    await runCli(['export-evs', '--frames-dir', frames, '--gt', gt, '--out', folder]),
    `Cannot write ${folder}: it is an existing folder`,
  );
  const t = path.join(dir, 'T.npy');
  const s = path.join(dir, 'S.npy');
  await writeNpy(t, { dtype: 'f4', shape: [1, 4, 1, 2, 2], data: new Float32Array(16).fill(0.5) });
  await writeNpy(s, { dtype: 'f4', shape: [1, 2, 1, 5, 5], data: new Float32Array(50).fill(0.2) });
  assertCliError(
    await runCli(['rollout', '--temporal', t, '--spatial', s, '--out', folder]),
    `Cannot write ${folder}: it is an existing folder`,
  );
  assert.deepEqual(listFiles(folder), []);
});

test('export-evs --videos: a missing folder and one without the videos are named', async () => {
  const frames = path.join(dir, 'frame lists');
  fs.mkdirSync(frames, { recursive: true });
  fs.writeFileSync(path.join(frames, `${VIDEO}.txt`), '0\n1\n2\n');
  const out = path.join(dir, 'sub.json');
  assertCliError(
    await runCli(['export-evs', '--frames-dir', frames, '--gt', gt, '--out', out, '--videos', '/nonexistent']),
    'Cannot read the --videos folder /nonexistent (it does not exist)',
  );
  const empty = path.join(dir, 'no videos');
  fs.mkdirSync(empty);
  assertCliError(
    await runCli(['export-evs', '--frames-dir', frames, '--gt', gt, '--out', out, '--videos', empty]),
    `${empty} holds none of the 1 videos`,
  );
  assert.equal(fs.existsSync(out), false);
});

test('export-evs with frame index 1e20: names the frame and the ground truth length', async () => {
  const frames = path.join(dir, 'huge index');
  fs.mkdirSync(frames);
  const list = path.join(frames, `${VIDEO}.txt`);
  fs.writeFileSync(list, '0\n1\n100000000000000000000\n');
  assertCliError(
    await runCli(['export-evs', '--frames-dir', frames, '--gt', gt, '--out', path.join(dir, 'x.json')]),
    `${list}: frame 100000000000000000000 is past the end of video "${VIDEO}", whose ground truth has 1751 frames`,
  );
});

test('--out on a read-only file system (ro/sub): named read-only (EROFS), not ENOENT', async (t) => {
  const ro = readOnlyMount('ro out');
  if (!ro) return noMount(t);
  const sub = path.join(ro, 'sub');
  assertCliError(
    await runCli(['summarize', SAMPLE, '--out', sub]),
    `Cannot create the output folder ${sub}: the file system is read-only (EROFS)`,
  );
});

test('embed --out in a read-only folder is refused before any inference; a missing folder is created', async (t) => {
  const created = path.join(dir, 'new folder', 'f.npy');
  const ok = await runCli(['embed', SAMPLE, '--model', TINY, '--ep', 'cpu', '--no-cache', '--out', created]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(fs.existsSync(created));
  const ro = readOnlyMount('ro embed');
  if (!ro) return noMount(t);
  const r = await runCli([
    'embed',
    SAMPLE,
    '--model',
    TINY,
    '--ep',
    'cpu',
    '--no-cache',
    '--out',
    path.join(ro, 'f.npy'),
  ]);
  assertCliError(r, `Cannot create the output folder ${ro}: the file system is read-only (EROFS)`);
  assert.doesNotMatch(r.stderr, /execution provider|deriving/, 'nothing was loaded or run');
});

test('--cache-dir on a read-only file system: runs uncached with one warning', async (t) => {
  const ro = readOnlyMount('ro cache');
  if (!ro) return noMount(t);
  const out = path.join(dir, 'uncached.npy');
  const r = await runCli([
    'embed',
    SAMPLE,
    '--model',
    TINY,
    '--ep',
    'cpu',
    '--cache-dir',
    path.join(ro, 'cache'),
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(fs.existsSync(out));
  assert.equal(
    r.stderr.match(/warning: the cache folder .* cannot be written \(EROFS\); running without caching/g)?.length,
    1,
    r.stderr,
  );
});

test('a --no-video rerun removes the previous summary video (the new JSON does not describe it)', async () => {
  const out = path.join(dir, 'out rerun');
  assert.equal((await runCli(['summarize', SAMPLE, '--out', out])).code, 0);
  assert.ok(fs.existsSync(path.join(out, 'mmcv-test.summary.mp4')));
  const r = await runCli(['summarize', SAMPLE, '--out', out, '--no-video', '--ratio', '0.3']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(listFiles(out), [
    'mmcv-test.chapters.vtt',
    'mmcv-test.frames.txt',
    'mmcv-test.summary.csv',
    'mmcv-test.summary.json',
  ]);
});

test("the --seed-faithful report line gives the summary's own size (224×224) beside the source's", async () => {
  const r = await runCli(['summarize', SAMPLE, '--seed-faithful', '--out', path.join(dir, 'out sf')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\| 294×240 → 224×224 \|/);
  const sq = makeVideo(tools, path.join(dir, 'square.mp4'), 'testsrc2=s=224x224:r=25:d=2', ['-pix_fmt', 'yuv420p']);
  const s = await runCli(['summarize', sq, '--seed-faithful', '--out', path.join(dir, 'out sf')]);
  assert.match(s.stdout, /\| 224×224 \| /, 'a 224×224 source: one size');
});

// ---- flags ----

test('--ratio 0x1 and other non-decimal numbers are refused (exit 2)', async () => {
  for (const v of ['0x1', '0b1', 'Infinity', ' 0.5'])
    usageError(await runCli(['summarize', SAMPLE, '--ratio', v, '--out', dir]), /--ratio must be a decimal number/);
});

test('--threads 0, --variant fp64, --ep tpu are refused with the histogram embedder too; --threads is named as unused', async () => {
  usageError(await runCli(['summarize', SAMPLE, '--threads', '0', '--out', dir]), /--threads must be ≥ 1/);
  usageError(await runCli(['summarize', SAMPLE, '--variant', 'fp64', '--out', dir]), /--variant must be one of/);
  usageError(await runCli(['summarize', SAMPLE, '--ep', 'tpu', '--out', dir]), /--ep must be one of/);
  usageError(
    await runCli(['summarize', SAMPLE, '--threads', '2', '--out', dir]),
    /the histogram embedder does not use it/,
  );
  assertFiles(dir);
});

test("--shard '' is refused, not read as no shard", async () => {
  const videos = path.join(dir, 'batch videos');
  fs.mkdirSync(videos, { recursive: true });
  fs.copyFileSync(SAMPLE, path.join(videos, 'a.mp4'));
  usageError(
    await runCli(['batch', videos, '--out', path.join(dir, 'batch out'), '--shard', '']),
    /--shard must be I\/N/,
  );
  assert.equal(fs.existsSync(path.join(dir, 'batch out')), false);
});

// ---- .npy / .mat / JSON ----

test('a structured-dtype .npy is named as such; a .npy with trailing bytes is refused', async () => {
  const st = path.join(dir, 'structured.npy');
  const header = "{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (3,), }";
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = header + ' '.repeat(pad) + '\n';
  fs.writeFileSync(
    st,
    Buffer.concat([
      Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]),
      Buffer.from(h, 'latin1'),
      Buffer.alloc(24),
    ]),
  );
  assertCliError(await runCli(['kts', '--features', st]), `${st} holds a structured array (named fields`);
  const trailing = path.join(dir, 'trailing.npy');
  fs.writeFileSync(
    trailing,
    Buffer.concat([
      encodeNpy({ dtype: 'f4', shape: [4, 5], data: new Float32Array(20).fill(1) }),
      Buffer.from('garbage!'),
    ]),
  );
  assertCliError(
    await runCli(['kts', '--features', trailing]),
    `${trailing} is not a readable .npy file: it has 8 bytes after the data of shape (4, 5)`,
  );
});

/** A SumMe GT file rewritten by scipy with one change (python3-scipy is a test-time reference). */
function gtVariant(name: string, edit: string): string {
  const d = path.join(dir, `GT ${name}`);
  fs.mkdirSync(d, { recursive: true });
  const out = path.join(d, `${VIDEO}.mat`);
  const script = `import sys, numpy as np, scipy.io as sio
m = {k: v for k, v in sio.loadmat(sys.argv[1]).items() if not k.startswith('__')}
${edit}
sio.savemat(sys.argv[2], m${name === 'v4' ? ", format='4'" : ''})`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, fixture('derived', `${VIDEO}.mat`), out], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return out;
}

test('MAT v4 files are named as Level 4 with how to re-save them', async () => {
  const f = gtVariant('v4', "m = {'user_score': m['user_score']}");
  assertCliError(await runCli(['baseline', 'human', '--gt', f]), `${f} is a MATLAB Level 4 (v4) MAT-file`, /savemat/);
});

test('a transposed user_score is blamed on user_score, not gt_score', async () => {
  const f = gtVariant('transposed', "m['user_score'] = m['user_score'].T.copy()");
  assertCliError(
    await runCli(['baseline', 'human', '--gt', f]),
    `${f}: field "user_score" is 17×1751, users × frames: it looks transposed`,
  );
});

test('ground truth with NaN or −1 annotations, or nFrames disagreeing with the rows, is refused', async () => {
  const nan = gtVariant('nan', "m['user_score'][5, 2] = np.nan");
  assertCliError(
    await runCli(['baseline', 'human', '--gt', nan]),
    `${nan}: field "user_score" holds NaN at frame 6, user 3`,
  );
  const neg = gtVariant('neg', "m['user_score'][7, 0] = -1");
  assertCliError(
    await runCli(['baseline', 'human', '--gt', neg]),
    `${neg}: field "user_score" holds -1 at frame 8, user 1`,
  );
  const nf = gtVariant('nframes', "m['nFrames'] = np.array([[1700.0]])");
  assertCliError(
    await runCli(['baseline', 'human', '--gt', nf]),
    `${nf}: field "nFrames" says 1700 frames, but "user_score" has 1751 rows`,
  );
  const ok = await runCli(['baseline', 'human', '--gt', gt, '--json']);
  assert.equal(ok.code, 0, ok.stderr);
});

test('a submission JSON saved with a UTF-8 BOM is accepted', async () => {
  const example = fs.readFileSync(fixture('real', 'rethinking-evs-example.json'), 'utf8');
  const sub = path.join(dir, 'bom.json');
  const entry = { [VIDEO]: JSON.parse(example)[VIDEO] };
  fs.writeFileSync(sub, '\uFEFF' + JSON.stringify(entry));
  const r = await runCli(['evaluate', '--gt', gt, '--submission', sub, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout));
});

// ---- model cache ----

test('a wrong file in the model cache is not accepted as k600 (its geometry is checked)', async () => {
  const cache = path.join(dir, 'wrong model cache');
  const file = variantPath(cache, 'fp32');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(TINY, file);
  const r = await runCli([
    'embed',
    SAMPLE,
    '--model',
    'k600',
    '--ep',
    'cpu',
    '--cache-dir',
    cache,
    '--out',
    path.join(dir, 'k.npy'),
  ]);
  assertCliError(
    r,
    `${file} is not the k600 model: its imageSize is 48 (k600: 224), hidden is 32 (k600: 768)`,
    /vsum model download/,
  );
  assert.equal(fs.existsSync(path.join(dir, 'k.npy')), false);
});

test('model info flags a truncated cached model', async () => {
  const cache = path.join(dir, 'truncated model cache');
  const file = variantPath(cache, 'int8');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.alloc(1000));
  fs.writeFileSync(`${file}.json`, JSON.stringify({ size: 123_000_000, sha256: 'ab'.repeat(32), variant: 'int8' }));
  const r = await runCli(['model', 'info', '--cache-dir', cache]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /PROBLEM: 1000 bytes, but 123000000 were downloaded: truncated or replaced/);
  const j = await runCli(['model', 'info', '--cache-dir', cache, '--json']);
  const int8 = JSON.parse(j.stdout).variants.find((v: { variant: string }) => v.variant === 'int8');
  assert.match(int8.problem, /truncated/);
  // A dropped-in file far below the published size is flagged too.
  fs.rmSync(`${file}.json`);
  assert.match(
    (await runCli(['model', 'info', '--cache-dir', cache])).stdout,
    /PROBLEM: 0\.0 MB, but the published file has ≈123 MB/,
  );
});

test("--ep auto never prints Dawn's Vulkan errors: one decision line for webgpu", async () => {
  const r = await runCli([
    'embed',
    SAMPLE,
    '--model',
    TINY,
    '--ep',
    'auto',
    '--no-cache',
    '--out',
    path.join(dir, 'auto.npy'),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /vkCreateInstance|VulkanError|dawn/i);
  assert.equal(r.stderr.match(/^execution provider webgpu: /gm)?.length, 1, r.stderr);
});
