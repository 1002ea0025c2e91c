/**
 * k-means keyshots (docs/ALGORITHMS.md §k-means): cluster the clip embeddings into k = round(ratio · n_clips) groups
 * (Python rounding, ties to even), take the clip nearest to each centroid, output those clips' frames in clip order.
 *
 * seed-faithful: random init from the data (k distinct rows), 10 Lloyd iterations like faiss' defaults, duplicates
 * kept (two centroids may pick the same clip, which is then written twice), k = 0 is an error (the original crashes).
 * default: k ≥ 1, greedy k-means++ init, `restarts` runs keeping the lowest inertia (first on ties), Lloyd until
 * the assignment or the centres stop changing (≤ maxIter), duplicate clips removed. All randomness from createRng(seed).
 *
 * Distances (ALGORITHMS.md §k-means): candidate nearest centres come from ‖x‖² − 2x·c + ‖c‖² with x·c from the
 * engine's GEMM (src/core/linalg/engine.ts), in row blocks; every candidate within that expression's rounding bound
 * of the minimum is then re-scored with the direct Σ(x − c)², so labels, distances and the chosen clips equal a
 * straightforward implementation's (first index on ties) while the bulk of the work runs in MLAS.
 * Memory is O(n·d + k·d + block·k): no n × n matrix, except the k-means++ Gram matrix for n ≤ GRAM_MAX_ROWS.
 * Every restart, iteration and init step paces itself (src/core/pace.ts): a cancel stops it within one block.
 */
import { VsumError, throwIfAborted } from '../errors';
import type { FeatureMatrix } from '../features';
import { createRng, type Rng } from '../random';
import { dotRows } from '../linalg/engine';
import { createPace, type Pace } from '../pace';
import { pythonRound } from './python-round';
import type { Selection, SummarizeInput, Summarizer } from './selection';
import { checkRatio, checkSeed, clipLayout } from './validate';
import { DEFAULT_KMEANS_RESTARTS, DEFAULT_RATIO, DEFAULT_SEED } from '../stages/defaults';

export interface KmeansOptions {
  ratio: number;
  seed: number;
  seedFaithful: boolean;
  /** Independent runs (default mode); the lowest inertia wins. */
  restarts: number;
  /** Lloyd iterations (seed-faithful: exactly 10, like faiss' niter=10). */
  maxIter: number;
}

export const KMEANS_DEFAULTS: KmeansOptions = {
  ratio: DEFAULT_RATIO,
  seed: DEFAULT_SEED,
  seedFaithful: false,
  restarts: DEFAULT_KMEANS_RESTARTS,
  maxIter: 100,
};

export interface KmeansResult {
  k: number;
  /** k × d, row-major. */
  centroids: Float64Array;
  labels: Int32Array;
  /** Squared distance of each row to its centroid. */
  dist2: Float64Array;
  inertia: number;
  iterations: number;
}

/** Where a k-means run is: restart r (1-based) of R, iteration i of at most maxIter (0 while initialising). */
export interface KmeansProgress {
  restart: number;
  restarts: number;
  iteration: number;
  maxIter: number;
}

/** What a run needs besides the data: cancellation, pacing, progress. */
export interface KmeansRunOptions {
  signal?: AbortSignal;
  onProgress?: (p: KmeansProgress) => void;
}

interface Run {
  signal?: AbortSignal;
  pace: Pace;
  progress: (iteration: number) => void;
}

/** Progress reports at most this often (the first of each restart always). */
const PROGRESS_MS = 100;

function run(opts: KmeansRunOptions = {}, restart = 1, restarts = 1, maxIter = 0): Run {
  let last = -Infinity;
  return {
    signal: opts.signal,
    pace: createPace(opts.signal, 'k-means'),
    progress: (iteration) => {
      const now = performance.now();
      if (!opts.onProgress || now - last < PROGRESS_MS) return;
      last = now;
      opts.onProgress({ restart, restarts, iteration, maxIter });
    },
  };
}

/** The feature rows as float64 (exact: every float32 is a float64). */
function rows64(m: FeatureMatrix): Float64Array {
  return Float64Array.from(m.data.subarray(0, m.rows * m.cols));
}

function rowNorms(x: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let t = r * d, e = t + d; t < e; t++) s += x[t] * x[t];
    out[r] = s;
  }
  return out;
}

