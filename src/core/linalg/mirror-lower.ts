/** Copies the lower triangle of the n × n matrix k onto the upper one, in 64 × 64 blocks (a plain transpose loop
 * strides through memory n doubles at a time, one cache miss per entry). */
export function mirrorLower(k: Float64Array, n: number): void {
  for (let b0 = 0; b0 < n; b0 += 64) {
    for (let a0 = b0; a0 < n; a0 += 64) {
      for (let a = a0, ae = Math.min(n, a0 + 64); a < ae; a++) {
        for (let b = b0, be = Math.min(a, b0 + 64); b < be; b++) k[b * n + a] = k[a * n + b];
      }
    }
  }
}
