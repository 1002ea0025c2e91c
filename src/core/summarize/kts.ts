/**
 * Kernel temporal segmentation (Potapov et al. 2014), the cpd_nonlin / cpd_auto of DSNet's `src/kts`
 * (docs/ALGORITHMS.md §kts), with the same change points but without the O(m·n²) Python loops and O(n²) scatter matrix:
 *
 * - the kernel K = X·Xᵀ of the L2-normalised rows is streamed row by row (kept whole only when n ≤ 4096);
 * - the double cumulative sums K1 / K2 are formed in exactly numpy's order (np.cumsum over axis 0, then axis 1,
 *   float64), and only the band |i − j| ≤ lmax of K2 and of the scatter matrix is kept;
 * - scatter(i, j) = (K1[j+1] − K1[i]) − (((K2[j+1,j+1] + K2[i,i]) − K2[j+1,i]) − K2[i,j+1]) / (j − i + 1),
 *   the reference's expression term by term, so every value is bit-identical;
 * - the DP I[k][l] = min_t I[k−1][t] + scatter(t, l−1) runs over two rows of Float64Array, first minimum wins
 *   (np.argmin), unreachable states stay 1e101 like the reference;
 * - cpd_auto stops adding change points once the penalty alone provably exceeds the best cost so far
 *   (the penalty is concave and increasing in m and every scatter ≥ the smallest one computed), which cannot
 *   change the argmin but skips most of the work.
 *
 * Change points are feature-row indices t where a new segment starts: segments are [cps[i], cps[i+1]).
 */
import { VsumError, throwIfAborted } from '../errors';
import type { FeatureMatrix } from '../features';
import { parallelTiles, sharedFloat64 } from '../linalg/parallel-tiles';
import { mirrorLower } from '../linalg/mirror-lower';

export interface KtsOptions {
  /** Largest number of change points considered (cpd_auto's ncp); default n − 1 like DSNet. */
  maxCp?: number;
  /** Penalty weight (cpd_auto's vmax); default 1. */
  vmax?: number;
  /** Longest allowed segment in rows (cpd_nonlin's lmax); default unbounded. */
  maxSegmentLength?: number;
  signal?: AbortSignal;
}

export interface KtsResult {
  changePoints: number[];
  /** cost_m = I[m][n] / N + penalty(m) for every m evaluated (m = 0 … costs.length − 1); Infinity when unreachable. */
  costs: number[];
}

/** A source of kernel rows: fills `out` (length n) with K[r][·]. */
export interface Kernel {
  n: number;
  row(r: number, out: Float64Array): void;
}

const BIG = 1e101;

/** K = X·Xᵀ of the L2-normalised rows of `m` (zero rows stay zero), in float64. */
export function featureKernel(m: FeatureMatrix): Kernel {
  const { rows: n, cols: d } = m;
  const whole = n <= 4096;
  const x = whole ? sharedFloat64(n * d) : new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let t = r * d, e = t + d; t < e; t++) s += m.data[t] * m.data[t];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = r * d, e = t + d; t < e; t++) x[t] = m.data[t] * inv;
  }
  if (whole) {
    // Whole kernel, lower triangle in register tiles over every core (each entry summed in order, so the
    // result is the same whatever the threads), mirrored after: dot(a, b) === dot(b, a) bit for bit.
    const k = sharedFloat64(n * n);
    parallelTiles('dot', x, n, x, n, d, k, true);
    mirrorLower(k, n);
    return matrixKernel(k, n);
  }
  const dot = (a: number, b: number): number => {
    let s0 = 0;
    const ao = a * d;
    const bo = b * d;
    for (let t = 0; t < d; t++) s0 += x[ao + t] * x[bo + t];
    return s0;
  };
  return {
    n,
    row(r, out) {
      for (let c = 0; c < n; c++) out[c] = dot(r, c);
    },
  };
}

/** A kernel given as a dense row-major n × n matrix. */
export function matrixKernel(k: ArrayLike<number>, n: number): Kernel {
  if (k.length !== n * n) throw new RangeError(`kernel needs ${n * n} values, got ${k.length}`);
  return {
    n,
    row(r, out) {
      for (let c = 0; c < n; c++) out[c] = k[r * n + c];
    },
  };
}

/** Band of the scatter matrix: scatter(t, e) for e − w < t ≤ e at `s[e·w + t − e + w − 1]`. */
interface Scatters {
  n: number;
  w: number;
  s: Float64Array;
  min: number;
}