function sqDist(x: ArrayLike<number>, xo: number, c: ArrayLike<number>, co: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = x[xo + t] - c[co + t];
    s += v * v;
  }
  return s;
}

/**
 * Bound on the rounding error of ‖x‖² − 2x·c + ‖c‖² relative to ‖x‖² + ‖c‖² (each of the d-term sums errs by at
 * most d·ε·Σ|x_t·c_t| ≤ d·ε·(‖x‖² + ‖c‖²)/2, whatever the summation order; doubled for safety).
 */
const expansionTolerance = (d: number) => (4 * d + 16) * Number.EPSILON;

/** Rows per block of the distance tables, so they stay small for long videos (block × k doubles). */
const BLOCK_ROWS = 512;

/** The centres with their squared norms, for the expanded distance. */
interface Centres {
  c: Float64Array;
  cn: Float64Array;
  cnMax: number;
  k: number;
}

function centres(c: Float64Array, k: number, d: number): Centres {
  const cn = rowNorms(c, k, d);
  return { c, cn, cnMax: cn.reduce((a, b) => Math.max(a, b), 0), k };
}

/**
 * For each of the nr rows of `a` (squared norms `an`): the nearest centre by the direct Σ(a − c)² (first on ties)
 * into labels/best, and into `second` a lower bound on the squared distance to every other centre.
 */
async function nearestCentres(
  a: Float64Array,
  an: Float64Array,
  nr: number,
  cs: Centres,
  d: number,
  labels: Int32Array,
  best: Float64Array,
  second: Float64Array | null,
  r: Run,
): Promise<void> {
  const { c, cn, k } = cs;
  const dots = await dotRows(a, nr, c, k, d, r.signal);
  const tolScale = expansionTolerance(d);
  for (let i = 0; i < nr; i++) {
    const o = i * k;
    const xn = an[i];
    let mn = Infinity;
    for (let j = 0; j < k; j++) {
      const v = xn - 2 * dots[o + j] + cn[j];
      dots[o + j] = v;
      if (v < mn) mn = v;
    }
    const tol = tolScale * (xn + cs.cnMax);
    let bestD = Infinity,
      arg = 0;
    for (let j = 0; j < k; j++) {
      if (dots[o + j] > mn + 2 * tol) continue;
      const v = sqDist(a, i * d, c, j * d, d);
      if (v < bestD) {
        bestD = v;
        arg = j;
      }
    }
    labels[i] = arg;
    best[i] = bestD;
    if (second) {
      let s2 = Infinity;
      for (let j = 0; j < k; j++) if (j !== arg && dots[o + j] < s2) s2 = dots[o + j];
      second[i] = Math.max(0, s2 - tol);
    }
  }
}

/** Nearest centroid per row (first on ties) by Σ(x − c)², candidates from the engine. Returns the inertia. */
export async function assignNearest(
  m: FeatureMatrix,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  dist2: Float64Array,
  opts: KmeansRunOptions = {},
  x64 = rows64(m),
): Promise<number> {
  return assignAll(
    x64,
    rowNorms(x64, m.rows, m.cols),
    m.rows,
    m.cols,
    centres(centroids, k, m.cols),
    labels,
    dist2,
    run(opts),
  );
}

async function assignAll(
  x64: Float64Array,
  xn: Float64Array,
  n: number,
  d: number,
  cs: Centres,
  labels: Int32Array,
  dist2: Float64Array,
  r: Run,
): Promise<number> {
  let inertia = 0;
  for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
    const nr = Math.min(BLOCK_ROWS, n - r0);
    await nearestCentres(
      x64.subarray(r0 * d, (r0 + nr) * d),
      xn.subarray(r0, r0 + nr),
      nr,
      cs,
      d,
      labels.subarray(r0, r0 + nr),
      dist2.subarray(r0, r0 + nr),
      null,
      r,
    );
    for (let i = r0; i < r0 + nr; i++) inertia += dist2[i];
    await r.pace();
  }
  return inertia;
}

/**
 * For each centroid the row with the smallest Σ(x − c)² (first on ties), in centroid order. Rows stream past in
 * blocks; a row within the rounding bound of a centroid's best expanded distance so far is queued for the direct
 * sum, and the queue is resolved whenever it grows, so memory stays O(k) even when many rows tie.
 */
