// vsum notebooks in a real VS Code: run every stage on the bundled sample with the histogram embedder, check each
// output's mime and content, save and reopen with outputs intact, stale cells, restart, missing inputs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { MIME } from '../../src/common/mime';
import type {
  AttentionMeta,
  EvaluationPayload,
  FrameStripMeta,
  ScorePlotPayload,
  SummaryPlayerMeta,
} from '../../src/common/payloads';
import { waitFor, workspaceDir } from './host';
import {
  closeAllEditors,
  envelope,
  errorText,
  items,
  json,
  openNotebook,
  runCells,
  vsumApi,
  writeNotebook,
} from './notebook-helpers';

suite('vsum notebook: run all, outputs, save and reopen', () => {
  let doc: vscode.NotebookDocument;
  const cells = [
    '# Sample run',
    'load: mmcv-test.mp4',
    'embed: {model: histogram}',
    'summarize: {method: tt02, seed: 1, ratio: 0.3, out: out-run}',
    'attention: {clip: 3, model: models/tiny-timesformer.onnx}',
    'load: {dir: summe/videos, gt: summe/GT}',
    'embed: {model: histogram}',
    'summarize: {method: [kmeans, tt01], seed: 1, export: out-run/evs}',
    'evaluate: {baselines: [random, human], runs: 5}',
  ];

  suiteSetup(async function () {
    this.timeout(300_000);
    await vsumApi();
    doc = await openNotebook(writeNotebook('run-all.vsumnb', cells));
  });

  suiteTeardown(closeAllEditors);

  test('activation did not load onnxruntime-node', () => {
    const loaded = Object.keys(require.cache).filter((k) => /onnxruntime-node/.test(k));
    assert.deepEqual(loaded, [], 'onnxruntime-node is loaded only when a model runs');
  });

  test('the vsum kernel is selected for .vsumnb and Run All runs every cell in order', async function () {
    this.timeout(300_000);
    await runCells(doc, 0, doc.cellCount, 280_000);
    const code = doc.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    const failed = code.filter((c) => !c.executionSummary?.success).map((c) => `cell ${c.index + 1}: ${errorText(c)}`);
    assert.deepEqual(failed, []);
    const orders = code.map((c) => c.executionSummary?.executionOrder ?? 0);
    assert.deepEqual(
      orders,
      [...orders].sort((a, b) => a - b),
      'execution order follows the notebook',
    );
    assert.ok(new Set(orders).size === orders.length, 'every cell has its own execution order');
    for (const c of code) {
      const t = c.executionSummary?.timing;
      assert.ok(t && t.endTime >= t.startTime, `cell ${c.index + 1} has a duration`);
    }
  });

  test('load: a markdown table and a frame strip of 12 JPEG thumbnails', () => {
    const cell = doc.cellAt(1);
    assert.match(new TextDecoder().decode(items(cell, 'text/markdown')[0]), /\| mmcv-test\.mp4 \| 168 \| 25\.00 \|/);
    const strip = { meta: json<FrameStripMeta>(items(cell, MIME.frameStripRef)[0]) };
    assert.equal(strip.meta.thumbs.length, 12);
    const pack = fs.readFileSync(path.join(workspaceDir(), strip.meta.pack!.file.path));
    assert.equal(
      strip.meta.pack!.ranges.filter(([at]) => pack[at] === 0xff && pack[at + 1] === 0xd8).length,
      12,
      '12 JPEGs in the pack file',
    );
  });

  test('embed: an SSD plot over the 21 clips', () => {
    const plot = json<ScorePlotPayload>(items(doc.cellAt(2), MIME.scorePlot)[0]);
    assert.equal(plot.nClips, 21);
    assert.equal(plot.series[0].y.length, 21);
  });

  test('summarize: strip, player referring to the summary file, score plot, each with a fallback', () => {
    const cell = doc.cellAt(3);
    const mimes = cell.outputs.map((o) => o.items.map((i) => i.mime));
    assert.deepEqual(mimes, [
      [MIME.frameStripRef, 'text/markdown'],
      [MIME.summaryPlayerRef, 'text/markdown'],
      [MIME.scorePlot, 'text/markdown'],
    ]);
    const bytes = items(cell, MIME.summaryPlayerRef)[0];
    assert.ok(bytes.byteLength < 16 * 1024, `the player output is small (${bytes.byteLength} bytes)`);
    const player = { meta: json<SummaryPlayerMeta>(bytes) };
    const mp4 = fs.readFileSync(path.join(workspaceDir(), player.meta.summaryFile!.path));
    assert.equal(new TextDecoder().decode(mp4.subarray(4, 8)), 'ftyp');
    assert.equal(player.meta.inputDuration, 168 / 25);
    assert.equal(player.meta.outputDuration, player.meta.selectedFrames / 25);
    assert.deepEqual([player.meta.width, player.meta.height, player.meta.fps], [294, 240, 25]);
    const file = path.join(workspaceDir(), 'out-run', 'mmcv-test.tt02.summary.mp4');
    assert.equal(fs.statSync(file).size, mp4.byteLength, 'the player refers to the file written to disk');
    const plot = json<ScorePlotPayload>(items(cell, MIME.scorePlot)[0]);
    assert.equal(plot.method, 'tt02');
    assert.ok(plot.threshold !== undefined);
    const strip = { meta: json<FrameStripMeta>(items(cell, MIME.frameStripRef)[0]) };
    assert.equal(strip.meta.thumbs.length, 21, 'one thumbnail per clip');
    assert.ok(strip.meta.thumbs.some((t) => t.selected) && strip.meta.thumbs.some((t) => !t.selected));
  });

  test('attention: 8 frames and both rollouts from the tiny TimeSformer, PNG fallback', () => {
    const cell = doc.cellAt(4);
    assert.deepEqual(
      cell.outputs[0].items.map((i) => i.mime),
      [MIME.attention, 'image/png'],
    );
    const a = envelope<AttentionMeta>(items(cell, MIME.attention)[0]);
    assert.equal(a.meta.frameBlobs.length, 8);
    assert.ok(a.meta.spaceOnlyBlob >= 0);
    assert.equal(a.blobs[a.meta.spaceTimeBlob].bytes.byteLength, a.meta.grid * a.meta.grid * 8 * 4);
  });

  test('dataset + evaluate: a table row per SumMe video, three baselines, JSON written with the length fix', () => {
    const t = json<EvaluationPayload>(items(doc.cellAt(8), MIME.evaluationTable)[0]);
    assert.deepEqual(t.methods, ['kmeans', 'tt01']);
    assert.deepEqual(
      t.videos.map((v) => v.name),
      ['Jumps', 'St Maarten Landing'],
    );
    assert.equal(t.baselines.length, 3);
    const sub = JSON.parse(fs.readFileSync(path.join(workspaceDir(), 'out-run', 'evs', 'tt01.json'), 'utf8'));
    assert.equal(sub['St Maarten Landing'].summary.length, 169);
  });

  test('save and reopen: outputs come back intact, no absolute workspace path in the file', async () => {
    assert.ok(await doc.save());
    const text = fs.readFileSync(doc.uri.fsPath, 'utf8');
    assert.ok(!text.includes(workspaceDir()), 'paths in the file are relative to the notebook');
    const copy = path.join(workspaceDir(), 'run-all-reopened.vsumnb');
    fs.writeFileSync(copy, text);
    const again = await vscode.workspace.openNotebookDocument(vscode.Uri.file(copy));
    assert.equal(again.cellCount, doc.cellCount);
    for (let i = 0; i < doc.cellCount; i++) {
      const a = doc.cellAt(i);
      const b = again.cellAt(i);
      assert.equal(b.document.getText(), a.document.getText());
      assert.deepEqual(
        b.outputs.map((o) => o.items.map((x) => [x.mime, x.data.byteLength])),
        a.outputs.map((o) => o.items.map((x) => [x.mime, x.data.byteLength])),
        `cell ${i + 1} outputs`,
      );
      assert.equal(b.executionSummary?.executionOrder, a.executionSummary?.executionOrder);
    }
    const player = json<SummaryPlayerMeta>(items(again.cellAt(3), MIME.summaryPlayerRef)[0]);
    assert.equal(player.summaryName, 'out-run/mmcv-test.tt02.summary.mp4');
    assert.equal(player.summaryFile!.path, 'out-run/mmcv-test.tt02.summary.mp4', 'a path relative to the notebook');
  });

  test('re-running load marks the cells that used its video stale; restart clears the session', async function () {
    this.timeout(120_000);
    const api = await vsumApi();
    await runCells(doc, 1);
    assert.equal(api.kernel.isStale(doc.cellAt(2)), true, 'embed read the old video');
    assert.equal(api.kernel.isStale(doc.cellAt(1)), false);
    // The modal's answer, through the kernel's seam (test/integration/session.test.ts covers the restart itself).
    const ui = api.kernel.restartUi;
    api.kernel.restartUi = { confirm: async () => true, announce: () => undefined };
    try {
      assert.equal(await vscode.commands.executeCommand('vsum.restartSession', doc.uri), true);
    } finally {
      api.kernel.restartUi = ui;
    }
    assert.equal(api.kernel.isStale(doc.cellAt(2)), false);
    await runCells(doc, 3);
    assert.equal(doc.cellAt(3).executionSummary?.success, false);
    assert.equal(
      errorText(doc.cellAt(3)),
      'The `summarize` stage needs clip embeddings: run the cell `embed: {model: histogram}` first.',
      'the restart cleared the counter of the embed cell, so it is named by its first line',
    );
  });
});

