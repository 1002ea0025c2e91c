/**
 * A dense row-major float32 matrix: one row per clip (or per frame), `cols` features per row.
 * Every summarizer consumes this and nothing richer, so features from any embedder (TimeSformer, histogram,
 * a .npy from elsewhere) flow through the same code.
 */
export interface FeatureMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

export function featureMatrix(rows: number, cols: number, data?: Float32Array): FeatureMatrix {
  const d = data ?? new Float32Array(rows * cols);
  if (d.length !== rows * cols)
    throw new RangeError(`feature matrix ${rows}×${cols} needs ${rows * cols} values, got ${d.length}`);
  return { rows, cols, data: d };
}

export function row(m: FeatureMatrix, i: number): Float32Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}
