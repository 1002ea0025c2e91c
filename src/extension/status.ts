/** Cell status bar: "stale" on cells whose inputs were re-computed since they ran. */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../common/mime';
import type { VsumKernel } from './kernel/controller';

export function registerStaleStatus(kernel: VsumKernel): vscode.Disposable {
  const emitter = new vscode.EventEmitter<void>();
  const provider: vscode.NotebookCellStatusBarItemProvider = {
    onDidChangeCellStatusBarItems: emitter.event,
    provideCellStatusBarItems(cell) {
      if (!kernel.isStale(cell)) return [];
      const item = new vscode.NotebookCellStatusBarItem(
        '$(warning) stale: an earlier cell was re-run',
        vscode.NotebookCellStatusBarAlignment.Left,
      );
      item.tooltip = 'The inputs of this cell changed after it ran; its outputs may not match. Run it again.';
      return [item];
    },
  };
  return vscode.Disposable.from(
    emitter,
    kernel.onDidChangeSession(() => emitter.fire()),
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, provider),
  );
}