export async function nearestClips(
  m: FeatureMatrix,
  centroids: Float64Array,
  k: number,
  opts: KmeansRunOptions = {},
  x64 = rows64(m),
): Promise<number[]> {
  const { rows: n, cols: d } = m;
  const r = run(opts);
  const xn = rowNorms(x64, n, d);
  const cn = rowNorms(centroids, k, d);
  const xnMax = xn.reduce((a, b) => Math.max(a, b), 0);
  const tolScale = expansionTolerance(d);
  const bestV = new Float64Array(k).fill(Infinity); // smallest expanded distance seen
  const exactD = new Float64Array(k).fill(Infinity); // smallest direct distance among resolved rows
  const exactRow = new Array<number>(k).fill(-1);
  const queue: number[][] = Array.from({ length: k }, () => []);
  const resolve = (c: number) => {
    for (const row of queue[c]) {
      const v = sqDist(x64, row * d, centroids, c * d, d);
      if (v < exactD[c] || (v === exactD[c] && row < exactRow[c])) {
        exactD[c] = v;
        exactRow[c] = row;
      }
    }
    queue[c].length = 0;
  };
  for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
    const nr = Math.min(BLOCK_ROWS, n - r0);
    const dots = await dotRows(x64.subarray(r0 * d, (r0 + nr) * d), nr, centroids, k, d, r.signal);
    for (let i = 0; i < nr; i++) {
      const row = r0 + i;
      for (let c = 0, o = i * k; c < k; c++) {
        const v = xn[row] - 2 * dots[o + c] + cn[c];
        const tol = 2 * tolScale * (xnMax + cn[c]);
        if (v > bestV[c] + tol) continue;
        if (v < bestV[c]) bestV[c] = v;
        queue[c].push(row);
        if (queue[c].length >= 64) resolve(c);
      }
    }
    await r.pace();
  }
  for (let c = 0; c < k; c++) resolve(c);
  return exactRow;
}

function initRandom(m: FeatureMatrix, k: number, rng: Rng): Float64Array {
  const d = m.cols;
  const picks = rng.shuffle(rng.sampleSorted(m.rows, k));
  const c = new Float64Array(k * d);
  picks.forEach((r, i) => c.set(m.data.subarray(r * d, (r + 1) * d), i * d));
  return c;
}

/** Rows up to which the init keeps the whole Gram matrix (n² doubles: 72 MB at the limit, freed after the run). */
const GRAM_MAX_ROWS = 3000;

/** What every restart's k-means++ init shares: the rows as float64, their squared norms, the Gram matrix X·Xᵀ. */
interface InitData {
  x64: Float64Array;
  xn: Float64Array;
  /** n × n, or null past GRAM_MAX_ROWS (then each step computes its candidates' dot products). */
  gram: Float64Array | null;
}

async function initData(m: FeatureMatrix, x64: Float64Array, signal?: AbortSignal): Promise<InitData> {
  const { rows: n, cols: d } = m;
  // Candidates are data rows, so with the Gram matrix every candidate distance is a lookup: one n²·d product for
  // all restarts instead of (k − 1)·trials·n·d per restart.
  const gram = n <= GRAM_MAX_ROWS ? await dotRows(x64, n, x64, n, d, signal) : null;
  return { x64, xn: rowNorms(x64, n, d), gram };
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii; the variant scikit-learn uses): each next centre is the best of
 * 2 + ⌊ln k⌋ candidates drawn with probability ∝ D² to the nearest chosen centre, "best" = lowest total D² after
 * adding it. D²(row, candidate) = ‖x‖² − 2x·c + ‖c‖² (clamped at 0; 0 for the candidate itself).
 */
