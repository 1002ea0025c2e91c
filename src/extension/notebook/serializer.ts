/** NotebookSerializer over format.ts: .vsumnb bytes ↔ NotebookData, outputs and metadata kept. */
import * as vscode from 'vscode';
import { VsumError } from '../../core/errors';
import { STAGE_LANGUAGE } from '../../common/mime';
import { parseNotebook, serializeNotebook, type RawCell, type RawNotebook } from '../../notebook/format';

export class VsumSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    let raw: RawNotebook;
    try {
      raw = parseNotebook(content);
    } catch (e) {
      // VS Code shows this message in the editor ("The editor could not be opened: …").
      throw new Error(e instanceof VsumError ? e.message : String(e), { cause: e });
    }
    return toNotebookData(raw);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    return serializeNotebook(fromNotebookData(data));
  }
}

export function toNotebookData(raw: RawNotebook): vscode.NotebookData {
  const cells = raw.cells.map((c) => {
    const kind = c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code;
    const cell = new vscode.NotebookCellData(
      kind,
      c.source,
      c.kind === 'markdown' ? 'markdown' : c.language || STAGE_LANGUAGE,
    );
    if (c.metadata) cell.metadata = c.metadata;
    cell.outputs = c.outputs.map(
      (o) =>
        new vscode.NotebookCellOutput(
          o.items.map((it) => new vscode.NotebookCellOutputItem(it.data, it.mime)),
          o.metadata,
        ),
    );
    if (c.execution) {
      const e = c.execution;
      cell.executionSummary = {
        executionOrder: e.order,
        success: e.success,
        timing:
          e.startTime !== undefined && e.endTime !== undefined
            ? { startTime: e.startTime, endTime: e.endTime }
            : undefined,
      };
    }
    return cell;
  });
  const data = new vscode.NotebookData(cells);
  data.metadata = raw.metadata;
  return data;
}

export function fromNotebookData(data: vscode.NotebookData): RawNotebook {
  return {
    metadata: (data.metadata ?? {}) as Record<string, unknown>,
    cells: data.cells.map((c): RawCell => {
      const markdown = c.kind === vscode.NotebookCellKind.Markup;
      const cell: RawCell = {
        kind: markdown ? 'markdown' : 'stage',
        language: markdown ? 'markdown' : c.languageId,
        source: c.value,
        outputs: (c.outputs ?? [])
          // Progress of a run is transient: never saved.
          .filter((o) => !o.items.some((it) => it.mime === 'application/vnd.vsum.progress+json'))
          .map((o) => ({ metadata: o.metadata, items: o.items.map((it) => ({ mime: it.mime, data: it.data })) })),
      };
      if (c.metadata && Object.keys(c.metadata).length) cell.metadata = c.metadata as Record<string, unknown>;
      const s = c.executionSummary;
      if (s && (s.executionOrder !== undefined || s.success !== undefined || s.timing)) {
        cell.execution = {
          order: s.executionOrder,
          success: s.success,
          startTime: s.timing?.startTime,
          endTime: s.timing?.endTime,
        };
      }
      return cell;
    }),
  };
}
