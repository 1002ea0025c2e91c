/** `evaluate`: rethinking-evs protocol over SumMe ground truth (wired to src/core/evaluate). */
import { VsumError } from '../../../core/errors';
import type { StageContext, StageResult } from '../context';

export interface EvaluateOptions {
  gt?: string;
  submission?: string | string[];
  baselines?: string[];
  runs?: number;
  seed?: number;
}

export async function runEvaluate(o: EvaluateOptions, ctx: StageContext): Promise<StageResult> {
  void o;
  void ctx;
  throw new VsumError('BAD_INPUT', 'evaluate: not available in this build yet.');
}
