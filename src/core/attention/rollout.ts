/**
 * Attention rollout for divided space-time attention (docs/ALGORITHMS.md §rollout, after
 * yiyixuxu/TimeSformer-rolled-attention). Per layer: heads averaged; temporal maps get an identity row block for the
 * CLS token, + I, rows renormalised; spatial maps + I, rows renormalised; combined W[(p,t),(q,k)] = S[t][p][q] ·
 * T'[q][t][k], with the CLS token's rows averaged over frames. Rollout R = W_L ⋯ W_1; result = CLS row of R averaged
 * over source frames, CLS column dropped → (P, T) → √P × √P per frame, divided by the global max.
 *
 * Only that one averaged CLS row is needed, so instead of the (P+1)T-square products (~47 GFLOP for the base
 * model) a row vector v is carried backwards through the layers, and v·W is computed through W's factorisation:
 *   (v·W)[q,k] = Σ_t T'[q][t][k] · u[t][q],  u[t][q] = Σ_{p≥1} v[p,t] S[t][p][q] + (Σ_t' v[0,t'])/T · S[t][0][q]
 * — O(T·(P+1)²) per layer, a few milliseconds per clip.
 */

export interface AttentionMaps {
  layers: number;
  heads: number;
  /** T */
  frames: number;
  /** P (patch tokens per frame, a perfect square) */
  patches: number;
  /** Per layer: [P, heads, T, T] (each patch attending over the frames). */
  temporal: Float32Array[];
  /** Per layer: [T, heads, P+1, P+1] (CLS + patches, per frame). */
  spatial: Float32Array[];
}

/** A rollout mask: [grid, grid, frames] row-major (y, x, t), max 1. */
export interface RolloutMask {
  grid: number;
  frames: number;
  data: Float32Array;
}

export function checkMaps(m: AttentionMaps): void {
  const { layers, heads, frames: T, patches: P } = m;
  const g = Math.round(Math.sqrt(P));
  if (g * g !== P) throw new RangeError(`attention rollout: ${P} patches is not a square grid`);
  if (m.temporal.length !== layers || m.spatial.length !== layers)
    throw new RangeError(`attention rollout: expected ${layers} temporal and spatial maps`);
  for (let l = 0; l < layers; l++) {
    if (m.temporal[l].length !== P * heads * T * T)
      throw new RangeError(
        `attention rollout: temporal map ${l} has ${m.temporal[l].length} values, expected ${P}·${heads}·${T}·${T}`,
      );
    if (m.spatial[l].length !== T * heads * (P + 1) * (P + 1))
      throw new RangeError(
        `attention rollout: spatial map ${l} has ${m.spatial[l].length} values, expected ${T}·${heads}·${P + 1}·${P + 1}`,
      );
  }
}

/** Head mean, CLS identity block, + I, row-normalise → T' [(P+1), T, T] (float64). */
export function prepareTemporal(temporal: Float32Array, P: number, heads: number, T: number): Float64Array {
  const out = new Float64Array((P + 1) * T * T);
  for (let t = 0; t < T; t++) out[t * T + t] = 1; // CLS attends to itself only: identity (+ I and renormalised stays identity)
  const tt = T * T;
  for (let p = 0; p < P; p++) {
    const dst = (p + 1) * tt;
    for (let h = 0; h < heads; h++) {
      const src = (p * heads + h) * tt;
      for (let i = 0; i < tt; i++) out[dst + i] += temporal[src + i];
    }
    for (let r = 0; r < T; r++) {
      let sum = 0;
      const row = dst + r * T;
      for (let c = 0; c < T; c++) {
        out[row + c] = out[row + c] / heads + (r === c ? 1 : 0);
        sum += out[row + c];
      }
      for (let c = 0; c < T; c++) out[row + c] /= sum;
    }
  }
  return out;
}

/** Head mean, + I, row-normalise → S [T, P+1, P+1] (float64). */
export function prepareSpatial(spatial: Float32Array, P: number, heads: number, T: number): Float64Array {
  const N = P + 1;
  const nn = N * N;
  const out = new Float64Array(T * nn);
  for (let t = 0; t < T; t++) {
    const dst = t * nn;
    for (let h = 0; h < heads; h++) {
      const src = (t * heads + h) * nn;
      for (let i = 0; i < nn; i++) out[dst + i] += spatial[src + i];
    }
    for (let r = 0; r < N; r++) {
      const row = dst + r * N;
      let sum = 0;
      for (let c = 0; c < N; c++) {
        out[row + c] = out[row + c] / heads + (r === c ? 1 : 0);
        sum += out[row + c];
      }
      for (let c = 0; c < N; c++) out[row + c] /= sum;
    }
  }
  return out;
}

