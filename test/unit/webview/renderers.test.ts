import { win } from './_setup-dom';
import * as frameStrip from '../../../webview/frame-strip';
import * as scorePlot from '../../../webview/score-plot';
import * as scoreFig from '../../../webview/_score-figure';
import * as player from '../../../webview/summary-player';
import * as attention from '../../../webview/attention';
import * as evalTable from '../../../webview/evaluation-table';
import * as progress from '../../../webview/progress';
import * as summaryTime from '../../../webview/_summary-time';
import { runsOf } from '../../../src/core/video/segments';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packEnvelope } from '../../../src/common/envelope';
import { MIME } from '../../../src/common/mime';
import type {
  AttentionMeta,
  EvaluationPayload,
  FrameStripMeta,
  ProgressPayload,
  ScorePlotPayload,
  SummaryPlayerMeta,
} from '../../../src/common/payloads';
import type { KernelMessage } from '../../../src/common/messages';
import { context, item, newOutputElement } from './_dom';

/** An event of the DOM's own Event class (node's global Event is a different class). */
const domEvent = (type: string) => new (win as unknown as { Event: typeof Event }).Event(type) as Event;
const EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">';
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0]);
const tick = () => new Promise((r) => setTimeout(r, 0));

function assertInert(el: HTMLElement) {
  assert.equal(el.querySelectorAll('script').length, 0, 'no <script> element created from data');
  assert.equal(el.querySelectorAll('[onerror]').length, 0, 'no event-handler attributes from data');
  assert.equal((globalThis as Record<string, unknown>).__pwned, undefined);
  assert.ok(el.textContent!.includes('<script>'), 'the name is shown as text');
}

function stripMeta(video: string): FrameStripMeta {
  return {
    kind: 'frame-strip',
    title: `Clips of ${video}`,
    video,
    fps: 25,
    totalFrames: 168,
    thumbs: Array.from({ length: 21 }, (_, i) => ({
      frame: i * 8,
      time: (i * 8) / 25,
      clip: i,
      selected: i % 3 === 0,
      blob: i,
    })),
  };
}

test('frame strip: one image per thumbnail, selected ones highlighted, click seeks, clip button chooses the clip', async () => {
  const { activate } = frameStrip;
  const h = context(activate);
  const el = newOutputElement();
  const meta = stripMeta('videos/clip.mp4');
  await h.api.renderOutputItem(
    item(
      'o1',
      MIME.frameStrip,
      packEnvelope(
        meta,
        meta.thumbs.map(() => ({ mime: 'image/jpeg', bytes: jpeg })),
      ),
    ),
    el,
  );
  const imgs = el.querySelectorAll('figure img');
  assert.equal(imgs.length, 21);
  for (const img of imgs)
    assert.match(img.getAttribute('src')!, /^blob:/, 'image bytes become blob URLs, not data: or remote URLs');
  assert.equal(el.querySelectorAll('figure.selected').length, 7);
  assert.equal(el.querySelector('figure[data-frame="24"] .time')!.textContent, '#24 · 0.96 s');
  (el.querySelector('figure[data-frame="40"]') as HTMLElement).click();
  assert.deepEqual(
    h.posted.find((m) => (m as { type: string }).type === 'seek'),
    { type: 'seek', video: 'videos/clip.mp4', time: 1.6, frame: 40 },
  );
  (el.querySelector('figure[data-frame="40"] button.clip') as HTMLElement).click();
  assert.deepEqual(
    h.posted.find((m) => (m as { type: string }).type === 'chooseClip'),
    { type: 'chooseClip', video: 'videos/clip.mp4', clip: 5 },
  );
  h.api.disposeOutputItem?.('o1');
});

test('frame strip: a file named <script>… stays inert text', async () => {
  const { activate } = frameStrip;
  const el = newOutputElement();
  const meta = stripMeta(EVIL);
  await context(activate).api.renderOutputItem(
    item(
      'o2',
      MIME.frameStrip,
      packEnvelope(
        meta,
        meta.thumbs.map(() => ({ mime: 'image/jpeg', bytes: jpeg })),
      ),
    ),
    el,
  );
  assertInert(el);
});

test('frame strip: a broken payload shows an error box, not a blank output', async () => {
  const { activate } = frameStrip;
  const el = newOutputElement();
  await context(activate).api.renderOutputItem(item('o3', MIME.frameStrip, enc({ not: 'an envelope' })), el);
  assert.match(el.querySelector('.vsum-error')!.textContent!, /frame strip: .*bad magic/);
});

