import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { JET } from '../../../src/core/attention/jet';
import { encodePng, overlayClip, overlayFrame, resizeBilinear } from '../../../src/core/attention/overlay';
import { rolloutDividedSpaceTime, rolloutSpatialOnly } from '../../../src/core/attention/rollout';
import { readNpy, writeNpy } from '../../../src/core/io/npy';
import { resolveFfmpeg, type FfmpegTools } from '../../../src/core/video/ffmpeg';
import { runPython } from '../../helpers/python';
import { tempDir } from '../../helpers/fixtures';
import { makeVideo } from '../../helpers/video';
import { ensureBuiltCli, runBuiltCli } from '../../helpers/cli';
import { TINY, TINY_CONFIG, maxAbsDiff, ref } from '../model/_tiny';

let tools: FfmpegTools;
let dir: string;
let video: string;

before(async () => {
  tools = await resolveFfmpeg();
  dir = tempDir('vsum-attn-cli-');
  video = makeVideo(tools, path.join(dir, 'clip.mp4'), 'testsrc=s=96x64:r=25:d=2', [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
  ]);
  ensureBuiltCli();
});

function vsum(args: string[]) {
  return runBuiltCli(args, { VSUM_CACHE: path.join(dir, 'cache') });
}

test('jet colour map: dark blue → cyan → yellow → dark red, like OpenCV / matplotlib', () => {
  const at = (i: number) => Array.from(JET.subarray(3 * i, 3 * i + 3));
  assert.deepEqual(at(0), [0, 0, 0.5]);
  assert.deepEqual(at(255), [0.5, 0, 0]);
  const mid = at(128); // green dominates in the middle
  assert.ok(mid[1] === 1 && mid[0] > 0.4 && mid[0] < 0.6 && mid[2] > 0.4 && mid[2] < 0.6, String(mid));
});

test('upsampling matches bilinear with half-pixel centres (torch interpolate align_corners=False = cv2.INTER_LINEAR)', () => {
  const g = 3;
  const src = Float32Array.from({ length: g * g }, (_, i) => ((i * 37) % 11) / 10);
  const ours = resizeBilinear(src, g, g, 48, 40);
  const theirs = runPython<number[]>(
    `
import json, sys, torch
a = json.load(sys.stdin)
x = torch.tensor(a, dtype=torch.float64).reshape(1, 1, 3, 3)
print(json.dumps(torch.nn.functional.interpolate(x, size=(40, 48), mode='bilinear', align_corners=False).reshape(-1).tolist()))
`,
    Array.from(src),
    ['torch'],
  );
  assert.ok(maxAbsDiff(ours, theirs) < 1e-6, `max diff ${maxAbsDiff(ours, theirs)}`);
});

test('overlay: heat + frame renormalised by the frame max, BGR frames shown in RGB, frames tiled left to right', () => {
  const w = 4,
    h = 2;
  const frame = new Uint8Array(w * h * 3).map((_, i) => (i * 29) % 256);
  const mask = new Float32Array([0, 1, 0.5, 0.25]); // 2×2
  const rgb = overlayFrame(frame, w, h, 'rgb24', mask, 2);
  // Recompute pixel (x=3, y=1) by the definition.
  const m = resizeBilinear(mask, 2, 2, w, h);
  const cam = (i: number, c: number) => JET[Math.floor(255 * m[i]) * 3 + c] + frame[3 * i + c] / 255;
  let max = 0;
  for (let i = 0; i < w * h; i++) for (let c = 0; c < 3; c++) max = Math.max(max, cam(i, c));
  const i = 1 * w + 3;
  for (let c = 0; c < 3; c++) assert.equal(rgb[3 * i + c], Math.floor((255 * cam(i, c)) / max));
  // The same frame in BGR gives the same picture.
  const bgr = new Uint8Array(frame.length);
  for (let p = 0; p < w * h; p++) {
    bgr[3 * p] = frame[3 * p + 2];
    bgr[3 * p + 1] = frame[3 * p + 1];
    bgr[3 * p + 2] = frame[3 * p];
  }
  assert.deepEqual(overlayFrame(bgr, w, h, 'bgr24', mask, 2), rgb);
  // Tiling + PNG round trip.
  const frames = [frame, new Uint8Array(frame.length)];
  const maskTg = { grid: 2, frames: 2, data: new Float32Array([0, 1, 1, 0, 0.5, 0.5, 0.25, 0.75]) };
  const img = overlayClip(frames, w, h, 'rgb24', maskTg);
  assert.equal(img.width, 2 * w);
  const png = PNG.sync.read(encodePng(img));
  assert.equal(png.width, 2 * w);
  assert.equal(png.height, h);
  for (let p = 0; p < img.width * h; p++)
    for (let c = 0; c < 3; c++) assert.equal(png.data[4 * p + c], img.data[3 * p + c]);
});

