/**
 * Method name → Summarizer. The one place the CLI, the pipeline, the batch runner and the notebook kernel turn
 * user options into a summarizer, so every entry point accepts the same parameters.
 */
import { VsumError } from '../errors';
import {
  DEFAULT_KMEANS_RESTARTS,
  DEFAULT_KTS_VMAX,
  DEFAULT_RATIO,
  DEFAULT_SEED,
  SSD_PRESETS,
} from '../stages/defaults';
import { kmeansSummarizer } from './kmeans';
import { ktsSummarizer } from './kts-keyshots';
import type { SummaryMethod, Summarizer } from './selection';
import { SUMMARY_METHODS } from './selection';
import { ssdAdjacentSummarizer } from './ssd-adjacent';
import { ssdAnchorSummarizer } from './ssd-anchor';
import type { SsdSelect } from './ssd';

export interface MethodOptions {
  ratio?: number;
  /** SSD threshold (tt01/tt02). */
  threshold?: number;
  /** tt01/tt02: scattered frames (the original) or one contiguous run per segment (default outside seed-faithful). */
  select?: SsdSelect;
  seed?: number;
  seedFaithful?: boolean;
  /** k-means restarts (default mode). */
  restarts?: number;
  /** KTS penalty weight, change-point and segment-length bounds. */
  vmax?: number;
  maxCp?: number;
  maxSegmentLength?: number;
  /** kts: shots [start, end) from another detector to pick keyshots over (`--segmentation content|adaptive`). */
  shots?: ReadonlyArray<readonly [number, number]>;
  /** The segmentation the summary uses: the method's own, or a shot detector's (kts only). */
  segmentation?: SummarySegmentation;
}

export type SummarySegmentation = 'kts' | 'content' | 'adaptive';
export const SUMMARY_SEGMENTATIONS: readonly SummarySegmentation[] = ['kts', 'content', 'adaptive'];

export function createSummarizer(method: SummaryMethod, o: MethodOptions = {}): Summarizer {
  const common = {
    ratio: o.ratio ?? DEFAULT_RATIO,
    seed: o.seed ?? DEFAULT_SEED,
    seedFaithful: o.seedFaithful ?? false,
  };
  // Without a threshold (or embedder id), TimeSformer's scale.
  const threshold = o.threshold ?? SSD_PRESETS.timesformer.average;
  switch (method) {
    case 'kmeans':
      return kmeansSummarizer({ ...common, restarts: o.restarts ?? DEFAULT_KMEANS_RESTARTS });
    case 'tt01':
      return ssdAnchorSummarizer({ ...common, threshold, select: o.select });
    case 'tt02':
      return ssdAdjacentSummarizer({ ...common, threshold, select: o.select });
    case 'kts':
      return ktsSummarizer({
        ratio: common.ratio,
        seedFaithful: common.seedFaithful,
        vmax: o.vmax ?? DEFAULT_KTS_VMAX,
        maxCp: o.maxCp,
        maxSegmentLength: o.maxSegmentLength,
        shots: o.shots,
        segmentation: o.segmentation,
      });
    default:
      throw new VsumError(
        'BAD_INPUT',
        `unknown summary method "${String(method)}": use one of ${SUMMARY_METHODS.join(', ')}.`,
      );
  }
}
