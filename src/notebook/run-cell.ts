/**
 * One stage cell, run the same way by the kernel, `vsum run` and "Summarize Video": parse and validate the cell,
 * check its inputs are in the session (else say which cell to run first), send the stage to the engine with the
 * session values it reads, commit what it gives. No vscode here.
 */
import { isCancelled, VsumError } from '../core/errors';
import { stageNamed } from '../core/stages/registry';
import { SLOT_LABEL, type SessionSlot } from '../core/stages/slots';
import { needsOf, withDefaults, type StageProgress, type StageSettings } from '../core/stages/stage';
import type { StageEngine, StageReply } from './engine/engine';
import { parseStageCell } from './parse';
import { missingInputMessage, type CellRef, type Session } from './session';

export interface CellRunContext {
  session: Session;
  engine: StageEngine;
  /** Absolute folder of the notebook: relative paths in cells resolve against it. */
  notebookDir: string;
  cellId: string;
  index: number;
  cells: readonly CellRef[];
  settings: StageSettings;
  signal: AbortSignal;
  progress: StageProgress;
  log(line: string): void;
}

export async function runStageCell(text: string, ctx: CellRunContext): Promise<StageReply> {
  const parsed = parseStageCell(text);
  if (!parsed.stage) {
    const msgs = parsed.diagnostics.map((d) => `line ${text.slice(0, d.start).split('\n').length}: ${d.message}`);
    throw new VsumError('BAD_INPUT', `This cell is not a valid stage:\n${msgs.join('\n')}`);
  }
  const { name, options } = parsed.stage;
  const stage = stageNamed(name)!;
  const needs = needsOf(stage, withDefaults(stage.schema, options));
  for (const slot of needs)
    if (!ctx.session.has(slot)) throw new VsumError('BAD_INPUT', missingInputMessage(name, slot, ctx.cells, ctx.index));
  // What it reads decides when it goes stale; `all` (script) reads everything but is never stale.
  const reads: SessionSlot[] = [...needs, ...(stage.reads === 'all' ? [] : (stage.reads ?? []))];
  const sent = stage.reads === 'all' ? (Object.keys(SLOT_LABEL) as SessionSlot[]) : reads;
  const read = ctx.session.snapshot(reads);
  const inputs = Object.fromEntries(sent.filter((s) => ctx.session.has(s)).map((s) => [s, ctx.session.get(s)]));
  const reply = await ctx.engine.run(
    { stage: name, options, inputs, notebookDir: ctx.notebookDir, settings: ctx.settings },
    ctx.signal,
    ctx.progress,
    ctx.log,
  );
  ctx.session.commit(ctx.cellId, read, new Map(Object.entries(reply.gives) as Array<[SessionSlot, unknown]>));
  return reply;
}

/** The message an error output shows: the VsumError's own message, never a stack trace. */
export function describeError(e: unknown, aborted: boolean): string {
  if (isCancelled(e) || (aborted && !(e instanceof VsumError)))
    return 'Cancelled: the stage was interrupted before it finished (its ffmpeg processes were stopped). Run the cell again to redo it.';
  if (e instanceof VsumError) return e.message;
  return `Unexpected error: ${e instanceof Error ? e.message : String(e)} (details in the log).`;
}
