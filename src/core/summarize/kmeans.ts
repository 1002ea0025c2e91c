/**
 * k-means keyshots (ALGORITHMS §2): cluster the clip embeddings into k = round(ratio · n_clips) groups (Python
 * rounding, ties to even), take the clip nearest to each centroid, output those clips' frames in clip order.
 *
 * seed-faithful: random init from the data (k distinct rows), 10 Lloyd iterations like faiss' defaults, duplicates
 * kept (two centroids may pick the same clip, which is then written twice), k = 0 is an error (the original crashes).
 * default: k ≥ 1, greedy k-means++ init, `restarts` runs keeping the lowest inertia (first on ties), Lloyd until
 * the assignment or the centres stop changing (≤ maxIter), duplicate clips removed. All randomness from createRng(seed).
 *
 * Distances use ‖x‖² − 2x·c + ‖c‖² in 4×4 register tiles of clips × centroids; the
 * final "nearest clip per centroid" uses the direct Σ(x − c)², so it equals a straightforward implementation.
 */
import { VsumError, throwIfAborted } from '../errors';
import type { FeatureMatrix } from '../features';
import { createRng, type Rng } from '../random';
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

/**
 * Nearest centroid per row (first on ties) via ‖x‖² − 2x·c + ‖c‖². The dot products run in 4 rows × 4 centroids
 * register tiles (each loaded value feeds four multiply-adds), remainders one by one. Returns the inertia.
 */
export function assignNearest(m: FeatureMatrix, centroids: Float64Array, k: number, labels: Int32Array, dist2: Float64Array): number {
  const { rows: n, cols: d, data: x } = m;
  const cn = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let t = c * d, e = t + d; t < e; t++) s += centroids[t] * centroids[t];
    cn[c] = s;
  }
  const xn = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let t = r * d, e = t + d; t < e; t++) s += x[t] * x[t];
    xn[r] = s;
  }
  dist2.fill(Infinity);
  const consider = (r: number, c: number, dot: number) => {
    let v = xn[r] - 2 * dot + cn[c];
    if (v < 0) v = 0;
    if (v < dist2[r]) {
      dist2[r] = v;
      labels[r] = c;
    }
  };
  const n4 = n - (n % 4);
  const k4 = k - (k % 4);
  const dots = new Float64Array(16);
  for (let r = 0; r < n4; r += 4) {
    // centroids in increasing order per row keeps "first on ties"
    for (let c = 0; c < k4; c += 4) {
      tile4x4(x, r * d, centroids, c * d, d, dots);
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) consider(r + i, c + j, dots[i * 4 + j]);
    }
    for (let c = k4; c < k; c++) for (let i = 0; i < 4; i++) consider(r + i, c, dot1(x, (r + i) * d, centroids, c * d, d));
  }
  for (let r = n4; r < n; r++) for (let c = 0; c < k; c++) consider(r, c, dot1(x, r * d, centroids, c * d, d));
  let inertia = 0;
  for (let r = 0; r < n; r++) inertia += dist2[r];
  return inertia;
}

function dot1(x: Float32Array, xo: number, c: Float64Array, co: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += x[xo + t] * c[co + t];
  return s;
}

function tile4x4(x: Float32Array, xo: number, c: Float64Array, co: number, d: number, out: Float64Array): void {
  const a0 = xo, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
  const b0 = co, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
  for (let t = 0; t < d; t++) {
    const x0 = x[a0 + t], x1 = x[a1 + t], x2 = x[a2 + t], x3 = x[a3 + t];
    const y0 = c[b0 + t], y1 = c[b1 + t], y2 = c[b2 + t], y3 = c[b3 + t];
    s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
    s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
    s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
    s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
  }
  out[0] = s00; out[1] = s01; out[2] = s02; out[3] = s03;
  out[4] = s10; out[5] = s11; out[6] = s12; out[7] = s13;
  out[8] = s20; out[9] = s21; out[10] = s22; out[11] = s23;
  out[12] = s30; out[13] = s31; out[14] = s32; out[15] = s33;
}

/** For each centroid the row with the smallest Σ(x − c)² (first on ties), in centroid order. */
export function nearestClips(m: FeatureMatrix, centroids: ArrayLike<number>, k: number): number[] {
  const { rows: n, cols: d, data: x } = m;
  const out: number[] = [];
  for (let c = 0; c < k; c++) {
    let best = -1;
    let bestD = Infinity;
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = x[r * d + t] - centroids[c * d + t];
        s += v * v;
      }
      if (s < bestD) {
        bestD = s;
        best = r;
      }
    }
    out.push(best);
  }
  return out;
}

function initRandom(m: FeatureMatrix, k: number, rng: Rng): Float64Array {
  const d = m.cols;
  const picks = rng.shuffle(rng.sampleSorted(m.rows, k));
  const c = new Float64Array(k * d);
  picks.forEach((r, i) => c.set(m.data.subarray(r * d, (r + 1) * d), i * d));
  return c;
}

function sqDist(x: Float32Array, r: number, c: Float64Array | Float32Array, co: number, d: number): number {
  let s = 0;
  const ro = r * d;
  for (let t = 0; t < d; t++) {
    const v = x[ro + t] - c[co + t];
    s += v * v;
  }
  return s;
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii; the variant scikit-learn uses): each next centre is the best of
 * 2 + ⌊ln k⌋ candidates drawn with probability ∝ D² to the nearest chosen centre, "best" = lowest total D² after
 * adding it. Better starting points than plain k-means++ for the same number of restarts.
 */
