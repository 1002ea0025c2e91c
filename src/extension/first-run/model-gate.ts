/**
 * The model check before anything runs, in the three places a user meets it: Summarize Video (before its
 * questions), a cell (an error output, the choices as buttons under it, instead of a late download failure) and the
 * status bar (while the vsum.model setting cannot run). The ways out are the same everywhere (model-choice.ts);
 * a choice made for a cell rewrites that cell, one made from the status bar changes the setting.
 */
import * as vscode from 'vscode';
import {
  checkModelAvailability,
  needsModelChoice,
  probeUrl,
  type ModelAvailability,
  type UrlProbe,
} from '../../core/model/availability';
import { NOTEBOOK_TYPE } from '../../common/mime';
import { errorOutput } from '../../notebook/outputs';
import { parseStageCell } from '../../notebook/parse';
import { withOption } from '../../notebook/cell-edit';
import { notebookDir, toVsOutput } from '../kernel/controller';
import { readSettings } from '../settings';
import { cellPathFor } from './data-paths';
import {
  cellModel,
  choiceButtons,
  choicesMarkdown,
  modelChoices,
  unavailableMessage,
  type ChoiceButton,
  type ModelChoice,
} from './model-choice';
import { ui } from './ui';
import { findCell, replaceCellText } from './cells';

/** The Hub is asked again after this long (the cache and model files are looked at on every check). */
const RECHECK_MS = 60_000;

