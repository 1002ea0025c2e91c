/**
 * Renderer ↔ kernel messages: a click on a frame seeks the notebook's summary players; "choose clip" puts the
 * clip into the notebook's attention cell and runs it; "media" answers with a file an output refers to.
 */
import * as vscode from 'vscode';
import { isRendererMessage, type KernelMessage } from '../common/messages';
import { RENDERER_ID, STAGE_LANGUAGE } from '../common/mime';
import { parseStageCell } from '../notebook/parse';
import { answerMedia } from './media';
import { exportFromPlayer } from './export-summary';

export function registerRendererMessaging(log: vscode.LogOutputChannel): vscode.Disposable {
  const player = vscode.notebooks.createRendererMessaging(RENDERER_ID.summaryPlayer);
  const attention = vscode.notebooks.createRendererMessaging(RENDERER_ID.attention);
  const sources = [RENDERER_ID.frameStrip, RENDERER_ID.scorePlot, RENDERER_ID.summaryPlayer, RENDERER_ID.attention].map(
    (id) =>
      id === RENDERER_ID.summaryPlayer
        ? player
        : id === RENDERER_ID.attention
          ? attention
          : vscode.notebooks.createRendererMessaging(id),
  );
  const subs = sources.map((m) =>
    m.onDidReceiveMessage(async ({ editor, message }) => {
      if (!isRendererMessage(message)) return;
      if (message.type === 'seek') {
        const out: KernelMessage = { type: 'seek', video: message.video, time: message.time, frame: message.frame };
        await player.postMessage(out, editor);
      } else if (message.type === 'media') {
        await m.postMessage(await answerMedia(editor.notebook, message), editor);
      } else if (message.type === 'export') {
        const out = await exportFromPlayer(editor.notebook, message, log);
        if (out) await player.postMessage(out, editor);
      } else if (message.type === 'chooseClip') {
        await chooseClip(editor, message.clip, log);
        const out: KernelMessage = { type: 'clipChosen', clip: message.clip };
        await attention.postMessage(out, editor);
      }
    }),
  );
  return vscode.Disposable.from(...subs);
}

/** Set `clip` in the notebook's attention cell (adding one at the end if there is none) and run it. */
export async function chooseClip(
  editor: vscode.NotebookEditor | vscode.NotebookDocument,
  clip: number,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const nb = 'notebook' in editor ? editor.notebook : editor;
  const cell = nb
    .getCells()
    .find(
      (c) =>
        c.kind === vscode.NotebookCellKind.Code && parseStageCell(c.document.getText()).stage?.name === 'attention',
    );
  const edit = new vscode.WorkspaceEdit();
  let index: number;
  if (cell) {
    const opts = { ...(parseStageCell(cell.document.getText()).stage?.options ?? {}), clip };
    const text = `attention: {${Object.entries(opts)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join(', ')}}`;
    edit.replace(cell.document.uri, new vscode.Range(0, 0, cell.document.lineCount, 0), text);
    index = cell.index;
  } else {
    index = nb.cellCount;
    edit.set(nb.uri, [
      vscode.NotebookEdit.insertCells(index, [
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, `attention: {clip: ${clip}}`, STAGE_LANGUAGE),
      ]),
    ]);
  }
  await vscode.workspace.applyEdit(edit);
  log.info(`attention: clip ${clip} chosen from a renderer; running cell ${index + 1}`);
  await vscode.commands.executeCommand('notebook.cell.execute', {
    ranges: [{ start: index, end: index + 1 }],
    document: nb.uri,
  });
}