function initPlusPlus(m: FeatureMatrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: d, data: x } = m;
  const c = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  c.set(x.subarray(first * d, (first + 1) * d), 0);
  const dmin = new Float64Array(n);
  let pot = 0;
  for (let r = 0; r < n; r++) {
    dmin[r] = sqDist(x, r, c, 0, d);
    pot += dmin[r];
  }
  const xn = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let q = 0;
    for (let t = r * d, e = t + d; t < e; t++) q += x[t] * x[t];
    xn[r] = q;
  }
  const tiles = Math.ceil(trials / 4) * 4;
  const candRows = new Int32Array(tiles);
  const candBuf = new Float64Array(tiles * d); // candidate rows as float64, zero-padded to whole tiles
  const candD = new Float64Array(tiles * n); // candD[j·n + r] = min(dmin[r], D²(row r, candidate j))
  const dots = new Float64Array(16);
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
    // Draw all candidates first (as scikit-learn does), then measure them together in 4×4 tiles.
    for (let tr = 0; tr < trials; tr++) {
      candRows[tr] = pick();
      for (let t = 0; t < d; t++) candBuf[tr * d + t] = x[candRows[tr] * d + t];
    }
    const n4 = n - (n % 4);
    for (let cb = 0; cb < trials; cb += 4) {
      for (let r = 0; r < n4; r += 4) {
        tile4x4(x, r * d, candBuf, cb * d, d, dots);
        for (let i = 0; i < 4; i++) {
          for (let q = 0; q < 4 && cb + q < trials; q++) {
            const cr = candRows[cb + q];
            let v = xn[r + i] - 2 * dots[i * 4 + q] + xn[cr];
            if (v < 0 || r + i === cr) v = 0;
            candD[(cb + q) * n + r + i] = v < dmin[r + i] ? v : dmin[r + i];
          }
        }
      }
      for (let r = n4; r < n; r++) {
        for (let q = 0; q < 4 && cb + q < trials; q++) {
          const v = sqDist(x, r, candBuf, (cb + q) * d, d);
          candD[(cb + q) * n + r] = v < dmin[r] ? v : dmin[r];
        }
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
    c.set(candBuf.subarray(best * d, (best + 1) * d), j * d);
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
export function lloyd(m: FeatureMatrix, k: number, centroids: Float64Array, maxIter: number, fixedIter: boolean, signal?: AbortSignal): KmeansResult {
  return fixedIter ? lloydPlain(m, k, centroids, maxIter, signal) : lloydBounded(m, k, centroids, maxIter, signal);
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

function lloydPlain(m: FeatureMatrix, k: number, centroids: Float64Array, maxIter: number, signal?: AbortSignal): KmeansResult {
  const d = m.cols;
  const labels = new Int32Array(m.rows).fill(-1);
  const dist2 = new Float64Array(m.rows);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  let inertia = assignNearest(m, centroids, k, labels, dist2);
  let it = 0;
  for (; it < maxIter; it++) {
    throwIfAborted(signal, 'k-means');
    accumulate(m, k, labels, sums, counts);
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let t = 0; t < d; t++) centroids[c * d + t] = sums[c * d + t] / counts[c];
    inertia = assignNearest(m, centroids, k, labels, dist2);
  }
  return { k, centroids, labels, dist2, inertia, iterations: it };
}

function lloydBounded(m: FeatureMatrix, k: number, centroids: Float64Array, maxIter: number, signal?: AbortSignal): KmeansResult {
  const { rows: n, cols: d, data: x } = m;
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const moved = new Float64Array(k);
  const tol = varianceTolerance(m, 1e-4);
  /** Exact scan of row r: nearest centre (first on ties) and the two smallest distances. */
  const scan = (r: number) => {
    let b1 = Infinity, b2 = Infinity, arg = 0;
    for (let c = 0; c < k; c++) {
      const v = sqDist(x, r, centroids, c * d, d);
      if (v < b1) { b2 = b1; b1 = v; arg = c; } else if (v < b2) b2 = v;
    }
    labels[r] = arg;
    upper[r] = Math.sqrt(b1);
    lower[r] = Math.sqrt(b2);
  };
  for (let r = 0; r < n; r++) scan(r);
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
    let changed = false;
    for (let r = 0; r < n; r++) {
      const a = labels[r];
      upper[r] += moved[a];
      lower[r] -= maxMoved;
      if (upper[r] <= lower[r]) continue;
      upper[r] = Math.sqrt(sqDist(x, r, centroids, a * d, d));
      if (upper[r] <= lower[r]) continue;
      scan(r);
      if (labels[r] !== a) changed = true;
    }
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
      let best: KmeansResult | undefined;
      const runs = opts.seedFaithful ? 1 : opts.restarts;
      for (let run = 0; run < runs; run++) {
        throwIfAborted(input.signal, 'k-means');
        const init = opts.seedFaithful ? initRandom(m, k, rng) : initPlusPlus(m, k, rng);
        const res = lloyd(m, k, init, opts.maxIter, opts.seedFaithful, input.signal);
        if (!best || res.inertia < best.inertia) best = res;
        if (run + 1 < runs) await new Promise((r) => setImmediate(r)); // let a cancel arrive between restarts
      }
      const result = best!;
      const chosen = nearestClips(m, result.centroids, k);
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
