/**
 * vsum's VS Code entry point. activate() only wires objects together: no I/O, no model loading, and
 * onnxruntime-node is never imported here (core/model loads it on first use).
 */
import * as vscode from 'vscode';
import { liveChildren } from '../core/video/process';
import { closeLinalgEngine } from '../core/linalg/engine';
import { NOTEBOOK_TYPE } from '../common/mime';
import { downloadModelCommand, selectExecutionProviderCommand } from './commands/model';
import { newNotebookCommand, openShippedNotebook } from './commands/notebooks';
import { summarizeVideoCommand, type SummarizeVideoArgs } from './commands/summarize-video';
import { ChildEngine } from '../notebook/engine/child-engine';
import { VsumKernel } from './kernel/controller';
import { registerLanguageFeatures } from './language';
import { createLog } from './log';
import { chooseClip, registerRendererMessaging } from './messaging';
import { VsumSerializer } from './notebook/serializer';
import { registerSessionView, type SessionTreeProvider } from './session-view';
import { registerStaleStatus } from './status';
import { registerFirstRun } from './first-run';
import { setUiForTests } from './first-run/ui';

/** What activate() returns: used by the in-host tests. */
export interface VsumApi {
  kernel: VsumKernel;
  log: vscode.LogOutputChannel;
  /** The folder of the extension's log files (the "vsum" channel is vsum.log in it). */
  logUri: vscode.Uri;
  /** PIDs of ffmpeg children still running, the host's and the engine's (an interrupt leaves none). */
  liveChildren(): Promise<number[]>;
  /** The stage engine's process id while it runs. */
  enginePid(): number | undefined;
  /** For the in-host tests only: replace the first run's dialogs, read the model status item. */
  testing: { setUi: typeof setUiForTests; modelStatus(): string | undefined };
  /** The "vsum Session" view's data. */
  sessionView: SessionTreeProvider;
}

export function activate(context: vscode.ExtensionContext): VsumApi {
  const log = createLog();
  // Stages run in a child Node process (dist/engine.js): the extension host's event loop stays free, and an
  // engine crash (even out of memory) is one cell's error; the next cell starts a fresh engine.
  const engine = new ChildEngine({ log: (line) => log.channel.warn(line) });
  const kernel = new VsumKernel(
    log.channel,
    engine,
    vscode.Uri.joinPath(context.globalStorageUri, 'untitled-notebooks').fsPath,
  );
  const firstRun = registerFirstRun(kernel, log.channel);
  const sessionView = registerSessionView(kernel);
  context.subscriptions.push(
    log,
    kernel,
    sessionView,
    { dispose: () => engine.dispose() },
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new VsumSerializer(), {
      transientOutputs: false,
      transientCellMetadata: { inputCollapsed: true, outputCollapsed: true },
    }),
    registerLanguageFeatures(),
    firstRun.disposable,
    registerStaleStatus(kernel),
    registerRendererMessaging(log.channel),
    vscode.commands.registerCommand(
      'vsum.summarizeVideo',
      (uri?: vscode.Uri, argsOrUris?: SummarizeVideoArgs | vscode.Uri[]) =>
        summarizeVideoCommand(
          kernel,
          log.channel,
          uri,
          Array.isArray(argsOrUris) ? {} : (argsOrUris ?? {}),
          firstRun.gate,
        ),
    ),
    vscode.commands.registerCommand('vsum.newNotebook', (uri?: vscode.Uri) => newNotebookCommand(uri)),
    vscode.commands.registerCommand('vsum.openSummeNotebook', () =>
      openShippedNotebook(context, 'summe-evaluation.vsumnb'),
    ),
    vscode.commands.registerCommand('vsum.openAttentionNotebook', () =>
      openShippedNotebook(context, 'attention-visualisation.vsumnb'),
    ),
    vscode.commands.registerCommand('vsum.openEccv16Notebook', () =>
      openShippedNotebook(context, 'eccv16-evaluation.vsumnb'),
    ),
    vscode.commands.registerCommand('vsum.downloadModel', (variant?: string) =>
      downloadModelCommand(log.channel, variant),
    ),
    vscode.commands.registerCommand('vsum.selectExecutionProvider', (ep?: string) =>
      selectExecutionProviderCommand(log.channel, ep),
    ),
    vscode.commands.registerCommand(
      'vsum.restartSession',
      (arg?: { notebookEditor?: { notebookUri: vscode.Uri } } | vscode.Uri) => {
        const uri =
          arg instanceof vscode.Uri
            ? arg
            : (arg?.notebookEditor?.notebookUri ??
              vscode.window.activeNotebookEditor?.notebook.uri ??
              sessionView.provider.notebook?.uri);
        const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri?.toString());
        return nb ? kernel.restartCommand(nb) : false;
      },
    ),
    vscode.commands.registerCommand('vsum.showLog', () => log.channel.show()),
    // Internal (renderers' "clip N" / "Show clip" go through messaging to the same function): set the clip of the
    // notebook's attention cell and run it.
    vscode.commands.registerCommand('vsum.chooseClip', async (uri: vscode.Uri, clip: number) => {
      const nb =
        vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri?.toString()) ??
        vscode.window.activeNotebookEditor?.notebook;
      if (nb && Number.isInteger(clip) && clip >= 0) await chooseClip(nb, clip, log.channel);
    }),
  );
  return {
    kernel,
    log: log.channel,
    logUri: context.logUri,
    liveChildren: async () => [...liveChildren(), ...(await engine.liveChildren())],
    enginePid: () => engine.pid,
    testing: { setUi: setUiForTests, modelStatus: () => firstRun.gate.statusText() },
    sessionView: sessionView.provider,
  };
}

export function deactivate(): Promise<void> {
  // Everything else is in context.subscriptions; running stages are aborted by the kernel's dispose().
  // Release the summarizers' onnxruntime session (products of k-means / KTS) so the host shuts down clean.
  return closeLinalgEngine();
}