export class ModelGate implements vscode.Disposable {
  private readonly probes = new Map<string, { at: number; result: Promise<UrlProbe> }>();
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private shown = false;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.item = vscode.window.createStatusBarItem('vsum.model', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'vsum model';
    this.item.command = 'vsum.checkModel';
    this.disposables.push(
      this.item,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('vsum.model') || e.affectsConfiguration('vsum.cacheDirectory')) {
          this.probes.clear();
          void this.refreshStatus();
        }
      }),
      vscode.window.onDidChangeActiveNotebookEditor(() => void this.refreshStatus()),
    );
  }

  /** The availability of `model` (relative paths against `baseDir`); the Hub's answer is reused for a minute. */
  async check(model: string, baseDir?: string): Promise<ModelAvailability> {
    const a = await checkModelAvailability({
      model,
      baseDir,
      cacheDir: readSettings().cacheDirectory,
      probe: (url, timeoutMs) => this.probe(url, timeoutMs),
    });
    if (a.state !== 'ready') this.log.info(`model check: ${model} → ${a.state}${'why' in a ? ` (${a.why})` : ''}`);
    return a;
  }

  private probe(url: string, timeoutMs: number): Promise<UrlProbe> {
    const hit = this.probes.get(url);
    if (hit && Date.now() - hit.at < RECHECK_MS) return hit.result;
    const result = probeUrl(url, timeoutMs);
    this.probes.set(url, { at: Date.now(), result });
    return result;
  }

  forget(): void {
    this.probes.clear();
  }

  /**
   * Summarize Video's first step: the model to run with, after asking when the chosen one cannot run; undefined
   * when the user stops (or the download fails, which says why itself).
   */
  async usableModel(model: string, baseDir: string): Promise<string | undefined> {
    const a = await this.check(model, baseDir);
    this.showStatus(a, model === readSettings().model);
    if (!needsModelChoice(a)) return model;
    const choice = await this.ask(a, false);
    if (!choice) return undefined;
    switch (choice.id) {
      case 'download':
        return (await this.download(a)) ? 'k600' : undefined;
      case 'histogram':
        return 'histogram';
      case 'onnx':
        return (await pickOnnx())?.fsPath;
      case 'settings':
        await openModelSettings();
        return undefined;
    }
  }

  /** The kernel's check before a cell runs: outputs that stop it (the error and the choices), or undefined. */
  async cellPreflight(cell: vscode.NotebookCell): Promise<vscode.NotebookCellOutput[] | undefined> {
    const parsed = parseStageCell(cell.document.getText()).stage;
    const settingsModel = readSettings(cell.notebook.uri).model;
    const m = parsed && cellModel(parsed.name, parsed.options, settingsModel);
    if (!m) return undefined;
    const a = await this.check(m.model, notebookDir(cell.notebook));
    if (!m.fromCell) this.showStatus(a, true);
    if (!needsModelChoice(a)) return undefined;
    const { message, detail } = unavailableMessage(a, { attention: m.attention });
    const choices = modelChoices(a, { attention: m.attention });
    const buttons = choiceButtons(choices, a, cell.document.uri.toString());
    return [
      toVsOutput(errorOutput(`${message} ${detail}`)),
      new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(choicesMarkdown(choices), 'text/markdown')], {
        [CHOICE_BUTTONS_KEY]: buttons,
      }),
    ];
  }

  /** The status bar click: check the setting's model and offer the choices when it cannot run. */
  async checkSettingsModel(): Promise<void> {
    const scope = vscode.window.activeNotebookEditor?.notebook;
    const model = readSettings(scope?.uri).model;
    const a = await this.check(model, scope ? notebookDir(scope) : undefined);
    this.showStatus(a, true);
    if (!needsModelChoice(a)) {
      void vscode.window.showInformationMessage(
        a.state === 'downloadable'
          ? `vsum: the ${model} model downloads when a cell first needs it.`
          : `vsum: the ${model} embedder is ready.`,
      );
      return;
    }
    const choice = await this.ask(a, false);
    if (choice) await this.apply(choice, a, undefined);
  }

  /** A choice from a cell's button (`cell` set) or the status bar: rewrite the cell, or change the setting. */
  async apply(choice: ModelChoice, a: ModelAvailability | undefined, cellUri: string | undefined): Promise<void> {
    const cell = cellUri ? findCell(cellUri) : undefined;
    if (choice.id === 'settings') return openModelSettings();
    if (choice.id === 'download') {
      if (a) await this.download(a);
      return;
    }
    let value: string | undefined;
    let forCell: string | undefined;
    if (choice.id === 'histogram') value = forCell = 'histogram';
    else {
      const file = await pickOnnx(cell ? vscode.Uri.file(notebookDir(cell.notebook)) : undefined);
      if (!file) return;
      value = file.fsPath;
      forCell = cell ? cellPathFor(notebookDir(cell.notebook), file.fsPath) : undefined;
    }
    if (cell && forCell) {
      const next = withOption(cell.document.getText(), 'model', forCell);
      if (next !== undefined && (await replaceCellText(cell, next))) {
        void vscode.window.showInformationMessage(`vsum: this cell now uses model: ${forCell}. Run it again.`);
        return;
      }
    }
    const target = vscode.workspace.workspaceFolders?.length
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('vsum').update('model', value, target);
    void vscode.window.showInformationMessage(`vsum: the vsum.model setting is now ${value}.`);
  }

  private async ask(a: ModelAvailability, attention: boolean): Promise<ModelChoice | undefined> {
    const { message, detail } = unavailableMessage(a, { attention });
    const choices = modelChoices(a, { attention });
    const label = await ui().choose(
      message,
      detail,
      choices.map((c) => c.label),
    );
    return choices.find((c) => c.label === label);
  }

  private async download(a: ModelAvailability): Promise<boolean> {
    const variant = 'variant' in a ? a.variant : 'fp32';
    const file = await vscode.commands.executeCommand<string | undefined>('vsum.downloadModel', variant);
    this.forget();
    void this.refreshStatus();
    return Boolean(file);
  }

  /** Re-check the setting's model for the active vsum notebook and show the item while it cannot run. */
  async refreshStatus(): Promise<void> {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    if (nb?.notebookType !== NOTEBOOK_TYPE) return;
    const model = readSettings(nb.uri).model;
    this.showStatus(await this.check(model, notebookDir(nb)), true);
  }

  private showStatus(a: ModelAvailability, isSetting: boolean): void {
    if (!isSetting) return;
    if (!needsModelChoice(a)) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const { message, detail } = unavailableMessage(a);
    this.item.text = `$(warning) vsum: ${a.state === 'missing-file' ? 'model file missing' : `${a.model} unavailable`}`;
    this.item.tooltip = `${message}\n\n${detail}\n\nClick to choose how to go on.`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
    this.shown = true;
  }

  /** What the status bar item says now (for the in-host tests). */
  statusText(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/** The output metadata key holding a stopped cell's choices (the status bar buttons read it back). */
const CHOICE_BUTTONS_KEY = 'vsumModelChoices';

/** The choices of a cell stopped by the model check, as buttons in its status bar (they survive a reload). */
export function registerChoiceButtons(): vscode.Disposable {
  const provider: vscode.NotebookCellStatusBarItemProvider = {
    provideCellStatusBarItems(cell) {
      const buttons = cell.outputs.flatMap((o) => (o.metadata?.[CHOICE_BUTTONS_KEY] as ChoiceButton[]) ?? []);
      return buttons.map((b) => {
        const item = new vscode.NotebookCellStatusBarItem(b.label, vscode.NotebookCellStatusBarAlignment.Left);
        item.command = { title: b.label, command: b.command, arguments: b.args };
        item.tooltip = b.label;
        return item;
      });
    },
  };
  return vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, provider);
}

async function pickOnnx(defaultUri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  return ui().pickFile({
    title: 'vsum: choose a TimeSformer .onnx model',
    openLabel: 'Use this model',
    filters: { 'ONNX models': ['onnx'] },
    defaultUri,
  });
}

async function openModelSettings(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', 'vsum.model');
}
