/** Seeded feature matrices for the summarizer rows: piecewise-constant "shots" plus noise, like clip embeddings. */
import { createRng } from '../../src/core/random';
import { featureMatrix, type FeatureMatrix } from '../../src/core/features';
import { gauss } from './inputs';

export function shotFeatures(
  seed: number,
  n: number,
  d: number,
  opts: { shots?: number; noise?: number } = {},
): FeatureMatrix {
  const rng = createRng(seed);
  const next = () => rng.next();
  const shots = opts.shots ?? Math.max(1, Math.round(n / 25));
  const noise = opts.noise ?? 0.5;
  const starts = new Set<number>([0, ...rng.sampleSorted(n - 1, Math.min(shots - 1, n - 1)).map((s) => s + 1)]);
  const m = featureMatrix(n, d);
  let centre = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    if (starts.has(r)) centre = Float64Array.from({ length: d }, () => gauss(next));
    for (let c = 0; c < d; c++) m.data[r * d + c] = centre[c] + noise * gauss(next);
  }
  return m;
}

/** Rows as nested arrays of the exact float32 values (for JSON to numpy). */
export function toRows(m: FeatureMatrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}