function plotPayload(title: string): ScorePlotPayload {
  return {
    kind: 'score-plot',
    title,
    method: 'tt01',
    nClips: 21,
    clipLength: 8,
    fps: 25,
    series: [
      {
        name: 'SSD to segment anchor',
        y: [null as unknown as number, ...Array.from({ length: 20 }, (_, i) => (i * 37) % 11)],
        mode: 'lines+markers',
      },
    ],
    threshold: 6,
    boundaries: [4, 9, 15],
    boundaryLabel: 'segment start',
    selection: Array.from({ length: 21 }, (_, i) => (i % 4 === 0 ? 0.25 : 0)),
  };
}

test('score plot: plotly draws the SSD curve, threshold, boundaries and selection band; purged on dispose', async () => {
  const { activate } = scorePlot;
  const h = context(activate);
  const el = newOutputElement();
  await h.api.renderOutputItem(item('p1', MIME.scorePlot, enc(plotPayload('tt01 scores'))), el);
  const gd = el.querySelector('.plot') as HTMLElement & {
    data?: Array<{ name: string; type: string; y: unknown[] }>;
    layout?: Record<string, unknown>;
  };
  assert.ok(gd.data, 'plotly attached its figure');
  assert.deepEqual(
    gd.data.map((t) => t.name),
    ['SSD to segment anchor', 'threshold 6', 'segment start', 'selected (fraction of clip)'],
  );
  assert.equal(gd.data[0].y.length, 21);
  assert.deepEqual(gd.data[1].y, [6, 6]);
  assert.equal(gd.data[2].y.filter((v) => v === null).length, 3, 'one boundary line per segment start, in one trace');
  assert.equal((gd.data[3] as { fill?: string }).fill, 'tozeroy', 'the selection is a band');
  assert.ok(el.querySelector('svg.main-svg'), 'plotly rendered SVG');
  assert.ok(h.posted.some((m) => (m as { type: string }).type === 'rendered'));
  h.api.disposeOutputItem?.('p1');
  assert.equal(gd.data, undefined, 'Plotly.purge removed the figure');
});

test('score plot figure: k-means distances on y, cluster ids on a second axis; theme colours used', async () => {
  const { scoreFigure } = scoreFig;
  const theme = {
    fg: '#010203',
    bg: 'rgba(0,0,0,0)',
    grid: '#aaaaaa',
    accent: '#ffcc00',
    palette: ['#111111', '#222222'],
    highContrast: false,
  };
  const fig = scoreFigure(
    {
      ...plotPayload(EVIL),
      method: 'kmeans',
      threshold: undefined,
      series: [
        { name: 'distance to centroid', y: [1, 2], mode: 'lines+markers' },
        { name: 'cluster id', y: [0, 1], mode: 'markers', axis: 'y2' },
      ],
    },
    theme,
  );
  assert.deepEqual(
    fig.data.map((t: Record<string, unknown>) => t.yaxis),
    ['y', 'y2', 'y4', 'y3'],
  );
  assert.ok(fig.layout.yaxis2, 'second axis for cluster ids');
  const [curve, ids] = [fig.layout.yaxis as { domain: number[] }, fig.layout.yaxis2 as { domain: number[] }];
  assert.ok(ids.domain[1] <= curve.domain[0], 'cluster ids in their own strip below the curve, not over it');
  assert.equal((fig.layout.font as { color: string }).color, '#010203');
  assert.equal((fig.data[0].line as { color: string }).color, '#111111');
});

function playerMeta(sourceName: string): SummaryPlayerMeta {
  return {
    kind: 'summary-player',
    title: 'Summary of clip',
    method: 'tt02',
    summaryName: 'videos/clip.tt02.summary.mp4',
    sourceName,
    inputDuration: 6.72,
    outputDuration: 1.04,
    fps: 25,
    width: 294,
    height: 240,
    processingSeconds: 0.81,
    selectedFrames: 26,
    totalFrames: 168,
    segments: [
      { start: 0.32, end: 0.8 },
      { start: 4, end: 4.56 },
    ],
    summaryBlob: 0,
    sourceBlob: 1,
  };
}

