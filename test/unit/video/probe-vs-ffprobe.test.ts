/**
 * probe() reads ffmpeg's input dump and counts frames itself (vsum ships no ffprobe). ffprobe, from Debian's ffmpeg
 * package, is the independent reference here: on every container and quirk below, and with both the ffmpeg on PATH
 * (5.x) and the bundled static build (4.x, an older dump layout), probe() must say what ffprobe says.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg, type FfmpegTools } from '../../../src/core/video/ffmpeg';
import { probe, rateFromDump } from '../../../src/core/video/probe';
import { mp4VideoSampleCount } from '../../../src/core/video/mp4-index';
import { fixture, tempDir } from '../../helpers/fixtures';
import { FFPROBE, makeVideo } from '../../helpers/video';

let system: FfmpegTools;
let bundled: FfmpegTools;
let dir: string;
before(async () => {
  system = await resolveFfmpeg();
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: '' };
  delete env.VSUM_FFMPEG;
  bundled = await resolveFfmpeg({ env });
  dir = tempDir('vsum probe ');
});

interface Reference {
  frames: number;
  fps: number;
  width: number;
  height: number;
  codec: string;
  hasAudio: boolean;
  duration: number;
  rotation: number;
}

/** What ffprobe says, normalised the way the ffprobe-based probe did (nb_frames, else packets counted). */
function reference(file: string): Reference {
  const out = execFileSync(
    FFPROBE,
    ['-v', 'error', '-count_packets', '-show_streams', '-show_format', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  const j = JSON.parse(out) as {
    streams: Array<Record<string, string | number | undefined> & { side_data_list?: Array<{ rotation?: number }> }>;
    format: { duration?: string };
  };
  const v = j.streams.find((s) => s.codec_type === 'video')!;
  const [n, d] = String(v.avg_frame_rate).split('/').map(Number);
  const nb = Number(v.nb_frames);
  const side = v.side_data_list?.find((x) => typeof x.rotation === 'number')?.rotation ?? 0;
  const tag = Number((v.tags as unknown as Record<string, string> | undefined)?.rotate);
  return {
    frames: Number.isFinite(nb) && nb > 0 ? nb : Number(v.nb_read_packets),
    fps: n / d,
    width: Number(v.width),
    height: Number(v.height),
    codec: String(v.codec_name),
    hasAudio: j.streams.some((s) => s.codec_type === 'audio'),
    duration: Number(j.format.duration),
    rotation: ((Math.round(Number.isFinite(tag) ? tag : -side) % 360) + 360) % 360,
  };
}

const x264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p'];
const cases: Array<[string, () => string]> = [
  ['real mp4 with AAC sound', () => fixture('real', 'mmcv-test.mp4')],
  ['real mpeg4 mp4', () => fixture('real', 'seed-kmeans-summarized_jumps.mp4')],
  ['NTSC 29.97 fps mp4', () => makeVideo(system, path.join(dir, 'ntsc.mp4'), 'testsrc=s=80x60:r=30000/1001:d=2', x264)],
  ['mkv (no stated count) with sound', () => withSound('mkv', 'testsrc=s=64x48:r=10:d=3.7', x264)],
  [
    'webm vp9 12.5 fps',
    () => makeVideo(system, path.join(dir, 'v.webm'), 'testsrc=s=64x48:r=12.5:d=2', ['-c:v', 'libvpx-vp9']),
  ],
  ['avi mpeg4', () => makeVideo(system, path.join(dir, 'v.avi'), 'testsrc=s=64x48:r=24:d=2', ['-c:v', 'mpeg4'])],
  ['MPEG-TS', () => makeVideo(system, path.join(dir, 'v.ts'), 'testsrc=s=64x48:r=25:d=2', x264)],
  [
    'fragmented mp4',
    () =>
      makeVideo(system, path.join(dir, 'frag.mp4'), 'testsrc=s=64x48:r=25:d=2', [
        ...x264,
        '-movflags',
        'frag_keyframe+empty_moov',
      ]),
  ],
  [
    'rotated mov',
    () => {
      const plain = makeVideo(system, path.join(dir, 'plain.mp4'), 'testsrc=s=96x64:r=25:d=1', x264);
      const f = path.join(dir, 'rotated.mov');
      execFileSync(system.ffmpeg, ['-v', 'error', '-y', '-i', plain, '-c', 'copy', '-metadata:s:v', 'rotate=90', f]);
      return f;
    },
  ],
];

function withSound(ext: string, lavfi: string, codec: string[]): string {
  const f = path.join(dir, `sound.${ext}`);
  execFileSync(system.ffmpeg, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    lavfi,
    '-f',
    'lavfi',
    '-i',
    'sine=d=3',
    ...codec,
    '-c:a',
    'libvorbis',
    '-shortest',
    f,
  ]);
  return f;
}

for (const [name, make] of cases) {
  test(`probe == ffprobe: ${name}, with the ffmpeg on PATH and the bundled one`, async () => {
    const file = make();
    const ref = reference(file);
    for (const tools of [system, bundled]) {
      const got = await probe(file, { tools });
      const label = `${name} (${tools.source} ffmpeg)`;
      assert.deepEqual(
        [got.frames, got.width, got.height, got.codec, got.hasAudio, got.rotation],
        [ref.frames, ref.width, ref.height, ref.codec, ref.hasAudio, ref.rotation],
        label,
      );
      assert.ok(Math.abs(got.fps - ref.fps) < 1e-6, `${label}: fps ${got.fps} vs ffprobe's ${ref.fps}`);
      assert.ok(
        Math.abs(got.duration - ref.duration) <= 0.011,
        `${label}: duration ${got.duration} vs ${ref.duration}`,
      );
    }
  });
}

test('the MP4 index count is what ffprobe calls nb_frames; not an MP4 (or a fragmented one) states none', () => {
  assert.equal(mp4VideoSampleCount(fixture('real', 'mmcv-test.mp4')), 168);
  assert.equal(mp4VideoSampleCount(fixture('real', 'rethinking-evs-example.json')), undefined);
  const frag = makeVideo(system, path.join(dir, 'frag2.mp4'), 'testsrc=s=64x48:r=25:d=1', [
    ...x264,
    '-movflags',
    'frag_keyframe+empty_moov',
  ]);
  assert.ok(!mp4VideoSampleCount(frag), 'fragments carry the samples, the index none');
  fs.rmSync(frag);
});

test('rates as ffmpeg prints them map back to their rationals', () => {
  assert.deepEqual(rateFromDump('25'), { num: 25, den: 1 });
  assert.deepEqual(rateFromDump('29.97'), { num: 30000, den: 1001 });
  assert.deepEqual(rateFromDump('23.98'), { num: 24000, den: 1001 });
  assert.deepEqual(rateFromDump('59.94'), { num: 60000, den: 1001 });
  assert.deepEqual(rateFromDump('12.50'), { num: 25, den: 2 });
  assert.deepEqual(rateFromDump('90k'), { num: 90000, den: 1 });
  assert.equal(rateFromDump(undefined), undefined);
});
