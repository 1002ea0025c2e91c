/**
 * k-means keyshots (docs/ALGORITHMS.md §k-means): cluster the clip embeddings into k = round(ratio · n_clips) groups
 * (Python rounding, ties to even), take the clip nearest to each centroid, output those clips' frames in clip order.
 *
 * seed-faithful: random init from the data (k distinct rows), 10 Lloyd iterations like faiss' defaults, duplicates
 * kept (two centroids may pick the same clip, which is then written twice), k = 0 is an error (the original crashes).
 * default: k ≥ 1, greedy k-means++ init, `restarts` runs keeping the lowest inertia (first on ties), Lloyd until
 * the assignment or the centres stop changing (≤ maxIter), duplicate clips removed. All randomness from createRng(seed).
 *
 * Distances use ‖x‖² − 2x·c + ‖c‖² in 4×4 register tiles of clips × centroids; the Lloyd scans and the final
 * "nearest clip per centroid" use the direct Σ(x − c)² (also tiled), so they equal a straightforward implementation.
 * The tiles (src/core/linalg) run on every core through a small worker pool and give the same bits as one thread;
 * the greedy k-means++ init reads its candidate distances from the Gram matrix X·Xᵀ, computed once for all restarts.
 */
import { VsumError, throwIfAborted } from '../errors';
import type { FeatureMatrix } from '../features';
import { createRng, type Rng } from '../random';
import { parallelTiles, sharedFloat64 } from '../linalg/parallel-tiles';
import { mirrorLower } from '../linalg/mirror-lower';
import { pythonRound } from './python-round';
import type { Selection, SummarizeInput, Summarizer } from './selection';
import { checkRatio, checkSeed, clipLayout } from './validate';

export interface KmeansOptions {
  ratio: number;
  seed: number;
  seedFaithful: boolean;
  /** Independent runs (default mode); the lowest inertia wins. */
  restarts: number;
  /** Lloyd iterations (seed-faithful: exactly 10, like faiss' niter=10). */
  maxIter: number;
}

export const KMEANS_DEFAULTS: KmeansOptions = { ratio: 0.15, seed: 1234, seedFaithful: false, restarts: 5, maxIter: 100 };

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

/** The feature rows as float64 in shared memory for the tiled kernels (exact: every float32 is a float64). */
function rows64(m: FeatureMatrix): Float64Array {
  const x = sharedFloat64(m.rows * m.cols);
  x.set(m.data.subarray(0, m.rows * m.cols));
  return x;
}

function shared(v: ArrayLike<number>, length: number): Float64Array {
  const out = sharedFloat64(length);
  for (let i = 0; i < length; i++) out[i] = v[i];
  return out;
}

/** Rows per block of the distance tables, so they stay small for long videos (block × k doubles). */
const BLOCK_ROWS = 512;

/**
 * Nearest centroid per row (first on ties) via ‖x‖² − 2x·c + ‖c‖², the dot products from the tiled kernel
 * (each summed in order, the same values as a plain loop). Returns the inertia.
 */
export function assignNearest(m: FeatureMatrix, centroids: Float64Array, k: number, labels: Int32Array, dist2: Float64Array, x64 = rows64(m)): number {
  const { rows: n, cols: d } = m;
  const cn = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let t = c * d, e = t + d; t < e; t++) s += centroids[t] * centroids[t];
    cn[c] = s;
  }
  const c64 = shared(centroids, k * d);
  const dots = sharedFloat64(Math.min(n, BLOCK_ROWS) * k);
  let inertia = 0;
  for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
    const nr = Math.min(BLOCK_ROWS, n - r0);
    parallelTiles('dot', x64.subarray(r0 * d, (r0 + nr) * d), nr, c64, k, d, dots);
    for (let i = 0; i < nr; i++) {
      const r = r0 + i;
      let xn = 0;
      for (let t = r * d, e = t + d; t < e; t++) xn += x64[t] * x64[t];
      let best = Infinity, arg = 0;
      for (let c = 0; c < k; c++) {
        let v = xn - 2 * dots[i * k + c] + cn[c];
        if (v < 0) v = 0;
        if (v < best) { best = v; arg = c; }
      }
      dist2[r] = best;
      labels[r] = arg;
      inertia += best;
    }
  }
  return inertia;
}

