import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { resolveFfmpeg, type FfmpegTools } from '../../../src/core/video/ffmpeg';
import { probe } from '../../../src/core/video/probe';
import { decodeFrames } from '../../../src/core/video/decode';
import { liveChildren } from '../../../src/core/video/process';
import { REPO, tempDir } from '../../helpers/fixtures';
import { ffmpegChildren, makeVideo } from '../../helpers/video';
import { VsumError } from '../../../src/core/errors';

let tools: FfmpegTools;
let dir: string;
const sample = path.join(REPO, 'media', 'sample', 'mmcv-test.mp4');
before(async () => {
  tools = await resolveFfmpeg();
  dir = tempDir('vsum errors ');
});

async function decodeAll(file: string) {
  let n = 0;
  for await (const _ of decodeFrames(
    file,
    { width: 32, height: 32, pixFmt: 'rgb24', resize: 'squash' },
    { tools, expectFrames: 168 },
  ))
    n++;
  return n;
}

function expectError(code: string, file: string, hint: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof VsumError, `VsumError expected, got ${e}`);
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.includes(file), `message names the file: ${e.message}`);
    assert.match(e.message, hint);
    return true;
  };
}

test('missing file', async () => {
  const f = path.join(dir, 'nope.mp4');
  await assert.rejects(probe(f, { tools }), expectError('FILE_NOT_FOUND', f, /Check the path/));
  await assert.rejects(decodeAll(f), expectError('FILE_NOT_FOUND', f, /Check the path/));
});

test('zero-length file', async () => {
  const f = path.join(dir, 'empty.mp4');
  fs.writeFileSync(f, '');
  await assert.rejects(probe(f, { tools }), expectError('EMPTY_FILE', f, /0 bytes/));
});

test('not a video (text)', async () => {
  const f = path.join(dir, 'notes "v1".mp4');
  fs.writeFileSync(f, 'this is not a video\n'.repeat(100));
  await assert.rejects(probe(f, { tools }), expectError('NOT_A_VIDEO', f, /not a video ffmpeg can read/));
  await assert.rejects(decodeAll(f), expectError('NOT_A_VIDEO', f, /not a video/));
});

test('audio-only file', async () => {
  const f = makeVideo(tools, path.join(dir, 'sound.m4a'), 'sine=d=1');
  await assert.rejects(probe(f, { tools }), expectError('NO_VIDEO_STREAM', f, /audio only/));
});

test('still image', async () => {
  const f = makeVideo(tools, path.join(dir, 'still.png'), 'testsrc=s=64x64:d=0.04', ['-frames:v', '1']);
  await assert.rejects(probe(f, { tools }), expectError('NOT_A_VIDEO', f, /still image/));
});

test('truncated file (index at the end lost)', async () => {
  const f = path.join(dir, 'cut.mp4');
  fs.writeFileSync(f, fs.readFileSync(sample).subarray(0, 150_000));
  await assert.rejects(probe(f, { tools }), expectError('TRUNCATED', f, /truncated/));
});

test('truncated file (index first, data cut): decode says how many frames it got', async () => {
  const fast = path.join(dir, 'fast.mp4');
  makeVideo(tools, fast, 'testsrc=s=64x64:r=25:d=6.72', [
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
  ]);
  const f = path.join(dir, 'fast-cut.mp4');
  const whole = fs.readFileSync(fast);
  fs.writeFileSync(f, whole.subarray(0, Math.floor(whole.length * 0.5)));
  const info = await probe(f, { tools });
  assert.equal(info.frames, 168, 'the index still claims every frame');
  await assert.rejects(decodeAll(f), expectError('TRUNCATED', f, /only \d+ of 168 frames/));
  assert.deepEqual(liveChildren(), []);
});

test('ffmpeg killed mid-decode is a clear error and leaves nothing running', async () => {
  const long = makeVideo(tools, path.join(dir, 'long.mp4'), 'testsrc=s=320x240:r=25:d=20', [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
  ]);
  let n = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of decodeFrames(
        long,
        { width: 320, height: 240, pixFmt: 'rgb24', resize: 'squash' },
        { tools },
      )) {
        if (++n === 5) for (const pid of liveChildren()) process.kill(pid, 'SIGKILL');
      }
    })(),
    expectError('FFMPEG_FAILED', long, /stopped unexpectedly \(SIGKILL\)/),
  );
  assert.deepEqual(ffmpegChildren(), []);
});

test('ffmpeg resolution order: option > VSUM_FFMPEG > PATH > bundled, and a bad explicit path is a clear error', async () => {
  const env = { ...process.env };
  delete env.VSUM_FFMPEG;
  const opt = await resolveFfmpeg({ ffmpegPath: tools.ffmpeg, env });
  assert.equal(opt.source, 'option');
  const viaEnv = await resolveFfmpeg({ env: { ...env, VSUM_FFMPEG: tools.ffmpeg } });
  assert.equal(viaEnv.source, 'env');
  const bundled = await resolveFfmpeg({ env: { ...env, PATH: '' } });
  assert.equal(bundled.source, 'bundled');
  assert.match(bundled.ffmpeg, /@ffmpeg-installer/);
  // The bundled static build really works end to end.
  assert.equal((await probe(sample, { tools: bundled })).frames, 168);
  let n = 0;
  for await (const _ of decodeFrames(
    sample,
    { width: 32, height: 32, pixFmt: 'rgb24', resize: 'squash' },
    { tools: bundled },
  ))
    n++;
  assert.equal(n, 168);
  const bad = path.join(dir, 'no-ffmpeg-here');
  await assert.rejects(
    resolveFfmpeg({ ffmpegPath: bad, env }),
    expectError('FFMPEG_NOT_FOUND', bad, /vsum.ffmpegPath/),
  );
  if (fs.existsSync('/usr/bin/ffmpeg')) {
    const onPath = await resolveFfmpeg({ env: { ...env, PATH: '/usr/bin' } });
    assert.equal(onPath.source, 'path');
  }
});

test('an executable that is not ffmpeg is refused by name', async () => {
  const env = { ...process.env };
  delete env.VSUM_FFMPEG;
  await assert.rejects(
    resolveFfmpeg({ ffmpegPath: '/bin/false', env }),
    expectError('FFMPEG_NOT_FOUND', '/bin/false', /does not work as ffmpeg.*Point vsum at a real ffmpeg/),
  );
});

test('a missing ffmpeg binary at spawn time is FFMPEG_NOT_FOUND, not a crash', async () => {
  const gone: FfmpegTools = { ...tools, ffmpeg: path.join(dir, 'vanished-ffmpeg') };
  await assert.rejects(
    probe(sample, { tools: gone }),
    (e: unknown) => e instanceof VsumError && e.code === 'FFMPEG_NOT_FOUND' && /Install ffmpeg/.test(e.message),
  );
});