function scatters(kernel: Kernel, w: number, signal?: AbortSignal): Scatters {
  const n = kernel.n;
  const s = new Float64Array(n * w);
  const K1 = new Float64Array(n + 1);
  const D = new Float64Array(n + 1); // diag of K2
  const C = new Float64Array(n); // np.cumsum(K, 0) row r − 1
  const krow = new Float64Array(n);
  const cur = new Float64Array(n + 1); // K2 row r
  // upper[r % (w + 1)][o] = K2[r][r + o], o = 0 … w
  const upper = new Float64Array((w + 1) * (w + 1));
  let min = Infinity;
  for (let r = 1; r <= n; r++) {
    if ((r & 63) === 0) throwIfAborted(signal, 'KTS');
    kernel.row(r - 1, krow);
    K1[r] = K1[r - 1] + krow[r - 1];
    for (let c = 0; c < n; c++) C[c] += krow[c];
    cur[0] = 0;
    for (let c = 0; c < n; c++) cur[c + 1] = cur[c] + C[c];
    D[r] = cur[r];
    const ur = (r % (w + 1)) * (w + 1);
    for (let o = 0; o <= w && r + o <= n; o++) upper[ur + o] = cur[r + o];
    // scatter(i, r − 1) for i in [r − w, r − 1]
    const e = r - 1;
    for (let i = Math.max(0, r - w); i < r; i++) {
      const k2ij1 = i === 0 ? 0 : upper[(i % (w + 1)) * (w + 1) + (r - i)];
      const v = (K1[r] - K1[i]) - (((D[r] + D[i]) - cur[i]) - k2ij1) / (r - i);
      s[e * w + i - e + w - 1] = v;
      if (v < min) min = v;
    }
  }
  return { n, w, s, min };
}

/**
 * The cpd_nonlin DP for k = 0 … m change points (lmin = 1). `onRow(k, cost)` sees I[k][n] after each row and may
 * return false to stop. With `back`, fills back-pointers p[k][l] for k ≤ m.
 *
 * Rows are computed four at a time in one sweep over l: row k + 1 at l needs row k only at t < l, which the sweep
 * has already finished, so the band column scatter(·, l − 1) is read once for four rows instead of once per row
 * (the band is n·w doubles, far larger than the cache) and the four minima run side by side. Each row still scans
 * t upwards with a strict <, so values and first-minimum arguments are those of the one-row loop.
 */
function dp(sc: Scatters, m: number, lmax: number, back: Int32Array | null, onRow: (k: number, score: number) => boolean, signal?: AbortSignal): void {
  const { n, w, s } = sc;
  // rows[0] = I[k0 − 1]; rows[1 … 4] = I[k0 … k0 + 3] being computed.
  const rows = Array.from({ length: 5 }, () => new Float64Array(n + 1).fill(BIG));
  // I[0, lmin:lmax] = J[0, lmin−1:lmax−1]  (note: l = lmax itself is excluded, as in the reference slice)
  for (let l = 1; l < Math.min(lmax, n + 1); l++) rows[0][l] = s[(l - 1) * w + 0 - (l - 1) + w - 1];
  if (!onRow(0, rows[0][n])) return;
  const stride = n + 1;
  for (let k0 = 1; k0 <= m; k0 += 4) {
    throwIfAborted(signal, 'KTS');
    const R = Math.min(4, m - k0 + 1);
    for (let j = 1; j <= R; j++) rows[j].fill(BIG);
    const [p0, p1, p2, p3, p4] = rows;
    for (let l = k0 + 1; l <= n; l++) {
      const off = (l - 1) * w + w - l;
      const lo = l - lmax;
      if (R < 4 || l < k0 + 4) {
        // Not all four rows reachable yet (or a short last block): one row at a time.
        for (let j = 0; j < R && k0 + j < l; j++) {
          const src = rows[j];
          const tmin = Math.max(k0 + j, lo);
          let best = s[off + tmin] + src[tmin];
          let arg = tmin;
          for (let t = tmin + 1; t < l; t++) {
            const c = s[off + t] + src[t];
            if (c < best) {
              best = c;
              arg = t;
            }
          }
          rows[j + 1][l] = best;
          if (back) back[(k0 + j) * stride + l] = arg;
        }
        continue;
      }
      // Row k0 + j starts at t = max(k0 + j, l − lmax); from T0 (row k0 + 3's start) on, all four run together.
      let b0 = Infinity, b1 = Infinity, b2 = Infinity, b3 = Infinity;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      const T0 = Math.max(k0 + 3, lo);
      for (let t = Math.max(k0, lo); t < T0; t++) {
        const v = s[off + t];
        const c0 = v + p0[t];
        if (c0 < b0) { b0 = c0; a0 = t; }
        if (t >= k0 + 1) {
          const c1 = v + p1[t];
          if (c1 < b1) { b1 = c1; a1 = t; }
        }
        if (t >= k0 + 2) {
          const c2 = v + p2[t];
          if (c2 < b2) { b2 = c2; a2 = t; }
        }
      }
      for (let t = T0; t < l; t++) {
        const v = s[off + t];
        const c0 = v + p0[t], c1 = v + p1[t], c2 = v + p2[t], c3 = v + p3[t];
        if (c0 < b0) { b0 = c0; a0 = t; }
        if (c1 < b1) { b1 = c1; a1 = t; }
        if (c2 < b2) { b2 = c2; a2 = t; }
        if (c3 < b3) { b3 = c3; a3 = t; }
      }
      p1[l] = b0; p2[l] = b1; p3[l] = b2; p4[l] = b3;
      if (back) {
        const bo = k0 * stride + l;
        back[bo] = a0; back[bo + stride] = a1; back[bo + 2 * stride] = a2; back[bo + 3 * stride] = a3;
      }
    }
    for (let j = 1; j <= R; j++) if (!onRow(k0 + j - 1, rows[j][n])) return;
    // The last row computed is the next block's source.
    const t = rows[0]; rows[0] = rows[R]; rows[R] = t;
  }
}