/** For each centroid the row with the smallest Σ(x − c)² (first on ties), in centroid order. */
export function nearestClips(m: FeatureMatrix, centroids: ArrayLike<number>, k: number, x64 = rows64(m)): number[] {
  const { rows: n, cols: d } = m;
  const c64 = shared(centroids, k * d);
  const bestD = new Float64Array(k).fill(Infinity);
  const best = new Array<number>(k).fill(-1);
  const dist = sharedFloat64(Math.min(n, BLOCK_ROWS) * k);
  for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
    const nr = Math.min(BLOCK_ROWS, n - r0);
    parallelTiles('sqdist', x64.subarray(r0 * d, (r0 + nr) * d), nr, c64, k, d, dist);
    for (let i = 0; i < nr; i++) {
      for (let c = 0; c < k; c++) {
        const v = dist[i * k + c];
        if (v < bestD[c]) {
          bestD[c] = v;
          best[c] = r0 + i;
        }
      }
    }
  }
  return best;
}

function initRandom(m: FeatureMatrix, k: number, rng: Rng): Float64Array {
  const d = m.cols;
  const picks = rng.shuffle(rng.sampleSorted(m.rows, k));
  const c = sharedFloat64(k * d);
  picks.forEach((r, i) => c.set(m.data.subarray(r * d, (r + 1) * d), i * d));
  return c;
}

function sqDist(x: Float32Array | Float64Array, r: number, c: Float64Array | Float32Array, co: number, d: number): number {
  let s = 0;
  const ro = r * d;
  for (let t = 0; t < d; t++) {
    const v = x[ro + t] - c[co + t];
    s += v * v;
  }
  return s;
}

/** Rows up to which the init keeps the whole Gram matrix (n² doubles: 72 MB at the limit). */
const GRAM_MAX_ROWS = 3000;

/** What every restart's k-means++ init shares: the rows as float64, their squared norms, the Gram matrix X·Xᵀ. */
interface InitData {
  x64: Float64Array;
  xn: Float64Array;
  /** n × n, or null past GRAM_MAX_ROWS (then each step computes its candidates' dot products). */
  gram: Float64Array | null;
}

function initData(m: FeatureMatrix, x64: Float64Array): InitData {
  const { rows: n, cols: d } = m;
  const xn = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let q = 0;
    for (let t = r * d, e = t + d; t < e; t++) q += x64[t] * x64[t];
    xn[r] = q;
  }
  let gram: Float64Array | null = null;
  if (n <= GRAM_MAX_ROWS) {
    // Candidates are data rows, so every candidate distance needs only a Gram entry: one n²·d/2 product for all
    // restarts instead of (k − 1)·trials·n·d per restart. Entries are summed in order, so they equal the
    // per-candidate dot products bit for bit (and the triangle mirrors exactly).
    gram = sharedFloat64(n * n);
    parallelTiles('dot', x64, n, x64, n, d, gram, true);
    mirrorLower(gram, n);
  }
  return { x64, xn, gram };
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii; the variant scikit-learn uses): each next centre is the best of
 * 2 + ⌊ln k⌋ candidates drawn with probability ∝ D² to the nearest chosen centre, "best" = lowest total D² after
 * adding it. Better starting points than plain k-means++ for the same number of restarts.
 * D²(row, candidate) = ‖x‖² − 2x·c + ‖c‖² (0 for the candidate itself), except the last n mod 4 rows, which take the
 * direct Σ(x − c)² (the values of the original per-candidate 4-row tiles, kept so results do not move).
 */
