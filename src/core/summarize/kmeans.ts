/**
 * k-means keyshots (ALGORITHMS §2): cluster the clip embeddings into k = round(ratio · n_clips) groups (Python
 * rounding, ties to even), take the clip nearest to each centroid, output those clips' frames in clip order.
 *
 * seed-faithful: random init from the data (k distinct rows), 10 Lloyd iterations like faiss' defaults, duplicates
 * kept (two centroids may pick the same clip, which is then written twice), k = 0 is an error (the original crashes).
 * default: k ≥ 1, k-means++ init, `restarts` runs keeping the lowest inertia (first on ties), Lloyd until the
 * assignment stops changing (≤ maxIter), duplicate clips removed. All randomness from createRng(seed).
 *
 * Distances use ‖x‖² − 2x·c + ‖c‖² over row blocks (each centroid row stays in cache for a block of clips); the
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

const BLOCK = 16;

/** Nearest centroid per row (first on ties) via the blocked ‖x‖² − 2x·c + ‖c‖² kernel. Returns the inertia. */
export function assignNearest(m: FeatureMatrix, centroids: Float64Array, k: number, labels: Int32Array, dist2: Float64Array): number {
  const { rows: n, cols: d, data: x } = m;
  const cn = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let t = c * d, e = t + d; t < e; t++) s += centroids[t] * centroids[t];
    cn[c] = s;
  }
  const xn = new Float64Array(BLOCK);
  dist2.fill(Infinity);
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    for (let r = r0; r < r1; r++) {
      let s = 0;
      for (let t = r * d, e = t + d; t < e; t++) s += x[t] * x[t];
      xn[r - r0] = s;
    }
    for (let c = 0; c < k; c++) {
      const co = c * d;
      for (let r = r0; r < r1; r++) {
        let dot = 0;
        const ro = r * d;
        for (let t = 0; t < d; t++) dot += x[ro + t] * centroids[co + t];
        let v = xn[r - r0] - 2 * dot + cn[c];
        if (v < 0) v = 0;
        if (v < dist2[r]) {
          dist2[r] = v;
          labels[r] = c;
        }
      }
    }
  }
  let inertia = 0;
  for (let r = 0; r < n; r++) inertia += dist2[r];
  return inertia;
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

/** k-means++ (Arthur & Vassilvitskii): each next centre drawn with probability ∝ D² to the nearest chosen one. */
function initPlusPlus(m: FeatureMatrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: d, data: x } = m;
  const c = new Float64Array(k * d);
  const first = rng.int(n);
  c.set(x.subarray(first * d, (first + 1) * d), 0);
  const dmin = new Float64Array(n).fill(Infinity);
  for (let j = 1; j <= k; j++) {
    const co = (j - 1) * d;
    let total = 0;
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = x[r * d + t] - c[co + t];
        s += v * v;
      }
      if (s < dmin[r]) dmin[r] = s;
      total += dmin[r];
    }
    if (j === k) break;
    let pick: number;
    if (total > 0) {
      let u = rng.next() * total;
      pick = n - 1;
      for (let r = 0; r < n; r++) {
        u -= dmin[r];
        if (u < 0) {
          pick = r;
          break;
        }
      }
    } else {
      pick = rng.int(n); // every row coincides with a centre already
    }
    c.set(x.subarray(pick * d, (pick + 1) * d), j * d);
  }
  return c;
}

/** One Lloyd run from `centroids` (updated in place). `fixedIter`: run exactly that many updates (faiss-like). */
export function lloyd(m: FeatureMatrix, k: number, centroids: Float64Array, maxIter: number, fixedIter: boolean, signal?: AbortSignal): KmeansResult {
  const { rows: n, cols: d, data: x } = m;
  const labels = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n);
  const dist2 = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  let inertia = assignNearest(m, centroids, k, labels, dist2);
  let it = 0;
  for (; it < maxIter; it++) {
    throwIfAborted(signal, 'k-means');
    sums.fill(0);
    counts.fill(0);
    for (let r = 0; r < n; r++) {
      const c = labels[r];
      counts[c]++;
      const so = c * d;
      for (let t = 0, ro = r * d; t < d; t++) sums[so + t] += x[ro + t];
    }
    // An empty cluster keeps its previous centre (it may win points back next round).
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let t = 0; t < d; t++) centroids[c * d + t] = sums[c * d + t] / counts[c];
    prev.set(labels);
    inertia = assignNearest(m, centroids, k, labels, dist2);
    if (!fixedIter) {
      let same = true;
      for (let r = 0; r < n; r++) if (labels[r] !== prev[r]) { same = false; break; }
      if (same) { it++; break; }
    }
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