async function initPlusPlus(m: FeatureMatrix, k: number, rng: Rng, data: InitData, r: Run): Promise<Float64Array> {
  const { rows: n, cols: d } = m;
  const { x64: x, xn, gram } = data;
  const c = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  c.set(x.subarray(first * d, (first + 1) * d), 0);
  const dmin = new Float64Array(n);
  let pot = 0;
  for (let row = 0; row < n; row++) {
    dmin[row] = sqDist(x, row * d, c, 0, d);
    pot += dmin[row];
  }
  const candRows = new Int32Array(trials);
  const candBuf = new Float64Array(trials * d); // candidate rows (only used without the Gram matrix)
  const candD = new Float64Array(trials * n); // candD[j·n + r] = min(dmin[r], D²(row r, candidate j))
  const pick = (): number => {
    if (!(pot > 0)) return rng.int(n); // every row coincides with a centre already
    let u = rng.next() * pot;
    for (let row = 0; row < n; row++) {
      u -= dmin[row];
      if (u < 0) return row;
    }
    return n - 1;
  };
  for (let j = 1; j < k; j++) {
    // Draw all candidates first (as scikit-learn does), then measure them together.
    for (let tr = 0; tr < trials; tr++) candRows[tr] = pick();
    let candDots: Float64Array | null = null; // candDots[q·n + r] = x_r · candidate q
    if (!gram) {
      for (let tr = 0; tr < trials; tr++) candBuf.set(x.subarray(candRows[tr] * d, (candRows[tr] + 1) * d), tr * d);
      candDots = await dotRows(candBuf, trials, x, n, d, r.signal);
    }
    for (let q = 0; q < trials; q++) {
      const cr = candRows[q];
      const dots = gram ? gram.subarray(cr * n, (cr + 1) * n) : candDots!.subarray(q * n, (q + 1) * n);
      const out = q * n;
      for (let row = 0; row < n; row++) {
        let v = xn[row] - 2 * dots[row] + xn[cr];
        if (v < 0 || row === cr) v = 0;
        candD[out + row] = v < dmin[row] ? v : dmin[row];
      }
    }
    let best = 0;
    let bestPot = Infinity;
    for (let tr = 0; tr < trials; tr++) {
      let p = 0;
      for (let row = 0; row < n; row++) p += candD[tr * n + row];
      if (p < bestPot) {
        bestPot = p;
        best = tr;
      }
    }
    c.set(x.subarray(candRows[best] * d, (candRows[best] + 1) * d), j * d);
    dmin.set(candD.subarray(best * n, (best + 1) * n));
    pot = bestPot;
    await r.pace();
  }
  return c;
}

/** scikit-learn's tolerance scale: tol · mean over features of the feature variance. */
function varianceTolerance(m: FeatureMatrix, tol: number): number {
  const { rows: n, cols: d, data: x } = m;
  let total = 0;
  for (let t = 0; t < d; t++) {
    let s = 0,
      s2 = 0;
    for (let r = 0; r < n; r++) {
      const v = x[r * d + t];
      s += v;
      s2 += v * v;
    }
    const mean = s / n;
    total += Math.max(0, s2 / n - mean * mean);
  }
  return (tol * total) / d;
}

/**
 * One Lloyd run from `centroids` (updated in place). `fixedIter` (the seed-faithful mode): exactly maxIter plain
 * Lloyd updates, like faiss' niter = 10, an empty cluster keeping its centre. Otherwise Lloyd with Hamerly-style
 * bounds (an upper bound on each row's distance to its centre, a lower bound on the distance to any other; rows
 * whose bounds still separate skip the distance scan — same fixed point, far less work once clusters settle),
 * stopping when no label changes or the centres moved less than 1e-4 · mean feature variance in total
 * (scikit-learn's rule); an emptied cluster moves to the row farthest from its centre.
 */
export async function lloyd(
  m: FeatureMatrix,
  k: number,
  centroids: Float64Array,
  maxIter: number,
  fixedIter: boolean,
  opts: KmeansRunOptions = {},
  x64 = rows64(m),
): Promise<KmeansResult> {
  const r = run(opts, 1, 1, maxIter);
  return fixedIter ? lloydPlain(m, k, centroids, maxIter, x64, r) : lloydBounded(m, k, centroids, maxIter, x64, r);
}

function accumulate(m: FeatureMatrix, k: number, labels: Int32Array, sums: Float64Array, counts: Int32Array): void {
  const { rows: n, cols: d, data: x } = m;
  sums.fill(0);
  counts.fill(0);
  for (let r = 0; r < n; r++) {
    const c = labels[r];
    counts[c]++;
    const so = c * d;
    for (let t = 0, ro = r * d; t < d; t++) sums[so + t] += x[ro + t];
  }
}

