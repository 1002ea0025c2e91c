/** Ground-truth lengths for fitting exported summaries (docs/ALGORITHMS.md §submission). */
import { loadGroundTruth } from '../../core/evaluate/ground-truth';

export async function gtLengths(gtPath: string, signal?: AbortSignal): Promise<Map<string, number>> {
  const gt = await loadGroundTruth(gtPath, { signal });
  return new Map(gt.videos.map((v) => [v.name, v.nFrames]));
}
