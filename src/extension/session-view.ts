/**
 * The "vsum Session" view (Explorer): what the session of the active vsum notebook holds — videos, embeddings,
 * summaries with their files, evaluation, attention — from src/notebook/session-tree.ts. A node opens its file or
 * reveals the cell that produced it. It follows the active notebook editor and refreshes whenever the kernel says
 * a session changed (a cell ran, a restart).
 */
import fs from 'node:fs';
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../common/mime';
import { sessionTree, type SessionNode, type SessionOpen } from '../notebook/session-tree';
import { cellRefs, type VsumKernel } from './kernel/controller';

export const SESSION_VIEW_ID = 'vsum.session';
export const OPEN_SESSION_ITEM = 'vsum.session.open';
/** Set while a vsum notebook is open: the view shows only then. */
const HAS_NOTEBOOK_KEY = 'vsum.hasNotebook';

export class SessionTreeProvider implements vscode.TreeDataProvider<SessionNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The notebook whose session is shown: the active vsum notebook editor's, kept while focus is elsewhere. */
  private shown?: vscode.NotebookDocument;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly kernel: VsumKernel) {
    this.follow(vscode.window.activeNotebookEditor);
    this.subs = [
      this.changed,
      vscode.window.onDidChangeActiveNotebookEditor((e) => this.follow(e)),
      kernel.onDidChangeSession((nb) => {
        if (nb.uri.toString() === this.shown?.uri.toString()) this.refresh();
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        if (nb.uri.toString() === this.shown?.uri.toString()) {
          this.shown = undefined;
          this.refresh();
        }
      }),
    ];
  }

  /** The notebook the view shows (Restart Session from the view's title restarts this one). */
  get notebook(): vscode.NotebookDocument | undefined {
    return this.shown;
  }

  private follow(editor: vscode.NotebookEditor | undefined): void {
    if (!editor || editor.notebook.notebookType !== NOTEBOOK_TYPE || editor.notebook === this.shown) return;
    this.shown = editor.notebook;
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: SessionNode): SessionNode[] {
    if (node) return node.children ?? [];
    const nb = this.shown;
    const session = nb && this.kernel.sessionOf(nb);
    return nb && session ? sessionTree(session, cellRefs(nb)) : [];
  }

  getTreeItem(node: SessionNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      node.label,
      node.children?.length
        ? node.id.includes('/')
          ? vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `${this.shown?.uri.toString() ?? ''}#${node.id}`;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    if (node.open) {
      item.command = {
        command: OPEN_SESSION_ITEM,
        title: node.open.kind === 'cell' ? 'Reveal the cell' : 'Open',
        arguments: [node.open],
      };
      if (node.open.kind === 'file') item.resourceUri = vscode.Uri.file(node.open.path);
    }
    return item;
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }
}

/** Open what a node refers to: reveal and select the cell, open a file, show a folder in the Explorer. */
export async function openSessionItem(open: SessionOpen): Promise<void> {
  if (open.kind === 'file') {
    const uri = vscode.Uri.file(open.path);
    if (!fs.existsSync(open.path)) {
      void vscode.window.showWarningMessage(`vsum: ${open.path} is no longer there (moved or deleted).`);
      return;
    }
    if (fs.statSync(open.path).isDirectory()) await vscode.commands.executeCommand('revealInExplorer', uri);
    else await vscode.commands.executeCommand('vscode.open', uri);
    return;
  }
  for (const nb of vscode.workspace.notebookDocuments) {
    const cell = nb.getCells().find((c) => c.document.uri.toString() === open.cellId);
    if (!cell) continue;
    const range = new vscode.NotebookRange(cell.index, cell.index + 1);
    const editor = await vscode.window.showNotebookDocument(nb, { selections: [range], preserveFocus: false });
    editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    return;
  }
  void vscode.window.showWarningMessage('vsum: the cell that produced this is no longer in the notebook.');
}

export function registerSessionView(kernel: VsumKernel): { provider: SessionTreeProvider; dispose(): void } {
  const provider = new SessionTreeProvider(kernel);
  const view = vscode.window.createTreeView(SESSION_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const describe = () => {
    view.description = provider.notebook ? provider.notebook.uri.path.split('/').pop() : undefined;
  };
  const hasNotebook = () =>
    void vscode.commands.executeCommand(
      'setContext',
      HAS_NOTEBOOK_KEY,
      vscode.workspace.notebookDocuments.some((d) => d.notebookType === NOTEBOOK_TYPE),
    );
  describe();
  hasNotebook();
  const disposable = vscode.Disposable.from(
    provider,
    view,
    provider.onDidChangeTreeData(describe),
    vscode.workspace.onDidOpenNotebookDocument(hasNotebook),
    vscode.workspace.onDidCloseNotebookDocument(hasNotebook),
    vscode.commands.registerCommand(OPEN_SESSION_ITEM, (open: SessionOpen) => openSessionItem(open)),
  );
  return { provider, dispose: () => disposable.dispose() };
}
