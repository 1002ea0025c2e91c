import { win } from './_setup-dom';
import * as frameStrip from '../../../webview/frame-strip';
import * as scorePlot from '../../../webview/score-plot';
import * as scoreFig from '../../../webview/_score-figure';
import * as player from '../../../webview/summary-player';
import * as attention from '../../../webview/attention';
import * as evalTable from '../../../webview/evaluation-table';
import * as progress from '../../../webview/progress';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packEnvelope } from '../../../src/common/envelope';
import { MIME } from '../../../src/common/mime';
import type { AttentionMeta, EvaluationPayload, FrameStripMeta, ProgressPayload, ScorePlotPayload, SummaryPlayerMeta } from '../../../src/common/payloads';
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
    thumbs: Array.from({ length: 21 }, (_, i) => ({ frame: i * 8, time: (i * 8) / 25, clip: i, selected: i % 3 === 0, blob: i })),
  };
}

test('frame strip: one image per thumbnail, selected ones highlighted, click seeks, clip button chooses the clip', async () => {
  const { activate } = frameStrip;
  const h = context(activate);
  const el = newOutputElement();
  const meta = stripMeta('videos/clip.mp4');
  await h.api.renderOutputItem(item('o1', MIME.frameStrip, packEnvelope(meta, meta.thumbs.map(() => ({ mime: 'image/jpeg', bytes: jpeg })))), el);
  const imgs = el.querySelectorAll('figure img');
  assert.equal(imgs.length, 21);
  for (const img of imgs) assert.match(img.getAttribute('src')!, /^blob:/, 'image bytes become blob URLs, not data: or remote URLs');
  assert.equal(el.querySelectorAll('figure.selected').length, 7);
  assert.equal(el.querySelector('figure[data-frame="24"] .time')!.textContent, '#24 · 0.96 s');
  (el.querySelector('figure[data-frame="40"]') as HTMLElement).click();
  assert.deepEqual(h.posted.find((m) => (m as { type: string }).type === 'seek'), { type: 'seek', video: 'videos/clip.mp4', time: 1.6, frame: 40 });
  (el.querySelector('figure[data-frame="40"] button.clip') as HTMLElement).click();
  assert.deepEqual(h.posted.find((m) => (m as { type: string }).type === 'chooseClip'), { type: 'chooseClip', video: 'videos/clip.mp4', clip: 5 });
  h.api.disposeOutputItem?.('o1');
});

test('frame strip: a file named <script>… stays inert text', async () => {
  const { activate } = frameStrip;
  const el = newOutputElement();
  const meta = stripMeta(EVIL);
  await context(activate).api.renderOutputItem(item('o2', MIME.frameStrip, packEnvelope(meta, meta.thumbs.map(() => ({ mime: 'image/jpeg', bytes: jpeg })))), el);
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
    series: [{ name: 'SSD to segment anchor', y: [null as unknown as number, ...Array.from({ length: 20 }, (_, i) => (i * 37) % 11)], mode: 'lines+markers' }],
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
  const gd = el.querySelector('.plot') as HTMLElement & { data?: Array<{ name: string; type: string; y: unknown[] }>; layout?: Record<string, unknown> };
  assert.ok(gd.data, 'plotly attached its figure');
  assert.deepEqual(gd.data.map((t) => t.name), ['SSD to segment anchor', 'threshold 6', 'segment start', 'selected (fraction of clip)']);
  assert.equal(gd.data[0].y.length, 21);
  assert.deepEqual(gd.data[1].y, [6, 6]);
  assert.equal((gd.layout!.shapes as unknown[]).length, 3, 'one boundary line per segment start');
  assert.ok(el.querySelector('svg.main-svg'), 'plotly rendered SVG');
  assert.ok(h.posted.some((m) => (m as { type: string }).type === 'rendered'));
  h.api.disposeOutputItem?.('p1');
  assert.equal(gd.data, undefined, 'Plotly.purge removed the figure');
});