test('summary player: the Gradio fields, a video from bytes, the source toggle, seeks from the strip', async () => {
  const { activate, sourceToSummaryTime } = player;
  const h = context(activate);
  const el = newOutputElement();
  const mp4 = new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70]);
  await h.api.renderOutputItem(
    item(
      'v1',
      MIME.summaryPlayer,
      packEnvelope(playerMeta('videos/clip.mp4'), [
        { mime: 'video/mp4', bytes: mp4 },
        { mime: 'video/mp4', bytes: mp4 },
      ]),
    ),
    el,
  );
  const field = (k: string) => el.querySelector(`tr[data-field="${k}"] td`)!.textContent;
  assert.equal(field('inputDuration'), '6.72 s');
  assert.equal(field('outputDuration'), '1.04 s');
  assert.equal(field('fps'), '25.00');
  assert.equal(field('resolution'), '294×240');
  assert.equal(field('processingTime'), '0.81 s');
  assert.equal(field('frames'), '26 of 168');
  const video = el.querySelector('video') as HTMLVideoElement;
  assert.match(video.getAttribute('src')!, /^blob:/);
  assert.ok(video.hasAttribute('controls'));
  const toggle = el.querySelector('vscode-checkbox.source-toggle') as HTMLElement & { checked: boolean };
  assert.ok(toggle && !toggle.hasAttribute('disabled'));
  // A click on frame 100 (4.0 s, inside the second segment) → 0.48 s of summary + 0 into the second run.
  assert.ok(Math.abs((sourceToSummaryTime(playerMeta('').segments, 4) ?? -1) - 0.48) < 1e-9);
  assert.equal(sourceToSummaryTime(playerMeta('').segments, 2), undefined);
  h.send({ type: 'seek', video: 'videos/clip.mp4', time: 4.1 });
  assert.ok(Math.abs(video.currentTime - 0.58) < 1e-9, `currentTime ${video.currentTime}`);
  const summarySrc = video.getAttribute('src');
  toggle.checked = true;
  toggle.dispatchEvent(domEvent('change'));
  assert.equal((el.querySelector('.vsum-player') as HTMLElement).dataset.mode, 'source');
  assert.notEqual(video.getAttribute('src'), summarySrc, 'the toggle plays the source');
  h.api.disposeOutputItem?.('v1');
  assert.equal(video.getAttribute('src'), null);
});

test('summary player: file names are inert; without an embedded source the toggle is disabled', async () => {
  const { activate } = player;
  const el = newOutputElement();
  await context(activate).api.renderOutputItem(
    item(
      'v2',
      MIME.summaryPlayer,
      packEnvelope({ ...playerMeta(EVIL), sourceBlob: -1 }, [{ mime: 'video/mp4', bytes: new Uint8Array(8) }]),
    ),
    el,
  );
  assertInert(el);
  assert.ok(el.querySelector('vscode-checkbox.source-toggle')!.hasAttribute('disabled'));
});

test('attention view: 8 frames with heat-map canvases, opacity slider, spatial-only switch, choose clip', async () => {
  const { activate, jet, frameMap } = attention;
  const h = context(activate);
  const el = newOutputElement();
  const grid = 3;
  const st = new Float32Array(grid * grid * 8).map((_, i) => (i % 7) / 6);
  const so = new Float32Array(grid * grid * 8).fill(0.5);
  const meta: AttentionMeta = {
    kind: 'attention',
    title: 'Attention rollout of clip 3',
    video: EVIL,
    clip: 3,
    frames: [24, 25, 26, 27, 28, 29, 30, 31],
    frameBlobs: [0, 1, 2, 3, 4, 5, 6, 7],
    grid,
    spaceTimeBlob: 8,
    spaceOnlyBlob: 9,
    model: 'tiny',
  };
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
  const blobs = [
    ...Array.from({ length: 8 }, () => ({ mime: 'image/png', bytes: png })),
    { mime: 'application/x-float32', bytes: new Uint8Array(st.buffer) },
    { mime: 'application/x-float32', bytes: new Uint8Array(so.buffer) },
  ];
  await h.api.renderOutputItem(item('a1', MIME.attention, packEnvelope(meta, blobs)), el);
  assert.equal(el.querySelectorAll('figure img').length, 8);
  assert.equal(el.querySelectorAll('figure canvas').length, 8);
  const slider = el.querySelector('input.opacity') as HTMLInputElement;
  slider.value = '80';
  slider.dispatchEvent(domEvent('input'));
  for (const c of el.querySelectorAll('canvas')) assert.equal((c as HTMLElement).style.opacity, '0.8');
  const root = el.querySelector('.vsum-attn') as HTMLElement;
  assert.equal(root.dataset.variant, 'space-time');
  const spatial = el.querySelector('vscode-checkbox.space-only') as HTMLElement & { checked: boolean };
  spatial.checked = true;
  spatial.dispatchEvent(domEvent('change'));
  assert.equal(root.dataset.variant, 'space-only');
  (el.querySelector('input.clip') as HTMLInputElement).value = '7';
  (el.querySelector('vscode-button.choose') as HTMLElement).click();
  assert.deepEqual(
    h.posted.find((m) => (m as { type: string }).type === 'chooseClip'),
    { type: 'chooseClip', video: EVIL, clip: 7 },
  );
  assertInert(el);
  assert.deepEqual(jet(0), [0, 0, 128]);
  assert.deepEqual(jet(1), [128, 0, 0]);
  assert.deepEqual(jet(0.5), [128, 255, 128]);
  assert.deepEqual(
    [...frameMap(st, grid, 8, 2)],
    Array.from({ length: 9 }, (_, p) => st[p * 8 + 2]),
  );
});

