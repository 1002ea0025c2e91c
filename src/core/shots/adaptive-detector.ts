/**
 * PySceneDetect's AdaptiveDetector rule: a frame is a cut when its content score is at least `threshold` times the
 * mean score of the `windowWidth` frames on each side and at least `minContentValue`; the decision for frame t is
 * made when frame t + windowWidth arrives, and the minimum length is measured from that newest frame, as
 * PySceneDetect does (docs/ALGORITHMS.md §Shot detection).
 */
import { SHOT_DEFAULTS, type ShotDetector } from './detector';

export interface AdaptiveDetectorOptions {
  threshold?: number;
  windowWidth?: number;
  minContentValue?: number;
  minSceneLength?: number;
}

/** The ratio is capped at 255, and a zero neighbourhood mean counts as 255 when the frame itself is large enough. */
const MAX_RATIO = 255;

export class AdaptiveDetector implements ShotDetector {
  private readonly threshold: number;
  private readonly window: number;
  private readonly minContent: number;
  private readonly minLength: number;
  private readonly frames: number[] = [];
  private readonly scores: number[] = [];
  private lastCut: number | undefined;

  constructor(opts: AdaptiveDetectorOptions = {}) {
    this.threshold = opts.threshold ?? SHOT_DEFAULTS.adaptiveThreshold;
    this.window = opts.windowWidth ?? SHOT_DEFAULTS.windowWidth;
    this.minContent = opts.minContentValue ?? SHOT_DEFAULTS.minContentValue;
    this.minLength = opts.minSceneLength ?? SHOT_DEFAULTS.minSceneLength;
    if (!(Number.isInteger(this.window) && this.window >= 1))
      throw new RangeError('window width must be an integer ≥ 1');
  }

  /** The adaptive ratio of the middle frame of a full window. */
  private ratio(): number {
    const mid = this.scores[this.window];
    let sum = 0;
    for (let i = 0; i < this.scores.length; i++) if (i !== this.window) sum += this.scores[i];
    const mean = sum / (2 * this.window);
    if (Math.abs(mean) >= 0.00001) return Math.min(mid / mean, MAX_RATIO);
    return mid >= this.minContent ? MAX_RATIO : 0;
  }

  push(index: number, score: number): number[] {
    if (this.lastCut === undefined) this.lastCut = index;
    this.frames.push(index);
    this.scores.push(score);
    const required = 1 + 2 * this.window;
    if (this.scores.length < required) return [];
    if (this.scores.length > required) {
      this.frames.shift();
      this.scores.shift();
    }
    const target = this.frames[this.window];
    const thresholdMet = this.ratio() >= this.threshold && this.scores[this.window] >= this.minContent;
    if (thresholdMet && index - this.lastCut >= this.minLength) {
      this.lastCut = target;
      return [target];
    }
    return [];
  }

  finish(): number[] {
    return [];
  }
}
