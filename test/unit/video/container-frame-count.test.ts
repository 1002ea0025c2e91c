/**
 * A container whose frame count is wrong: an H.264 stream cut with `-ss … -c copy` keeps its first GOP and an edit
 * list that skips the pre-roll, so the container lists 300 frames while decoding gives 255. Every method must
 * summarize the 255 frames that exist, and the report, summary.json and the notebook must say so.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { SummaryRecord } from '../../../src/core/summarize/outputs/summary-json';
import { probe } from '../../../src/core/video/probe';
import { resolveFfmpeg } from '../../../src/core/video/ffmpeg';
import { ensureBuiltCli, runBuiltCli } from '../../helpers/cli';
import { writeNpy } from '../../../src/core/io/npy';
import { NotebookRun } from '../extension/_stage-harness';

const SOURCE_FRAMES = 300;

/** 10 s at 30 fps with one GOP, cut at 1.5 s without re-encoding: 300 packets, 255 frames after the edit list. */
function editListVideo(dir: string): { file: string; decoded: number } {
  const src = path.join(dir, 'src.mp4');
  const cut = path.join(dir, 'cut.mp4');
  const ff = (args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
  ff(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=30', '-t', '10', '-g', '300', '-pix_fmt', 'yuv420p', src]);
  ff(['-ss', '1.5', '-i', src, '-c', 'copy', cut]);
  // ffmpeg's own decode of the cut, the reference for how many frames exist.
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', cut, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], {
    maxBuffer: 1 << 26,
  });
  return { file: cut, decoded: raw.length / (64 * 48) };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-frame-count-'));
const video = editListVideo(dir);

test('the generated cut is a real mismatch: the container lists more frames than decode', async () => {
  const info = await probe(video.file, { tools: await resolveFfmpeg() });
  assert.equal(info.frames, SOURCE_FRAMES, 'the container count (all packets of the kept GOP)');
  assert.ok(video.decoded < SOURCE_FRAMES && video.decoded > 200, `decoded ${video.decoded}`);
});

for (const method of ['kmeans', 'tt01', 'tt02', 'kts']) {
  test(`vsum summarize --method ${method} uses the decoded frames and says the container count differs`, () => {
    ensureBuiltCli();
    const out = path.join(dir, `cli-${method}`);
    const r = runBuiltCli(['summarize', video.file, '--method', method, '--out', out], {
      VSUM_CACHE: path.join(dir, 'cache'),
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`the container says ${SOURCE_FRAMES} frames but ${video.decoded} could be decoded`),
      r.stdout,
    );
    assert.match(r.stdout, new RegExp(`input 8\\.50 s \\(${video.decoded} frames\\)`));
    const rec = JSON.parse(fs.readFileSync(path.join(out, 'cut.summary.json'), 'utf8')) as SummaryRecord;
    assert.equal(rec.nFrames, video.decoded);
    assert.deepEqual(
      { container: rec.frameCount?.container, decoded: rec.frameCount?.decoded },
      { container: SOURCE_FRAMES, decoded: video.decoded },
    );
    assert.match(rec.frameCount?.note ?? '', /container says 300 frames/);
    assert.ok(Math.max(...rec.frames) < video.decoded, 'every selected frame exists');
    assert.equal(rec.outputs.video?.frames, rec.frames.length, 'the summary video has every selected frame');
  });
}

test('a video whose container count is right has no frameCount field', () => {
  const out = path.join(dir, 'cli-src');
  const r = runBuiltCli(['summarize', path.join(dir, 'src.mp4'), '--method', 'tt02', '--out', out, '--no-video'], {
    VSUM_CACHE: path.join(dir, 'cache'),
  });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /container says/);
  const rec = JSON.parse(fs.readFileSync(path.join(out, 'src.summary.json'), 'utf8')) as SummaryRecord;
  assert.equal(rec.nFrames, SOURCE_FRAMES);
  assert.equal(rec.frameCount, undefined);
});

test('a notebook summarize cell notes the container count, also when the embeddings come from the cache', async () => {
  for (const pass of ['decoded', 'cached']) {
    const nbDir = path.join(dir, 'nb');
    fs.mkdirSync(nbDir, { recursive: true });
    const nb = new NotebookRun(nbDir, [`load: ${video.file}`, 'embed: {}', 'summarize: {method: kmeans}']);
    // One cache folder for both passes: the second reads the embeddings (and their decoded count) from it.
    nb.settings.cacheDirectory = path.join(dir, 'nb-cache');
    const [, , sum] = await nb.runAll();
    const md = sum.outputs
      .flatMap((o) => o.items)
      .filter((i) => i.mime === 'text/markdown')
      .map((i) => new TextDecoder().decode(i.data));
    assert.ok(
      md.some((t) => t.includes(`container says ${SOURCE_FRAMES} frames but ${video.decoded} could be decoded`)),
      `${pass}: ${md.join('\n---\n')}`,
    );
  }
});

test('features made elsewhere with one row per decoded clip are accepted: the frames are counted before refusing', async () => {
  const rows = Math.ceil(video.decoded / 8);
  const npy = path.join(dir, 'decoded-clips.npy');
  const data = new Float32Array(rows * 16).map((_, i) => Math.sin(i * 0.37) + (i % 16 === 0 ? Math.floor(i / 160) : 0));
  await writeNpy(npy, { dtype: 'f4', shape: [rows, 16], data });
  const out = path.join(dir, 'cli-npy');
  const r = runBuiltCli(['summarize', video.file, '--method', 'tt02', '--features', npy, '--out', out, '--no-video']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /container says 300 frames/);
  const rec = JSON.parse(fs.readFileSync(path.join(out, 'cut.summary.json'), 'utf8')) as SummaryRecord;
  assert.equal(rec.nFrames, video.decoded);
  // Rows that fit neither count are still refused, naming both.
  await writeNpy(npy, { dtype: 'f4', shape: [5, 16], data: data.slice(0, 80) });
  const bad = runBuiltCli(['summarize', video.file, '--method', 'tt02', '--features', npy, '--out', out, '--no-video']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /5 rows but a 255-frame video/);
});
