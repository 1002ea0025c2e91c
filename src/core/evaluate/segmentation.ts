/**
 * Segmentations for the random baselines (rethinking-evs `tools/segmentation.py`, docs/ALGORITHMS.md §segmentations).
 * Boundaries are np.split indices: pieces are [b[i−1], b[i]).
 *  - uniform: 0, 60, 120, … (< N);
 *  - one-peak: cumulative Poisson(60) steps while ≤ N − 1 (the first boundary is the first step, not 0);
 *  - two-peak: each step Poisson(30) or Poisson(90) with equal chance;
 *  - KTS: shot boundaries from kernel temporal segmentation (src/core/summarize/kts.ts) of per-row features;
 *    randomized KTS: the KTS segment lengths in random order.
 */
import { VsumError } from '../errors';
import type { Rng } from '../random';
import type { FeatureMatrix } from '../features';
import { kts } from '../summarize/kts';

export function uniformSegmentation(nFrames: number, step = 60): number[] {
  const out: number[] = [];
  for (let b = 0; b < nFrames; b += step) out.push(b);
  return out;
}

export function onePeakSegmentation(nFrames: number, rng: Rng, lambda = 60): number[] {
  const out: number[] = [];
  for (let pos = rng.poisson(lambda); pos <= nFrames - 1; pos += rng.poisson(lambda)) out.push(pos);
  return out;
}

export function twoPeakSegmentation(nFrames: number, rng: Rng, lambda1 = 30, lambda2 = 90): number[] {
  const out: number[] = [];
  const step = () => rng.poisson(rng.int(2) === 0 ? lambda1 : lambda2);
  for (let pos = step(); pos <= nFrames - 1; pos += step()) out.push(pos);
  return out;
}

/**
 * KTS shot boundaries in frames for features with one row per `framesPerRow` frames (8 for vsum's clip
 * embeddings, 15 for DSNet's sampling): 0, change points × framesPerRow, …, nFrames.
 */
export async function ktsSegmentation(
  features: FeatureMatrix,
  nFrames: number,
  framesPerRow: number,
  opts: { signal?: AbortSignal; file?: string } = {},
): Promise<number[]> {
  // One row per clip of framesPerRow frames, the last partial clip dropped or padded: anything else is features
  // of another video (or another clip length), whose change points would be meaningless here.
  const lo = Math.floor(nFrames / framesPerRow);
  const hi = Math.ceil(nFrames / framesPerRow);
  if (features.rows < lo || features.rows > hi) {
    const what = opts.file ?? 'the features';
    throw new VsumError(
      'BAD_INPUT',
      `${what} has ${features.rows} feature rows, but a ${nFrames}-frame video at ${framesPerRow} frames per row needs ${lo === hi ? lo : `${lo} or ${hi}`}: the features belong to another video or clip length (see --frames-per-row).`,
      opts.file ? { file: opts.file } : undefined,
    );
  }
  const { changePoints } = await kts(features, { signal: opts.signal, rowsPerSecond: 30 / framesPerRow });
  const out = [0];
  for (const cp of changePoints) if (cp * framesPerRow < nFrames) out.push(cp * framesPerRow);
  out.push(nFrames);
  return out;
}

/** rethinking-evs' randomized KTS: segment lengths of `boundaries` permuted, re-accumulated from 0. */
export function randomizedSegmentation(boundaries: readonly number[], rng: Rng): number[] {
  const lengths: number[] = [];
  for (let i = 0; i + 1 < boundaries.length; i++) lengths.push(boundaries[i + 1] - boundaries[i]);
  rng.shuffle(lengths);
  const out = [0];
  let acc = 0;
  for (const l of lengths) out.push((acc += l));
  return out;
}
