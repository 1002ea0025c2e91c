import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EXPORT_FORMATS, parseExportFormats, writeExports } from '../../../src/core/exports/exports';
import { summaryShots, type ExportInput } from '../../../src/core/exports/summary-shots';
import { smpteTimecode, clockTime } from '../../../src/core/exports/timecode';
import type { Selection } from '../../../src/core/summarize/selection';
import { resolveFfmpeg } from '../../../src/core/video/ffmpeg';
import { probe } from '../../../src/core/video/probe';
import { makeVideo } from '../../helpers/video';
import { tempDir } from '../../helpers/fixtures';
import { WebVTTParser } from 'webvtt-parser';

/** A KTS-style selection of 300 frames at 25 fps: three keyshots, the middle one two segments long. */
function selection(): Selection {
  const frames = [...range(16, 48), ...range(120, 168), ...range(168, 200), ...range(256, 272)];
  return {
    method: 'kts',
    nFrames: 300,
    clipLength: 8,
    nClips: 37,
    frames,
    segments: [
      { start: 16, end: 48, picked: 32 },
      { start: 120, end: 168, picked: 48 },
      { start: 168, end: 200, picked: 32 },
      { start: 256, end: 272, picked: 16 },
    ],
    scores: {
      kind: 'kts',
      changePoints: [],
      clipScore: [],
      segmentScore: [0.5, 0.25, 0.75, 1],
      selectedSegments: [0, 1, 2, 3],
    },
  };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

function input(source: string, hasAudio = false): ExportInput {
  return {
    source: { path: source, fps: 25, fpsRational: { num: 25, den: 1 }, nFrames: 300, hasAudio },
    title: 'clip',
    shots: summaryShots(selection()),
  };
}

test('summary shots are the runs of the selected frames, placed on the summary timeline', () => {
  const shots = summaryShots(selection());
  assert.deepEqual(
    shots.map((s) => [s.start, s.end, s.summaryStart, s.segment]),
    [
      [16, 48, 0, 0],
      [120, 200, 32, 1],
      [256, 272, 112, 3],
    ],
  );
  assert.equal(shots[1].score, 0.25);
});

test('a repeated clip (seed-faithful k-means) becomes two shots', () => {
  const sel: Selection = {
    method: 'kmeans',
    nFrames: 64,
    clipLength: 8,
    nClips: 8,
    frames: [...range(8, 16), ...range(8, 16), ...range(40, 48)],
    segments: [
      { start: 8, end: 16, picked: 8 },
      { start: 8, end: 16, picked: 8 },
      { start: 40, end: 48, picked: 8 },
    ],
    scores: {
      kind: 'kmeans',
      k: 3,
      cluster: [],
      distance: [0, 0.5, 0, 0, 0, 0.25, 0, 0],
      chosenClips: [1, 1, 5],
      inertia: 1,
    },
  };
  assert.deepEqual(
    summaryShots(sel).map((s) => [s.start, s.end, s.summaryStart, s.score]),
    [
      [8, 16, 0, 0.5],
      [8, 16, 8, 0.5],
      [40, 48, 16, 0.25],
    ],
  );
});

test('timecodes', () => {
  assert.equal(smpteTimecode(0, 25), '00:00:00:00');
  assert.equal(smpteTimecode(25 * 3661 + 7, 25), '01:01:01:07');
  assert.equal(smpteTimecode(30, 29.97), '00:00:01:00', 'NDF 29.97 counts 30 frames a second');
  assert.equal(clockTime(3723.4567), '01:02:03.457');
});

test('WebVTT chapters parse with webvtt-parser, one cue per shot on the summary timeline', async () => {
  const dir = tempDir();
  const [file] = await writeExports(input(path.join(dir, 'clip.mp4')), dir, 'clip', ['vtt']);
  assert.equal(path.basename(file), 'clip.chapters.vtt');
  const tree = new WebVTTParser().parse(fs.readFileSync(file, 'utf8'), 'metadata');
  assert.deepEqual(tree.errors, []);
  assert.deepEqual(
    tree.cues.map((c) => [c.startTime, c.endTime]),
    [
      [0, 1.28],
      [1.28, 4.48],
      [4.48, 5.12],
    ],
  );
  assert.match(tree.cues[1].text, /clip\.mp4 00:00:04\.800–00:00:08\.000/);
});

/** CMX 3600: TITLE, FCM, then events `NNN  REEL TRACK C SRC_IN SRC_OUT REC_IN REC_OUT`, and `*` comments. */
const TC = '\\d{2}:\\d{2}:\\d{2}:\\d{2}';
const EVENT = new RegExp(`^(\\d{3})  ([A-Za-z0-9_]{1,8}) +(V|A|A2|AA|B|AA/V) +C +(${TC}) (${TC}) (${TC}) (${TC})$`);

test('the EDL follows the CMX 3600 line grammar, sources and records contiguous', async () => {
  const dir = tempDir();
  const [file] = await writeExports(input(path.join(dir, 'clip.mp4'), true), dir, 'clip', ['edl']);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  assert.match(lines[0], /^TITLE: .{1,70}$/);
  assert.equal(lines[1], 'FCM: NON-DROP FRAME');
  const events = [];
  for (const l of lines.slice(2)) {
    if (l === '' || l.startsWith('* ')) continue;
    const m = EVENT.exec(l);
    assert.ok(m, `not a CMX 3600 event line: ${JSON.stringify(l)}`);
    events.push(m);
  }
  assert.deepEqual(
    events.map((m) => Number(m[1])),
    [1, 2, 3],
  );
  assert.ok(
    events.every((m) => m[3] === 'B'),
    'audio + video when the source has sound',
  );
  assert.deepEqual(
    events.map((m) => m.slice(4, 8)),
    [
      ['00:00:00:16', '00:00:01:23', '00:00:00:00', '00:00:01:07'],
      ['00:00:04:20', '00:00:08:00', '00:00:01:07', '00:00:04:12'],
      ['00:00:10:06', '00:00:10:22', '00:00:04:12', '00:00:05:03'],
    ],
  );
  assert.ok(lines.includes('* FROM CLIP NAME: clip.mp4'));
});

test('the OTIO timeline has the OTIO schema keys and RationalTime ranges referencing the source', async () => {
  const dir = tempDir();
  const src = path.join(dir, 'my clip.mp4');
  const [file] = await writeExports(input(src, true), dir, 'clip', ['otio']);
  const t = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(t.OTIO_SCHEMA, 'Timeline.1');
  assert.equal(t.tracks.OTIO_SCHEMA, 'Stack.1');
  assert.deepEqual(
    t.tracks.children.map((k: { OTIO_SCHEMA: string; kind: string }) => [k.OTIO_SCHEMA, k.kind]),
    [
      ['Track.1', 'Video'],
      ['Track.1', 'Audio'],
    ],
  );
  const clips = t.tracks.children[0].children;
  assert.equal(clips.length, 3);
  for (const c of clips) {
    assert.equal(c.OTIO_SCHEMA, 'Clip.2');
    assert.equal(c.source_range.start_time.OTIO_SCHEMA, 'RationalTime.1');
    assert.equal(c.source_range.duration.OTIO_SCHEMA, 'RationalTime.1');
    assert.equal(c.source_range.start_time.rate, 25);
    const ref = c.media_references[c.active_media_reference_key];
    assert.equal(ref.OTIO_SCHEMA, 'ExternalReference.1');
    assert.equal(decodeURIComponent(new URL(ref.target_url).pathname), src);
  }
  assert.deepEqual(
    clips.map((c: { source_range: { start_time: { value: number }; duration: { value: number } } }) => [
      c.source_range.start_time.value,
      c.source_range.duration.value,
    ]),
    [
      [16, 32],
      [120, 80],
      [256, 16],
    ],
  );
});

test('the CSV has one row per shot with frames, timecodes, seconds, segment and score', async () => {
  const dir = tempDir();
  const [file] = await writeExports(input(path.join(dir, 'clip.mp4')), dir, 'clip', ['csv']);
  const rows = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  assert.equal(rows[0].length, 11);
  assert.ok(rows.every((r) => r.length === rows[0].length));
  const byName = (r: string[]) => Object.fromEntries(rows[0].map((h, i) => [h, r[i]]));
  const second = byName(rows[2]);
  assert.equal(second.start_frame, '120');
  assert.equal(second.end_frame_exclusive, '200');
  assert.equal(second.start_timecode, '00:00:04.800');
  assert.equal(second.duration_seconds, '3.200');
  assert.equal(second.summary_start_seconds, '1.280');
  assert.equal(second.source_segment, '1');
  assert.equal(second.score, '0.25');
});

test('the concat list rebuilds the summary with ffmpeg: as many frames as the shots hold', async () => {
  const tools = await resolveFfmpeg();
  const dir = tempDir();
  const src = makeVideo(tools, path.join(dir, "it's here.mp4"), 'testsrc2=size=64x48:rate=25:duration=12', [
    '-pix_fmt',
    'yuv420p',
  ]);
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  const [list] = await writeExports(input(src), out, 'clip', ['concat']);
  const rebuilt = path.join(dir, 'rebuilt.mp4');
  // The command the list's header documents.
  execFileSync(tools.ffmpeg, [
    '-v',
    'error',
    '-f',
    'concat',
    '-safe',
    '0',
    '-segment_time_metadata',
    '1',
    '-i',
    list,
    '-vf',
    'select=concatdec_select',
    '-pix_fmt',
    'yuv420p',
    rebuilt,
  ]);
  const info = await probe(rebuilt, { tools });
  const expected = summaryShots(selection()).reduce((n, s) => n + s.end - s.start, 0);
  assert.equal(info.frames, expected);
});

test('export formats parse strictly', () => {
  assert.deepEqual(parseExportFormats('csv, VTT,csv'), ['csv', 'vtt']);
  assert.deepEqual(parseExportFormats('none'), []);
  assert.deepEqual(parseExportFormats(EXPORT_FORMATS), EXPORT_FORMATS);
  assert.throws(() => parseExportFormats('csv,xml'), /Unknown export format "xml".*csv, vtt, edl, otio, concat/);
});
