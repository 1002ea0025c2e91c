import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bgrToHsv } from '../../../src/core/shots/hsv';
import { ContentScorer, analysisSize } from '../../../src/core/shots/content-score';
import { detectShots } from '../../../src/core/shots/detect-shots';
import { MinLengthMergeFilter } from '../../../src/core/shots/min-length-filter';
import { shotsOf } from '../../../src/core/shots/detector';
import { createRng } from '../../../src/core/random';
import { decodeFrames } from '../../../src/core/video/decode';
import { resolveFfmpeg } from '../../../src/core/video/ffmpeg';
import { displaySize, probe } from '../../../src/core/video/probe';
import { REPO, fixture, tempDir } from '../../helpers/fixtures';
import { runPythonFile } from '../../helpers/python';
import { hardCutVideo } from '../../helpers/shot-video';
import { ffmpegChildren } from '../../helpers/video';
import { runBuiltCli } from '../../helpers/cli';

const REF = path.join(REPO, 'test', 'reference', 'scenedetect_reference.py');
const PY = ['numpy', 'cv2'];

test('BGR→HSV is byte-identical to OpenCV (random pixels, greys, primaries, ties)', () => {
  const rng = createRng(7);
  const px: number[] = [];
  for (let i = 0; i < 6000; i++) px.push(rng.int(256), rng.int(256), rng.int(256));
  for (let v = 0; v < 256; v++) px.push(v, v, v, v, 0, 0, 0, v, 0, 0, 0, v, v, v, 0, 0, v, v, v, 0, v);
  const bgr = Uint8Array.from(px);
  const dir = tempDir();
  const file = path.join(dir, 'px.bgr');
  fs.writeFileSync(file, bgr);
  const ref = JSON.parse(runPythonFile(REF, ['--hsv', file], PY)) as { h: number[]; s: number[]; v: number[] };
  const ours = bgrToHsv(bgr, bgr.length / 3);
  assert.deepEqual(Array.from(ours.hue), ref.h);
  assert.deepEqual(Array.from(ours.sat), ref.s);
  assert.deepEqual(Array.from(ours.val), ref.v);
});

test('analysis size follows PySceneDetect: integer downscale to about 256 pixels wide', () => {
  assert.deepEqual(analysisSize(1920, 1080), { width: 274, height: 154 });
  assert.deepEqual(analysisSize(640, 360), { width: 320, height: 180 });
  assert.deepEqual(analysisSize(200, 100), { width: 200, height: 100 });
});

test('the minimum-length filter merges a burst of cuts into its last frame, and drops a flash before the first cut', () => {
  const run = (above: number[], n: number, L: number) => {
    const f = new MinLengthMergeFilter(L);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(...f.filter(i, above.includes(i)));
    return out;
  };
  assert.deepEqual(run([3], 60, 15), [], 'a cut within min length of the start is dropped (merging not yet enabled)');
  assert.deepEqual(run([20, 40], 80, 15), [20, 40]);
  // 40 is a cut, 45 and 48 follow within 15 frames: merged, emitted as 48 once 15 quiet frames passed.
  assert.deepEqual(run([20, 40, 45, 48], 100, 15), [20, 40]);
  assert.deepEqual(run([20, 40, 45, 48, 70], 120, 15), [20, 40, 70]);
  assert.deepEqual(run([5, 9], 30, 0), [5, 9], 'length 0 disables the filter');
});

test('shotsOf tiles the video', () => {
  assert.deepEqual(shotsOf([10, 25], 40), [
    [0, 10],
    [10, 25],
    [25, 40],
  ]);
  assert.deepEqual(shotsOf([], 5), [[0, 5]]);
});

/** Our decoded analysis frames to a file, for the reference to score the very same pixels. */
async function dumpFrames(file: string): Promise<{ raw: string; width: number; height: number }> {
  const tools = await resolveFfmpeg();
  const info = await probe(file, { tools });
  const size = analysisSize(displaySize(info).width, displaySize(info).height);
  const raw = path.join(tempDir(), 'frames.bgr');
  const fd = fs.openSync(raw, 'w');
  for await (const f of decodeFrames(file, { ...size, pixFmt: 'bgr24', resize: 'squash' }, { tools }))
    fs.writeSync(fd, f.data);
  fs.closeSync(fd);
  return { raw, ...size };
}

function reference(
  raw: string,
  width: number,
  height: number,
  cases: unknown[],
): { scores: number[]; cuts: number[][] } {
  return JSON.parse(runPythonFile(REF, [raw, String(width), String(height), JSON.stringify(cases)], PY));
}

function nearlySame(ours: number[], ref: number[], tol: number): boolean {
  if (ours.length !== ref.length) return false;
  return ours.every((c, i) => Math.abs(c - ref[i]) <= tol);
}

