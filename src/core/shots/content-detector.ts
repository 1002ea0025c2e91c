/** PySceneDetect's ContentDetector rule: a cut where the content score reaches the threshold (docs/ALGORITHMS.md §Shot detection). */
import { SHOT_DEFAULTS, type ShotDetector } from './detector';
import { MinLengthMergeFilter } from './min-length-filter';

export interface ContentDetectorOptions {
  threshold?: number;
  minSceneLength?: number;
}

export class ContentDetector implements ShotDetector {
  private readonly threshold: number;
  private readonly filterMinLength: MinLengthMergeFilter;

  constructor(opts: ContentDetectorOptions = {}) {
    this.threshold = opts.threshold ?? SHOT_DEFAULTS.contentThreshold;
    this.filterMinLength = new MinLengthMergeFilter(opts.minSceneLength ?? SHOT_DEFAULTS.minSceneLength);
  }

  push(index: number, score: number): number[] {
    return this.filterMinLength.filter(index, score >= this.threshold);
  }

  finish(): number[] {
    return [];
  }
}
