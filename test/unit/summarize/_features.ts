/** Synthetic clip embeddings for summarizer tests: scenes (random centres) with per-clip noise. */
import { featureMatrix, type FeatureMatrix } from '../../../src/core/features';
import { createRng } from '../../../src/core/random';

export function sceneFeatures(
  rows: number,
  cols: number,
  seed: number,
  opts: { scale?: number; noise?: number; minScene?: number; maxScene?: number } = {},
): FeatureMatrix {
  const rng = createRng(seed);
  const scale = opts.scale ?? 1;
  const noise = opts.noise ?? 0.1;
  const m = featureMatrix(rows, cols);
  const centre = new Float32Array(cols);
  let left = 0;
  for (let r = 0; r < rows; r++) {
    if (left === 0) {
      for (let c = 0; c < cols; c++) centre[c] = (rng.next() - 0.5) * scale;
      left = (opts.minScene ?? 2) + rng.int((opts.maxScene ?? 12) - (opts.minScene ?? 2) + 1);
    }
    left--;
    for (let c = 0; c < cols; c++) m.data[r * cols + c] = centre[c] + (rng.next() - 0.5) * noise * scale;
  }
  return m;
}
