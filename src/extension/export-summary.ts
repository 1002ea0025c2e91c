/**
 * The summary player's "Export…": pick the formats (csv and vtt ticked, as `--export`'s default), write them beside
 * the summary through the core, and offer to reveal them. The source video is the one the player refers to; when
 * the output does not name it (older notebooks), the user picks it.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { KernelMessage, RendererMessage } from '../common/messages';
import { DEFAULT_EXPORTS, EXPORT_FORMATS, type ExportFormat } from '../core/exports/exports';
import { exportWrittenSummary } from '../core/exports/from-summary';
import { resolveMediaPath } from '../notebook/media';
import { notebookDir } from './kernel/controller';
import { VIDEO_EXTENSIONS } from '../core/video/types';

const DESCRIPTIONS: Record<ExportFormat, string> = {
  csv: 'one row per shot: frames, timecodes, seconds, segment, score',
  vtt: 'WebVTT chapters of the summary',
  edl: 'CMX 3600 edit decision list (Premiere, Resolve, Avid)',
  otio: 'OpenTimelineIO timeline',
  concat: 'ffmpeg concat list that rebuilds the summary',
};

export async function exportFromPlayer(
  nb: vscode.NotebookDocument,
  req: Extract<RendererMessage, { type: 'export' }>,
  log: vscode.LogOutputChannel,
): Promise<KernelMessage | undefined> {
  const dir = notebookDir(nb);
  const summary = resolveMediaPath(dir, req.summary);
  if ('error' in summary) return { type: 'exported', summary: req.summary, files: [], message: summary.error };
  const picks = await vscode.window.showQuickPick(
    EXPORT_FORMATS.map((f) => ({ label: f, description: DESCRIPTIONS[f], picked: DEFAULT_EXPORTS.includes(f) })),
    { canPickMany: true, title: `Export ${path.basename(summary.file)}`, placeHolder: 'Formats to write beside it' },
  );
  if (!picks || picks.length === 0) return undefined;
  let source = req.source ? resolveMediaPath(dir, req.source) : undefined;
  if (!source || 'error' in source) {
    const chosen = await vscode.window.showOpenDialog({
      title: 'The source video of this summary',
      canSelectMany: false,
      filters: { Videos: VIDEO_EXTENSIONS.map((e) => e.slice(1)) },
    });
    if (!chosen?.[0]) return undefined;
    source = { file: chosen[0].fsPath };
  }
  try {
    const files = await exportWrittenSummary(
      summary.file,
      source.file,
      picks.map((p) => p.label as ExportFormat),
    );
    log.info(`export: wrote ${files.join(', ')}`);
    void vscode.window
      .showInformationMessage(`Exported ${files.map((f) => path.basename(f)).join(', ')}`, 'Reveal')
      .then((a) => a && vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(files[0])));
    return { type: 'exported', summary: req.summary, files: files.map((f) => path.basename(f)) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log.error(`export: ${message}`);
    void vscode.window.showErrorMessage(message);
    return { type: 'exported', summary: req.summary, files: [], message };
  }
}