async function lloydPlain(
  m: FeatureMatrix,
  k: number,
  centroids: Float64Array,
  maxIter: number,
  x64: Float64Array,
  r: Run,
): Promise<KmeansResult> {
  const { rows: n, cols: d } = m;
  const labels = new Int32Array(n).fill(-1);
  const dist2 = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const xn = rowNorms(x64, n, d);
  let inertia = await assignAll(x64, xn, n, d, centres(centroids, k, d), labels, dist2, r);
  let it = 0;
  for (; it < maxIter; it++) {
    r.progress(it + 1);
    accumulate(m, k, labels, sums, counts);
    for (let c = 0; c < k; c++)
      if (counts[c] > 0) for (let t = 0; t < d; t++) centroids[c * d + t] = sums[c * d + t] / counts[c];
    await r.pace();
    inertia = await assignAll(x64, xn, n, d, centres(centroids, k, d), labels, dist2, r);
  }
  return { k, centroids, labels, dist2, inertia, iterations: it };
}

async function lloydBounded(
  m: FeatureMatrix,
  k: number,
  centroids: Float64Array,
  maxIter: number,
  x64: Float64Array,
  r: Run,
): Promise<KmeansResult> {
  const { rows: n, cols: d, data: x } = m;
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const moved = new Float64Array(k);
  const xn = rowNorms(x64, n, d);
  const tol = varianceTolerance(m, 1e-4);
  // Rows whose bounds fail are scanned together: gathered into `batch`, their candidate centres from one engine
  // product, the nearest by the direct sum, and a lower bound on every other centre's distance.
  const batchRows = new Int32Array(Math.min(n, BLOCK_ROWS));
  const batch = new Float64Array(batchRows.length * d);
  const batchNorms = new Float64Array(batchRows.length);
  const bLabels = new Int32Array(batchRows.length);
  const bBest = new Float64Array(batchRows.length);
  const bSecond = new Float64Array(batchRows.length);
  let cs = centres(centroids, k, d);
  let pending = 0;
  const flush = async () => {
    if (pending === 0) return;
    await nearestCentres(batch, batchNorms, pending, cs, d, bLabels, bBest, bSecond, r);
    for (let i = 0; i < pending; i++) {
      const row = batchRows[i];
      labels[row] = bLabels[i];
      upper[row] = Math.sqrt(bBest[i]);
      lower[row] = Math.sqrt(bSecond[i]);
    }
    pending = 0;
  };
  const scan = async (row: number) => {
    batchRows[pending] = row;
    batchNorms[pending] = xn[row];
    batch.set(x64.subarray(row * d, (row + 1) * d), pending * d);
    if (++pending === batchRows.length) await flush();
  };
  r.progress(0);
  for (let row = 0; row < n; row++) await scan(row);
  await flush();
  let it = 0;
  for (; it < maxIter; it++) {
    r.progress(it + 1);
    accumulate(m, k, labels, sums, counts);
    const taken = new Set<number>();
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) continue;
      await r.pace();
      let far = -1,
        farD = -1;
      for (let row = 0; row < n; row++) {
        if (taken.has(row)) continue;
        const v = sqDist(x, row * d, centroids, labels[row] * d, d);
        if (v > farD) {
          farD = v;
          far = row;
        }
      }
      if (far < 0) continue;
      taken.add(far);
      counts[c] = 1;
      for (let t = 0; t < d; t++) sums[c * d + t] = x[far * d + t];
    }
    let shift = 0,
      maxMoved = 0;
    for (let c = 0; c < k; c++) {
      let s2 = 0;
      if (counts[c] > 0) {
        for (let t = 0; t < d; t++) {
          const v = sums[c * d + t] / counts[c];
          const dv = v - centroids[c * d + t];
          s2 += dv * dv;
          centroids[c * d + t] = v;
        }
      }
      moved[c] = Math.sqrt(s2);
      shift += s2;
      if (moved[c] > maxMoved) maxMoved = moved[c];
    }
    cs = centres(centroids, k, d);
    await r.pace();
    const before = labels.slice();
    for (let row = 0; row < n; row++) {
      const a = labels[row];
      upper[row] += moved[a];
      lower[row] -= maxMoved;
      if (upper[row] <= lower[row]) continue;
      upper[row] = Math.sqrt(sqDist(x, row * d, centroids, a * d, d));
      if (upper[row] <= lower[row]) continue;
      await scan(row);
    }
    await flush();
    let changed = false;
    for (let row = 0; row < n && !changed; row++) if (labels[row] !== before[row]) changed = true;
    if (!changed || shift <= tol) {
      it++;
      break;
    }
  }
  const dist2 = new Float64Array(n);
  let inertia = 0;
  for (let row = 0; row < n; row++) {
    dist2[row] = sqDist(x, row * d, centroids, labels[row] * d, d);
    inertia += dist2[row];
  }
  return { k, centroids, labels, dist2, inertia, iterations: it };
}

