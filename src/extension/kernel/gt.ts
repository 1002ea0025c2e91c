/** Ground-truth lengths for fitting exported summaries (ALGORITHMS §5). */
import { VsumError } from '../../core/errors';

export async function gtLengths(gtDir: string, signal?: AbortSignal): Promise<Map<string, number>> {
  void signal;
  throw new VsumError('BAD_INPUT', `Reading SumMe ground truth (${gtDir}) is not available in this build yet.`);
}
