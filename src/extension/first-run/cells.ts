/** Finding a notebook cell by its document URI (command links carry it as a string) and rewriting its text. */
import * as vscode from 'vscode';

export function findCell(uri: string | vscode.Uri): vscode.NotebookCell | undefined {
  const key = uri.toString();
  for (const nb of vscode.workspace.notebookDocuments)
    for (const c of nb.getCells()) if (c.document.uri.toString() === key) return c;
  return undefined;
}

/** The cell's document for a text document of a cell (CodeLens and code actions get the document). */
export function cellOfDocument(doc: vscode.TextDocument): vscode.NotebookCell | undefined {
  return findCell(doc.uri);
}

/** Replace the whole text of a cell through a WorkspaceEdit (undoable, marks the notebook dirty). */
export async function replaceCellText(cell: vscode.NotebookCell, text: string): Promise<boolean> {
  const doc = cell.document;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  return vscode.workspace.applyEdit(edit);
}