/**
 * min over every segmentation (any number of segments, each ≤ lmax rows) of total scatter + λ · change points:
 * G[l] = min_t G[t] + scatter(t, l − 1) + λ, G[0] = 0; returns G[n] − λ. A superset of cpd_nonlin's feasible
 * segmentations, so it bounds every I[k][n] from below: I[k][n] ≥ result − λ·k.
 */
function penalizedMin(sc: Scatters, lmax: number, lambda: number): number {
  const { n, w, s } = sc;
  const G = new Float64Array(n + 1);
  for (let l = 1; l <= n; l++) {
    const tmin = Math.max(0, l - lmax);
    const off = (l - 1) * w + w - l;
    let best = Infinity;
    for (let t = tmin; t < l; t++) {
      const c = s[off + t] + G[t];
      if (c < best) best = c;
    }
    G[l] = best + lambda;
  }
  return G[n] - lambda;
}

function backtrack(back: Int32Array, n: number, m: number): number[] {
  const cps = new Array<number>(m);
  let cur = n;
  for (let k = m; k > 0; k--) {
    cps[k - 1] = back[k * (n + 1) + cur];
    cur = cps[k - 1];
  }
  return cps;
}

function checkKernelSize(n: number, m: number, lmax: number): void {
  if (n < 1) throw new VsumError('BAD_INPUT', 'KTS needs at least one feature row; the features are empty.');
  if (!(Number.isInteger(m) && m >= 0 && m + 1 <= n))
    throw new VsumError('BAD_INPUT', `KTS: the number of change points must be a whole number from 0 to ${n - 1} for ${n} rows, got ${m}.`);
  if (!(Number.isInteger(lmax) && lmax >= 1)) throw new VsumError('BAD_INPUT', `KTS: the maximum segment length must be a whole number ≥ 1, got ${lmax}.`);
  if (n > (m + 1) * lmax)
    throw new VsumError('BAD_INPUT', `KTS: ${n} rows cannot be cut into at most ${m + 1} segments of at most ${lmax} rows. Raise --max-cp or the maximum segment length.`);
}

const UNBOUNDED = 100000; // the reference's default lmax
/** Scatter band + K2 ring together hold about 2·n·w doubles; keep that under 1 GiB. */
const MAX_BAND_CELLS = 1 << 26;

/** The longest segment (rows) that keeps KTS's memory bounded for n rows: unbounded up to n = 8192. */
export function defaultMaxSegmentLength(n: number): number | undefined {
  return n * n <= MAX_BAND_CELLS ? undefined : Math.max(1, Math.floor(MAX_BAND_CELLS / n));
}

function checkMemory(n: number, lmax: number): void {
  const w = Math.min(lmax, n);
  if (n * w > MAX_BAND_CELLS)
    throw new VsumError('BAD_INPUT', `KTS on ${n} rows with segments up to ${w} rows needs about ${Math.round((2 * n * w * 8) / 2 ** 30)} GiB. Bound the segment length (--max-seg-len ${defaultMaxSegmentLength(n)} or less) or use fewer rows.`);
}

