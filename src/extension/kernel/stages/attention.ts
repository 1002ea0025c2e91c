/** `attention`: divided space-time attention rollout of one clip (wired to src/core/attention). */
import { VsumError } from '../../../core/errors';
import type { StageContext, StageResult } from '../context';

export interface AttentionOptions {
  clip?: number;
  model?: string;
  spaceOnly?: boolean;
}

export async function runAttention(o: AttentionOptions, ctx: StageContext): Promise<StageResult> {
  void o;
  void ctx;
  throw new VsumError('MODEL', 'attention: not available in this build yet.');
}
