/** Run one stage request here: the stage (core) turns options into results, its view turns results into outputs. */
import { VsumError } from '../../core/errors';
import { stageNamed } from '../../core/stages/registry';
import { withDefaults, type StageIo, type StageProgress } from '../../core/stages/stage';
import { resolveFfmpeg, type FfmpegTools } from '../../core/video/ffmpeg';
import { VIEWS } from '../views';
import type { StageEngine, StageReply, StageRequest } from './engine';

export async function executeStage(
  req: StageRequest,
  signal: AbortSignal,
  progress: StageProgress,
  log: (line: string) => void,
): Promise<StageReply> {
  const stage = stageNamed(req.stage);
  if (!stage) throw new VsumError('BAD_INPUT', `Unknown stage "${req.stage}".`);
  let tools: Promise<FfmpegTools> | undefined;
  const io: StageIo = {
    inputs: req.inputs,
    notebookDir: req.notebookDir,
    settings: req.settings,
    tools: () => (tools ??= resolveFfmpeg({ ffmpegPath: req.settings.ffmpegPath })),
    log,
  };
  const result = await stage.run(withDefaults(stage.schema, req.options), io, signal, progress);
  const outputs = await VIEWS[req.stage](result as never, { ...io, signal, progress });
  return { outputs, gives: result.gives };
}

/** Stages on this process's own thread (tests, the CLI's `--in-process`, and the engine process itself). */
export const inProcessEngine: StageEngine = { run: executeStage };
