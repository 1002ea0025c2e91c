/**
 * Kernel temporal segmentation (Potapov et al. 2014), the cpd_nonlin / cpd_auto of DSNet's `src/kts`
 * (docs/ALGORITHMS.md §kts), with the same change points but without the O(m·n²) Python loops and O(n²) matrices:
 *
 * - unbounded (every segment length allowed, w = n): the double cumulative sums K1 / K2 are formed in exactly
 *   numpy's order (np.cumsum over axis 0, then axis 1, float64) from kernel rows streamed in blocks, and
 *   scatter(i, j) = (K1[j+1] − K1[i]) − (((K2[j+1,j+1] + K2[i,i]) − K2[j+1,i]) − K2[i,j+1]) / (j − i + 1),
 *   the reference's expression term by term, so every value is bit-identical;
 * - bounded (segments ≤ w < n rows): only the band |i − j| < w of K is computed (the engine's GEMM on row blocks)
 *   and each block sum B(i, j) = B(i, j−1) + 2·Σ_{s=i..j} K[s][j] − K[j][j] grows from the previous column, so
 *   memory is O(n·w) and time O(n·w·d) — the same scatters up to rounding (numpy's prefix sums carry n²-sized
 *   partial sums, ours at most w² terms), the same change points;
 * - the DP I[k][l] = min_t I[k−1][t] + scatter(t, l−1) runs over rows of Float64Array, first minimum wins
 *   (np.argmin), unreachable states stay 1e101 like the reference; back-pointers are kept whole only when small,
 *   otherwise every c-th DP row is kept and the back-pointers of one stretch at a time are recomputed from it
 *   (O(n·√m) memory instead of O(n·m));
 * - cpd_auto stops adding change points once the penalty provably exceeds the best cost so far (the penalty is
 *   concave and increasing in m and every scatter ≥ the smallest one computed), which cannot change the argmin.
 *
 * Everything paces itself (src/core/pace.ts): a cancel stops it within one block, progress is reported per phase.
 * Change points are feature-row indices t where a new segment starts: segments are [cps[i], cps[i+1]).
 */
import { VsumError } from '../errors';
import type { FeatureMatrix } from '../features';
import { dotRows } from '../linalg/engine';
import { createPace, type Pace } from '../pace';

export interface KtsProgress {
  phase: 'kernel' | 'segmentation';
  done: number;
  total: number;
}

export interface KtsOptions {
  /** Largest number of change points considered (cpd_auto's ncp); default n − 1 like DSNet. */
  maxCp?: number;
  /** Penalty weight (cpd_auto's vmax); default 1. */
  vmax?: number;
  /** Longest allowed segment in rows (cpd_nonlin's lmax); cpdAuto: unbounded; kts(): defaultMaxSegmentLength. */
  maxSegmentLength?: number;
  /** kts(): feature rows per second of video, for the default segment bound (default 30 fps / 8-frame clips). */
  rowsPerSecond?: number;
  signal?: AbortSignal;
  /** Kernel rows done of n, then change-point counts evaluated of maxCp; a few times a second at most. */
  onProgress?: (p: KtsProgress) => void;
}

export interface KtsResult {
  changePoints: number[];
  /** cost_m = I[m][n] / N + penalty(m) for every m evaluated (m = 0 … costs.length − 1); Infinity when unreachable. */
  costs: number[];
  /** The segment bound the run used (undefined: unbounded). */
  maxSegmentLength?: number;
}

/** A source of kernel entries: K[r][c] for r in [r0, r1), c in [c0, c1), row-major. */
export interface Kernel {
  n: number;
  block(r0: number, r1: number, c0: number, c1: number, signal?: AbortSignal): Promise<Float64Array>;
}

const BIG = 1e101;
/** Kernel entries fetched per block (32 MB). */
const BLOCK_CELLS = 1 << 22;
const PROGRESS_MS = 100;

