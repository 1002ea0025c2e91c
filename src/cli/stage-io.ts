/** A stage's io for a CLI command: paths relative to the working folder, ffmpeg from --ffmpeg, notes on stderr. */
import type { StageIo, StageSettings } from '../core/stages/stage';
import type { CliContext } from './context';

export function stageIo(ctx: CliContext, settings: Partial<StageSettings> = {}): StageIo {
  return {
    inputs: {},
    notebookDir: process.cwd(),
    settings: { model: 'k600', executionProvider: 'auto', ...settings },
    tools: () => ctx.tools(),
    log: (line) => ctx.note(line),
  };
}
