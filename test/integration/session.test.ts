// Restart and state (issue 16 item 8) in a real VS Code: Restart Session asks first and does nothing when the
// answer is no; a restart stops the engine process, clears the session, the run counters and the stale marks and
// says so; errors name cells by the execution order they show; the "vsum Session" view lists what the session
// holds after Run All, opens its items and follows restarts. The modal's answer comes through the kernel's
// `restartUi` seam (the same restart runs; users get the modal).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RestartUi } from '../../src/extension/kernel/controller';
import type { VsumApi } from '../../src/extension/extension';
import type { SessionNode } from '../../src/notebook/session-tree';
import { waitFor } from './host';
import { closeAllEditors, errorText, openNotebook, runCells, vsumApi, writeNotebook } from './notebook-helpers';

/** Answers the restart question with `answer` and records what was asked and said. */
function answering(api: VsumApi, answer: boolean) {
  const seen = { asked: [] as string[], said: [] as string[] };
  const ui: RestartUi = {
    confirm: async (nb) => (seen.asked.push(nb.uri.toString()), answer),
    announce: (m) => void seen.said.push(m),
  };
  api.kernel.restartUi = ui;
  return seen;
}

const orders = (doc: vscode.NotebookDocument) =>
  doc
    .getCells()
    .filter((c) => c.kind === vscode.NotebookCellKind.Code)
    .map((c) => c.executionSummary?.executionOrder);

const labels = (nodes: SessionNode[]) => nodes.map((n) => n.label);

suite('vsum session: restart, counters, cell names, the session view', () => {
  let api: VsumApi;
  let doc: vscode.NotebookDocument;
  let realUi: RestartUi;
  const cells = [
    '# Restart and state',
    'load: mmcv-test.mp4',
    'embed: {model: histogram}',
    'summarize: {method: [kmeans, tt02], seed: 1, ratio: 0.3, out: out-session}',
  ];

  suiteSetup(async function () {
    this.timeout(120_000);
    api = await vsumApi();
    realUi = api.kernel.restartUi;
    doc = await openNotebook(writeNotebook('session.vsumnb', cells));
  });

  teardown(() => {
    api.kernel.restartUi = realUi;
  });

  suiteTeardown(closeAllEditors);

  test('after Run All the session view lists the videos, embeddings and summaries with sizes', async function () {
    this.timeout(180_000);
    const view = api.sessionView;
    let refreshed = 0;
    const sub = view.onDidChangeTreeData(() => refreshed++);
    await runCells(doc, 0, doc.cellCount, 170_000);
    sub.dispose();
    assert.deepEqual(orders(doc), [1, 2, 3]);
    assert.ok(refreshed >= 3, `the view refreshed as each cell ran (${refreshed} times)`);
    const roots = view.getChildren();
    assert.deepEqual(labels(roots), ['Videos', 'Embeddings', 'Summaries']);
    const [videos, embeddings, summaries] = roots;
    assert.match(videos.children![0].description!, /^168 frames · .* · 294×240 · \d+ KB$/);
    assert.match(embeddings.children![0].description!, /^21 clips × \d+ · \d+(\.\d)? KB$/);
    assert.equal(summaries.description, '2 summaries · kmeans, tt02');
    assert.deepEqual(labels(summaries.children!), ['mmcv-test · kmeans', 'mmcv-test · tt02']);
    const item = view.getTreeItem(summaries.children![1]);
    assert.equal(item.command?.command, 'vsum.session.open');
    assert.match((item.resourceUri as vscode.Uri).fsPath, /out-session[/\\]mmcv-test\.tt02\.summary\.mp4$/);

    // A group reveals the cell that produced it.
    await vscode.commands.executeCommand('vsum.session.open', embeddings.open);
    const editor = await waitFor('the embed cell selected', () => {
      const e = vscode.window.activeNotebookEditor;
      return e?.notebook === doc && e.selection.start === 2 ? e : undefined;
    });
    assert.equal(editor.selection.end, 3);
  });

  test('errors name the cell by the execution order it shows, not its position', async function () {
    this.timeout(120_000);
    await runCells(doc, 1); // load again, [4]: the embeddings of the old video are dropped
    await runCells(doc, 3); // [5]
    assert.equal(doc.cellAt(3).executionSummary?.success, false);
    assert.equal(
      errorText(doc.cellAt(3)),
      'The `summarize` stage needs clip embeddings: run cell [2] (`embed`) first.',
      'the embed cell (the 3rd cell) shows [2]',
    );
    assert.equal(api.kernel.isStale(doc.cellAt(2)), true, 'embed read the old video');
  });

  test('Restart Session asks first; "no" leaves everything as it was', async () => {
    const seen = answering(api, false);
    const before = orders(doc);
    assert.equal(await vscode.commands.executeCommand('vsum.restartSession', doc.uri), false);
    assert.deepEqual(seen.asked, [doc.uri.toString()]);
    assert.deepEqual(seen.said, []);
    assert.deepEqual(orders(doc), before);
    assert.equal(api.kernel.isStale(doc.cellAt(2)), true);
    assert.ok(api.kernel.sessionOf(doc)?.has('video'));
  });

  test('a confirmed restart stops the engine, clears the session, counters and stale marks, and says so', async function () {
    this.timeout(120_000);
    const pid = api.enginePid();
    assert.ok(pid, 'the engine process ran the cells');
    const seen = answering(api, true);
    let refreshed = 0;
    const sub = api.sessionView.onDidChangeTreeData(() => refreshed++);
    assert.equal(await vscode.commands.executeCommand('vsum.restartSession', doc.uri), true);
    sub.dispose();
    assert.deepEqual(seen.said, ['vsum: Session restarted']);
    assert.equal(api.kernel.isStale(doc.cellAt(2)), false, 'no stale marks');
    assert.equal(api.kernel.sessionOf(doc), undefined, 'nothing held');
    await waitFor('run counters cleared', () => orders(doc).every((o) => o === undefined));
    assert.ok(
      doc.getCells().every((c) => c.executionSummary?.success === undefined),
      'no success / failure marks left',
    );
    assert.ok(refreshed >= 1, 'the session view refreshed');
    assert.deepEqual(api.sessionView.getChildren(), [], 'the session view is empty');
    await waitFor('the engine process to end', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });

    // The next run starts at [1] in a fresh engine, and an error names a cell that shows no order by its first line.
    await runCells(doc, 3);
    assert.equal(doc.cellAt(3).executionSummary?.executionOrder, 1);
    assert.equal(
      errorText(doc.cellAt(3)),
      'The `summarize` stage needs clip embeddings: run the cell `embed: {model: histogram}` first.',
    );
    await runCells(doc, 1, 3);
    assert.deepEqual(orders(doc), [2, 3, 1]);
    assert.notEqual(api.enginePid(), pid, 'a fresh engine process');
    assert.deepEqual(labels(api.sessionView.getChildren()), ['Videos', 'Embeddings']);
  });
});
