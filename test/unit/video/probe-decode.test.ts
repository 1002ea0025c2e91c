import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { resolveFfmpeg, type FfmpegTools } from '../../../src/core/video/ffmpeg';
import { probe } from '../../../src/core/video/probe';
import { decodeFrames, scaleFilter } from '../../../src/core/video/decode';
import { clipsOf } from '../../../src/core/video/clips';
import { liveChildren } from '../../../src/core/video/process';
import { fixture, REPO, tempDir } from '../../helpers/fixtures';
import { extractFrameRaw, ffmpegChildren, makeVideo } from '../../helpers/video';
import type { FrameFormat } from '../../../src/core/video/types';

let tools: FfmpegTools;
const sample = path.join(REPO, 'media', 'sample', 'mmcv-test.mp4');
before(async () => {
  tools = await resolveFfmpeg();
});

async function collect(file: string, fmt: FrameFormat, opts = {}) {
  const out: { index: number; data: Uint8Array }[] = [];
  for await (const f of decodeFrames(file, fmt, { tools, ...opts })) out.push(f);
  return out;
}

test('probe reads the real fixtures exactly', async () => {
  const a = await probe(fixture('real', 'mmcv-test.mp4'), { tools });
  assert.deepEqual(
    [a.frames, a.fps, a.width, a.height, a.codec, a.hasAudio, a.rotation],
    [168, 25, 294, 240, 'h264', true, 0],
  );
  assert.deepEqual(a.fpsRational, { num: 25, den: 1 });
  assert.ok(a.duration > 6.7 && a.duration < 6.9, `duration ${a.duration}`);
  const b = await probe(fixture('real', 'seed-kmeans-summarized_jumps.mp4'), { tools });
  assert.deepEqual([b.frames, b.width, b.height, b.codec, b.hasAudio], [144, 224, 224, 'mpeg4', false]);
});

test('probe counts packets when the container states no frame count (mkv)', async () => {
  const dir = tempDir();
  const mkv = makeVideo(tools, path.join(dir, 'count me.mkv'), 'testsrc=s=64x48:r=10:d=3.7', [
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
  ]);
  const info = await probe(mkv, { tools });
  assert.equal(info.frames, 37);
  assert.equal(info.fps, 10);
  fs.rmSync(dir, { recursive: true, force: true });
});

for (const [name, frames] of [
  ['mmcv-test.mp4', 168],
  ['seed-kmeans-summarized_jumps.mp4', 144],
] as const) {
  test(`decoding every frame of ${name} yields exactly the probed count, frame k = ffmpeg's frame k byte for byte`, async () => {
    const file = fixture('real', name);
    const info = await probe(file, { tools });
    assert.equal(info.frames, frames);
    for (const fmt of [
      { width: 64, height: 48, pixFmt: 'rgb24', resize: 'squash' },
      { width: 224, height: 224, pixFmt: 'bgr24', resize: 'crop' },
    ] as FrameFormat[]) {
      const got = await collect(file, fmt);
      assert.equal(got.length, info.frames, `${fmt.width}x${fmt.height}`);
      assert.deepEqual(
        got.map((f) => f.index),
        Array.from({ length: frames }, (_, i) => i),
      );
      for (const k of [0, 1, 57, frames - 1]) {
        const ref = extractFrameRaw(tools, file, k, scaleFilter(fmt), fmt.pixFmt);
        assert.equal(ref.length, fmt.width * fmt.height * 3);
        assert.ok(
          Buffer.from(got[k].data).equals(ref),
          `frame ${k} differs from ffmpeg's extraction (${fmt.pixFmt} ${fmt.resize})`,
        );
      }
    }
  });
}

test('a frame range decodes exactly those frames', async () => {
  const fmt: FrameFormat = { width: 32, height: 32, pixFmt: 'rgb24', resize: 'squash' };
  const all = await collect(sample, fmt);
  const part = await collect(sample, fmt, { start: 40, count: 8 });
  assert.deepEqual(
    part.map((f) => f.index),
    [40, 41, 42, 43, 44, 45, 46, 47],
  );
  for (const f of part) assert.ok(Buffer.from(f.data).equals(Buffer.from(all[f.index].data)));
});

test('clips of 8 are formed while streaming; drop and pad the partial clip', async () => {
  const fmt: FrameFormat = { width: 16, height: 16, pixFmt: 'rgb24', resize: 'squash' };
  const dir = tempDir();
  const v = makeVideo(tools, path.join(dir, 'v.mp4'), 'testsrc=s=64x64:r=25:d=0.84', [
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
  ]); // 21 frames
  const drop = [];
  for await (const c of clipsOf(decodeFrames(v, fmt, { tools }), 8, 'drop')) drop.push(c);
  assert.deepEqual(
    drop.map((c) => [c.index, c.firstFrame, c.frames.length, c.validFrames]),
    [
      [0, 0, 8, 8],
      [1, 8, 8, 8],
    ],
  );
  const pad = [];
  for await (const c of clipsOf(decodeFrames(v, fmt, { tools }), 8, 'pad')) pad.push(c);
  assert.equal(pad.length, 3);
  assert.deepEqual([pad[2].firstFrame, pad[2].validFrames], [16, 5]);
  assert.equal(pad[2].frames[7], pad[2].frames[4], 'padding repeats the last real frame');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('aborting a decode kills ffmpeg at once and leaves no child process', async () => {
  const dir = tempDir();
  const long = makeVideo(tools, path.join(dir, 'long.mp4'), 'testsrc=s=320x240:r=25:d=20', [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
  ]);
  const ac = new AbortController();
  let n = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of decodeFrames(
        long,
        { width: 320, height: 240, pixFmt: 'rgb24', resize: 'squash' },
        { tools, signal: ac.signal },
      )) {
        if (++n === 10) ac.abort();
      }
    })(),
    (e: Error & { code?: string }) => e.code === 'CANCELLED',
  );
  assert.ok(n < 100, `stopped promptly (read ${n} frames)`);
  assert.deepEqual(liveChildren(), []);
  assert.deepEqual(ffmpegChildren(), []);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('breaking out of the frame loop early also ends ffmpeg', async () => {
  for await (const f of decodeFrames(sample, { width: 64, height: 64, pixFmt: 'rgb24', resize: 'squash' }, { tools })) {
    if (f.index === 3) break;
  }
  assert.deepEqual(liveChildren(), []);
  assert.deepEqual(ffmpegChildren(), []);
});