test('content and adaptive cuts equal the PySceneDetect transcription on a video with hard cuts', async () => {
  const tools = await resolveFfmpeg();
  const { file, cuts: truth } = hardCutVideo(tools);
  const { raw, width, height } = await dumpFrames(file);
  const cases = [
    ['content', 27, 15],
    ['adaptive', 3, 15, 2, 15],
  ];
  const ref = reference(raw, width, height, cases);
  for (const [i, det] of (['content', 'adaptive'] as const).entries()) {
    const ours = await detectShots(file, { detector: det, tools });
    assert.ok(nearlySame(ours.cuts, ref.cuts[i], 1), `${det}: ours ${ours.cuts} vs reference ${ref.cuts[i]}`);
    assert.ok(nearlySame(ours.cuts, truth, 1), `${det}: ours ${ours.cuts} vs the true cuts ${truth}`);
    const scores = Array.from(ours.scores!);
    assert.equal(scores.length, ref.scores.length);
    assert.ok(
      scores.every((s, i) => Math.abs(s - ref.scores[i]) < 1e-4),
      `${det}: per-frame scores differ`,
    );
    assert.deepEqual(ours.shots[0][0], 0);
    assert.equal(ours.shots.at(-1)![1], ours.frames);
  }
});

test('content and adaptive cuts equal the transcription on the real sample video, at default and low thresholds', async () => {
  const tools = await resolveFfmpeg();
  const file = fixture('real', 'mmcv-test.mp4');
  const { raw, width, height } = await dumpFrames(file);
  const cases: Array<['content', number, number] | ['adaptive', number, number, number, number]> = [
    ['content', 27, 15],
    ['content', 4, 5],
    ['adaptive', 3, 15, 2, 15],
    ['adaptive', 1.5, 5, 2, 2],
  ];
  const ref = reference(raw, width, height, cases);
  let anyCut = false;
  for (const [i, c] of cases.entries()) {
    const [det, threshold, minSceneLength] = c;
    const extra = c[0] === 'adaptive' ? { windowWidth: c[3], minContentValue: c[4] } : {};
    const ours = await detectShots(file, { detector: det, threshold, minSceneLength, tools, ...extra });
    assert.ok(
      nearlySame(ours.cuts, ref.cuts[i], 1),
      `${det} t=${threshold}: ours ${ours.cuts} vs reference ${ref.cuts[i]}`,
    );
    anyCut ||= ours.cuts.length > 0;
  }
  assert.ok(anyCut, 'the low thresholds find at least one cut, so the comparison is not vacuous');
});

test('kts shots tile the video and cut at clip starts', async () => {
  const tools = await resolveFfmpeg();
  const { file, cuts: truth } = hardCutVideo(tools);
  const r = await detectShots(file, { detector: 'kts', tools });
  assert.ok(r.cuts.every((c) => c % 8 === 0));
  for (const t of truth)
    assert.ok(
      r.cuts.some((c) => Math.abs(c - t) <= 8),
      `a KTS cut near ${t} (got ${r.cuts})`,
    );
  assert.equal(r.shots.at(-1)![1], r.frames);
});

test('a cancelled detection stops and leaves no ffmpeg child', async () => {
  const tools = await resolveFfmpeg();
  const { file } = hardCutVideo(tools);
  const ac = new AbortController();
  const p = detectShots(file, { tools, signal: ac.signal, onProgress: () => ac.abort() });
  await assert.rejects(p, (e: Error & { code?: string }) => e.code === 'CANCELLED');
  assert.deepEqual(ffmpegChildren(), []);
});

test('ContentScorer scores the first frame 0 and a frame against itself 0', () => {
  const s = new ContentScorer(4);
  const f = Uint8Array.from([1, 2, 3, 200, 100, 50, 0, 0, 0, 255, 255, 255]);
  assert.equal(s.score(f), 0);
  assert.equal(s.score(f), 0);
  assert.ok(s.score(new Uint8Array(12)) > 0);
});

test('vsum shots --json prints {cuts, shots}; a bad flag is a usage error', async () => {
  const tools = await resolveFfmpeg();
  const { file, cuts } = hardCutVideo(tools);
  const r = runBuiltCli(['shots', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { cuts: number[]; shots: Array<[number, number]> };
  assert.deepEqual(Object.keys(out), ['cuts', 'shots']);
  assert.deepEqual(out.cuts, cuts);
  assert.deepEqual(out.shots[0], [0, cuts[0]]);
  const bad = runBuiltCli(['shots', file, '--detector', 'histogram']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--detector must be one of content, adaptive, kts/);
  const missing = runBuiltCli(['shots', '/nonexistent/video.mp4']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nonexistent\/video\.mp4/);
  assert.doesNotMatch(missing.stderr, /at .*\.js:\d+/);
});