/** Clip b's reference maps saved as numpy would: T [L, P, heads, T, T] and S [L, T, heads, P+1, P+1]. */
async function clipMapsNpy(b: number): Promise<{ t: string; s: string }> {
  const t = ref('tiny-attn-temporal.npy');
  const s = ref('tiny-attn-spatial.npy');
  const B = ref('tiny-cls.npy').shape[0];
  const [L, BP, H, T] = t.shape;
  const P = BP / B;
  const tl = P * H * T * T,
    sl = T * H * (P + 1) * (P + 1);
  const tData = new Float32Array(L * tl),
    sData = new Float32Array(L * sl);
  for (let l = 0; l < L; l++) {
    tData.set(t.data.subarray(l * B * tl + b * tl, l * B * tl + (b + 1) * tl), l * tl);
    sData.set(s.data.subarray(l * B * sl + b * sl, l * B * sl + (b + 1) * sl), l * sl);
  }
  const files = { t: path.join(dir, `T${b}.npy`), s: path.join(dir, `S${b}.npy`) };
  await writeNpy(files.t, { dtype: 'f4', shape: [L, P, H, T, T], data: tData });
  await writeNpy(files.s, { dtype: 'f4', shape: [L, T, H, P + 1, P + 1], data: sData });
  return files;
}

test('vsum rollout: numpy-saved maps [L, P, heads, T, T] + [L, T, heads, P+1, P+1] → mask [√P, √P, T]; spatial-only; bad shapes exit 1', async () => {
  const files = await clipMapsNpy(1);
  const out = path.join(dir, 'mask.npy');
  const r = vsum(['rollout', '--temporal', files.t, '--spatial', files.s, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const mask = readNpy(out);
  const g = TINY_CONFIG.image_size / TINY_CONFIG.patch_size;
  assert.deepEqual(mask.shape, [g, g, TINY_CONFIG.num_frames]);
  const T = readNpy(files.t),
    S = readNpy(files.s);
  const L = T.shape[0];
  const split = (a: Float32Array) =>
    Array.from({ length: L }, (_, l) => a.subarray((l * a.length) / L, ((l + 1) * a.length) / L));
  const maps = {
    layers: L,
    heads: T.shape[2],
    frames: T.shape[3],
    patches: T.shape[1],
    temporal: split(T.data as Float32Array),
    spatial: split(S.data as Float32Array),
  };
  assert.ok(maxAbsDiff(mask.data as Float32Array, rolloutDividedSpaceTime(maps).data) === 0);
  const so = path.join(dir, 'so.npy');
  assert.equal(vsum(['rollout', '--spatial-only', '--spatial', files.s, '--out', so]).status, 0);
  assert.ok(maxAbsDiff(readNpy(so).data as Float32Array, rolloutSpatialOnly(maps).data) === 0);
  const bad = vsum(['rollout', '--temporal', files.s, '--spatial', files.s, '--out', path.join(dir, 'bad.npy')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /the temporal maps must be \(2, 9, 2, 8, 8\)/);
  assert.ok(!fs.existsSync(path.join(dir, 'bad.npy')));
  assert.equal(
    vsum(['rollout', '--spatial', files.s, '--out', path.join(dir, 'x.npy')]).status,
    2,
    'no --temporal without --spatial-only is a usage error',
  );
});

test('vsum attention: one clip of a real video → tiled overlay PNG + mask; a clip past the end is a clear error', () => {
  const png = path.join(dir, 'overlay.png');
  const maskPath = path.join(dir, 'clip-mask.npy');
  const r = vsum([
    'attention',
    video,
    '--clip',
    '2',
    '--out',
    png,
    '--model',
    TINY,
    '--ep',
    'cpu',
    '--mask-out',
    maskPath,
    '-q',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /clip 2 \(frames 16–23\), divided space-time rollout over 2 layers/);
  const img = PNG.sync.read(fs.readFileSync(png));
  assert.equal(img.width, TINY_CONFIG.num_frames * TINY_CONFIG.image_size);
  assert.equal(img.height, TINY_CONFIG.image_size);
  const mask = readNpy(maskPath);
  assert.deepEqual(mask.shape, [3, 3, 8]);
  assert.equal(Math.max(...(mask.data as Float32Array)), 1);
  const so = vsum([
    'attention',
    video,
    '--clip',
    '0',
    '--out',
    path.join(dir, 'so.png'),
    '--model',
    TINY,
    '--ep',
    'cpu',
    '--spatial-only',
    '-q',
  ]);
  assert.equal(so.status, 0, so.stderr);
  const past = vsum([
    'attention',
    video,
    '--clip',
    '6',
    '--out',
    path.join(dir, 'past.png'),
    '--model',
    TINY,
    '--ep',
    'cpu',
    '-q',
  ]);
  assert.equal(past.status, 1);
  assert.match(past.stderr, /has 6 clips of 8 frames \(0…5\); clip 6 does not exist/);
  assert.ok(!fs.existsSync(path.join(dir, 'past.png')));
  assert.equal(vsum(['attention', video, '--clip', '-1', '--out', png, '--model', TINY]).status, 2);
});
