// The "Summarize Video" command (explorer / editor title) in a real VS Code: writes the summary beside the video
// and opens a notebook whose stages have already run.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { MIME } from '../../src/common/mime';
import type { SummarizeVideoResult } from '../../src/extension/commands/summarize-video';
import { waitFor, workspaceDir } from './host';
import { closeAllEditors, vsumApi } from './notebook-helpers';

interface Contributes {
  menus: Record<string, Array<{ command: string; when?: string }>>;
}

suite('vsum: Summarize Video command', () => {
  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('vsum')
      .update('outputDirectory', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
  });

  test('is offered on video files in the explorer and the editor title', async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'vsum')!;
    const menus = (ext.packageJSON.contributes as Contributes).menus;
    for (const where of ['explorer/context', 'editor/title']) {
      const entry = menus[where].find((m) => m.command === 'vsum.summarizeVideo');
      assert.ok(entry, where);
      for (const ext of ['mp4', 'mov', 'mkv', 'webm', 'avi'])
        assert.ok(entry.when!.includes(ext), `${where} offers .${ext}`);
    }
  });

  test('summarizes the sample beside it and opens a notebook with player, strip and plot', async function () {
    this.timeout(180_000);
    await vsumApi();
    const video = vscode.Uri.file(path.join(workspaceDir(), 'mmcv-test.mp4'));
    const r = (await vscode.commands.executeCommand('vsum.summarizeVideo', video, {
      method: 'kmeans',
      ratio: 0.3,
      model: 'histogram',
    })) as SummarizeVideoResult;
    assert.ok(r, 'the command returned a result');
    assert.equal(r.summaryVideo, path.join(workspaceDir(), 'mmcv-test.kmeans.summary.mp4'));
    assert.ok(fs.statSync(r.summaryVideo!).size > 1000);
    assert.ok(fs.existsSync(path.join(workspaceDir(), 'mmcv-test.kmeans.frames.txt')));
    assert.ok(r.frames.length > 0 && r.frames.length % 8 === 0, 'k-means keeps whole clips');
    const editor = await waitFor('the summary notebook to be shown', () =>
      vscode.window.activeNotebookEditor?.notebook.uri.fsPath === r.notebook.fsPath
        ? vscode.window.activeNotebookEditor
        : undefined,
    );
    const nb = editor.notebook;
    const sumCell = nb.getCells().find((c) => c.document.getText().startsWith('summarize:'))!;
    assert.equal(sumCell.document.getText(), 'summarize: {method: kmeans, ratio: 0.3, seed: 1234}');
    assert.deepEqual(
      sumCell.outputs.map((o) => o.items[0].mime),
      [MIME.frameStripRef, MIME.summaryPlayerRef, MIME.scorePlot],
    );
    assert.ok(sumCell.executionSummary?.success, 'the stages are shown as already run');
    assert.equal(nb.cellAt(1).document.getText(), 'load: mmcv-test.mp4', 'the video path is relative to the notebook');
    // The kernel adopted the command's session: the next cell can run without re-running the stages.
    const api = await vsumApi();
    assert.ok(api.kernel.state(nb).session.has('selection'));
  });

  test('vsum.outputDirectory sends the summary and the notebook elsewhere', async function () {
    this.timeout(180_000);
    await vscode.workspace
      .getConfiguration('vsum')
      .update('outputDirectory', 'summaries-elsewhere', vscode.ConfigurationTarget.Workspace);
    const video = vscode.Uri.file(path.join(workspaceDir(), 'mmcv-test.mp4'));
    const r = (await vscode.commands.executeCommand('vsum.summarizeVideo', video, {
      method: 'tt02',
      threshold: 0.2,
      model: 'histogram',
      open: false,
    })) as SummarizeVideoResult;
    const dir = path.join(workspaceDir(), 'summaries-elsewhere');
    assert.equal(r.summaryVideo, path.join(dir, 'mmcv-test.tt02.summary.mp4'));
    assert.equal(path.dirname(r.notebook.fsPath), dir);
    const text = fs.readFileSync(r.notebook.fsPath, 'utf8');
    assert.ok(
      text.includes('"load: ../mmcv-test.mp4"'),
      'the load cell points back at the video, relative to the notebook',
    );
  });
});