function evalPayload(): EvaluationPayload {
  const s = (min: number, avg: number, max: number) => ({ min, avg, max });
  return {
    kind: 'evaluation-table',
    title: 'Evaluation of kmeans, tt01',
    dataset: 'SumMe',
    methods: ['kmeans', 'tt01'],
    videos: [
      { name: 'Jumps', scores: { kmeans: s(0.1, 0.3, 0.5), tt01: s(0.2, 0.25, 0.4) } },
      { name: EVIL, scores: { kmeans: s(0.05, 0.1, 0.2), tt01: s(0.3, 0.45, 0.6) } },
      { name: 'Cooking', scores: { kmeans: s(0.2, 0.2, 0.2), tt01: s(0.0, 0.05, 0.1) } },
    ],
    mean: { kmeans: s(0.1167, 0.2, 0.3), tt01: s(0.1667, 0.25, 0.3667) },
    baselines: [
      { name: 'random', scores: s(0.09, 0.18, 0.4), note: '100 runs' },
      { name: 'human (leave-one-out, mean)', scores: s(0.2, 0.31, 0.45) },
    ],
    notes: ['Cooking length fitted 1287 → 1286'],
  };
}

test('evaluation table: one row per video, mean and baselines, sortable, with a bar chart', async () => {
  const { activate } = evalTable;
  const h = context(activate);
  const el = newOutputElement();
  await h.api.renderOutputItem(item('e1', MIME.evaluationTable, enc(evalPayload())), el);
  const names = () => [...el.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-video'));
  assert.deepEqual(names(), ['Jumps', EVIL, 'Cooking']);
  assert.equal(el.querySelectorAll('thead th').length, 7, 'video + 3 columns per method');
  assert.equal(el.querySelector('tbody tr[data-video="Jumps"] td')!.textContent, '10.00');
  assert.equal(el.querySelector('tfoot tr.mean')!.children.length, 7);
  assert.equal(el.querySelectorAll('tfoot tr.baseline').length, 2);
  const sortBy = (key: string) => (el.querySelector(`th[data-key="${key}"] button`) as HTMLElement).click();
  sortBy('tt01.avg');
  assert.deepEqual(names(), [EVIL, 'Jumps', 'Cooking'], 'numbers sort descending first');
  assert.equal(el.querySelector('th[data-key="tt01.avg"]')!.getAttribute('aria-sort'), 'descending');
  sortBy('tt01.avg');
  assert.deepEqual(names(), ['Cooking', 'Jumps', EVIL]);
  sortBy('video');
  assert.deepEqual(
    names(),
    [EVIL, 'Cooking', 'Jumps'].sort((a, b) => a.localeCompare(b)),
  );
  const chart = el.querySelector('.chart') as HTMLElement & {
    data?: Array<{ name: string; type: string; x: string[] }>;
  };
  assert.deepEqual(
    chart.data!.map((t) => t.type),
    ['bar', 'bar', 'scatter', 'scatter'],
  );
  assert.deepEqual(chart.data![0].x, ['Jumps', EVIL, 'Cooking', 'mean']);
  assert.match(chart.data![2].name, /^random \(avg 18\.00\)$/);
  assertInert(el);
  h.api.disposeOutputItem?.('e1');
  assert.equal(chart.data, undefined, 'chart purged');
});

test('progress: message and a determinate bar', async () => {
  const { activate } = progress;
  const el = newOutputElement();
  const p: ProgressPayload = {
    kind: 'progress',
    stage: 'embed',
    message: 'clip 5/21',
    fraction: 0.25,
    elapsedMs: 1500,
  };
  const h = context(activate);
  await h.api.renderOutputItem(item('g1', MIME.progress, enc(p)), el);
  assert.equal(el.querySelector('.msg')!.textContent, 'embed: clip 5/21 — 25% (1.5 s)');
  assert.equal(el.querySelector('vscode-progress-bar')!.getAttribute('value'), '25');
  await new Promise((r) => setTimeout(r, 1100));
  assert.notEqual(
    el.querySelector('.msg')!.textContent,
    'embed: clip 5/21 — 25% (1.5 s)',
    'the elapsed time ticked without a new report',
  );
  assert.match(el.querySelector('.msg')!.textContent!, /^embed: clip 5\/21 — 25% \([2-9]\.\d s\)$/);
  h.api.disposeOutputItem?.('g1');
  await tick();
});

test('score plot figure: 27,000 clips stay drawable — decimated curve, one band, one boundary trace, few cluster ticks', () => {
  const { scoreFigure, CURVE_BUCKETS, BAND_COLUMNS } = scoreFig;
  const n = 27000;
  const theme = {
    fg: '#010203',
    bg: 'rgba(0,0,0,0)',
    grid: '#aaaaaa',
    accent: '#ffcc00',
    palette: ['#111111', '#222222'],
    highContrast: false,
  };
  const y = Array.from({ length: n }, (_, i) => Math.sin(i / 50) + (i === 12345 ? 40 : 0));
  const cluster = Array.from({ length: n }, (_, i) => (i * 7919) % 4050);
  const selection = Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 1 : 0));
  const boundaries = Array.from({ length: 4050 }, (_, i) => i * 6 + 3);
  const p: ScorePlotPayload = {
    ...plotPayload('kmeans on an hour'),
    method: 'kmeans',
    nClips: n,
    threshold: undefined,
    boundaries,
    selection,
    series: [
      { name: 'distance to centroid', y, mode: 'lines+markers' },
      { name: 'cluster id', y: cluster, mode: 'markers', axis: 'y2' },
    ],
  };
  const svg = scoreFigure(p, theme, { webgl: false });
  const curve = svg.data[0] as { x: number[]; y: number[]; mode: string };
  assert.ok(curve.y.length <= 2 * CURVE_BUCKETS, `curve has ${curve.y.length} points`);
  assert.ok(curve.y.includes(y[12345]), 'the one spike survives decimation');
  assert.equal(curve.mode, 'lines', 'no markers burying a long curve');
  assert.ok((svg.data[1] as { y: number[] }).y.length <= 5000, 'dense cluster dots thinned without WebGL');
  const band = svg.data.filter((t) => t.yaxis === 'y3');
  assert.equal(band.length, 1, 'one band trace');
  assert.ok((band[0] as { x: number[] }).x.length <= BAND_COLUMNS + 1);
  assert.equal(svg.data.filter((t) => t.yaxis === 'y4').length, 1, 'all 4050 boundaries in one trace');
  assert.equal(svg.layout.shapes, undefined, 'no SVG shape per boundary');
  assert.equal((svg.layout.yaxis2 as { nticks: number; dtick?: number }).nticks, 4);
  assert.equal((svg.layout.yaxis2 as { dtick?: number }).dtick, undefined, 'no label per cluster id');
  const gl = scoreFigure(p, theme, { webgl: true });
  assert.equal(gl.data[1].type, 'scattergl', 'dense markers on WebGL when the webview has it');
  assert.equal((gl.data[1] as { y: number[] }).y.length, n);
});

