import './_setup-dom';
import * as plots from '../../../webview/plots';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MIME, RENDERER_ID } from '../../../src/common/mime';
import type { EvaluationPayload, ScorePlotPayload } from '../../../src/common/payloads';
import { context, item, newOutputElement } from './_dom';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const score: ScorePlotPayload = {
  kind: 'score-plot',
  title: 'tt02 scores',
  method: 'tt02',
  nClips: 3,
  clipLength: 8,
  fps: 25,
  series: [{ name: 'SSD to previous clip', y: [0, 5, 1], mode: 'lines+markers' }],
  threshold: 2,
  boundaries: [1],
  boundaryLabel: 'segment start',
  selection: [0.2, 0, 0.2],
};
const s = (min: number, avg: number, max: number) => ({ min, avg, max });
const table: EvaluationPayload = {
  kind: 'evaluation-table',
  title: 'Evaluation of kmeans',
  dataset: 'SumMe',
  methods: ['kmeans'],
  videos: [{ name: 'Jumps', scores: { kmeans: s(0.1, 0.3, 0.5) } }],
  mean: { kmeans: s(0.1, 0.3, 0.5) },
  baselines: [],
  notes: [],
};

test('package.json points the score-plot and evaluation-table renderers at one bundle (plotly once)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const byId = new Map<string, { entrypoint: string; mimeTypes: string[] }>(
    pkg.contributes.notebookRenderer.map((r: { id: string }) => [r.id, r]),
  );
  const plot = byId.get(RENDERER_ID.scorePlot)!;
  const evaluation = byId.get(RENDERER_ID.evaluationTable)!;
  assert.equal(plot.entrypoint, './dist/renderers/plots.js');
  assert.equal(evaluation.entrypoint, plot.entrypoint);
  assert.deepEqual(plot.mimeTypes, [MIME.scorePlot]);
  assert.deepEqual(evaluation.mimeTypes, [MIME.evaluationTable]);
});

test('the plots entry renders each mime type with its own renderer and disposes both', async () => {
  const h = context(plots.activate);
  const plotEl = newOutputElement();
  await h.api.renderOutputItem(item('p', MIME.scorePlot, enc(score)), plotEl);
  const gd = plotEl.querySelector('.plot') as HTMLElement & { data?: Array<{ name: string }> };
  assert.equal(plotEl.querySelector('[data-kind]')!.getAttribute('data-kind'), 'score-plot');
  assert.equal(gd.data![0].name, 'SSD to previous clip');
  const tableEl = newOutputElement();
  await h.api.renderOutputItem(item('t', MIME.evaluationTable, enc(table)), tableEl);
  assert.deepEqual(
    [...tableEl.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-video')),
    ['Jumps'],
  );
  h.api.disposeOutputItem?.('p');
  assert.equal(gd.data, undefined, 'the score plot was purged');
});