/** Longest segment the default allows, in seconds of video: see defaultMaxSegmentLength. */
export const KTS_MAX_SEGMENT_SECONDS = 120;
/** Rows per second assumed when the frame rate is unknown: 30 fps, 8-frame clips. */
const DEFAULT_ROWS_PER_SECOND = 30 / 8;

/**
 * The default longest segment in rows: KTS_MAX_SEGMENT_SECONDS of video (450 clips at 30 fps). Real shots last
 * seconds (SumMe/TVSum medians are 2–5 s), so a 2-minute cap never cuts a shot an editor made, while it bounds the
 * band of scatters KTS keeps to n × 450 values (97 MB for a 2-hour video) and its time to O(m·n·450).
 * Undefined (unbounded, exactly numpy's cpd_auto) when the input is no longer than that.
 */
export function defaultMaxSegmentLength(n: number, rowsPerSecond = DEFAULT_ROWS_PER_SECOND): number | undefined {
  const L = Math.max(1, Math.round(KTS_MAX_SEGMENT_SECONDS * rowsPerSecond));
  return n > L ? L : undefined;
}

function normalisedRows(m: FeatureMatrix): Float64Array {
  const { rows: n, cols: d } = m;
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let t = r * d, e = t + d; t < e; t++) s += m.data[t] * m.data[t];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = r * d, e = t + d; t < e; t++) x[t] = m.data[t] * inv;
  }
  return x;
}

/** K = X·Xᵀ of the L2-normalised rows of `m` (zero rows stay zero), in float64, computed block by block. */
export function featureKernel(m: FeatureMatrix): Kernel {
  const { rows: n, cols: d } = m;
  const x = normalisedRows(m);
  return {
    n,
    block: (r0, r1, c0, c1, signal) =>
      dotRows(x.subarray(r0 * d, r1 * d), r1 - r0, x.subarray(c0 * d, c1 * d), c1 - c0, d, signal),
  };
}

