import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isCancelled, VsumError } from '../../../src/core/errors';
import { liveChildren } from '../../../src/core/video/process';
import { unpackEnvelope } from '../../../src/common/envelope';
import { MIME } from '../../../src/common/mime';
import type {
  AttentionMeta,
  EvaluationPayload,
  FrameStripMeta,
  ScorePlotPayload,
  SummaryPlayerMeta,
} from '../../../src/common/payloads';
import type { OutputSpec } from '../../../src/notebook/outputs';
import { buildMiniSumme, NotebookRun, SAMPLE, tempNotebookDir, TINY_MODEL } from './_stage-harness';

const item = (o: OutputSpec, mime: string) => o.items.find((i) => i.mime === mime);
const find = (outs: OutputSpec[], mime: string) =>
  outs.map((o) => item(o, mime)).filter((x): x is NonNullable<typeof x> => !!x);
/** The embed table's timing field (kept apart from its content). */
type Timing = { seconds: number; fromCache: number };
const json = <T>(b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as T;

function singleVideoNotebook() {
  const dir = tempNotebookDir();
  fs.mkdirSync(path.join(dir, 'videos'));
  fs.copyFileSync(SAMPLE, path.join(dir, 'videos', 'clip.mp4'));
  return new NotebookRun(dir, [
    'load: videos/clip.mp4',
    'embed: {model: histogram}',
    'summarize: {method: [kmeans, tt02], seed: 1, ratio: 0.3}',
    'script: return results.selection.runs.map(r => r.selection.frames.length)',
  ]);
}

test('load → embed → summarize on the sample: strip, plots, players, files beside the video', async () => {
  const nb = singleVideoNotebook();
  const [load, embed, sum, script] = await nb.runAll();

  const strip = { meta: json<FrameStripMeta>(find(load.outputs, MIME.frameStripRef)[0].data) };
  assert.equal(strip.meta.thumbs.length, 12);
  assert.equal(
    strip.meta.pack!.file.path,
    'vsum-out/clip/clip.load.thumbs',
    'thumbnails in one file under vsum-out/<stem>/',
  );
  const pack = fs.readFileSync(path.join(nb.dir, strip.meta.pack!.file.path));
  assert.equal(strip.meta.pack!.ranges.length, 12);
  for (const [at, n] of strip.meta.pack!.ranges) {
    assert.deepEqual([...pack.subarray(at, at + 3)], [0xff, 0xd8, 0xff], 'JPEG thumbnails');
    assert.deepEqual([...pack.subarray(at + n - 2, at + n)], [0xff, 0xd9], 'each ends where its range says');
  }
  assert.equal(strip.meta.video, 'videos/clip.mp4', 'paths relative to the notebook');
  assert.ok(load.outputs.every((o) => o.items.length >= 1));

  const ssd = json<ScorePlotPayload>(find(embed.outputs, MIME.scorePlot)[0].data);
  assert.equal(ssd.nClips, 21, '168 frames / 8');
  assert.equal(ssd.series[0].y.length, 21);

  // Each custom output is followed by a plain fallback.
  for (const o of [...load.outputs, ...embed.outputs, ...sum.outputs]) {
    if (o.items[0].mime.startsWith('application/vnd.vsum'))
      assert.ok(
        o.items.length >= 2 && /^(text\/markdown|image\/png)$/.test(o.items[1].mime),
        `fallback after ${o.items[0].mime}`,
      );
  }

  const players = find(sum.outputs, MIME.summaryPlayerRef).map((d) => ({
    meta: json<SummaryPlayerMeta>(d.data),
    size: d.data.byteLength,
  }));
  assert.equal(players.length, 2);
  for (const p of players) {
    const video = fs.readFileSync(path.join(nb.dir, p.meta.summaryFile!.path));
    assert.equal(
      new TextDecoder().decode(video.subarray(4, 8)),
      'ftyp',
      'the summary is an mp4 file the output refers to',
    );
    assert.equal(p.meta.sourceFile!.path, 'videos/clip.mp4');
    assert.match(p.meta.poster!, /^data:image\/jpeg;base64,/);
    assert.ok(p.size < 16 * 1024, `the player output is small (${p.size} bytes): no video inside`);
    assert.equal(typeof p.meta.timing!.processingSeconds, 'number');
    assert.equal(p.meta.inputDuration.toFixed(2), (168 / 25).toFixed(2));
    assert.equal(p.meta.outputDuration, p.meta.selectedFrames / 25);
    assert.ok(p.meta.selectedFrames > 0 && p.meta.selectedFrames < 168);
    assert.equal(p.meta.fps, 25);
    assert.deepEqual([p.meta.width, p.meta.height], [294, 240]);
    const total = p.meta.segments.reduce((n, s) => n + (s.end - s.start), 0);
    assert.ok(Math.abs(total - p.meta.outputDuration) < 1e-9, 'the source ranges are exactly the selected frames');
    assert.equal(
      p.meta.runs!.reduce((n, [a, b]) => n + b - a + 1, 0),
      p.meta.selectedFrames,
      'runs in summary order',
    );
  }
  const plots = find(sum.outputs, MIME.scorePlot).map((d) => json<ScorePlotPayload>(d.data));
  assert.deepEqual(
    plots.map((p) => p.method),
    ['kmeans', 'tt02'],
  );
  assert.deepEqual(
    plots[0].series.map((s) => s.name),
    ['distance to centroid', 'cluster id'],
  );
  assert.ok(
    plots[1].threshold !== undefined && plots[1].threshold < 10,
    'histogram threshold scale, not TimeSformer 400',
  );
  assert.equal(find(sum.outputs, MIME.frameStripRef).length, 1);

  for (const m of ['kmeans', 'tt02']) {
    for (const ext of ['summary.mp4', 'frames.txt', 'summary.json'])
      assert.ok(fs.existsSync(path.join(nb.dir, 'vsum-out', 'clip', `clip.${m}.${ext}`)), `${m} ${ext}`);
    assert.ok(!fs.existsSync(path.join(nb.dir, 'videos', `clip.${m}.summary.mp4`)), 'nothing written beside the video');
  }
  const counts = json<number[]>(script.outputs[0].items[0].data);
  assert.deepEqual(
    counts,
    players.map((p) => p.meta.selectedFrames),
  );
  assert.ok(nb.progress.length > 0, 'stages report progress');
});

test('a cell whose input is missing says which cell to run first', async () => {
  const nb = singleVideoNotebook();
  await assert.rejects(
    nb.run(2),
    (e: unknown) =>
      e instanceof VsumError &&
      e.message === 'The `summarize` stage needs clip embeddings: run the cell `embed: {model: histogram}` first.',
    'a cell that shows no execution order is named by its first line',
  );
  await assert.rejects(nb.run(1), /needs a loaded video: run the cell `load: videos\/clip.mp4` first/);
  await nb.run(0); // [3]
  await nb.run(1); // [4]
  await nb.run(0); // [5]: a new video, so the embeddings of the old one are gone
  await assert.rejects(
    nb.run(2),
    /needs clip embeddings: run cell \[4\] \(`embed`\) first/,
    'by the order the embed cell shows, not its position (the 2nd cell)',
  );
});

test('an invalid cell is a clear error naming the line, not a stack trace', async () => {
  const nb = new NotebookRun(tempNotebookDir(), ['load: videos/clip.mp4', 'summarize: {method: tt03}']);
  await assert.rejects(
    nb.run(1),
    (e: unknown) =>
      e instanceof VsumError &&
      /^This cell is not a valid stage:\nline 1: summarize: method: string "tt03" is not one of/.test(e.message),
  );
  await assert.rejects(nb.run(0), (e: unknown) => e instanceof VsumError && e.message.includes('clip.mp4'));
});

test('re-running load marks embed and summarize stale; cancelling summarize kills ffmpeg and leaves no file', async () => {
  const nb = singleVideoNotebook();
  await nb.run(0);
  await nb.run(1);
  await nb.run(2);
  assert.deepEqual(nb.session.staleCells(), []);
  await nb.run(0);
  assert.deepEqual(nb.session.staleCells().sort(), ['cell-1', 'cell-2']);
  await nb.run(1);
  const out = path.join(nb.dir, 'vsum-out', 'clip');
  for (const f of fs.readdirSync(out).filter((f) => f.includes('.summary') || f.includes('.frames')))
    fs.rmSync(path.join(out, f));
  const ac = new AbortController();
  const p = nb.run(2, ac.signal);
  // Abort as soon as an ffmpeg child is running (the summary writer or the thumbnails).
  const t0 = Date.now();
  while (liveChildren().length === 0 && Date.now() - t0 < 20000) await new Promise((r) => setTimeout(r, 5));
  assert.ok(liveChildren().length > 0, 'ffmpeg started');
  ac.abort();
  await assert.rejects(p, (e: unknown) => isCancelled(e));
  assert.deepEqual(liveChildren(), [], 'no ffmpeg child survives');
  const left = [...fs.readdirSync(path.join(nb.dir, 'videos')), ...fs.readdirSync(out)].filter((f) =>
    f.includes('vsum-tmp'),
  );
  assert.deepEqual(left, [], 'no half-written file');
});

test('dataset run: export rethinking-evs JSON fitted to the GT, evaluate with random and human baselines', async () => {
  const dir = tempNotebookDir();
  buildMiniSumme(path.join(dir, 'data', 'summe'));
  const nb = new NotebookRun(dir, [
    'load: {dir: data/summe/videos, gt: data/summe/GT}',
    'embed:',
    'summarize: {method: [kmeans, tt01, tt02], seed: 1, export: results}',
    'evaluate: {submission: results/*.json, baselines: [random, human], runs: 5, seed: 1}',
    'evaluate: {baselines: [human]}',
  ]);
  const [, , sum, ev, ev2] = await nb.runAll();
  for (const m of ['kmeans', 'tt01', 'tt02']) {
    const sub = JSON.parse(fs.readFileSync(path.join(dir, 'results', `${m}.json`), 'utf8'));
    assert.deepEqual(Object.keys(sub).sort(), ['Jumps', 'St Maarten Landing']);
    assert.equal(sub['St Maarten Landing'].summary.length, 169, 'length fitted to the GT');
    assert.equal(sub.Jumps.summary.length, 168);
  }
  assert.ok(
    !fs.readdirSync(path.join(dir, 'data', 'summe', 'videos')).some((f) => f.endsWith('.summary.mp4')),
    'no videos for a dataset run by default',
  );
  assert.ok(
    find(sum.outputs, 'text/markdown').some((d) =>
      new TextDecoder().decode(d.data).includes('rethinking-evs JSON (tt01): results/tt01.json'),
    ),
  );
  const table = json<EvaluationPayload>(find(ev.outputs, MIME.evaluationTable)[0].data);
  assert.deepEqual(table.methods, ['kmeans', 'tt01', 'tt02']);
  assert.deepEqual(
    table.videos.map((v) => v.name),
    ['Jumps', 'St Maarten Landing'],
  );
  assert.deepEqual(
    table.baselines.map((b) => b.name),
    ['random', 'human (leave-one-out, mean)', 'human (leave-one-out, max)'],
  );
  for (const v of table.videos)
    for (const m of table.methods) {
      const s = v.scores[m];
      assert.ok(s.min <= s.avg && s.avg <= s.max && s.min >= 0 && s.max <= 1, `${v.name} ${m}`);
    }
  const meanAvg = (table.videos[0].scores.kmeans.avg + table.videos[1].scores.kmeans.avg) / 2;
  assert.ok(Math.abs(table.mean.kmeans.avg - meanAvg) < 1e-12, 'dataset mean = mean over videos');
  assert.ok(
    find(sum.outputs, 'text/markdown').some((d) =>
      new TextDecoder().decode(d.data).includes('Length fix: St Maarten Landing: 168 → 169 frames'),
    ),
  );
  const md = new TextDecoder().decode(find(ev.outputs, 'text/markdown')[0].data);
  assert.match(md, /\| St Maarten Landing \|/);
  // Without a submission file, the notebook's own summaries are evaluated.
  const t2 = json<EvaluationPayload>(find(ev2.outputs, MIME.evaluationTable)[0].data);
  assert.deepEqual(t2.methods, ['kmeans', 'tt01', 'tt02']);
  assert.deepEqual(t2.mean, table.mean);
  assert.ok(t2.notes.includes('kmeans: St Maarten Landing length fitted 168 → 169'), t2.notes.join('; '));
});

test('attention on the tiny TimeSformer: 8 frames, space-time and space-only maps, PNG fallback', async () => {
  const dir = tempNotebookDir();
  fs.copyFileSync(SAMPLE, path.join(dir, 'clip.mp4'));
  const nb = new NotebookRun(
    dir,
    ['load: clip.mp4', `attention: {clip: 3, model: ${JSON.stringify(TINY_MODEL)}}`, 'attention: {clip: 99}'],
    { model: TINY_MODEL, executionProvider: 'cpu' },
  );
  await nb.run(0);
  const r = await nb.run(1);
  const out = r.outputs[0];
  assert.equal(out.items[0].mime, MIME.attention);
  assert.equal(out.items[1].mime, 'image/png');
  const env = unpackEnvelope<AttentionMeta>(out.items[0].data);
  const m = env.meta;
  assert.deepEqual(m.frames, [24, 25, 26, 27, 28, 29, 30, 31]);
  assert.equal(m.frameBlobs.length, 8);
  for (const i of m.frameBlobs)
    assert.deepEqual([...env.blobs[i].bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'PNG frames');
  const grid = m.grid;
  assert.equal(grid, 3, 'tiny model: 48 px / 16 px patches');
  for (const b of [m.spaceTimeBlob, m.spaceOnlyBlob]) {
    const bytes = env.blobs[b].bytes;
    const f = new Float32Array(bytes.slice().buffer);
    assert.equal(f.length, grid * grid * 8);
    assert.ok(Math.abs(Math.max(...f) - 1) < 1e-6, 'max-normalised');
    assert.ok(f.every((v) => v >= 0 && Number.isFinite(v)));
  }
  await assert.rejects(nb.run(2), /has 21 clips of 8 frames \(0…20\); clip 99 does not exist/);
});

test('TimeSformer embeddings go through the embedding cache: a re-run does no inference', async () => {
  const dir = tempNotebookDir();
  fs.copyFileSync(SAMPLE, path.join(dir, 'clip.mp4'));
  const cache = path.join(dir, 'cache');
  const nb = new NotebookRun(dir, ['load: clip.mp4', `embed: {model: ${JSON.stringify(TINY_MODEL)}}`], {
    model: 'histogram',
    executionProvider: 'cpu',
    cacheDirectory: cache,
  });
  await nb.run(0);
  const first = await nb.run(1);
  const md1 = new TextDecoder().decode(first.outputs[0].items[0].data);
  assert.match(md1, /with `timesformer-tiny-timesformer\.onnx-default-v\d+`/);
  assert.equal((first.outputs[0].metadata?.timing as Timing).fromCache, 0);
  assert.equal(fs.readdirSync(path.join(cache, 'embeddings')).filter((f) => f.endsWith('.npy')).length, 1);
  const second = await nb.run(1);
  assert.equal((second.outputs[0].metadata?.timing as Timing).fromCache, 1, 'from the embedding cache');
  const a = json<ScorePlotPayload>(find(first.outputs, MIME.scorePlot)[0].data);
  const b = json<ScorePlotPayload>(find(second.outputs, MIME.scorePlot)[0].data);
  assert.deepEqual(b.series[0].y, a.series[0].y, 'the cached features are the same');
});

test('histogram embeddings are cached too: a re-run of embed does no decoding', async () => {
  const dir = tempNotebookDir();
  fs.copyFileSync(SAMPLE, path.join(dir, 'clip.mp4'));
  const nb = new NotebookRun(dir, ['load: clip.mp4', 'embed: {model: histogram}']);
  await nb.run(0);
  const first = await nb.run(1);
  assert.equal((first.outputs[0].metadata?.timing as Timing).fromCache, 0);
  const clipsBefore = nb.progress.filter((m) => /embedding clips \d+\/\d+/.test(m)).length;
  assert.ok(clipsBefore > 0, 'the first run decoded and embedded clips');
  const second = await nb.run(1);
  assert.equal((second.outputs[0].metadata?.timing as Timing).fromCache, 1, 'from the embedding cache');
  assert.equal(
    nb.progress.filter((m) => /embedding clips \d+\/\d+/.test(m)).length,
    clipsBefore,
    'no clip decoded on the re-run',
  );
  const a = json<ScorePlotPayload>(find(first.outputs, MIME.scorePlot)[0].data);
  const b = json<ScorePlotPayload>(find(second.outputs, MIME.scorePlot)[0].data);
  assert.deepEqual(b.series[0].y, a.series[0].y);
});
