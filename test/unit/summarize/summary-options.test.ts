import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { summarizeVideo } from '../../../src/core/summarize/pipeline';
import { parseDuration } from '../../../src/core/summarize/duration';
import { SUMMARY_METHODS } from '../../../src/core/summarize/selection';
import { detectShots } from '../../../src/core/shots/detect-shots';
import { resolveFfmpeg } from '../../../src/core/video/ffmpeg';
import { runsOf } from '../../../src/core/video/segments';
import { fixture, tempDir } from '../../helpers/fixtures';
import { runBuiltCli } from '../../helpers/cli';
import { hardCutVideo } from '../../helpers/shot-video';

const SAMPLE = fixture('real', 'mmcv-test.mp4'); // 168 frames at 25 fps, with AAC sound

function hasAudioStream(file: string): boolean {
  return (
    execFileSync(
      'ffprobe',
      ['-v', 'error', '-select_streams', 'a', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', file],
      { encoding: 'utf8' },
    ).trim() === 'audio'
  );
}

test('sound is kept by default and dropped with audio: false', async () => {
  const dir = tempDir();
  const withSound = await summarizeVideo(SAMPLE, { method: 'kmeans', outDir: path.join(dir, 'a') });
  assert.ok(hasAudioStream(withSound.paths.video));
  assert.equal(withSound.record.request?.audio, true);
  const silent = await summarizeVideo(SAMPLE, { method: 'kmeans', outDir: path.join(dir, 'b'), audio: false });
  assert.ok(!hasAudioStream(silent.paths.video));
});

test('exports: csv and vtt by default, every format on request, none with []', async () => {
  const dir = tempDir();
  const def = await summarizeVideo(SAMPLE, { method: 'kts', outDir: path.join(dir, 'def'), writeVideo: false });
  assert.deepEqual(
    def.exports.map((f) => path.basename(f)),
    ['mmcv-test.summary.csv', 'mmcv-test.chapters.vtt'],
  );
  const all = await summarizeVideo(SAMPLE, {
    method: 'kts',
    outDir: path.join(dir, 'all'),
    writeVideo: false,
    exports: ['csv', 'vtt', 'edl', 'otio', 'concat'],
  });
  assert.equal(all.exports.length, 5);
  for (const f of all.exports) assert.ok(fs.statSync(f).size > 0);
  const none = await summarizeVideo(SAMPLE, {
    method: 'kts',
    outDir: path.join(dir, 'none'),
    writeVideo: false,
    exports: [],
  });
  assert.deepEqual(none.exports, []);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'none')).sort(), ['mmcv-test.frames.txt', 'mmcv-test.summary.json']);
});

test('duration: every method stays within it, and the record gives the duration and the ratio', async () => {
  const dir = tempDir();
  for (const method of SUMMARY_METHODS) {
    for (const seconds of [1.5, 2.5]) {
      const r = await summarizeVideo(SAMPLE, {
        method,
        duration: seconds,
        outDir: path.join(dir, `${method}-${seconds}`),
        writeVideo: false,
        threshold: method.startsWith('tt') ? 0.05 : undefined,
      });
      const budget = Math.floor(seconds * 25);
      assert.ok(
        r.selection.frames.length <= budget,
        `${method} ${seconds} s: ${r.selection.frames.length} frames > ${budget}`,
      );
      assert.ok(r.selection.frames.length > 0);
      assert.equal(r.record.params.duration, seconds);
      assert.ok(typeof r.record.params.ratio === 'number' && r.record.params.ratio <= budget / 168 + 1e-12);
    }
  }
});

test('duration strings', () => {
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('2m'), 120);
  assert.equal(parseDuration('1:30'), 90);
  assert.equal(parseDuration('1:02:03'), 3723);
  assert.equal(parseDuration('1.5h'), 5400);
  assert.equal(parseDuration('45'), 45);
  for (const bad of ['', '0', '-3s', '1:75', 'two minutes', '0x10', '1:2:3:4'])
    assert.throws(() => parseDuration(bad), /not a length|positive/, bad);
});

test('segmentation content: KTS keyshots over the detected shots; other methods are told which flag to use', async () => {
  const tools = await resolveFfmpeg();
  const { file } = hardCutVideo(tools);
  const dir = tempDir();
  const shots = await detectShots(file, { tools });
  const r = await summarizeVideo(file, {
    method: 'kts',
    segmentation: 'content',
    ratio: 0.45,
    outDir: dir,
    writeVideo: false,
  });
  assert.deepEqual(
    r.selection.segments.map((s) => [s.start, s.end]),
    shots.shots,
  );
  assert.equal(r.record.params.segmentation, 'content');
  assert.equal(r.record.request?.segmentation, 'content');
  await assert.rejects(
    summarizeVideo(file, { method: 'kmeans', segmentation: 'content', outDir: dir }),
    /--method kts --segmentation content/,
  );
});

test('tt01/tt02 through the pipeline default to one contiguous run per segment', async () => {
  const dir = tempDir();
  for (const method of ['tt01', 'tt02'] as const) {
    const r = await summarizeVideo(SAMPLE, {
      method,
      threshold: 0.05,
      outDir: path.join(dir, method),
      writeVideo: false,
    });
    const picked = r.selection.segments.filter((s) => s.picked > 0).length;
    assert.ok(runsOf(r.selection.frames).length <= picked, `${method}: at most one run per segment`);
    assert.equal(r.record.params.select, 'shots');
  }
});

test('CLI: --duration, --no-audio, --export and --select parse; conflicting or bad values are usage errors', () => {
  const dir = tempDir();
  const ok = runBuiltCli([
    'summarize',
    SAMPLE,
    '--method',
    'tt02',
    '--select',
    'frames',
    '--duration',
    '0:02',
    '--no-audio',
    '--export',
    'edl,otio',
    '--out',
    dir,
    '--json',
  ]);
  assert.equal(ok.status, 0, ok.stderr);
  const j = JSON.parse(ok.stdout) as { frames: number; outputs: { exports: string[]; video: string } };
  assert.ok(j.frames <= 50);
  assert.deepEqual(
    j.outputs.exports.map((f) => path.basename(f)),
    ['mmcv-test.summary.edl', 'mmcv-test.summary.otio'],
  );
  assert.ok(!hasAudioStream(j.outputs.video));
  const report = runBuiltCli(['summarize', SAMPLE, '--duration', '2s', '--out', path.join(dir, 'r'), '--no-video']);
  assert.equal(report.status, 0, report.stderr);
  assert.match(report.stdout, /of 2\.00 s asked \(\d+ frames, ratio 0\.\d{3}\)/);
  for (const args of [
    ['--ratio', '0.3', '--duration', '2s'],
    ['--duration', 'soon'],
    ['--export', 'xml'],
    ['--select', 'all'],
  ]) {
    const r = runBuiltCli(['summarize', SAMPLE, '--out', dir, ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
  }
});