/** A kernel given as a dense row-major n × n matrix. */
export function matrixKernel(k: ArrayLike<number>, n: number): Kernel {
  if (k.length !== n * n) throw new RangeError(`kernel needs ${n * n} values, got ${k.length}`);
  return {
    n,
    block: async (r0, r1, c0, c1) => {
      const w = c1 - c0;
      const out = new Float64Array((r1 - r0) * w);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[(r - r0) * w + c - c0] = k[r * n + c];
      return out;
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

interface Ctx {
  signal?: AbortSignal;
  pace: Pace;
  progress: (phase: KtsProgress['phase'], done: number, total: number) => void;
}

function context(opts: Pick<KtsOptions, 'signal' | 'onProgress'>): Ctx {
  let last = -Infinity;
  return {
    signal: opts.signal,
    pace: createPace(opts.signal, 'KTS'),
    progress: (phase, done, total) => {
      const now = performance.now();
      if (!opts.onProgress || (now - last < PROGRESS_MS && done < total)) return;
      last = now;
      opts.onProgress({ phase, done, total });
    },
  };
}

/** Unbounded scatters in numpy's exact order (w = n). */
async function scattersPrefix(kernel: Kernel, ctx: Ctx): Promise<Scatters> {
  const n = kernel.n;
  const w = n;
  const s = new Float64Array(n * w);
  const K1 = new Float64Array(n + 1);
  const D = new Float64Array(n + 1); // diag of K2
  const C = new Float64Array(n); // np.cumsum(K, 0) row r − 1
  const cur = new Float64Array(n + 1); // K2 row r
  // upper[r % (w + 1)][o] = K2[r][r + o], o = 0 … w
  const upper = new Float64Array((w + 1) * (w + 1));
  const rowsPerBlock = Math.max(1, Math.floor(BLOCK_CELLS / n));
  let min = Infinity;
  let blk: Float64Array = new Float64Array(0);
  let blk0 = 0;
  for (let r = 1; r <= n; r++) {
    if (r - 1 >= blk0 + blk.length / n || r === 1) {
      blk0 = r - 1;
      blk = await kernel.block(blk0, Math.min(n, blk0 + rowsPerBlock), 0, n, ctx.signal);
    }
    const ko = (r - 1 - blk0) * n;
    K1[r] = K1[r - 1] + blk[ko + r - 1];
    for (let c = 0; c < n; c++) C[c] += blk[ko + c];
    cur[0] = 0;
    for (let c = 0; c < n; c++) cur[c + 1] = cur[c] + C[c];
    D[r] = cur[r];
    const ur = (r % (w + 1)) * (w + 1);
    for (let o = 0; o <= w && r + o <= n; o++) upper[ur + o] = cur[r + o];
    // scatter(i, r − 1) for i in [r − w, r − 1]
    const e = r - 1;
    for (let i = Math.max(0, r - w); i < r; i++) {
      const k2ij1 = i === 0 ? 0 : upper[(i % (w + 1)) * (w + 1) + (r - i)];
      const v = K1[r] - K1[i] - (D[r] + D[i] - cur[i] - k2ij1) / (r - i);
      s[e * w + i - e + w - 1] = v;
      if (v < min) min = v;
    }
    ctx.progress('kernel', r, n);
    const p = ctx.pace();
    if (p) await p;
  }
  return { n, w, s, min };
}

/** Bounded scatters (w < n) from the kernel band, column by column. */
async function scattersBand(kernel: Kernel, w: number, ctx: Ctx): Promise<Scatters> {
  const n = kernel.n;
  const s = new Float64Array(n * w);
  const K1 = new Float64Array(n + 1);
  // B(i, e) of the previous and the current end e, at index i − (e − w + 1).
  let prevB = new Float64Array(w);
  let curB = new Float64Array(w);
  const E = Math.min(n, Math.max(64, w)); // ends per block: the (E + w) × E rectangle is at most 2× the band
  let min = Infinity;
  for (let e0 = 0; e0 < n; e0 += E) {
    const e1 = Math.min(n, e0 + E);
    const s0 = Math.max(0, e0 - w + 1);
    const cols = e1 - e0;
    const blk = await kernel.block(s0, e1, e0, e1, ctx.signal); // K[s][e] at (s − s0)·cols + e − e0
    for (let e = e0; e < e1; e++) {
      const kee = blk[(e - s0) * cols + e - e0];
      K1[e + 1] = K1[e] + kee;
      const lo = Math.max(0, e - w + 1);
      let col = 0;
      for (let i = e; i >= lo; i--) {
        col += blk[(i - s0) * cols + e - e0];
        const b = i === e ? kee : prevB[i - e + w] + 2 * col - kee;
        curB[i - e + w - 1] = b;
        const v = K1[e + 1] - K1[i] - b / (e - i + 1);
        s[e * w + i - e + w - 1] = v;
        if (v < min) min = v;
      }
      const t = prevB;
      prevB = curB;
      curB = t;
    }
    ctx.progress('kernel', e1, n);
    const p = ctx.pace();
    if (p) await p;
  }
  return { n, w, s, min };
}

function scatters(kernel: Kernel, w: number, ctx: Ctx): Promise<Scatters> {
  return w >= kernel.n ? scattersPrefix(kernel, ctx) : scattersBand(kernel, w, ctx);
}

/** I[0][l] = scatter(0, l − 1) for l < lmax (the reference's I[0, lmin:lmax] slice excludes l = lmax itself). */
function firstRow(sc: Scatters, lmax: number): Float64Array {
  const { n, w, s } = sc;
  const row = new Float64Array(n + 1).fill(BIG);
  for (let l = 1; l < Math.min(lmax, n + 1); l++) row[l] = s[(l - 1) * w + 0 - (l - 1) + w - 1];
  return row;
}

/**
 * The cpd_nonlin DP rows k = kFrom … kTo (lmin = 1) from `start` = I[kFrom − 1]. `onRow(k, cost, row)` sees
 * I[k][n] after each row and may return false to stop. With `back`, fills back-pointers p[k][l] at
 * back[(k − kFrom)·(n + 1) + l].
 *
 * Rows are computed four at a time in one sweep over l: row k + 1 at l needs row k only at t < l, which the sweep
 * has already finished, so the band column scatter(·, l − 1) is read once for four rows instead of once per row
 * (the band is n·w doubles, far larger than the cache) and the four minima run side by side. Each row still scans
 * t upwards with a strict <, so values and first-minimum arguments are those of the one-row loop.
 */
async function dp(
  sc: Scatters,
  kFrom: number,
  kTo: number,
  start: Float64Array,
  lmax: number,
  back: Int32Array | null,
  onRow: (k: number, score: number, row: Float64Array) => boolean,
  ctx: Ctx,
): Promise<void> {
  const { n, w, s } = sc;
  // rows[0] = I[k0 − 1]; rows[1 … 4] = I[k0 … k0 + 3] being computed.
  const rows = Array.from({ length: 5 }, () => new Float64Array(n + 1).fill(BIG));
  rows[0].set(start);
  const stride = n + 1;
  for (let k0 = kFrom; k0 <= kTo; k0 += 4) {
    const R = Math.min(4, kTo - k0 + 1);
    for (let j = 1; j <= R; j++) rows[j].fill(BIG);
    const [p0, p1, p2, p3, p4] = rows;
    const bo0 = (k0 - kFrom) * stride;
    for (let l = k0 + 1; l <= n; l++) {
      if ((l & 2047) === 0) {
        const p = ctx.pace();
        if (p) await p;
      }
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
          if (back) back[bo0 + j * stride + l] = arg;
        }
        continue;
      }
      // Row k0 + j starts at t = max(k0 + j, l − lmax); from T0 (row k0 + 3's start) on, all four run together.
      let b0 = Infinity,
        b1 = Infinity,
        b2 = Infinity,
        b3 = Infinity;
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0;
      const T0 = Math.max(k0 + 3, lo);
      for (let t = Math.max(k0, lo); t < T0; t++) {
        const v = s[off + t];
        const c0 = v + p0[t];
        if (c0 < b0) {
          b0 = c0;
          a0 = t;
        }
        if (t >= k0 + 1) {
          const c1 = v + p1[t];
          if (c1 < b1) {
            b1 = c1;
            a1 = t;
          }
        }
        if (t >= k0 + 2) {
          const c2 = v + p2[t];
          if (c2 < b2) {
            b2 = c2;
            a2 = t;
          }
        }
      }
      for (let t = T0; t < l; t++) {
        const v = s[off + t];
        const c0 = v + p0[t],
          c1 = v + p1[t],
          c2 = v + p2[t],
          c3 = v + p3[t];
        if (c0 < b0) {
          b0 = c0;
          a0 = t;
        }
        if (c1 < b1) {
          b1 = c1;
          a1 = t;
        }
        if (c2 < b2) {
          b2 = c2;
          a2 = t;
        }
        if (c3 < b3) {
          b3 = c3;
          a3 = t;
        }
      }
      p1[l] = b0;
      p2[l] = b1;
      p3[l] = b2;
      p4[l] = b3;
      if (back) {
        const bo = bo0 + l;
        back[bo] = a0;
        back[bo + stride] = a1;
        back[bo + 2 * stride] = a2;
        back[bo + 3 * stride] = a3;
      }
    }
    for (let j = 1; j <= R; j++) if (!onRow(k0 + j - 1, rows[j][n], rows[j])) return;
    // The last row computed is the next block's source.
    const t = rows[0];
    rows[0] = rows[R];
    rows[R] = t;
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

/** Back-pointer tables up to this many entries are kept whole (64 MB); larger ones are recomputed in stretches. */
const MAX_BACK_CELLS = 1 << 24;

/**
 * DP rows kept for backtracking: all back-pointers when (m + 1)·(n + 1) is small, else every `every`-th row I[k]
 * (k = 0, c, 2c, …) from which a stretch of back-pointers is recomputed during the backtrack.
 */
class Backtracker {
  readonly back: Int32Array | null;
  readonly every: number;
  private readonly kept = new Map<number, Float64Array>();

  constructor(
    private readonly sc: Scatters,
    private readonly lmax: number,
    m: number,
    first: Float64Array,
  ) {
    const cells = (m + 1) * (sc.n + 1);
    this.back = cells <= MAX_BACK_CELLS ? new Int32Array(cells) : null;
    this.every = Math.max(4, Math.ceil(Math.sqrt(m + 1)));
    this.kept.set(0, first);
  }

  /** Called with every DP row: keeps the checkpoint rows. */
  see(k: number, row: Float64Array): void {
    if (!this.back && k % this.every === 0) this.kept.set(k, Float64Array.from(row));
  }

  /** The change points of the best segmentation with m change points (back-pointers from the DP, rows 1 … m). */
  async changePoints(m: number, ctx: Ctx): Promise<number[]> {
    const n = this.sc.n;
    const stride = n + 1;
    const cps = new Array<number>(m);
    let cur = n;
    if (this.back) {
      for (let k = m; k > 0; k--) {
        cps[k - 1] = this.back[(k - 1) * stride + cur];
        cur = cps[k - 1];
      }
      return cps;
    }
    for (let hi = m; hi > 0;) {
      const lo = Math.floor((hi - 1) / this.every) * this.every;
      const back = new Int32Array((hi - lo) * stride);
      await dp(this.sc, lo + 1, hi, this.kept.get(lo)!, this.lmax, back, () => true, ctx);
      for (let k = hi; k > lo; k--) {
        cps[k - 1] = back[(k - lo - 1) * stride + cur];
        cur = cps[k - 1];
      }
      hi = lo;
    }
    return cps;
  }
}

function checkKernelSize(n: number, m: number, lmax: number): void {
  if (n < 1) throw new VsumError('BAD_INPUT', 'KTS needs at least one feature row; the features are empty.');
  if (!(Number.isInteger(m) && m >= 0 && m + 1 <= n))
    throw new VsumError(
      'BAD_INPUT',
      `KTS: the number of change points must be a whole number from 0 to ${n - 1} for ${n} rows, got ${m}.`,
    );
  if (!(Number.isInteger(lmax) && lmax >= 1))
    throw new VsumError('BAD_INPUT', `KTS: the maximum segment length must be a whole number ≥ 1, got ${lmax}.`);
  if (n > (m + 1) * lmax)
    throw new VsumError(
      'BAD_INPUT',
      `KTS: ${n} rows cannot be cut into at most ${m + 1} segments of at most ${lmax} rows. Raise --max-cp or the maximum segment length.`,
    );
}

/** The reference's default lmax: segments of any length (for inputs up to that many rows). */
export const KTS_UNBOUNDED = 100000;
const UNBOUNDED = KTS_UNBOUNDED;
/** Scatter band cells (n·w doubles, plus the K2 ring when unbounded): at most 256 MB. */
const MAX_BAND_CELLS = 1 << 25;

function checkMemory(n: number, lmax: number): void {
  const w = Math.min(lmax, n);
  const cells = w >= n ? n * n + (n + 1) * (n + 1) : n * w;
  if (cells > MAX_BAND_CELLS) {
    const fit = Math.max(1, Math.floor(MAX_BAND_CELLS / n));
    throw new VsumError(
      'BAD_INPUT',
      `KTS on ${n} rows with segments up to ${w} rows needs about ${Math.round((cells * 8) / 2 ** 20)} MB. Bound the segment length (--max-seg-len ${Math.min(fit, defaultMaxSegmentLength(n) ?? fit)} or less) or use fewer rows.`,
    );
  }
}

/** cpd_nonlin(K, m): the m change points minimising the total within-segment scatter. */
export async function cpdNonlin(
  kernel: Kernel,
  m: number,
  opts: Pick<KtsOptions, 'maxSegmentLength' | 'signal' | 'onProgress'> = {},
): Promise<{ changePoints: number[]; scores: number[] }> {
  const n = kernel.n;
  const lmax = opts.maxSegmentLength ?? UNBOUNDED;
  checkKernelSize(n, m, lmax);
  checkMemory(n, lmax);
  const ctx = context(opts);
  const sc = await scatters(kernel, Math.min(lmax, n), ctx);
  const first = firstRow(sc, lmax);
  const bt = new Backtracker(sc, lmax, m, first);
  const scores: number[] = [first[n] > 1e99 ? Infinity : first[n]];
  await dp(
    sc,
    1,
    m,
    first,
    lmax,
    bt.back,
    (k, v, row) => {
      scores.push(v > 1e99 ? Infinity : v);
      bt.see(k, row);
      ctx.progress('segmentation', k, m);
      return true;
    },
    ctx,
  );
  return { changePoints: await bt.changePoints(m, ctx), scores };
}

/** cpd_auto(K, ncp, vmax): pick m minimising I[m][n]/N + vmax·m/(2N)·(ln(N/m) + 1), return its change points. */
export async function cpdAuto(kernel: Kernel, opts: KtsOptions = {}): Promise<KtsResult> {
  const n = kernel.n;
  const m = opts.maxCp ?? n - 1;
  const vmax = opts.vmax ?? 1;
  const lmax = opts.maxSegmentLength ?? UNBOUNDED;
  if (!(Number.isFinite(vmax) && vmax >= 0))
    throw new VsumError('BAD_INPUT', `KTS: vmax must be a number ≥ 0, got ${vmax}.`);
  checkKernelSize(n, m, lmax);
  checkMemory(n, lmax);
  const ctx = context(opts);
  const sc = await scatters(kernel, Math.min(lmax, n), ctx);
  const N = n;
  const penalty = (k: number) => (k === 0 ? 0 : ((vmax * k) / (2.0 * N)) * (Math.log(N / k) + 1));
  const lowMin = Math.min(0, sc.min);
  // Lower bound of cost_k: penalty(k) + (k + 1)·min(0, min scatter)/N, concave in k → checking both ends of
  // [k, m] bounds every k' in between.
  const bound = (k: number) => penalty(k) + ((k + 1) * lowMin) / N - 1e-12 * (1 + Math.abs(penalty(k)));
  const first = firstRow(sc, lmax);
  const bt = new Backtracker(sc, lmax, m, first);
  const costs: number[] = [];
  let best = Infinity;
  let mBest = 0;
  let prevScore = Infinity;
  const onRow = (k: number, score: number): boolean => {
    const cost = (score > 1e99 ? Infinity : score) / N + penalty(k);
    costs.push(cost);
    ctx.progress('segmentation', k, m);
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
  };
  if (onRow(0, first[n])) {
    await dp(
      sc,
      1,
      m,
      first,
      lmax,
      bt.back,
      (k, score, row) => {
        bt.see(k, row);
        return onRow(k, score);
      },
      ctx,
    );
  }
  if (!Number.isFinite(best))
    throw new VsumError(
      'BAD_INPUT',
      `KTS: no segmentation of ${n} rows fits the limits (max ${m} change points, segments ≤ ${lmax} rows).`,
    );
  const changePoints = await bt.changePoints(mBest, ctx);
  return { changePoints, costs, maxSegmentLength: lmax >= n ? undefined : lmax };
}

/**
 * KTS on feature rows (L2-normalised internally). Without maxSegmentLength, long inputs are bounded by
 * defaultMaxSegmentLength(n, rowsPerSecond); inputs no longer than that run unbounded, exactly as numpy.
 */
export function kts(m: FeatureMatrix, opts: KtsOptions = {}): Promise<KtsResult> {
  const maxSegmentLength = opts.maxSegmentLength ?? defaultMaxSegmentLength(m.rows, opts.rowsPerSecond);
  return cpdAuto(featureKernel(m), { ...opts, maxSegmentLength });
}
