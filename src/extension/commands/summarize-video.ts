/**
 * Explorer / editor title "Summarize Video": quick picks (method, ratio or threshold), then the load → embed →
 * summarize stages under a cancellable notification; the summary lands beside the video (or in
 * vsum.outputDirectory) and a notebook with the stages already run opens.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { isCancelled } from '../../core/errors';
import { DEFAULT_RATIO, SSD_PRESETS } from '../../core/stages/defaults';
import type { SelectionSlot } from '../../core/stages/slots';
import { VIDEO_EXTENSIONS } from '../../core/video/types';
import type { VsumKernel } from '../kernel/controller';
import { describeError, runStageCell, type CellRunContext } from '../../notebook/run-cell';
import { Session } from '../../notebook/session';
import { serializeNotebook, type RawNotebook } from '../../notebook/format';
import { summarizeNotebookCells } from '../../notebook/templates';
import { editorWording } from '../first-run/editor-wording';
import { cellPathFor } from '../first-run/data-paths';
import type { ModelGate } from '../first-run/model-gate';
import { readSettings } from '../settings';

export interface SummarizeVideoArgs {
  method?: 'kmeans' | 'tt01' | 'tt02' | 'kts';
  ratio?: number;
  threshold?: number;
  model?: string;
  seed?: number;
  /** Open the notebook when done (default true). */
  open?: boolean;
}

export interface SummarizeVideoResult {
  notebook: vscode.Uri;
  summaryVideo?: string;
  frames: number[];
}

