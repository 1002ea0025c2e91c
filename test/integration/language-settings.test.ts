// Stage cells in a real VS Code: diagnostics, completion and hover from the stage schema; the vsum.* settings.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './host';
import { closeAllEditors, errorText, openNotebook, runCells, vsumApi, writeNotebook } from './notebook-helpers';

suite('vsum stage cells: language features', () => {
  let doc: vscode.NotebookDocument;
  suiteSetup(async () => {
    await vsumApi();
    doc = await openNotebook(
      writeNotebook('language.vsumnb', [
        'summarize: {method: tt03, treshold: 4}',
        'summarize: {method: ',
        'embed: {model: histogram}',
      ]),
    );
  });
  suiteTeardown(closeAllEditors);

  test('red squiggles for an unknown option and a bad value', async () => {
    const uri = doc.cellAt(0).document.uri;
    const diags = await waitFor('diagnostics of cell 1', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length >= 2 ? d : undefined;
    });
    const messages = diags.map((d) => d.message).sort();
    assert.match(messages[0], /method: string "tt03" is not one of "kmeans", "tt01", "tt02", "kts"/);
    assert.match(messages[1], /unknown option "treshold" \(did you mean "threshold"\?\)/);
    assert.ok(diags.every((d) => d.severity === vscode.DiagnosticSeverity.Error && d.source === 'vsum'));
    const onKey = diags.find((d) => d.message.includes('treshold'))!;
    assert.equal(doc.cellAt(0).document.getText(onKey.range), 'treshold');
    assert.deepEqual(vscode.languages.getDiagnostics(doc.cellAt(2).document.uri), []);
  });

  test('completion offers the method values; hover documents the stage', async () => {
    const cell = doc.cellAt(1).document;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      cell.uri,
      new vscode.Position(0, 20),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const m of ['kmeans', 'tt01', 'tt02', 'kts']) assert.ok(labels.includes(m), `completion offers ${m}`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      cell.uri,
      new vscode.Position(0, 3),
    );
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)))
      .join('\n');
    assert.match(text, /\*\*summarize\*\*/);
  });
});

suite('vsum settings', () => {
  suiteTeardown(async () => {
    const c = vscode.workspace.getConfiguration('vsum');
    await c.update('ffmpegPath', undefined, vscode.ConfigurationTarget.Workspace);
    await c.update('model', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
  });

  test('are contributed with their defaults', () => {
    const c = vscode.workspace.getConfiguration('vsum');
    assert.equal(c.inspect('model')?.defaultValue, 'k600');
    assert.equal(c.inspect('executionProvider')?.defaultValue, 'auto');
    for (const k of ['ffmpegPath', 'cacheDirectory', 'outputDirectory'])
      assert.equal(c.inspect(k)?.defaultValue, '', k);
  });

  test('vsum.model decides the embedder of an `embed:` cell; a bad vsum.ffmpegPath is a clear error', async function () {
    this.timeout(120_000);
    const c = vscode.workspace.getConfiguration('vsum');
    await c.update('model', 'histogram', vscode.ConfigurationTarget.Workspace);
    const doc = await openNotebook(writeNotebook('settings.vsumnb', ['load: mmcv-test.mp4', 'embed:']));
    await runCells(doc, 0, 2);
    assert.ok(doc.cellAt(1).executionSummary?.success, errorText(doc.cellAt(1)));
    const md = new TextDecoder().decode(doc.cellAt(1).outputs[0].items[0].data);
    assert.match(md, /with `histogram-/);
    await c.update('ffmpegPath', '/nonexistent/ffmpeg', vscode.ConfigurationTarget.Workspace);
    await runCells(doc, 0);
    assert.match(
      errorText(doc.cellAt(0)),
      /ffmpeg not found at \/nonexistent\/ffmpeg \(from the vsum\.ffmpegPath setting/,
    );
  });

  test('vsum: Select Execution Provider writes the setting', async () => {
    const chosen = await vscode.commands.executeCommand('vsum.selectExecutionProvider', 'cpu');
    assert.equal(chosen, 'cpu');
    assert.equal(vscode.workspace.getConfiguration('vsum').get('executionProvider'), 'cpu');
    await vscode.workspace
      .getConfiguration('vsum')
      .update('executionProvider', undefined, vscode.ConfigurationTarget.Global);
  });
});
