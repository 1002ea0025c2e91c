/**
 * The vsum kernel: a NotebookController whose cells are pipeline stages. One session per notebook; cells of a
 * notebook run one at a time in the order given; the execution token's cancellation aborts the running stage
 * (ffmpeg children are killed through the AbortSignal); progress is shown inside the cell output while it runs.
 */
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { isCancelled, VsumError } from '../../core/errors';
import { CONTROLLER_ID, NOTEBOOK_TYPE, STAGE_LANGUAGE } from '../../common/mime';
import { editorWording } from '../first-run/editor-wording';
import { readSettings } from '../settings';
import { parseStageCell } from '../../notebook/parse';
import type { StageEngine, StageReply } from '../../notebook/engine/engine';
import { errorOutput, progressOutput, type OutputSpec } from '../../notebook/outputs';
import { describeError, runStageCell, type CellRunContext } from '../../notebook/run-cell';
import { cellName, cellRef, Session, type CellRef } from '../../notebook/session';

export interface NotebookState {
  session: Session;
  order: number;
  /** The tail of this notebook's run queue. */
  queue: Promise<void>;
  running?: { cell: vscode.NotebookCell; abort: AbortController };
  /** Set by a restart: cells still queued on this state end without running. */
  ended?: boolean;
}

/**
 * What a restart asks and says. Users get the modal and a notification; in-host tests answer through
 * `kernel.restartUi` (a seam: the same restart runs, only the question and the message are theirs).
 */
export interface RestartUi {
  confirm(nb: vscode.NotebookDocument): Thenable<boolean>;
  announce(message: string): void;
}

export const RESTARTED_MESSAGE = 'vsum: Session restarted';

const modalRestartUi: RestartUi = {
  async confirm(nb) {
    const name = path.basename(nb.uri.path) || 'this notebook';
    const pick = await vscode.window.showWarningMessage(
      `Restart the vsum session of ${name}?`,
      {
        modal: true,
        detail:
          'The videos, embeddings, summaries, evaluations and attention maps it holds are dropped (files on disk ' +
          'stay); a running cell is stopped, run counters and stale marks are cleared.',
      },
      'Restart',
    );
    return pick === 'Restart';
  },
  announce(message) {
    void vscode.window.showInformationMessage(message);
  },
};

export function toVsOutput(o: OutputSpec): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(
    o.items.map((it) => new vscode.NotebookCellOutputItem(it.data, it.mime)),
    o.metadata,
  );
}

