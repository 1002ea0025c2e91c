/**
 * Row-by-row dot products of two row-major float64 matrices, out[i·nB + j] = Σ_t a[i·d + t] · b[j·d + t], in
 * 4 × 4 register tiles (each loaded value feeds four multiply-adds; 4 × 4 measured fastest in V8, ahead of 2 × 4
 * and 3 × 3). Every entry is summed over t in increasing order, so it is bit-identical to a plain loop whatever the
 * tiling, the part or the thread that computed it (and dot(i, j) === dot(j, i)).
 *
 * The work is dealt in 4-row tiles: tile q (rows 4q … 4q + 3) belongs to part q % parts, so `parts` callers with
 * part = 0 … parts − 1 together fill `out` exactly once, with balanced work even for the triangle.
 *
 * This function is also the body of the linalg worker (parallel-tiles.ts sends its source text), so it must stay
 * self-contained: no imports, no helpers, no closures.
 */
export function dotTiles(
  a: Float64Array, nA: number, b: Float64Array, nB: number, d: number, out: Float64Array,
  /** a and b are the same matrix and only j ≤ i is wanted (a Gram matrix's lower triangle, diagonal tiles whole). */
  lower: boolean,
  part: number, parts: number,
): void {
  const nA4 = nA - (nA % 4);
  const nB4 = nB - (nB % 4);
  // 32 columns (b rows) stay in cache while the a rows stream past them.
  for (let j0 = 0; j0 < nB4; j0 += 32) {
    const j1 = Math.min(nB4, j0 + 32);
    for (let i = lower ? j0 : 0; i < nA4; i += 4) {
      if ((i >> 2) % parts !== part) continue;
      const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
      for (let j = j0; j < j1 && (!lower || j <= i); j += 4) {
        const b0 = j * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (let t = 0; t < d; t++) {
          const x0 = a[a0 + t], x1 = a[a1 + t], x2 = a[a2 + t], x3 = a[a3 + t];
          const y0 = b[b0 + t], y1 = b[b1 + t], y2 = b[b2 + t], y3 = b[b3 + t];
          s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
          s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
          s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
          s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
        }
        const r0 = i * nB + j, r1 = r0 + nB, r2 = r1 + nB, r3 = r2 + nB;
        out[r0] = s00; out[r0 + 1] = s01; out[r0 + 2] = s02; out[r0 + 3] = s03;
        out[r1] = s10; out[r1 + 1] = s11; out[r1 + 2] = s12; out[r1 + 3] = s13;
        out[r2] = s20; out[r2 + 1] = s21; out[r2 + 2] = s22; out[r2 + 3] = s23;
        out[r3] = s30; out[r3 + 1] = s31; out[r3 + 2] = s32; out[r3 + 3] = s33;
      }
    }
  }
  // Leftovers one entry at a time: columns past the last whole tile, then rows past it (lower: j ≤ i only).
  for (let i = 0; i < nA; i++) {
    if ((i >> 2) % parts !== part) continue;
    const jFrom = i < nA4 ? nB4 : 0;
    const jTo = lower ? i + 1 : nB;
    for (let j = jFrom; j < jTo; j++) {
      let s = 0;
      const ao = i * d, bo = j * d;
      for (let t = 0; t < d; t++) s += a[ao + t] * b[bo + t];
      out[i * nB + j] = s;
    }
  }
}