test('score plot figure: k-means distances on y, cluster ids on a second axis; theme colours used', async () => {
  const { scoreFigure } = scoreFig;
  const theme = { fg: '#010203', bg: 'rgba(0,0,0,0)', grid: '#aaaaaa', accent: '#ffcc00', palette: ['#111111', '#222222'], highContrast: false };
  const fig = scoreFigure({ ...plotPayload(EVIL), method: 'kmeans', threshold: undefined, series: [{ name: 'distance to centroid', y: [1, 2], mode: 'lines+markers' }, { name: 'cluster id', y: [0, 1], mode: 'markers', axis: 'y2' }] }, theme);
  assert.deepEqual(fig.data.map((t: Record<string, unknown>) => t.yaxis), ['y', 'y2', 'y3', 'y3']);
  assert.ok(fig.layout.yaxis2, 'second axis for cluster ids');
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
    segments: [{ start: 0.32, end: 0.8 }, { start: 4, end: 4.56 }],
    summaryBlob: 0,
    sourceBlob: 1,
  };
}

test('summary player: the Gradio fields, a video from bytes, the source toggle, seeks from the strip', async () => {
  const { activate, sourceToSummaryTime } = player;
  const h = context(activate);
  const el = newOutputElement();
  const mp4 = new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70]);
  await h.api.renderOutputItem(item('v1', MIME.summaryPlayer, packEnvelope(playerMeta('videos/clip.mp4'), [{ mime: 'video/mp4', bytes: mp4 }, { mime: 'video/mp4', bytes: mp4 }])), el);
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
  await context(activate).api.renderOutputItem(item('v2', MIME.summaryPlayer, packEnvelope({ ...playerMeta(EVIL), sourceBlob: -1 }, [{ mime: 'video/mp4', bytes: new Uint8Array(8) }])), el);
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
  const meta: AttentionMeta = { kind: 'attention', title: 'Attention rollout of clip 3', video: EVIL, clip: 3, frames: [24, 25, 26, 27, 28, 29, 30, 31], frameBlobs: [0, 1, 2, 3, 4, 5, 6, 7], grid, spaceTimeBlob: 8, spaceOnlyBlob: 9, model: 'tiny' };
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
  const blobs = [...Array.from({ length: 8 }, () => ({ mime: 'image/png', bytes: png })), { mime: 'application/x-float32', bytes: new Uint8Array(st.buffer) }, { mime: 'application/x-float32', bytes: new Uint8Array(so.buffer) }];
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
  assert.deepEqual(h.posted.find((m) => (m as { type: string }).type === 'chooseClip'), { type: 'chooseClip', video: EVIL, clip: 7 });
  assertInert(el);
  assert.deepEqual(jet(0), [0, 0, 128]);
  assert.deepEqual(jet(1), [128, 0, 0]);
  assert.deepEqual(jet(0.5), [128, 255, 128]);
  assert.deepEqual([...frameMap(st, grid, 8, 2)], Array.from({ length: 9 }, (_, p) => st[p * 8 + 2]));
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
    baselines: [{ name: 'random', scores: s(0.09, 0.18, 0.4), note: '100 runs' }, { name: 'human (leave-one-out, mean)', scores: s(0.2, 0.31, 0.45) }],
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
  assert.deepEqual(names(), [EVIL, 'Cooking', 'Jumps'].sort((a, b) => a.localeCompare(b)));
  const chart = el.querySelector('.chart') as HTMLElement & { data?: Array<{ name: string; type: string; x: string[] }> };
  assert.deepEqual(chart.data!.map((t) => t.type), ['bar', 'bar', 'scatter', 'scatter']);
  assert.deepEqual(chart.data![0].x, ['Jumps', EVIL, 'Cooking', 'mean']);
  assert.match(chart.data![2].name, /^random \(avg 18\.00\)$/);
  assertInert(el);
  h.api.disposeOutputItem?.('e1');
  assert.equal(chart.data, undefined, 'chart purged');
});

test('progress: message and a determinate bar', async () => {
  const { activate } = progress;
  const el = newOutputElement();
  const p: ProgressPayload = { kind: 'progress', stage: 'embed', message: 'clip 5/21', fraction: 0.25, elapsedMs: 1500 };
  await context(activate).api.renderOutputItem(item('g1', MIME.progress, enc(p)), el);
  assert.equal(el.querySelector('.msg')!.textContent, 'embed: clip 5/21 — 25% (1.5 s)');
  assert.equal(el.querySelector('vscode-progress-bar')!.getAttribute('value'), '25');
  await tick();
});
