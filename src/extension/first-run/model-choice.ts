/**
 * What the editor offers when the chosen model cannot run (no vscode here, unit-tested): which model a cell
 * uses, the four ways out in one order, the message in the editor's words, and the same choices as buttons
 * for a cell's error output. The check itself is core/model/availability.ts.
 */
import type { ModelAvailability } from '../../core/model/availability';
import { formatModelSize } from '../../core/model/availability';

export type ModelChoiceId = 'download' | 'histogram' | 'onnx' | 'settings';

export interface ModelChoice {
  id: ModelChoiceId;
  label: string;
  /** The command a link or button runs (arguments from `choiceArgs`). */
  command: string;
}

/** The commands behind the choices (registered in model-availability.ts; the download one is the old command). */
export const MODEL_CHOICE_COMMANDS: Record<ModelChoiceId, string> = {
  download: 'vsum.downloadModel',
  histogram: 'vsum.useHistogramEmbedder',
  onnx: 'vsum.chooseModelFile',
  settings: 'vsum.openModelSettings',
};

/**
 * The model a stage cell runs with, or undefined for stages without one. `fromCell`: the cell names it (a choice
 * then rewrites the cell, not the setting). attention has no histogram variant: it falls back to k600.
 */
export function cellModel(
  stage: string | undefined,
  options: Record<string, unknown>,
  settingsModel: string,
): { model: string; fromCell: boolean; attention: boolean } | undefined {
  if (stage !== 'embed' && stage !== 'attention') return undefined;
  const named = typeof options.model === 'string' ? options.model : undefined;
  let model = named ?? settingsModel;
  if (model === 'timesformer') model = 'k600';
  if (stage === 'attention' && model === 'histogram') model = 'k600';
  return { model, fromCell: named !== undefined, attention: stage === 'attention' };
}

/** The ways out, in the order they are offered. The histogram embedder has no attention, so no such choice there. */
export function modelChoices(a: ModelAvailability, opts: { attention?: boolean } = {}): ModelChoice[] {
  const size = a.state === 'unreachable' || a.state === 'downloadable' ? a.bytes : undefined;
  // A missing .onnx is the user's own file: downloading k600 would not bring it back.
  const choices: ModelChoice[] =
    a.state === 'missing-file'
      ? []
      : [
          {
            id: 'download',
            label: size ? `Download (${formatModelSize(size)})` : 'Download the k600 model',
            command: MODEL_CHOICE_COMMANDS.download,
          },
        ];
  if (!opts.attention)
    choices.push({
      id: 'histogram',
      label: 'Use the offline histogram embedder',
      command: MODEL_CHOICE_COMMANDS.histogram,
    });
  choices.push(
    { id: 'onnx', label: 'Choose an .onnx file…', command: MODEL_CHOICE_COMMANDS.onnx },
    { id: 'settings', label: 'Open settings', command: MODEL_CHOICE_COMMANDS.settings },
  );
  return choices;
}

/** One sentence on what is wrong, one on what can be done: editor wording, no CLI flags. */
export function unavailableMessage(
  a: ModelAvailability,
  opts: { attention?: boolean } = {},
): {
  message: string;
  detail: string;
} {
  const what = opts.attention ? 'attention needs a TimeSformer model' : 'the embedder needs a TimeSformer model';
  if (a.state === 'missing-file')
    return {
      message: `The model file ${a.file} does not exist (${what}).`,
      detail: opts.attention
        ? 'Choose another TimeSformer .onnx file, or fix the path in the settings (`k600` is the published model).'
        : 'Use the offline histogram embedder, choose another .onnx file, or fix the path in the settings ' +
          '(`k600` is the published model).',
    };
  if (a.state === 'unreachable')
    return {
      message:
        `The TimeSformer k600 model (${a.variant}) is not downloaded yet and cannot be downloaded now: ` +
        `${hostOf(a.url)} is unreachable (${a.why}).`,
      detail:
        `${opts.attention ? '' : 'The offline histogram embedder needs no model. '}` +
        `On a machine without internet access, download ${a.url} elsewhere and choose the file here, ` +
        `or put it at ${a.file}.`,
    };
  return { message: `The model ${a.model} is available.`, detail: '' };
}

/** Arguments of a choice's command: the cell whose `model` option it rewrites (when the cell names one). */
export function choiceArgs(c: ModelChoice, a: ModelAvailability, cell?: string): unknown[] {
  if (c.id === 'download') return [a.state === 'unreachable' || a.state === 'downloadable' ? a.variant : 'fp32'];
  if (c.id === 'settings') return [];
  return [{ cell }];
}

/**
 * The choices as the cell's markdown output. VS Code follows only a few allow-listed commands from notebook
 * outputs (workbench.action.openSettings is one), so the settings are a link and the others are buttons in the
 * cell's status bar (`choiceButtons`), which run any command.
 */
export function choicesMarkdown(choices: ModelChoice[]): string {
  const names = choices.map((c) =>
    c.id === 'settings'
      ? `[${c.label}](command:workbench.action.openSettings?${encodeURIComponent(JSON.stringify(['vsum.model']))})`
      : `**${c.label}**`,
  );
  return `**Choose how to go on** (buttons under this cell): ${names.join(' · ')}`;
}

/** What the cell status bar shows for a stopped cell: each choice with its command and arguments. */
export interface ChoiceButton {
  label: string;
  command: string;
  args: unknown[];
}

export function choiceButtons(choices: ModelChoice[], a: ModelAvailability, cell?: string): ChoiceButton[] {
  return choices.map((c) => ({ label: c.label, command: c.command, args: choiceArgs(c, a, cell) }));
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