/** cpd_nonlin(K, m): the m change points minimising the total within-segment scatter. */
export function cpdNonlin(kernel: Kernel, m: number, opts: { maxSegmentLength?: number; signal?: AbortSignal } = {}): { changePoints: number[]; scores: number[] } {
  const n = kernel.n;
  const lmax = opts.maxSegmentLength ?? UNBOUNDED;
  checkKernelSize(n, m, lmax);
  checkMemory(n, lmax);
  const sc = scatters(kernel, Math.min(lmax, n), opts.signal);
  const back = new Int32Array((m + 1) * (n + 1));
  const scores: number[] = [];
  dp(sc, m, lmax, back, (_k, v) => (scores.push(v > 1e99 ? Infinity : v), true), opts.signal);
  return { changePoints: backtrack(back, n, m), scores };
}

/** cpd_auto(K, ncp, vmax): pick m minimising I[m][n]/N + vmax·m/(2N)·(ln(N/m) + 1), return its change points. */
export function cpdAuto(kernel: Kernel, opts: KtsOptions = {}): KtsResult {
  const n = kernel.n;
  const m = opts.maxCp ?? n - 1;
  const vmax = opts.vmax ?? 1;
  const lmax = opts.maxSegmentLength ?? UNBOUNDED;
  if (!(Number.isFinite(vmax) && vmax >= 0)) throw new VsumError('BAD_INPUT', `KTS: vmax must be a number ≥ 0, got ${vmax}.`);
  checkKernelSize(n, m, lmax);
  checkMemory(n, lmax);
  const sc = scatters(kernel, Math.min(lmax, n), opts.signal);
  const N = n;
  const penalty = (k: number) => (k === 0 ? 0 : ((vmax * k) / (2.0 * N)) * (Math.log(N / k) + 1));
  const lowMin = Math.min(0, sc.min);
  // Lower bound of cost_k: penalty(k) + (k + 1)·min(0, min scatter)/N, concave in k → checking both ends of
  // [k, m] bounds every k' in between.
  const bound = (k: number) => penalty(k) + ((k + 1) * lowMin) / N - 1e-12 * (1 + Math.abs(penalty(k)));
  const storeBack = (m + 1) * (n + 1) <= 1 << 25;
  const back = storeBack ? new Int32Array((m + 1) * (n + 1)) : null;
  const costs: number[] = [];
  let best = Infinity;
  let mBest = 0;
  let prevScore = Infinity;
  dp(sc, m, lmax, back, (k, score) => {
    const cost = (score > 1e99 ? Infinity : score) / N + penalty(k);
    costs.push(cost);
    if (cost < best) {
      best = cost;
      mBest = k;
    }
    if (k + 1 > m) return false;
    if (bound(k + 1) > best && bound(m) > best) return false;
    // Lagrangian bound, every 4 rows past the best: for any λ ≥ 0, I[k'][n] ≥ F(λ) − λ·k' with
    // F(λ) = min over all segmentations of (scatter + λ·change points), one O(n·w) pass. λ = the current slope of
    // I[·][n] makes it tight here; g(k') = (F − λk')/N + penalty(k') is concave, so its two ends bound [k+1, m].
    const slope = prevScore - score;
    prevScore = score;
    if (k >= mBest + 2 && k % 4 === 0 && Number.isFinite(slope) && score < 1e99) {
      const lambda = Math.max(0, slope);
      const F = penalizedMin(sc, lmax, lambda);
      const margin = 1e-9 * (1 + Math.abs(best));
      const g = (kk: number) => (F - lambda * kk) / N + penalty(kk);
      if (g(k + 1) > best + margin && g(m) > best + margin) return false;
    }
    return true;
  }, opts.signal);
  if (!Number.isFinite(best)) throw new VsumError('BAD_INPUT', `KTS: no segmentation of ${n} rows fits the limits (max ${m} change points, segments ≤ ${lmax} rows).`);
  let changePoints: number[];
  if (back) changePoints = backtrack(back, n, mBest);
  else {
    const b2 = new Int32Array((mBest + 1) * (n + 1));
    dp(sc, mBest, lmax, b2, () => true, opts.signal);
    changePoints = backtrack(b2, n, mBest);
  }
  return { changePoints, costs };
}

/** KTS on feature rows (L2-normalised internally). */
export function kts(m: FeatureMatrix, opts: KtsOptions = {}): KtsResult {
  return cpdAuto(featureKernel(m), opts);
}