test("summary player: tt01-style scattered frames seek to each frame's own place; the source plays exactly the runs", async () => {
  const { summaryTimeOfFrame, sourceRangesOfRuns, nextSourceJump, fmtClock } = summaryTime;
  // The runs the kernel puts in the player's payload (views/summarize.ts).
  const runsOfFrames = runsOf;
  // Summary = frames 16, 17, 40, 41, 42, 100 (6 frames at 25 fps: 0.24 s).
  const frames = [16, 17, 40, 41, 42, 100];
  const runs: Array<[number, number]> = runsOfFrames(frames);
  assert.deepEqual(runs, [
    [16, 17],
    [40, 42],
    [100, 100],
  ]);
  assert.equal(summaryTimeOfFrame(runs, 16, 25), 0);
  assert.equal(summaryTimeOfFrame(runs, 41, 25), 3 / 25);
  assert.equal(summaryTimeOfFrame(runs, 100, 25), 5 / 25);
  assert.equal(summaryTimeOfFrame(runs, 32, 25), 2 / 25, 'a frame not in the summary → the next selected one');
  assert.equal(summaryTimeOfFrame(runs, 101, 25), undefined);
  // Seed-faithful k-means repeats a clip: the first occurrence.
  assert.equal(summaryTimeOfFrame(runsOfFrames([0, 1, 0, 1]), 1, 25), 1 / 25);
  const ranges = sourceRangesOfRuns(runs, 25);
  assert.deepEqual(ranges, [
    { start: 0.64, end: 0.72 },
    { start: 1.6, end: 1.72 },
    { start: 4, end: 4.04 },
  ]);
  assert.equal(nextSourceJump(ranges, 0, 0.02), 0.64);
  assert.equal(nextSourceJump(ranges, 0.68, 0.02), undefined);
  assert.equal(nextSourceJump(ranges, 0.71, 0.02), 1.6, 'past a run: on to the next one, nothing in between plays');
  assert.equal(nextSourceJump(ranges, 4.03, 0.02), 'end');
  assert.equal(fmtClock(0.96), '0:00.96');
  assert.equal(fmtClock(75.5), '1:15.50');

  const { activate, seekTarget } = player;
  const meta = {
    ...playerMeta('videos/clip.mp4'),
    method: 'tt01',
    outputDuration: 0.24,
    selectedFrames: 6,
    runs,
    segments: ranges,
  };
  assert.equal(seekTarget(meta, 'summary', 41 / 25, 41), 3 / 25);
  assert.equal(seekTarget(meta, 'source', 41 / 25, 41), 41 / 25);
  const h = context(activate);
  const el = newOutputElement();
  const mp4 = new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70]);
  await h.api.renderOutputItem(
    item(
      'v3',
      MIME.summaryPlayer,
      packEnvelope(meta, [
        { mime: 'video/mp4', bytes: mp4 },
        { mime: 'video/mp4', bytes: mp4 },
      ]),
    ),
    el,
  );
  assert.equal(el.querySelector('.clock')!.textContent, '0:00.00 / 0:00.24', 'the real duration of a short summary');
  assert.match(el.querySelector('.controls .vsum-note')!.textContent!, /^3 selected runs of the source \(0\.24 s\)$/);
  h.send({ type: 'seek', video: 'videos/clip.mp4', time: 41 / 25, frame: 41 });
  const video = el.querySelector('video') as HTMLVideoElement;
  assert.ok(Math.abs(video.currentTime - 0.12) < 1e-9, `currentTime ${video.currentTime}`);
  h.api.disposeOutputItem?.('v3');
});