export function clusterCount(nClips: number, ratio: number, seedFaithful: boolean): number {
  const k = pythonRound(ratio * nClips);
  if (k === 0 && seedFaithful)
    throw new VsumError(
      'BAD_INPUT',
      `k = round(${ratio} × ${nClips} clips) = 0: seed-faithful k-means has no cluster to pick (the original crashes here). Use a longer video, a larger --ratio, or drop --seed-faithful (default mode uses k ≥ 1).`,
    );
  return Math.max(1, k);
}

export function kmeansSummarizer(options: Partial<KmeansOptions> = {}): Summarizer {
  const opts: KmeansOptions = { ...KMEANS_DEFAULTS, ...options };
  if (opts.seedFaithful) opts.maxIter = options.maxIter ?? 10;
  if (!(Number.isInteger(opts.restarts) && opts.restarts >= 1))
    throw new VsumError('BAD_INPUT', `k-means restarts must be a whole number ≥ 1, got ${opts.restarts}.`);
  if (!(Number.isInteger(opts.maxIter) && opts.maxIter >= 1))
    throw new VsumError('BAD_INPUT', `k-means iterations must be a whole number ≥ 1, got ${opts.maxIter}.`);
  const params = opts.seedFaithful
    ? { ratio: opts.ratio, seed: opts.seed, seedFaithful: true, init: 'random', maxIter: opts.maxIter, restarts: 1 }
    : {
        ratio: opts.ratio,
        seed: opts.seed,
        seedFaithful: false,
        init: 'kmeans++',
        maxIter: opts.maxIter,
        restarts: opts.restarts,
      };
  return {
    method: 'kmeans',
    params,
    async summarize(input: SummarizeInput): Promise<Selection> {
      checkRatio(opts.ratio);
      checkSeed(opts.seed);
      const layout = clipLayout(input, opts.seedFaithful);
      const full = input.features;
      const m: FeatureMatrix =
        layout.nClips === full.rows
          ? full
          : { rows: layout.nClips, cols: full.cols, data: full.data.subarray(0, layout.nClips * full.cols) };
      const k = clusterCount(m.rows, opts.ratio, opts.seedFaithful);
      const rng = createRng(opts.seed);
      const x64 = rows64(m);
      const runs = opts.seedFaithful ? 1 : opts.restarts;
      const onProgress = input.onProgress && ((p: KmeansProgress) => input.onProgress!({ method: 'kmeans', ...p }));
      const data = opts.seedFaithful ? null : await initData(m, x64, input.signal);
      let best: KmeansResult | undefined;
      for (let restart = 1; restart <= runs; restart++) {
        throwIfAborted(input.signal, 'k-means');
        const r = run({ signal: input.signal, onProgress }, restart, runs, opts.maxIter);
        r.progress(0);
        const init = data ? await initPlusPlus(m, k, rng, data, r) : initRandom(m, k, rng);
        const res = opts.seedFaithful
          ? await lloydPlain(m, k, init, opts.maxIter, x64, r)
          : await lloydBounded(m, k, init, opts.maxIter, x64, r);
        if (!best || res.inertia < best.inertia) best = res;
      }
      const result = best!;
      const chosen = await nearestClips(m, result.centroids, k, { signal: input.signal }, x64);
      let clips = [...chosen].sort((a, b) => a - b);
      if (!opts.seedFaithful) clips = clips.filter((c, i) => i === 0 || c !== clips[i - 1]);
      const frames: number[] = [];
      const segments = clips.map((c) => {
        const start = layout.start(c);
        const end = layout.end(c);
        for (let f = start; f < end; f++) frames.push(f);
        return { start, end, picked: end - start };
      });
      return {
        method: 'kmeans',
        nFrames: layout.nFrames,
        clipLength: layout.clipLength,
        nClips: m.rows,
        frames,
        segments,
        scores: {
          kind: 'kmeans',
          k,
          cluster: Array.from(result.labels),
          distance: Array.from(result.dist2, (v) => Math.sqrt(v)),
          chosenClips: chosen,
          inertia: result.inertia,
        },
      };
    },
  };
}