export function notebookDir(nb: vscode.NotebookDocument): string {
  if (nb.uri.scheme === 'file') return path.dirname(nb.uri.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
}

export class VsumKernel implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly states = new Map<string, NotebookState>();
  private readonly changed = new vscode.EventEmitter<vscode.NotebookDocument>();
  /** Fires when a notebook's session changed (stale cells, restart). */
  readonly onDidChangeSession = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  /**
   * Checks before a cell runs (its data is there, its model can run): outputs that stop it instead, with the ways
   * out. Set by the first-run features (src/extension/first-run/).
   */
  preflight?: (cell: vscode.NotebookCell) => Promise<vscode.NotebookCellOutput[] | undefined>;
  /** What Restart Session asks and says (replaced by in-host tests). */
  restartUi: RestartUi = modalRestartUi;

  /** `scratchDir`: where an untitled notebook's vsum-out/ goes until it is saved (the extension's storage). */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    /** Where stages run (the engine process; the in-process engine in tests). */
    readonly engine: StageEngine,
    private readonly scratchDir?: string,
  ) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'vsum');
    this.controller.supportedLanguages = [STAGE_LANGUAGE];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'video summarization pipeline';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    const prefer = (nb: vscode.NotebookDocument) => {
      if (nb.notebookType === NOTEBOOK_TYPE)
        this.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
    };
    vscode.workspace.notebookDocuments.forEach(prefer);
    this.disposables.push(
      this.controller,
      this.changed,
      vscode.workspace.onDidOpenNotebookDocument(prefer),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        const st = this.states.get(nb.uri.toString());
        st?.running?.abort.abort();
        this.states.delete(nb.uri.toString());
      }),
    );
  }

  state(nb: vscode.NotebookDocument | vscode.Uri): NotebookState {
    const key = ('uri' in nb ? nb.uri : nb).toString();
    let st = this.states.get(key);
    if (!st) {
      st = { session: new Session(), order: 0, queue: Promise.resolve() };
      this.states.set(key, st);
    }
    return st;
  }

  /** The notebook's session, if it has one (unlike state(), creates none). */
  sessionOf(nb: vscode.NotebookDocument): Session | undefined {
    return this.states.get(nb.uri.toString())?.session;
  }

  /** Adopt a session computed elsewhere (the "Summarize video" command runs stages before opening the notebook). */
  adopt(uri: vscode.Uri, session: Session, order: number): void {
    this.states.set(uri.toString(), { session, order, queue: Promise.resolve() });
  }

  /** The command: ask first (modal), then restart and say so. Resolves whether it restarted. */
  async restartCommand(nb: vscode.NotebookDocument): Promise<boolean> {
    if (!(await this.restartUi.confirm(nb))) return false;
    await this.restart(nb);
    this.restartUi.announce(RESTARTED_MESSAGE);
    return true;
  }

  /**
   * Drop the notebook's session: stop its running cell and those queued, forget every slot and staleness, clear
   * the run counters the cells show (the next run is [1]) and recycle the engine process when no other notebook
   * is using it (its model sessions and caches go with it).
   */
  async restart(nb: vscode.NotebookDocument): Promise<void> {
    const key = nb.uri.toString();
    const st = this.states.get(key);
    this.states.delete(key);
    if (st) {
      st.ended = true;
      st.running?.abort.abort();
      // The stopped cell's execution must end before its counter can be cleared (the engine kills a stage that
      // does not stop within 5 s).
      await st.queue.catch(() => undefined);
    }
    if (![...this.states.values()].some((s) => s.running)) this.engine.recycle?.();
    this.clearCounters(nb);
    this.log.info(`session of ${nb.uri.toString(true)} restarted`);
    this.changed.fire(nb);
  }

  /** A new execution clears the cell's order and status; ending it unstarted leaves neither. */
  private clearCounters(nb: vscode.NotebookDocument): void {
    for (const cell of nb.getCells()) {
      if (cell.kind !== vscode.NotebookCellKind.Code) continue;
      const sum = cell.executionSummary;
      if (sum?.executionOrder === undefined && sum?.success === undefined) continue;
      try {
        this.controller.createNotebookCellExecution(cell).end(undefined);
      } catch (e) {
        // Another kernel is selected for this notebook: its counters are not ours to clear.
        this.log.info(`restart: counters of ${nb.uri.toString(true)} left as they are (${(e as Error).message})`);
        return;
      }
    }
  }

  isStale(cell: vscode.NotebookCell): boolean {
    return this.states.get(cell.notebook.uri.toString())?.session.isStale(cell.document.uri.toString()) ?? false;
  }

  private execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const st = this.state(notebook);
    // Create every execution now: queued cells show as pending, and can be cancelled before they start.
    const execs = cells
      .filter((c) => c.kind === vscode.NotebookCellKind.Code)
      .map((cell) => ({ cell, exec: this.controller.createNotebookCellExecution(cell) }));
    const run = async () => {
      let failed = false;
      for (const { cell, exec } of execs) {
        if (failed || st.ended || exec.token.isCancellationRequested) {
          exec.end(undefined);
          continue;
        }
        const ok = await this.runCell(cell, exec, st);
        if (!ok) failed = true;
      }
    };
    st.queue = st.queue.then(run, run);
    return st.queue;
  }

  private async runCell(
    cell: vscode.NotebookCell,
    exec: vscode.NotebookCellExecution,
    st: NotebookState,
  ): Promise<boolean> {
    const notebook = cell.notebook;
    const abort = new AbortController();
    const sub = exec.token.onCancellationRequested(() => abort.abort());
    st.running = { cell, abort };
    exec.executionOrder = ++st.order;
    const t0 = Date.now();
    exec.start(t0);
    await exec.clearOutput();
    const blocked = await this.preflight?.(cell).catch((e: unknown) => {
      this.log.warn(`cell [${st.order}]: the check before running failed (${String(e)}); running it anyway`);
      return undefined;
    });
    if (blocked) {
      sub.dispose();
      st.running = undefined;
      await exec.replaceOutput(blocked);
      exec.end(false, Date.now());
      return false;
    }
    const stage = parseStageCell(cell.document.getText()).stage?.name ?? 'stage';
    let progressOut: vscode.NotebookCellOutput | undefined;
    let lastProgress = 0;
    let pending: Promise<unknown> = Promise.resolve();
    const progress = (message: string, fraction?: number) => {
      const now = Date.now();
      if (now - lastProgress < 150 && fraction !== undefined && fraction < 1) return;
      lastProgress = now;
      const spec = progressOutput({ kind: 'progress', stage, message, fraction, elapsedMs: now - t0 });
      pending = pending
        .then(async () => {
          if (abort.signal.aborted) return;
          if (!progressOut) {
            progressOut = toVsOutput(spec);
            await exec.replaceOutput([progressOut]);
          } else await exec.replaceOutputItems(toVsOutput(spec).items, progressOut);
        })
        .catch(() => undefined);
    };
    // An untitled notebook has no folder of its own yet: its vsum-out/ goes to the extension's storage.
    const settings = {
      ...readSettings(notebook.uri),
      outputRoot: notebook.uri.scheme === 'file' ? undefined : this.scratchDir,
    };
    const ctx: CellRunContext = {
      session: st.session,
      engine: this.engine,
      notebookDir: notebookDir(notebook),
      cellId: cell.document.uri.toString(),
      index: cell.index,
      cells: cellRefs(notebook),
      signal: abort.signal,
      settings,
      progress,
      log: (line) => this.log.info(line),
    };
    const name = cellName({ id: '', index: cell.index, stage, order: st.order });
    this.log.info(`${name} started`);
    progress('starting');
    let result: StageReply | undefined;
    let error: unknown;
    try {
      result = await runStageCell(cell.document.getText(), ctx);
    } catch (e) {
      error = e;
    } finally {
      sub.dispose();
      st.running = undefined;
    }
    await pending;
    const ms = Date.now() - t0;
    if (result) {
      await exec.replaceOutput(result.outputs.map(toVsOutput));
      this.log.info(`${name} done in ${ms} ms`);
      exec.end(true, Date.now());
      this.changed.fire(notebook);
      return true;
    }
    const message = editorWording(describeError(error, abort.signal.aborted));
    if (isCancelled(error) || abort.signal.aborted) this.log.info(`${name} cancelled after ${ms} ms`);
    else if (error instanceof VsumError) this.log.warn(`${name} failed: ${error.message}`);
    else
      this.log.error(
        `${name} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    await exec.replaceOutput([toVsOutput(errorOutput(message))]);
    exec.end(false, Date.now());
    return false;
  }

  dispose(): void {
    for (const st of this.states.values()) st.running?.abort.abort();
    this.disposables.forEach((d) => d.dispose());
  }
}

/** The notebook's cells as messages name them: the execution order each shows, else its first line. */
export function cellRefs(nb: vscode.NotebookDocument): CellRef[] {
  return nb.getCells().map((c) => {
    const text = c.document.getText();
    const stage = c.kind === vscode.NotebookCellKind.Code ? parseStageCell(text).stage?.name : undefined;
    return cellRef(c.document.uri.toString(), c.index, text, stage, c.executionSummary?.executionOrder);
  });
}