test('progress: elapsed time ticks between reports, an ETA once meaningful', () => {
  const { etaSeconds, progressLine, fmtDuration } = progress;
  assert.equal(etaSeconds(1000, 0.5), undefined, 'not in the first seconds');
  assert.equal(etaSeconds(10000, 0.01), undefined, 'not before a few percent');
  assert.equal(etaSeconds(10000, 0.25), 30);
  assert.equal(fmtDuration(75), '1 min 15 s');
  const p: ProgressPayload = {
    kind: 'progress',
    stage: 'summarize',
    message: 'writing, frame 500/2000',
    fraction: 0.25,
    elapsedMs: 10000,
  };
  assert.equal(progressLine(p), 'summarize: writing, frame 500/2000 — 25% (10.0 s · about 30 s left)');
  assert.equal(progressLine(p, 2000), 'summarize: writing, frame 500/2000 — 25% (12.0 s · about 28 s left)');
});

test('by-reference outputs: the player and the strip load their files through the kernel; a missing file says so', async () => {
  const mp4 = new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70]);
  const files: Record<string, Uint8Array> = {
    'vsum-out/clip/clip.tt01.summary.mp4': mp4,
    'vsum-out/clip/clip.tt01.thumbs': new Uint8Array([...jpeg, ...jpeg]),
  };
  const kernel = (m: unknown): KernelMessage | undefined => {
    const r = m as { type: string; requestId: string; path: string };
    if (r.type !== 'media') return undefined;
    const f = files[r.path];
    return f
      ? { type: 'media', requestId: r.requestId, found: true, base64: Buffer.from(f).toString('base64') }
      : { type: 'media', requestId: r.requestId, found: false, message: 'moved or deleted' };
  };
  const ref = (p: string, mime = 'video/mp4') => ({ path: p, mime, bytes: 8 });
  const meta: SummaryPlayerMeta = {
    ...playerMeta('videos/clip.mp4'),
    processingSeconds: undefined,
    timing: { processingSeconds: 0.5 },
    summaryBlob: -1,
    sourceBlob: -1,
    summaryFile: ref('vsum-out/clip/clip.tt01.summary.mp4'),
    sourceFile: ref('videos/clip.mp4'),
    poster: 'data:image/jpeg;base64,/9j/4A==',
  };
  const h = context(player.activate, kernel);
  const el = newOutputElement();
  await h.api.renderOutputItem(item('r1', MIME.summaryPlayerRef, enc(meta)), el);
  const video = el.querySelector('video') as HTMLVideoElement;
  assert.equal(video.getAttribute('poster'), meta.poster, 'the embedded poster shows at once');
  await new Promise((r) => setTimeout(r, 20));
  assert.match(video.getAttribute('src') ?? '', /^blob:/, 'the summary file arrived as bytes');
  assert.equal(el.querySelector('tr[data-field="processingTime"] td')!.textContent, '0.50 s');
  // The source was moved away: toggling says so, by name.
  const toggle = el.querySelector('vscode-checkbox.source-toggle') as HTMLElement & { checked: boolean };
  toggle.checked = true;
  toggle.dispatchEvent(domEvent('change'));
  await new Promise((r) => setTimeout(r, 20));
  const moved = el.querySelector('.moved') as HTMLElement;
  assert.equal(moved.hidden, false);
  assert.match(
    moved.textContent!,
    /The source video videos\/clip\.mp4 is not available \(moved or deleted\)\. .*re-run the cell/,
  );
  // "Export…" asks the kernel to export this summary, and shows what it wrote.
  const exportButton = el.querySelector('vscode-button.export') as HTMLElement;
  assert.equal(exportButton.textContent, 'Export…');
  assert.equal(exportButton.hasAttribute('disabled'), false);
  exportButton.dispatchEvent(domEvent('click'));
  assert.deepEqual(
    h.posted.find((m) => (m as { type: string }).type === 'export'),
    { type: 'export', summary: 'vsum-out/clip/clip.tt01.summary.mp4', source: 'videos/clip.mp4' },
  );
  h.send({ type: 'exported', summary: 'vsum-out/clip/clip.tt01.summary.mp4', files: ['clip.tt01.summary.edl'] });
  assert.equal(el.querySelector('.export-status')!.textContent, 'Wrote clip.tt01.summary.edl');
  h.api.disposeOutputItem?.('r1');

  const strip: FrameStripMeta = {
    ...stripMeta('videos/clip.mp4'),
    thumbs: stripMeta('')
      .thumbs.slice(0, 2)
      .map((t, i) => ({ ...t, blob: i })),
    pack: {
      file: ref('vsum-out/clip/clip.tt01.thumbs', 'image/jpeg'),
      ranges: [
        [0, 8],
        [8, 8],
      ],
    },
  };
  const hs = context(frameStrip.activate, kernel);
  const el2 = newOutputElement();
  await hs.api.renderOutputItem(item('s1', MIME.frameStripRef, enc(strip)), el2);
  assert.equal(el2.querySelectorAll('figure img[src^="blob:"]').length, 2, 'thumbnails sliced from the pack file');
  const el3 = newOutputElement();
  await hs.api.renderOutputItem(
    item('s2', MIME.frameStripRef, enc({ ...strip, pack: { ...strip.pack!, file: ref('gone.thumbs') } })),
    el3,
  );
  assert.match(el3.querySelector('.moved')!.textContent!, /thumbnail file gone\.thumbs is not available/);
  assert.equal(el3.querySelectorAll('figure').length, 2, 'the strip still lists its frames');
});
