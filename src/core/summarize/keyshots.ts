/**
 * Keyshot selection (DSNet / rethinking-evs style): score each segment by the mean of its per-frame scores, then
 * pick segments with the rethinking-evs 0/1 knapsack (knapsack.ts) so their total length fits floor(N · ratio).
 */
import { knapsack } from './knapsack';
import type { FrameSegment } from './selection';

/** Segments [start, end) of frames from change points given in row units (row r covers frames r·L … r·L+L−1). */
export function segmentsFromChangePoints(
  changePoints: readonly number[],
  rowStart: (r: number) => number,
  nRows: number,
  endFrame: number,
): Array<[number, number]> {
  const starts = [0, ...changePoints];
  return starts.map(
    (r, i) => [rowStart(r), i + 1 < starts.length ? rowStart(starts[i + 1]) : endFrame] as [number, number],
  );
}

export interface Keyshots {
  segments: FrameSegment[];
  segmentScore: number[];
  selected: number[];
  frames: number[];
}

export function selectKeyshots(
  frameScore: ArrayLike<number>,
  bounds: ReadonlyArray<readonly [number, number]>,
  nFrames: number,
  ratio: number,
): Keyshots {
  const segmentScore = bounds.map(([s, e]) => {
    let sum = 0;
    for (let f = s; f < e; f++) sum += frameScore[f];
    return e > s ? sum / (e - s) : 0;
  });
  const weights = bounds.map(([s, e]) => e - s);
  const capacity = Math.floor(nFrames * ratio);
  const selected = knapsack(segmentScore, weights, capacity);
  const chosen = new Set(selected);
  const frames: number[] = [];
  const segments = bounds.map(([start, end], i) => {
    if (chosen.has(i)) for (let f = start; f < end; f++) frames.push(f);
    return { start, end, picked: chosen.has(i) ? end - start : 0 };
  });
  return { segments, segmentScore, selected, frames };
}
