/**
 * The kernel's stage execution without vscode: parse the cell, check its inputs are in the session (else say
 * which cell to run first), run the stage, commit what it gives. The controller wraps this with VS Code's cell
 * execution; unit tests call it directly.
 */
import { VsumError } from '../../core/errors';
import { parseStageCell } from '../../notebook/parse';
import type { SessionSlot } from '../../core/stages/schema';
import type { StageContext, StageResult } from './context';
import { missingInputMessage, needsOf } from '../../notebook/session';
import { runEmbed } from './stages/embed';
import { runEvaluate } from './stages/evaluate';
import { runAttention } from './stages/attention';
import { runLoad } from './stages/load';
import { runScript } from './stages/script';
import { runSummarize } from './stages/summarize';

export async function runStageCell(text: string, ctx: StageContext): Promise<StageResult> {
  const parsed = parseStageCell(text);
  if (!parsed.stage) {
    const msgs = parsed.diagnostics.map((d) => `line ${text.slice(0, d.start).split('\n').length}: ${d.message}`);
    throw new VsumError('BAD_INPUT', `This cell is not a valid stage:\n${msgs.join('\n')}`);
  }
  const { name, options } = parsed.stage;
  const needs: SessionSlot[] = [...needsOf(name)];
  // evaluate without a submission file evaluates this notebook's summaries.
  if (name === 'evaluate' && options.submission === undefined) needs.push('selection');
  for (const slot of needs) if (!ctx.session.has(slot)) throw new VsumError('BAD_INPUT', missingInputMessage(name, slot, ctx.cells, ctx.index));
  const read = ctx.session.snapshot(needs.concat(name === 'evaluate' ? ['video'] : []));
  let result: StageResult;
  switch (name) {
    case 'load':
      result = await runLoad(options, ctx);
      break;
    case 'embed':
      result = await runEmbed(options, ctx);
      break;
    case 'summarize':
      result = await runSummarize(options, ctx);
      break;
    case 'evaluate':
      result = await runEvaluate(options, ctx);
      break;
    case 'attention':
      result = await runAttention(options, ctx);
      break;
    case 'script':
      result = await runScript(options, ctx);
      break;
  }
  ctx.session.commit(ctx.cellId, read, result.gives);
  return result;
}