export async function summarizeVideoCommand(
  kernel: VsumKernel,
  log: vscode.LogOutputChannel,
  uri?: vscode.Uri,
  args: SummarizeVideoArgs = {},
  gate?: ModelGate,
): Promise<SummarizeVideoResult | undefined> {
  // From the palette: the video open in the editor (a notebook cell's text is not one), else the open dialog.
  const active = vscode.window.activeTextEditor?.document.uri;
  const target = uri instanceof vscode.Uri ? uri : active?.scheme === 'file' ? active : await pickVideo();
  if (!target) return undefined;
  if (target.scheme !== 'file') {
    void vscode.window.showErrorMessage(`vsum can summarize local files only (${target.toString(true)}).`);
    return undefined;
  }
  const video = target.fsPath;
  if (!VIDEO_EXTENSIONS.includes(path.extname(video).toLowerCase())) {
    void vscode.window.showErrorMessage(
      `${path.basename(video)} is not a video vsum reads (${VIDEO_EXTENSIONS.join(', ')}).`,
    );
    return undefined;
  }
  const settings = readSettings(target);
  const outDir = settings.outputDirectory
    ? path.resolve(workspaceRoot(target) ?? path.dirname(video), settings.outputDirectory)
    : path.dirname(video);
  // The model first: when it cannot run, the ways out are offered before any question about the summary.
  const wanted = args.model ?? settings.model;
  const model = gate ? await gate.usableModel(wanted, outDir) : wanted;
  if (!model) return undefined;
  const choice = await chooseOptions(args, model);
  if (!choice) return undefined;
  settings.outputDirectory = outDir;
  const stem = path.basename(video, path.extname(video));
  const nbPath = uniquePath(path.join(outDir, `${stem}.vsumnb`));
  const rel = path.relative(outDir, video).split(path.sep).join('/');
  const cells = summarizeNotebookCells(
    {
      video: rel,
      method: choice.method,
      ratio: choice.ratio,
      threshold: choice.threshold,
      model: cellModelPath(model, outDir),
      seed: args.seed,
    },
    path.basename(video),
  );

  const result = await vscode.window
    .withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `vsum: summarizing ${path.basename(video)}`,
        cancellable: true,
      },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        const session = new Session();
        let order = 0;
        let reported = 0;
        const weights = [0, 0.1, 0.7, 0.2];
        try {
          fs.mkdirSync(outDir, { recursive: true });
          let base = 0;
          for (let i = 0; i < cells.length; i++) {
            const cell = cells[i];
            if (cell.kind !== 'stage') continue;
            const t0 = Date.now();
            const ctx: CellRunContext = {
              session,
              engine: kernel.engine,
              notebookDir: outDir,
              cellId: `summarize-command-cell-${i}`,
              index: i,
              cells: [],
              signal: abort.signal,
              settings,
              progress: (message, fraction) => {
                const at = (base + (fraction ?? 0) * weights[i]) * 100;
                progress.report({ message, increment: Math.max(0, at - reported) });
                reported = Math.max(reported, at);
              },
              log: (line) => log.info(line),
            };
            const r = await runStageCell(cell.source, ctx);
            cell.outputs = r.outputs;
            cell.execution = { order: ++order, success: true, startTime: t0, endTime: Date.now() };
            base += weights[i];
          }
        } catch (e) {
          if (isCancelled(e) || abort.signal.aborted) {
            log.info(`Summarize video cancelled: ${video}`);
            return undefined;
          }
          throw e;
        } finally {
          sub.dispose();
        }
        const nb: RawNotebook = { metadata: {}, cells };
        await fs.promises.writeFile(nbPath, serializeNotebook(nb));
        return { session, order };
      },
    )
    .then(
      (r) => r,
      (e) => {
        const msg = editorWording(describeError(e, false));
        log.error(`Summarize video failed for ${video}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        void vscode.window.showErrorMessage(`vsum: ${msg}`);
        return undefined;
      },
    );
  if (!result) return undefined;
  const nbUri = vscode.Uri.file(nbPath);
  kernel.adopt(nbUri, result.session, result.order);
  const sel = result.session.get<SelectionSlot>('selection');
  const run = sel?.runs[0];
  if (args.open !== false) {
    const doc = await vscode.workspace.openNotebookDocument(nbUri);
    await vscode.window.showNotebookDocument(doc);
  }
  log.info(`Summarize video: ${video} → ${run?.files.video ?? '(no video)'}; notebook ${nbPath}`);
  return { notebook: nbUri, summaryVideo: run?.files.video, frames: run?.selection.frames ?? [] };
}

async function pickVideo(): Promise<vscode.Uri | undefined> {
  const r = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { Videos: VIDEO_EXTENSIONS.map((e) => e.slice(1)) },
    openLabel: 'Summarize',
  });
  return r?.[0];
}

interface Choice {
  method: 'kmeans' | 'tt01' | 'tt02' | 'kts';
  ratio?: number;
  threshold?: number;
}

async function chooseOptions(args: SummarizeVideoArgs, model: string): Promise<Choice | undefined> {
  // SSD thresholds live on the embedder's scale: TimeSformer's 100/400/800, or the histogram embedder's own.
  const presets = SSD_PRESETS[model === 'histogram' ? 'histogram' : 'timesformer'];
  let method = args.method;
  if (!method) {
    const m = await vscode.window.showQuickPick(
      [
        {
          label: 'k-means',
          description: 'kmeans',
          detail: 'The clip nearest to each cluster centre (the Gradio app\'s "Offline").',
          value: 'kmeans' as const,
        },
        {
          label: 'tt01',
          description: 'SSD to the segment anchor',
          detail: 'A new segment when a clip differs enough from the first clip of the segment.',
          value: 'tt01' as const,
        },
        {
          label: 'tt02',
          description: 'SSD to the previous clip',
          detail: 'A new segment when a clip differs enough from the one before (the Gradio app\'s "Online").',
          value: 'tt02' as const,
        },
        {
          label: 'KTS',
          description: 'kernel temporal segmentation + knapsack',
          detail: 'Shot boundaries from KTS, then the most distinctive shots within the length budget.',
          value: 'kts' as const,
        },
      ],
      { title: 'vsum: summary method', placeHolder: 'How to pick the keyshots' },
    );
    if (!m) return undefined;
    method = m.value;
  }
  if (method === 'tt01' || method === 'tt02') {
    let threshold = args.threshold;
    if (threshold === undefined) {
      const t = await vscode.window.showQuickPick(
        [
          { label: 'Average', description: String(presets.average), value: presets.average },
          { label: 'Small', description: String(presets.small), value: presets.small },
          { label: 'Large', description: String(presets.large), value: presets.large },
          { label: 'Custom…', description: 'any positive number', value: -1 },
        ],
        {
          title: `vsum: SSD threshold (${model === 'histogram' ? 'histogram embedder scale' : 'TimeSformer scale'})`,
          placeHolder: 'A new segment starts where the clip embeddings differ by more than this',
        },
      );
      if (!t) return undefined;
      threshold = t.value > 0 ? t.value : await askNumber('SSD threshold (> 0)', (v) => v > 0);
      if (threshold === undefined) return undefined;
    }
    return { method, threshold, ratio: args.ratio };
  }
  let ratio = args.ratio;
  if (ratio === undefined) {
    const r = await vscode.window.showQuickPick(
      [
        { label: `${DEFAULT_RATIO * 100} %`, description: 'as the original', value: DEFAULT_RATIO },
        { label: '10 %', value: 0.1 },
        { label: '30 %', value: 0.3 },
        { label: '50 %', value: 0.5 },
        { label: 'Custom…', description: '0 < ratio ≤ 1', value: -1 },
      ],
      { title: 'vsum: summary length', placeHolder: 'Fraction of the video to keep' },
    );
    if (!r) return undefined;
    ratio =
      r.value > 0 ? r.value : await askNumber('Fraction of the video to keep (0 < ratio ≤ 1)', (v) => v > 0 && v <= 1);
    if (ratio === undefined) return undefined;
  }
  return { method, ratio };
}

async function askNumber(prompt: string, ok: (v: number) => boolean): Promise<number | undefined> {
  const s = await vscode.window.showInputBox({
    prompt,
    validateInput: (t) => (ok(Number(t)) && t.trim() !== '' ? undefined : 'Enter a valid number'),
  });
  return s === undefined ? undefined : Number(s);
}

/** A model file picked for this run goes into the embed cell relative to the notebook (names stay as they are). */
function cellModelPath(model: string, notebookDir: string): string {
  return path.isAbsolute(model) ? cellPathFor(notebookDir, model) : model;
}

function workspaceRoot(uri: vscode.Uri): string | undefined {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** `x.vsumnb`, else `x-2.vsumnb`, … : never overwrite a notebook the user has. */
export function uniquePath(p: string): string {
  if (!fs.existsSync(p)) return p;
  const ext = path.extname(p);
  const base = p.slice(0, -ext.length);
  for (let i = 2; ; i++) {
    const q = `${base}-${i}${ext}`;
    if (!fs.existsSync(q)) return q;
  }
}
