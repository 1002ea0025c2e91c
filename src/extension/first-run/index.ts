/**
 * The first run: New Notebook's video, the data lenses and their command, quick fixes, and the model check (cells,
 * Summarize Video, status bar). Wired here so extension.ts adds one line; the kernel gets the checks as its
 * preflight.
 */
import * as vscode from 'vscode';
import type { VsumKernel } from '../kernel/controller';
import {
  chooseDataCommand,
  CHOOSE_DATA_COMMAND,
  dataPreflight,
  registerDataLenses,
  type ChooseDataArgs,
} from './data-lenses';
import { ModelGate, registerChoiceButtons } from './model-gate';
import { MODEL_CHOICE_COMMANDS, type ModelChoice } from './model-choice';
import { registerQuickFixes } from './quick-fixes';

export function registerFirstRun(
  kernel: VsumKernel,
  log: vscode.LogOutputChannel,
): { disposable: vscode.Disposable; gate: ModelGate } {
  const gate = new ModelGate(log);
  kernel.preflight = async (cell) => dataPreflight(cell) ?? (await gate.cellPreflight(cell));
  const choice = (id: ModelChoice['id'], label: string): ModelChoice => ({
    id,
    label,
    command: MODEL_CHOICE_COMMANDS[id],
  });
  const disposable = vscode.Disposable.from(
    gate,
    registerDataLenses(),
    registerQuickFixes(),
    registerChoiceButtons(),
    vscode.commands.registerCommand(CHOOSE_DATA_COMMAND, (args: ChooseDataArgs) => chooseDataCommand(args)),
    vscode.commands.registerCommand(MODEL_CHOICE_COMMANDS.histogram, (arg?: { cell?: string }) =>
      gate.apply(choice('histogram', 'histogram'), undefined, arg?.cell),
    ),
    vscode.commands.registerCommand(MODEL_CHOICE_COMMANDS.onnx, (arg?: { cell?: string }) =>
      gate.apply(choice('onnx', 'onnx'), undefined, arg?.cell),
    ),
    vscode.commands.registerCommand(MODEL_CHOICE_COMMANDS.settings, () =>
      gate.apply(choice('settings', 'settings'), undefined, undefined),
    ),
    vscode.commands.registerCommand('vsum.checkModel', () => gate.checkSettingsModel()),
  );
  // The status item for a notebook already open when vsum activated (later ones: the active-editor event).
  const first = setTimeout(() => void gate.refreshStatus(), 500);
  return { disposable: vscode.Disposable.from(disposable, { dispose: () => clearTimeout(first) }), gate };
}
