/**
 * What a stage gets to run (plain inputs: the session, the notebook folder, settings, a signal, progress and
 * log callbacks) and what it returns. The controller fills this from VS Code; tests fill it directly.
 */
import os from 'node:os';
import path from 'node:path';
import type { FfmpegTools } from '../../core/video/ffmpeg';
import type { SessionSlot } from '../../core/stages/schema';
import type { OutputSpec } from '../../notebook/outputs';
import type { CellRef, Session } from '../../notebook/session';

export interface StageSettings {
  ffmpegPath?: string;
  /** `histogram`, `k600` or a path to an .onnx. */
  model: string;
  executionProvider: string;
  cacheDirectory?: string;
  outputDirectory?: string;
  /** Embed the source video in the player output when it is at most this many bytes (toggle "play source"). */
  maxEmbeddedSourceBytes?: number;
}

export interface StageContext {
  session: Session;
  /** Absolute folder of the notebook: relative paths in cells resolve against it. */
  notebookDir: string;
  cellId: string;
  index: number;
  cells: readonly CellRef[];
  signal: AbortSignal;
  settings: StageSettings;
  tools: () => Promise<FfmpegTools>;
  progress(message: string, fraction?: number): void;
  log(line: string): void;
}

export interface StageResult {
  outputs: OutputSpec[];
  /** Slots this stage sets in the session. */
  gives: Map<SessionSlot, unknown>;
}

/** A cell path → absolute (relative paths are relative to the notebook; `~` is the home folder). */
export function resolveCellPath(ctx: Pick<StageContext, 'notebookDir'>, p: string): string {
  const t = p.trim();
  if (t === '~' || t.startsWith('~/')) return path.join(os.homedir(), t.slice(1));
  return path.resolve(ctx.notebookDir, t);
}

/** An absolute path as shown in outputs: relative to the notebook when inside it, else the base name. */
export function displayPath(ctx: Pick<StageContext, 'notebookDir'>, abs: string): string {
  const rel = path.relative(ctx.notebookDir, abs);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  const up = rel.split(path.sep);
  // A sibling folder or two up is still meaningful and not machine-specific.
  if (up.filter((s) => s === '..').length <= 2) return up.join('/');
  return path.basename(abs);
}
