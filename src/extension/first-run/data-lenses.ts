/**
 * Pointing cells at data: a "Choose video…" lens on every `load` cell, a "… not found · Choose folder…" lens on
 * any data path that is not there, the `vsum.chooseData` command behind them (a dialog, then the path written into
 * the cell relative to the notebook), a stop before such a cell runs (an error output pointing at the lens), and the
 * shipped notebooks' offer to pick their data when it is missing.
 */
import fs from 'node:fs';
import * as vscode from 'vscode';
import { STAGE_LANGUAGE } from '../../common/mime';
import { errorOutput } from '../../notebook/outputs';
import { withOption } from '../../notebook/cell-edit';
import { notebookDir, toVsOutput } from '../kernel/controller';
import { stageOf } from '../stages/assist';
import { cellOfDocument, findCell, replaceCellText } from './cells';
import {
  cellDataPaths,
  cellPathFor,
  datasetOptions,
  missingDataPaths,
  resolveDataPath,
  type DataPath,
} from './data-paths';
import { ui } from './ui';

export const CHOOSE_DATA_COMMAND = 'vsum.chooseData';

export interface ChooseDataArgs {
  /** The cell's document URI (a string when it comes from a button or lens). */
  cell: string;
  option: string;
}

const buttonOf = (d: DataPath) => `Choose ${d.kind === 'video' ? 'video' : d.kind === 'folder' ? 'folder' : 'file'}…`;

/** The lenses above a stage cell: always "Choose video…" on a load cell, and one per data path not found. */
export function registerDataLenses(): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      const cell = cellOfDocument(doc);
      if (!cell) return [];
      const text = doc.getText();
      const dir = notebookDir(cell.notebook);
      const top = new vscode.Range(0, 0, 0, 0);
      const isLoad = stageOf(text) === 'load';
      return cellDataPaths(text).flatMap((d) => {
        const missing = d.value !== undefined && !fs.existsSync(resolveDataPath(dir, d.value));
        if (!missing && !(isLoad && d.option === 'video')) return [];
        const args: ChooseDataArgs = { cell: doc.uri.toString(), option: d.option };
        return [
          new vscode.CodeLens(top, {
            title: missing ? `$(warning) ${d.value} not found · ${buttonOf(d)}` : buttonOf(d),
            tooltip: `Choose the ${d.what} (written into this cell relative to the notebook)`,
            command: CHOOSE_DATA_COMMAND,
            arguments: [args],
          }),
        ];
      });
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider({ language: STAGE_LANGUAGE }, provider),
    // A folder picked elsewhere, or a file that appeared: the lenses say so.
    vscode.window.onDidChangeWindowState((s) => s.focused && changed.fire()),
    vscode.workspace.onDidCreateFiles(() => changed.fire()),
  );
}

/** `vsum.chooseData`: a dialog for the option's data, then the cell rewritten. Returns the cell's new text. */
export async function chooseDataCommand(args: ChooseDataArgs): Promise<string | undefined> {
  const cell = args?.cell
    ? findCell(args.cell)
    : vscode.window.activeNotebookEditor?.notebook.cellAt(vscode.window.activeNotebookEditor.selection.start);
  if (!cell) return undefined;
  const text = cell.document.getText();
  const d = cellDataPaths(text).find((p) => p.option === (args?.option ?? 'video'));
  if (!d) return undefined;
  const dir = notebookDir(cell.notebook);
  const near = d.value ? resolveDataPath(dir, d.value) : dir;
  const defaultUri = vscode.Uri.file(fs.existsSync(near) ? near : dir);
  const title = `vsum: choose the ${d.what}`;
  const picked =
    d.kind === 'folder'
      ? await ui().pickFolder({ title, openLabel: 'Use this folder', defaultUri })
      : await ui().pickFile({ title, openLabel: `Use this ${d.kind}`, filters: d.filters, defaultUri });
  if (!picked) return undefined;
  const values =
    stageOf(text) === 'load' && d.kind === 'folder'
      ? datasetOptions(picked.fsPath, d.option)
      : {
          [d.option]: picked.fsPath,
        };
  let next: string | undefined = text;
  for (const [option, abs] of Object.entries(values)) next = next && withOption(next, option, cellPathFor(dir, abs));
  if (next === undefined || !(await replaceCellText(cell, next))) return undefined;
  return next;
}

/** The kernel's stop before a cell whose data is missing (or a load cell with no video yet): what to pick. */
export function dataPreflight(cell: vscode.NotebookCell): vscode.NotebookCellOutput[] | undefined {
  const text = cell.document.getText();
  const dir = notebookDir(cell.notebook);
  const paths = cellDataPaths(text);
  const unset = paths.find((d) => d.value === undefined && d.option === 'video');
  const missing = missingDataPaths(text, dir);
  const first = unset ?? missing[0];
  if (!first) return undefined;
  const message = unset
    ? 'No video chosen yet: choose one, or write its path after `load:` (relative to the notebook).'
    : missing
        .map((d) => `The ${d.what} ${d.value} was not found (looked for ${resolveDataPath(dir, d.value!)}).`)
        .join('\n');
  // Output links cannot run extension commands (VS Code allow-lists a few), so the lens above the cell is the way.
  const buttons = (unset ? [unset] : missing).map((d) => `**${buttonOf(d)}**`);
  return [
    toVsOutput(errorOutput(message)),
    new vscode.NotebookCellOutput([
      vscode.NotebookCellOutputItem.text(
        `Use ${[...new Set(buttons)].join(' / ')} above this cell: the path is written into it.`,
        'text/markdown',
      ),
    ]),
  ];
}

/**
 * After a shipped notebook opens: for the first cell whose data is missing, a notification saying what is needed
 * with a button to pick it; once picked, the next missing one is offered.
 */
export async function offerMissingData(nb: vscode.NotebookDocument): Promise<void> {
  const dir = notebookDir(nb);
  for (let asked = 0; asked < 8; asked++) {
    const cell = nb
      .getCells()
      .find((c) => c.kind === vscode.NotebookCellKind.Code && missingDataPaths(c.document.getText(), dir).length);
    if (!cell) return;
    const d = missingDataPaths(cell.document.getText(), dir)[0];
    const button = buttonOf(d);
    const clicked = await ui().offer(
      `vsum: this notebook needs the ${d.what} ${d.value}, which is not in ${dir}. Choose where it is (the path is ` +
        'written into the cell).',
      [button],
    );
    if (clicked !== button) return;
    if (!(await chooseDataCommand({ cell: cell.document.uri.toString(), option: d.option }))) return;
  }
}