function initPlusPlus(m: FeatureMatrix, k: number, rng: Rng, data: InitData): Float64Array {
  const { rows: n, cols: d } = m;
  const { x64: x, xn, gram } = data;
  const c = sharedFloat64(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  c.set(x.subarray(first * d, (first + 1) * d), 0);
  const dmin = new Float64Array(n);
  let pot = 0;
  for (let r = 0; r < n; r++) {
    dmin[r] = sqDist(x, r, c, 0, d);
    pot += dmin[r];
  }
  const candRows = new Int32Array(trials);
  const candBuf = sharedFloat64(trials * d); // candidate rows (only used without the Gram matrix)
  const candDots = gram ? null : sharedFloat64(trials * n); // candDots[j·n + r] = x_r · candidate j
  const candD = new Float64Array(trials * n); // candD[j·n + r] = min(dmin[r], D²(row r, candidate j))
  const n4 = n - (n % 4);
  const pick = (): number => {
    if (!(pot > 0)) return rng.int(n); // every row coincides with a centre already
    let u = rng.next() * pot;
    for (let r = 0; r < n; r++) {
      u -= dmin[r];
      if (u < 0) return r;
    }
    return n - 1;
  };
  for (let j = 1; j < k; j++) {
    // Draw all candidates first (as scikit-learn does), then measure them together.
    for (let tr = 0; tr < trials; tr++) candRows[tr] = pick();
    if (candDots) {
      for (let tr = 0; tr < trials; tr++) candBuf.set(x.subarray(candRows[tr] * d, (candRows[tr] + 1) * d), tr * d);
      parallelTiles('dot', candBuf, trials, x, n, d, candDots);
    }
    for (let q = 0; q < trials; q++) {
      const cr = candRows[q];
      const dots = gram ? gram.subarray(cr * n, (cr + 1) * n) : candDots!.subarray(q * n, (q + 1) * n);
      const out = q * n;
      for (let r = 0; r < n4; r++) {
        let v = xn[r] - 2 * dots[r] + xn[cr];
        if (v < 0 || r === cr) v = 0;
        candD[out + r] = v < dmin[r] ? v : dmin[r];
      }
      for (let r = n4; r < n; r++) {
        const v = sqDist(x, r, x, cr * d, d);
        candD[out + r] = v < dmin[r] ? v : dmin[r];
      }
    }
    let best = 0;
    let bestPot = Infinity;
    for (let tr = 0; tr < trials; tr++) {
      let p = 0;
      for (let r = 0; r < n; r++) p += candD[tr * n + r];
      if (p < bestPot) {
        bestPot = p;
        best = tr;
      }
    }
    c.set(x.subarray(candRows[best] * d, (candRows[best] + 1) * d), j * d);
    dmin.set(candD.subarray(best * n, (best + 1) * n));
    pot = bestPot;
  }
  return c;
}

/** scikit-learn's tolerance scale: tol · mean over features of the feature variance. */
function varianceTolerance(m: FeatureMatrix, tol: number): number {
  const { rows: n, cols: d, data: x } = m;
  let total = 0;
  for (let t = 0; t < d; t++) {
    let s = 0, s2 = 0;
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
export function lloyd(m: FeatureMatrix, k: number, centroids: Float64Array, maxIter: number, fixedIter: boolean, signal?: AbortSignal, x64 = rows64(m)): KmeansResult {
  return fixedIter ? lloydPlain(m, k, centroids, maxIter, x64, signal) : lloydBounded(m, k, centroids, maxIter, x64, signal);
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

function lloydPlain(m: FeatureMatrix, k: number, centroids: Float64Array, maxIter: number, x64: Float64Array, signal?: AbortSignal): KmeansResult {
  const d = m.cols;
  const labels = new Int32Array(m.rows).fill(-1);
  const dist2 = new Float64Array(m.rows);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  let inertia = assignNearest(m, centroids, k, labels, dist2, x64);
  let it = 0;
  for (; it < maxIter; it++) {
    throwIfAborted(signal, 'k-means');
    accumulate(m, k, labels, sums, counts);
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let t = 0; t < d; t++) centroids[c * d + t] = sums[c * d + t] / counts[c];
    inertia = assignNearest(m, centroids, k, labels, dist2, x64);
  }
  return { k, centroids, labels, dist2, inertia, iterations: it };
}

function lloydBounded(m: FeatureMatrix, k: number, centroids: Float64Array, maxIter: number, x64: Float64Array, signal?: AbortSignal): KmeansResult {
  const { rows: n, cols: d, data: x } = m;
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const moved = new Float64Array(k);
  const tol = varianceTolerance(m, 1e-4);
  // Rows whose bounds fail are scanned together: gathered into `batch`, their distances to every centre computed
  // in tiles (over every core), then for each row the nearest centre (first on ties) and the two smallest distances.
  const cShared = sharedFloat64(k * d);
  const batchRows = new Int32Array(Math.min(n, BLOCK_ROWS));
  const batch = sharedFloat64(batchRows.length * d);
  const dist = sharedFloat64(batchRows.length * k);
  let pending = 0;
  const flush = () => {
    if (pending === 0) return;
    parallelTiles('sqdist', batch, pending, cShared, k, d, dist);
    for (let i = 0; i < pending; i++) {
      let b1 = Infinity, b2 = Infinity, arg = 0;
      for (let c = 0, o = i * k; c < k; c++) {
        const v = dist[o + c];
        if (v < b1) { b2 = b1; b1 = v; arg = c; } else if (v < b2) b2 = v;
      }
      const r = batchRows[i];
      labels[r] = arg;
      upper[r] = Math.sqrt(b1);
      lower[r] = Math.sqrt(b2);
    }
    pending = 0;
  };
  const scan = (r: number) => {
    batchRows[pending] = r;
    batch.set(x64.subarray(r * d, (r + 1) * d), pending * d);
    if (++pending === batchRows.length) flush();
  };
  cShared.set(centroids.subarray(0, k * d));
  for (let r = 0; r < n; r++) scan(r);
  flush();
  let it = 0;
  for (; it < maxIter; it++) {
    throwIfAborted(signal, 'k-means');
    accumulate(m, k, labels, sums, counts);
    const taken = new Set<number>();
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) continue;
      let far = -1, farD = -1;
      for (let r = 0; r < n; r++) {
        if (taken.has(r)) continue;
        const v = sqDist(x, r, centroids, labels[r] * d, d);
        if (v > farD) { farD = v; far = r; }
      }
      if (far < 0) continue;
      taken.add(far);
      counts[c] = 1;
      for (let t = 0; t < d; t++) sums[c * d + t] = x[far * d + t];
    }
    let shift = 0, maxMoved = 0;
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
    cShared.set(centroids.subarray(0, k * d));
    const before = labels.slice();
    for (let r = 0; r < n; r++) {
      const a = labels[r];
      upper[r] += moved[a];
      lower[r] -= maxMoved;
      if (upper[r] <= lower[r]) continue;
      upper[r] = Math.sqrt(sqDist(x, r, centroids, a * d, d));
      if (upper[r] <= lower[r]) continue;
      scan(r);
    }
    flush();
    let changed = false;
    for (let r = 0; r < n && !changed; r++) if (labels[r] !== before[r]) changed = true;
    if (!changed || shift <= tol) { it++; break; }
  }
  const dist2 = new Float64Array(n);
  let inertia = 0;
  for (let r = 0; r < n; r++) {
    dist2[r] = sqDist(x, r, centroids, labels[r] * d, d);
    inertia += dist2[r];
  }
  return { k, centroids, labels, dist2, inertia, iterations: it };
}

export function clusterCount(nClips: number, ratio: number, seedFaithful: boolean): number {
  const k = pythonRound(ratio * nClips);
  if (k === 0 && seedFaithful)
    throw new VsumError('BAD_INPUT', `k = round(${ratio} × ${nClips} clips) = 0: seed-faithful k-means has no cluster to pick (the original crashes here). Use a longer video, a larger --ratio, or drop --seed-faithful (default mode uses k ≥ 1).`);
  return Math.max(1, k);
}

export function kmeansSummarizer(options: Partial<KmeansOptions> = {}): Summarizer {
  const opts: KmeansOptions = { ...KMEANS_DEFAULTS, ...options };
  if (opts.seedFaithful) opts.maxIter = options.maxIter ?? 10;
  if (!(Number.isInteger(opts.restarts) && opts.restarts >= 1)) throw new VsumError('BAD_INPUT', `k-means restarts must be a whole number ≥ 1, got ${opts.restarts}.`);
  if (!(Number.isInteger(opts.maxIter) && opts.maxIter >= 1)) throw new VsumError('BAD_INPUT', `k-means iterations must be a whole number ≥ 1, got ${opts.maxIter}.`);
  const params = opts.seedFaithful
    ? { ratio: opts.ratio, seed: opts.seed, seedFaithful: true, init: 'random', maxIter: opts.maxIter, restarts: 1 }
    : { ratio: opts.ratio, seed: opts.seed, seedFaithful: false, init: 'kmeans++', maxIter: opts.maxIter, restarts: opts.restarts };
  return {
    method: 'kmeans',
    params,
    async summarize(input: SummarizeInput): Promise<Selection> {
      checkRatio(opts.ratio);
      checkSeed(opts.seed);
      const layout = clipLayout(input, opts.seedFaithful);
      const full = input.features;
      const m: FeatureMatrix = layout.nClips === full.rows ? full : { rows: layout.nClips, cols: full.cols, data: full.data.subarray(0, layout.nClips * full.cols) };
      const k = clusterCount(m.rows, opts.ratio, opts.seedFaithful);
      const rng = createRng(opts.seed);
      const x64 = rows64(m);
      const data = opts.seedFaithful ? null : initData(m, x64);
      let best: KmeansResult | undefined;
      const runs = opts.seedFaithful ? 1 : opts.restarts;
      for (let run = 0; run < runs; run++) {
        throwIfAborted(input.signal, 'k-means');
        const init = data ? initPlusPlus(m, k, rng, data) : initRandom(m, k, rng);
        const res = lloyd(m, k, init, opts.maxIter, opts.seedFaithful, input.signal, x64);
        if (!best || res.inertia < best.inertia) best = res;
        if (run + 1 < runs) await new Promise((r) => setImmediate(r)); // let a cancel arrive between restarts
      }
      const result = best!;
      const chosen = nearestClips(m, result.centroids, k, x64);
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
