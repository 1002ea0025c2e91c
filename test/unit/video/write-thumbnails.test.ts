import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { PNG } from 'pngjs';
import { resolveFfmpeg, type FfmpegTools } from '../../../src/core/video/ffmpeg';
import { probe } from '../../../src/core/video/probe';
import { writeSummaryVideo } from '../../../src/core/video/write';
import { extractThumbnails } from '../../../src/core/video/thumbnails';
import { FfmpegProgressParser } from '../../../src/core/video/ffmpeg-progress';
import { liveChildren } from '../../../src/core/video/process';
import { REPO, tempDir } from '../../helpers/fixtures';
import {
  FFPROBE,
  decodeAllRaw,
  extractFrameRaw,
  ffmpegChildren,
  makeVideo,
  psnr,
  tempFilesIn,
} from '../../helpers/video';
import { execFileSync } from 'node:child_process';

let tools: FfmpegTools;
const sample = path.join(REPO, 'media', 'sample', 'mmcv-test.mp4');
before(async () => {
  tools = await resolveFfmpeg();
});

function streamInfo(file: string) {
  const out = execFileSync(FFPROBE, [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,pix_fmt',
    '-of',
    'json',
    file,
  ]);
  return JSON.parse(out.toString()).streams[0] as { codec_name: string; pix_fmt: string };
}

