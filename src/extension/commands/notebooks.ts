/** "vsum: New Notebook" and "vsum: Open SumMe Evaluation Notebook". */
import fs from 'node:fs';
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../../common/mime';
import { parseNotebook } from '../../notebook/format';
import { toNotebookData } from '../notebook/serializer';
import { newNotebookCells } from '../../notebook/templates';

export async function newNotebookCommand(): Promise<vscode.NotebookDocument> {
  const data = toNotebookData({ metadata: {}, cells: newNotebookCells() });
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  await vscode.window.showNotebookDocument(doc);
  return doc;
}

/** Opens a shipped notebook (notebooks/<name>) as a new untitled notebook, so the installed copy is never edited. */
export async function openShippedNotebook(
  context: vscode.ExtensionContext,
  name: string,
): Promise<vscode.NotebookDocument> {
  const file = vscode.Uri.joinPath(context.extensionUri, 'notebooks', name).fsPath;
  const data = toNotebookData(parseNotebook(new Uint8Array(fs.readFileSync(file))));
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  await vscode.window.showNotebookDocument(doc);
  return doc;
}
