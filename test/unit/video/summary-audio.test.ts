import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveFfmpeg, type FfmpegTools } from '../../../src/core/video/ffmpeg';
import { writeSummaryVideo } from '../../../src/core/video/write';
import { tempDir } from '../../helpers/fixtures';
import { FFPROBE, ffmpegChildren, tempFilesIn } from '../../helpers/video';

const FPS = 25;

/** A 10-minute 64×48 video at 25 fps with a 440 Hz tone (AAC), generated once into the temp dir. */
function tenMinutesWithSound(tools: FfmpegTools): string {
  const file = path.join(os.tmpdir(), 'vsum-10min-64x48-tone.mp4');
  if (fs.existsSync(file)) return file;
  const tmp = `${file}.partial.mp4`;
  execFileSync(tools.ffmpeg, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=64x48:rate=${FPS}:duration=600`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=44100:duration=600',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    tmp,
  ]);
  fs.renameSync(tmp, file);
  return file;
}

function streams(tools: FfmpegTools, file: string): Record<string, number> {
  const out = execFileSync(
    FFPROBE,
    ['-v', 'error', '-show_entries', 'stream=codec_type,duration', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  const parsed = JSON.parse(out) as { streams: Array<{ codec_type: string; duration: string }> };
  return Object.fromEntries(parsed.streams.map((s) => [s.codec_type, Number(s.duration)]));
}

function meanVolumeDb(tools: FfmpegTools, file: string): number {
  const r = spawnSync(
    tools.ffmpeg,
    ['-hide_banner', '-nostats', '-i', file, '-map', '0:a', '-af', 'volumedetect', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  return Number(/mean_volume: (-?[\d.]+) dB/.exec(r.stderr)![1]);
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

test('sound in sync on the select path: a keyshot summary of a 10-minute video ends within one frame of its video', async () => {
  const tools = await resolveFfmpeg();
  const src = tenMinutesWithSound(tools);
  const frames = Array.from({ length: 20 }, (_, k) => range(k * 750 + 100, k * 750 + 100 + 112)).flat();
  const out = path.join(tempDir(), 'select.mp4');
  const w = await writeSummaryVideo(src, frames, out, { tools, audio: true });
  const s = streams(tools, out);
  assert.ok(s.audio > 0, 'has a sound track');
  assert.ok(Math.abs(s.audio - s.video) <= 1 / FPS, `audio ${s.audio} s vs video ${s.video} s`);
  assert.ok(Math.abs(s.video - w.duration) <= 1 / FPS);
  assert.ok(meanVolumeDb(tools, out) > -40, 'the tone is there');
});

test('sound in sync on the frame-pipe path: 400 scattered runs and a repeated clip, within one frame', async () => {
  const tools = await resolveFfmpeg();
  const src = tenMinutesWithSound(tools);
  // 400 runs of 5 frames (too many for ffmpeg's select expression) then the first clip again (a repeat).
  const frames = [...Array.from({ length: 400 }, (_, k) => range(k * 37 + 3, k * 37 + 8)).flat(), ...range(3, 8)];
  const dir = tempDir();
  const out = path.join(dir, 'pipe.mp4');
  const w = await writeSummaryVideo(src, frames, out, { tools, audio: true });
  assert.equal(w.frames, 2005);
  const s = streams(tools, out);
  assert.ok(s.audio > 0, 'has a sound track');
  assert.ok(Math.abs(s.audio - s.video) <= 1 / FPS, `audio ${s.audio} s vs video ${s.video} s`);
  assert.ok(Math.abs(s.video - frames.length / FPS) <= 1 / FPS);
  assert.ok(meanVolumeDb(tools, out) > -40, 'the tone is there');
  assert.deepEqual(tempFilesIn(dir), [], 'no temp file left (picture-only intermediate removed)');
});

test('audio: false, or a source without sound, writes no sound track; a cancelled write with sound leaves nothing', async () => {
  const tools = await resolveFfmpeg();
  const src = tenMinutesWithSound(tools);
  const dir = tempDir();
  const silent = path.join(dir, 'silent.mp4');
  await writeSummaryVideo(src, range(0, 50), silent, { tools, audio: false });
  assert.equal(streams(tools, silent).audio, undefined);
  const mute = path.join(dir, 'mute-src.mp4');
  execFileSync(tools.ffmpeg, [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=64x48:rate=25:duration=4',
    '-pix_fmt',
    'yuv420p',
    mute,
  ]);
  const fromMute = path.join(dir, 'from-mute.mp4');
  await writeSummaryVideo(mute, [...range(0, 10), ...range(0, 10)], fromMute, { tools, audio: true });
  assert.equal(streams(tools, fromMute).audio, undefined);
  const ac = new AbortController();
  const frames = Array.from({ length: 3000 }, (_, k) => k * 5);
  const p = writeSummaryVideo(src, frames, path.join(dir, 'cancelled.mp4'), { tools, audio: true, signal: ac.signal });
  setTimeout(() => ac.abort(), 1500);
  await assert.rejects(p, (e: Error & { code?: string }) => e.code === 'CANCELLED');
  assert.deepEqual(ffmpegChildren(), []);
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => !['silent.mp4', 'mute-src.mp4', 'from-mute.mp4'].includes(f)),
    [],
  );
});