test('a summary of known indices has exactly that many frames, is H.264 yuv420p, and its frames match the source (PSNR > 35 dB)', async () => {
  const dir = tempDir('vsum write ');
  const indices = [
    ...Array.from({ length: 20 }, (_, i) => 10 + i),
    ...Array.from({ length: 16 }, (_, i) => 100 + i),
    150,
    167,
  ];
  const out = path.join(dir, 'sum mary «ü».mp4');
  const w = await writeSummaryVideo(sample, indices, out, { tools });
  assert.equal(w.frames, indices.length);
  const info = await probe(out, { tools });
  assert.equal(info.frames, indices.length);
  assert.equal(info.fps, 25);
  assert.deepEqual([info.width, info.height], [294, 240]);
  assert.deepEqual(streamInfo(out), { codec_name: 'h264', pix_fmt: 'yuv420p' });
  const src = decodeAllRaw(tools, sample, 294, 240);
  const got = decodeAllRaw(tools, out, 294, 240);
  assert.equal(got.length, indices.length);
  indices.forEach((k, i) => {
    const p = psnr(got[i], src[k]);
    assert.ok(p > 35, `output frame ${i} vs source frame ${k}: PSNR ${p.toFixed(1)} dB`);
  });
  // moov atom first (+faststart) so webviews can start playing before the whole file is read
  const head = fs.readFileSync(out).subarray(0, 4096);
  assert.ok(
    (head.indexOf('moov') >= 0 && head.indexOf('moov') < head.indexOf('mdat')) || head.indexOf('mdat') < 0,
    'faststart: moov before mdat',
  );
  assert.deepEqual(tempFilesIn(dir), []);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('repeated indices (seed-faithful k-means keeps duplicate clips) are written as repeats, at 224×224', async () => {
  const dir = tempDir();
  const indices = [5, 5, 6, 7, 7, 7, 60];
  const out = path.join(dir, 'dup.mp4');
  await writeSummaryVideo(sample, indices, out, { tools, size: { width: 224, height: 224 } });
  const info = await probe(out, { tools });
  assert.deepEqual([info.frames, info.width, info.height], [7, 224, 224]);
  const src = decodeAllRaw(tools, sample, 224, 224);
  const got = decodeAllRaw(tools, out, 224, 224);
  indices.forEach((k, i) =>
    assert.ok(psnr(got[i], src[k]) > 35, `frame ${i} (source ${k}) PSNR ${psnr(got[i], src[k]).toFixed(1)}`),
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test('audio of the selected ranges can be kept', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'a.mp4');
  await writeSummaryVideo(
    sample,
    Array.from({ length: 50 }, (_, i) => 20 + i),
    out,
    { tools, audio: true },
  );
  const info = await probe(out, { tools });
  assert.equal(info.hasAudio, true);
  assert.equal(info.frames, 50);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('thousands of scattered frames (tt01-style) are written exactly', async () => {
  const dir = tempDir();
  const long = makeVideo(tools, path.join(dir, 'long.mp4'), 'testsrc=s=64x48:r=25:d=240', [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
  ]);
  const indices = Array.from({ length: 3000 }, (_, i) => i * 2); // 3000 single-frame runs
  const out = path.join(dir, 'scattered.mp4');
  await writeSummaryVideo(long, indices, out, { tools });
  assert.equal((await probe(out, { tools })).frames, 3000);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('bad frame lists are clear errors and write nothing', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'x.mp4');
  await assert.rejects(writeSummaryVideo(sample, [], out, { tools }), /No frames selected/);
  await assert.rejects(writeSummaryVideo(sample, [3, 168], out, { tools }), /Frame index 168 .* frames 0…167/);
  await assert.rejects(writeSummaryVideo(sample, [9, 3], out, { tools }), /increasing order/);
  assert.deepEqual(fs.readdirSync(dir), []);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('cancelling a write kills ffmpeg and leaves neither the output nor a temp file', async () => {
  const dir = tempDir();
  const long = makeVideo(tools, path.join(dir, 'long.mp4'), 'testsrc=s=640x480:r=25:d=30', [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
  ]);
  const out = path.join(dir, 'out.mp4');
  const ac = new AbortController();
  const p = writeSummaryVideo(
    long,
    Array.from({ length: 700 }, (_, i) => i),
    out,
    { tools, signal: ac.signal },
  );
  setTimeout(() => ac.abort(), 300);
  await assert.rejects(p, (e: Error & { code?: string }) => e.code === 'CANCELLED');
  assert.equal(fs.existsSync(out), false);
  assert.deepEqual(tempFilesIn(dir), []);
  assert.deepEqual(liveChildren(), []);
  assert.deepEqual(ffmpegChildren(), []);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('thumbnails seek to exactly the asked frame', async () => {
  const thumbs = await extractThumbnails(sample, [0, 37, 120, 167], { tools, width: 96, format: 'png' });
  assert.deepEqual(
    thumbs.map((t) => t.index),
    [0, 37, 120, 167],
  );
  assert.equal(thumbs[1].time, 37 / 25);
  for (const t of thumbs) {
    const png = PNG.sync.read(t.data);
    assert.equal(png.width, 96);
    const rgb = Buffer.alloc(png.width * png.height * 3);
    for (let i = 0, j = 0; i < png.data.length; i += 4, j += 3) {
      rgb[j] = png.data[i];
      rgb[j + 1] = png.data[i + 1];
      rgb[j + 2] = png.data[i + 2];
    }
    const ref = extractFrameRaw(tools, sample, t.index, `scale=96:-2`);
    assert.ok(psnr(rgb, ref) > 45, `thumbnail of frame ${t.index} is that frame (PSNR ${psnr(rgb, ref).toFixed(1)})`);
  }
  const jpeg = await extractThumbnails(sample, [3], { tools });
  assert.equal(jpeg[0].mime, 'image/jpeg');
  assert.deepEqual([...jpeg[0].data.subarray(0, 2)], [0xff, 0xd8]);
});

test('writing reports frames written (ffmpeg -progress on the select path, frames piped otherwise); thumbnails one by one', async () => {
  const parser = new FfmpegProgressParser();
  assert.equal(parser.feed('frame=12\nfps=0.0\nprogress=cont'), 12);
  assert.equal(parser.feed('inue\nfr'), undefined, 'a line split across chunks waits for its end');
  assert.equal(parser.feed('ame=40\nprogress=end\n'), 40);
  const dir = tempDir('vsum write progress ');
  for (const frames of [Array.from({ length: 60 }, (_, i) => 20 + i), Array.from({ length: 80 }, (_, i) => i * 2)]) {
    const seen: Array<[number, number]> = [];
    await writeSummaryVideo(sample, frames, path.join(dir, `p${frames.length}.mp4`), {
      tools,
      onProgress: (w, t) => seen.push([w, t]),
    });
    assert.ok(seen.length >= 2, `${frames.length} frames: ${seen.length} reports`);
    assert.deepEqual(seen[0], [0, frames.length]);
    assert.ok(
      seen.every(([w, t], i) => t === frames.length && w <= t && (i === 0 || w >= seen[i - 1][0])),
      'monotone, bounded by the total',
    );
    assert.equal(seen[seen.length - 1][0], frames.length, 'ends at every frame written');
  }
  const done: number[] = [];
  await extractThumbnails(sample, [0, 40, 80, 120], {
    tools,
    onProgress: (d, t) => {
      assert.equal(t, 4);
      done.push(d);
    },
  });
  assert.deepEqual(done, [1, 2, 3, 4]);
});
