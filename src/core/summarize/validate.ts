/**
 * Input checks shared by every summarizer: a user can hand us an empty or NaN-filled .npy, a features file that
 * belongs to another video, a ratio of 0 or 150 %. Each becomes a VsumError that says what to do.
 */
import { VsumError } from '../errors';
import type { FeatureMatrix } from '../features';
import type { SummarizeInput } from './selection';

export interface ClipLayout {
  /** Clips the summarizer may use (seed-faithful: whole clips only). */
  nClips: number;
  clipLength: number;
  nFrames: number;
  /** First frame of clip c. */
  start(c: number): number;
  /** One past the last frame of clip c (shorter for a padded last clip). */
  end(c: number): number;
}

export function checkRatio(ratio: number, what = 'ratio'): void {
  if (!(Number.isFinite(ratio) && ratio > 0 && ratio <= 1))
    throw new VsumError(
      'BAD_INPUT',
      `${what} must be in (0, 1] (a fraction of the video, e.g. 0.15), got ${ratio}. Pass --ratio 0.15 or another value above 0 and at most 1.`,
    );
}

export function checkSeed(seed: number): void {
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
    throw new VsumError('BAD_INPUT', `seed must be a whole number from 0 to 4294967295, got ${seed}.`);
}

/** Rows must be finite; the message names the first bad row so the .npy can be fixed. */
export function checkFeatures(f: FeatureMatrix, source = 'features'): void {
  if (f.rows === 0 || f.cols === 0)
    throw new VsumError(
      'BAD_INPUT',
      `${source} are empty (${f.rows}×${f.cols}): there is nothing to summarize. The video needs at least one clip of 8 frames; check the video or the .npy.`,
    );
  const { data, cols } = f;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const r = Math.floor(i / cols);
      throw new VsumError(
        'BAD_INPUT',
        `${source}: row ${r} (clip ${r}) contains ${data[i]} at column ${i - r * cols}. Features must be finite numbers; re-run the embedding or fix the .npy.`,
      );
    }
  }
}

/**
 * Match feature rows to the video's frames: rows = floor(nFrames / L) (partial tail dropped, the original) or
 * ceil(nFrames / L) (tail kept as a padded last clip). `wholeClipsOnly` ignores a padded last row.
 */
/** A feature matrix fits a video when it has one row per whole clip, or one more for the partial last clip. */
export function featureRowsFit(rows: number, nFrames: number, clipLength: number): boolean {
  return rows === Math.floor(nFrames / clipLength) || rows === Math.ceil(nFrames / clipLength);
}

export function clipLayout(input: SummarizeInput, wholeClipsOnly: boolean, source = 'features'): ClipLayout {
  const L = input.clipLength ?? 8;
  const nFrames = input.nFrames;
  if (!(Number.isInteger(L) && L > 0))
    throw new VsumError('BAD_INPUT', `clip length must be a positive whole number, got ${L}.`);
  if (!(Number.isInteger(nFrames) && nFrames >= 0))
    throw new VsumError('BAD_INPUT', `frame count must be a whole number ≥ 0, got ${nFrames}.`);
  if (nFrames < L)
    throw new VsumError(
      'TOO_SHORT',
      `The video has ${nFrames} frame(s); summarizing needs at least ${L} (one clip of ${L} frames). Use a longer video.`,
    );
  checkFeatures(input.features, source);
  const whole = Math.floor(nFrames / L);
  const withTail = Math.ceil(nFrames / L);
  const rows = input.features.rows;
  if (!featureRowsFit(rows, nFrames, L))
    throw new VsumError(
      'BAD_INPUT',
      `${source} have ${rows} rows but a ${nFrames}-frame video has ${whole} clips of ${L} frames${withTail !== whole ? ` (${withTail} with the partial last clip)` : ''}. The features belong to another video or another clip length; re-create them for this video.`,
    );
  const nClips = wholeClipsOnly ? whole : rows;
  return {
    nClips,
    clipLength: L,
    nFrames,
    start: (c) => c * L,
    end: (c) => Math.min((c + 1) * L, nFrames),
  };
}