function toMask(v: Float64Array, P: number, T: number, skipCls: boolean): RolloutMask {
  const g = Math.round(Math.sqrt(P));
  const data = new Float32Array(P * T);
  let max = 0;
  for (let q = 0; q < P; q++) for (let k = 0; k < T; k++) max = Math.max(max, v[(q + (skipCls ? 1 : 0)) * T + k]);
  for (let q = 0; q < P; q++)
    for (let k = 0; k < T; k++) data[q * T + k] = max > 0 ? v[(q + (skipCls ? 1 : 0)) * T + k] / max : 0;
  return { grid: g, frames: T, data };
}

/**
 * u[q] += Σ_p weight[p] · S̃[p][q] for one frame's spatial map, where S̃ = rownorm(mean_h S + I) is formed on the
 * fly (one pass over the float32 heads, no normalised copy): the hot loop of both rollouts.
 */
function accumulateSpatialRows(
  spatial: Float32Array,
  t: number,
  heads: number,
  N: number,
  weight: (p: number) => number,
  u: Float64Array,
  row: Float64Array,
): void {
  const nn = N * N;
  for (let p = 0; p < N; p++) {
    const w = weight(p);
    if (w === 0) continue;
    row.fill(0);
    for (let h = 0; h < heads; h++) {
      const src = (t * heads + h) * nn + p * N;
      for (let q = 0; q < N; q++) row[q] += spatial[src + q];
    }
    row[p] += heads; // + I, in head-sum units
    let sum = 0;
    for (let q = 0; q < N; q++) sum += row[q];
    const c = w / sum;
    for (let q = 0; q < N; q++) u[q] += c * row[q];
  }
}

/** Divided space-time rollout (docs/ALGORITHMS.md §rollout), computed on the averaged CLS row only. */
export function rolloutDividedSpaceTime(m: AttentionMaps): RolloutMask {
  checkMaps(m);
  const { layers, heads, frames: T, patches: P } = m;
  const N = P + 1;
  // v over (token, frame), index p*T + t: the CLS rows averaged over source frames.
  let v = new Float64Array(N * T);
  for (let t = 0; t < T; t++) v[t] = 1 / T;
  const u = new Float64Array(T * N);
  const row = new Float64Array(N);
  for (let l = layers - 1; l >= 0; l--) {
    const Tp = prepareTemporal(m.temporal[l], P, heads, T);
    let clsMass = 0;
    for (let t = 0; t < T; t++) clsMass += v[t];
    const w0 = clsMass / T; // the CLS rows of W are the frame-average of S[t][0]·T'
    u.fill(0);
    for (let t = 0; t < T; t++) {
      const cur = v;
      accumulateSpatialRows(
        m.spatial[l],
        t,
        heads,
        N,
        (p) => (p === 0 ? w0 : cur[p * T + t]),
        u.subarray(t * N, (t + 1) * N),
        row,
      );
    }
    const next = new Float64Array(N * T);
    for (let q = 0; q < N; q++) {
      const tq = q * T * T;
      for (let t = 0; t < T; t++) {
        const w = u[t * N + q];
        if (w === 0) continue;
        const r = tq + t * T;
        for (let k = 0; k < T; k++) next[q * T + k] += w * Tp[r + k];
      }
    }
    v = next;
  }
  return toMask(v, P, T, true);
}

/** Spatial-only rollout: per frame, the CLS row of S_L ⋯ S_1 (spatial maps alone), CLS column dropped, global max 1. */
export function rolloutSpatialOnly(
  m: Pick<AttentionMaps, 'layers' | 'heads' | 'frames' | 'patches' | 'spatial'>,
): RolloutMask {
  const { layers, heads, frames: T, patches: P } = m;
  const N = P + 1;
  if (m.spatial.length !== layers) throw new RangeError(`attention rollout: expected ${layers} spatial maps`);
  for (const s of m.spatial)
    if (s.length !== T * heads * N * N)
      throw new RangeError(`attention rollout: a spatial map has ${s.length} values, expected ${T}·${heads}·${N}·${N}`);
  const v = new Float64Array(N * T); // index q*T + t, like the divided result
  const row = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    let w = new Float64Array(N);
    w[0] = 1;
    for (let l = layers - 1; l >= 0; l--) {
      const nw = new Float64Array(N);
      const cur = w;
      accumulateSpatialRows(m.spatial[l], t, heads, N, (p) => cur[p], nw, row);
      w = nw;
    }
    for (let q = 0; q < N; q++) v[q * T + t] = w[q];
  }
  return toMask(v, P, T, true);
}
