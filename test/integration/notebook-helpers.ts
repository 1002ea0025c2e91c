// Helpers for vsum's in-host notebook suites: write a .vsumnb into the test workspace, open it, run cells through
// VS Code's own commands, and read the outputs back. The extension's API (activate()'s return) gives the kernel
// and the live ffmpeg children.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { unpackEnvelope } from '../../src/common/envelope';
import type { VsumApi } from '../../src/extension/extension';
import { serializeNotebook, type RawCell } from '../../src/notebook/format';
import { activateVsum, waitFor, workspaceDir } from './host';

export async function vsumApi(): Promise<VsumApi> {
  const ext = await activateVsum();
  return ext.exports as VsumApi;
}

/** Cells: strings starting with "#" are markdown, the others stage cells. */
export function writeNotebook(name: string, cells: string[]): vscode.Uri {
  const raw: RawCell[] = cells.map((c) =>
    c.startsWith('#')
      ? { kind: 'markdown', language: 'markdown', source: c, outputs: [] }
      : { kind: 'stage', language: 'vsum', source: c, outputs: [] },
  );
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, serializeNotebook({ metadata: {}, cells: raw }));
  return vscode.Uri.file(file);
}

export async function openNotebook(uri: vscode.Uri): Promise<vscode.NotebookDocument> {
  const doc = await vscode.workspace.openNotebookDocument(uri);
  await vscode.window.showNotebookDocument(doc);
  return doc;
}

/** Runs cells [start, end) with "notebook.cell.execute" and waits until each has finished (success or failure). */
export async function runCells(
  doc: vscode.NotebookDocument,
  start: number,
  end = start + 1,
  timeoutMs = 120_000,
): Promise<void> {
  const t0 = Date.now();
  const cells = doc
    .getCells(new vscode.NotebookRange(start, end))
    .filter((c) => c.kind === vscode.NotebookCellKind.Code);
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start, end }], document: doc.uri });
  // Done when every cell ran, or when one failed (the kernel then skips the cells after it, as Jupyter does).
  const finished = (c: vscode.NotebookCell) =>
    (c.executionSummary?.timing?.endTime ?? 0) >= t0 && c.executionSummary?.success !== undefined;
  await waitFor(
    `cells ${start + 1}–${end} of ${path.basename(doc.uri.fsPath)} to finish`,
    () => {
      for (const c of cells) {
        if (!finished(c)) return false;
        if (c.executionSummary?.success === false) return true;
      }
      return true;
    },
    timeoutMs,
  );
}

export function items(cell: vscode.NotebookCell, mime: string): Uint8Array[] {
  return cell.outputs.flatMap((o) => o.items.filter((i) => i.mime === mime).map((i) => i.data));
}

export function json<T>(b: Uint8Array): T {
  return JSON.parse(new TextDecoder().decode(b)) as T;
}

export function envelope<M>(b: Uint8Array) {
  return unpackEnvelope<M>(b);
}

/** The error text a failed cell shows (the message, never a stack). */
export function errorText(cell: vscode.NotebookCell): string {
  const e = items(cell, 'application/vnd.code.notebook.error')[0];
  if (!e) return '';
  const err = json<{ name: string; message: string; stack?: string }>(e);
  return err.message;
}

/** ffmpeg / ffprobe processes whose parent is this extension host (Linux /proc; elsewhere only the API counts). */
/** ffmpeg/ffprobe processes whose parent is one of `parents` (default: this extension host). */
export function ffmpegChildren(parents: ReadonlyArray<number | undefined> = [process.pid]): number[] {
  if (process.platform !== 'linux') return [];
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) \S (\d+)/.exec(stat);
      if (m && parents.includes(Number(m[2])) && /ffmpeg|ffprobe/.test(m[1])) out.push(Number(d));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
