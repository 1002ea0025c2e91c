/**
 * One interface for every shot detector (PySceneDetect's shape: one detector per file, fed frame by frame).
 * A detector sees each frame's content score in order and returns the frames where a new shot starts; `finish`
 * flushes what it held back. Cut frame c means shot boundaries [.., c) and [c, ..).
 */
export interface ShotDetector {
  /** Frame `index` (consecutive from 0) with its content score (0 for the first frame). */
  push(index: number, score: number): number[];
  /** After the last frame. */
  finish(): number[];
}

export type ShotDetectorName = 'content' | 'adaptive' | 'kts';
export const SHOT_DETECTORS: readonly ShotDetectorName[] = ['content', 'adaptive', 'kts'];

/** PySceneDetect's defaults, the single source for the CLI, the `shots` stage and `--segmentation`. */
export const SHOT_DEFAULTS = {
  /** ContentDetector: mean change of hue, saturation and luma (0…255) that makes a cut. */
  contentThreshold: 27,
  /** AdaptiveDetector: ratio of a frame's score to its neighbours' mean that makes a cut. */
  adaptiveThreshold: 3,
  /** AdaptiveDetector: frames on each side averaged. */
  windowWidth: 2,
  /** AdaptiveDetector: a cut also needs at least this content score. */
  minContentValue: 15,
  /** Frames a shot must last before another cut is accepted. */
  minSceneLength: 15,
} as const;

/** Shots [start, endExclusive) of an n-frame video cut at `cuts` (sorted, each in 1…n−1). */
export function shotsOf(cuts: readonly number[], frames: number): Array<[number, number]> {
  const shots: Array<[number, number]> = [];
  let start = 0;
  for (const c of cuts) {
    if (c <= start || c >= frames) continue;
    shots.push([start, c]);
    start = c;
  }
  if (frames > start) shots.push([start, frames]);
  return shots;
}
