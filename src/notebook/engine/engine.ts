/**
 * The boundary between who holds a notebook's session (the kernel, `vsum run`) and where stages run. A request
 * carries everything a stage reads (validated options, the session values it needs, the notebook folder,
 * settings) as structured-clone data; the reply carries the outputs and the values it gives. `inProcessEngine`
 * runs the stage in this process; engine/child-engine.ts runs it in a child Node process.
 */
import type { StageName } from '../../core/stages/registry';
import type { SlotValues } from '../../core/stages/slots';
import type { StageProgress, StageSettings } from '../../core/stages/stage';
import type { OutputSpec } from '../outputs';

export interface StageRequest {
  stage: StageName;
  /** As parsed from the cell (shorthand expanded, validated); the engine fills the defaults. */
  options: Record<string, unknown>;
  inputs: Partial<SlotValues>;
  notebookDir: string;
  settings: StageSettings;
}

export interface StageReply {
  outputs: OutputSpec[];
  gives: Partial<SlotValues>;
}

export interface StageEngine {
  run(
    req: StageRequest,
    signal: AbortSignal,
    progress: StageProgress,
    log: (line: string) => void,
  ): Promise<StageReply>;
  /** Restart Session: drop what the engine holds (a child engine's process ends; the next run starts a fresh one). */
  recycle?(): void;
}
