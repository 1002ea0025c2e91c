/** "vsum: New Notebook" and the shipped notebooks (SumMe evaluation, attention, eccv16). */
import fs from 'node:fs';
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../../common/mime';
import { VIDEO_EXTENSIONS } from '../../core/video/types';
import { parseNotebook } from '../../notebook/format';
import { toNotebookData } from '../notebook/serializer';
import { newNotebookCells } from '../../notebook/templates';
import { cellPathFor } from '../first-run/data-paths';
import { offerMissingData } from '../first-run/data-lenses';
import { ui } from '../first-run/ui';

/** Where an untitled notebook's relative paths resolve (the kernel's notebookDir for a notebook not saved yet). */
function untitledDir(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/**
 * A new notebook whose load cell holds the video the command was invoked on (the Explorer's context menu), else
 * the one picked in the open dialog; cancelling the dialog still creates it, with a placeholder load cell.
 */
export async function newNotebookCommand(uri?: vscode.Uri): Promise<vscode.NotebookDocument> {
  let video = uri instanceof vscode.Uri && uri.scheme === 'file' ? uri : undefined;
  if (!video) {
    const dir = untitledDir();
    video = await ui().pickFile({
      title: 'vsum: choose the video for the new notebook (Cancel: choose it later)',
      openLabel: 'Use this video',
      filters: { Videos: VIDEO_EXTENSIONS.map((e) => e.slice(1)) },
      defaultUri: dir ? vscode.Uri.file(dir) : undefined,
    });
  }
  const dir = untitledDir();
  const videoPath = video ? (dir ? cellPathFor(dir, video.fsPath) : video.fsPath) : undefined;
  const data = toNotebookData({ metadata: {}, cells: newNotebookCells(videoPath) });
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  await vscode.window.showNotebookDocument(doc);
  return doc;
}

/**
 * Opens a shipped notebook (notebooks/<name>) as a new untitled notebook, so the installed copy is never edited,
 * and offers to pick the data it needs when that is not where its cells look.
 */
export async function openShippedNotebook(
  context: vscode.ExtensionContext,
  name: string,
): Promise<vscode.NotebookDocument> {
  const file = vscode.Uri.joinPath(context.extensionUri, 'notebooks', name).fsPath;
  const data = toNotebookData(parseNotebook(new Uint8Array(fs.readFileSync(file))));
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  await vscode.window.showNotebookDocument(doc);
  void offerMissingData(doc);
  return doc;
}