suite('vsum notebook: errors are messages, not stack traces', () => {
  suiteTeardown(closeAllEditors);

  test('an invalid cell and a missing file say what is wrong', async function () {
    this.timeout(60_000);
    await vsumApi();
    const doc = await openNotebook(
      writeNotebook('errors.vsumnb', ['summarize: {method: tt03}', 'load: no-such-video.mp4']),
    );
    await runCells(doc, 0);
    assert.match(
      errorText(doc.cellAt(0)),
      /^This cell is not a valid stage:\nline 1: summarize: method: string "tt03" is not one of/,
    );
    await runCells(doc, 1);
    const msg = errorText(doc.cellAt(1));
    assert.match(msg, /no-such-video\.mp4/);
    assert.doesNotMatch(msg, /\n\s+at /, 'no stack trace');
  });
});

suite('vsum notebook: choose a clip for the attention view', () => {
  suiteTeardown(closeAllEditors);

  test('"clip N" rewrites the attention cell with that clip and runs it', async function () {
    this.timeout(120_000);
    await vsumApi();
    const doc = await openNotebook(
      writeNotebook('choose-clip.vsumnb', [
        'load: mmcv-test.mp4',
        'attention: {clip: 1, model: models/tiny-timesformer.onnx}',
      ]),
    );
    await runCells(doc, 0, 2);
    assert.equal(doc.cellAt(1).executionSummary?.success, true, errorText(doc.cellAt(1)));
    const t0 = Date.now();
    await vscode.commands.executeCommand('vsum.chooseClip', doc.uri, 5);
    const cell = doc.cellAt(1);
    assert.equal(cell.document.getText(), 'attention: {clip: 5, model: "models/tiny-timesformer.onnx"}');
    await waitFor(
      'the attention cell to re-run',
      () => (cell.executionSummary?.timing?.endTime ?? 0) >= t0 && cell.executionSummary?.success !== undefined,
      60_000,
    );
    const a = envelope<AttentionMeta>(items(cell, MIME.attention)[0]);
    assert.equal(a.meta.clip, 5);
    assert.deepEqual(a.meta.frames, [40, 41, 42, 43, 44, 45, 46, 47]);
  });
});
