/**
 * Squared Euclidean distances between the rows of two row-major float64 matrices,
 * out[i·nB + j] = Σ_t (a[i·d + t] − b[j·d + t])², in 4 × 4 register tiles (8 loads feed 16 differences instead of
 * 32 loads for 16 one-by-one loops). Each entry is summed over t in increasing order with the difference taken as
 * a − b, so it is bit-identical to the plain loop. Work is dealt in 4-row tiles, tile q to part q % parts, like
 * dotTiles; and like it, this function is sent as source text to the linalg worker: keep it self-contained.
 */
export function sqDistTiles(a: Float64Array, nA: number, b: Float64Array, nB: number, d: number, out: Float64Array, part: number, parts: number): void {
  const nA4 = nA - (nA % 4);
  const nB4 = nB - (nB % 4);
  for (let j0 = 0; j0 < nB4; j0 += 32) {
    const j1 = Math.min(nB4, j0 + 32);
    for (let i = 0; i < nA4; i += 4) {
      if ((i >> 2) % parts !== part) continue;
      const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
      for (let j = j0; j < j1; j += 4) {
        const b0 = j * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (let t = 0; t < d; t++) {
          const x0 = a[a0 + t], x1 = a[a1 + t], x2 = a[a2 + t], x3 = a[a3 + t];
          const y0 = b[b0 + t], y1 = b[b1 + t], y2 = b[b2 + t], y3 = b[b3 + t];
          let v = x0 - y0; s00 += v * v; v = x0 - y1; s01 += v * v; v = x0 - y2; s02 += v * v; v = x0 - y3; s03 += v * v;
          v = x1 - y0; s10 += v * v; v = x1 - y1; s11 += v * v; v = x1 - y2; s12 += v * v; v = x1 - y3; s13 += v * v;
          v = x2 - y0; s20 += v * v; v = x2 - y1; s21 += v * v; v = x2 - y2; s22 += v * v; v = x2 - y3; s23 += v * v;
          v = x3 - y0; s30 += v * v; v = x3 - y1; s31 += v * v; v = x3 - y2; s32 += v * v; v = x3 - y3; s33 += v * v;
        }
        const r0 = i * nB + j, r1 = r0 + nB, r2 = r1 + nB, r3 = r2 + nB;
        out[r0] = s00; out[r0 + 1] = s01; out[r0 + 2] = s02; out[r0 + 3] = s03;
        out[r1] = s10; out[r1 + 1] = s11; out[r1 + 2] = s12; out[r1 + 3] = s13;
        out[r2] = s20; out[r2 + 1] = s21; out[r2 + 2] = s22; out[r2 + 3] = s23;
        out[r3] = s30; out[r3 + 1] = s31; out[r3 + 2] = s32; out[r3 + 3] = s33;
      }
    }
  }
  for (let i = 0; i < nA; i++) {
    if ((i >> 2) % parts !== part) continue;
    for (let j = i < nA4 ? nB4 : 0; j < nB; j++) {
      let s = 0;
      const ao = i * d, bo = j * d;
      for (let t = 0; t < d; t++) {
        const v = a[ao + t] - b[bo + t];
        s += v * v;
      }
      out[i * nB + j] = s;
    }
  }
}
