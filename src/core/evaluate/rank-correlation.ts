/**
 * TVSum rank correlations as the rethinking-evs protocol computes them (docs/ALGORITHMS.md §rank-correlation):
 * Kendall = scipy `kendalltau(rankdata(−x), rankdata(−y))` (τ-b, ties handled), Spearman = scipy
 * `spearmanr(x, y)` (Pearson correlation of average ranks). Kendall is scipy's O(n log n) algorithm (dense
 * ranks, discordant pairs counted with a Fenwick tree, τ = (tot − xtie − ytie + ntie − 2·dis) / √(tot − xtie) /
 * √(tot − ytie)) with exact integer counts, so the value is bit-identical to scipy's. Ranks can be computed once
 * per vector and reused across pairs (the human bound compares every pair of users).
 */

/** scipy.stats.rankdata(a) with method 'average' (1-based ranks, ties get their mean rank). */
export function rankdata(a: ArrayLike<number>): Float64Array {
  const n = a.length;
  const idx = sortedIndex(a);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && a[idx[j + 1]] === a[idx[i]]) j++;
    // scipy: 0.5 * (count[dense] + count[dense − 1] + 1) with cumulative counts i and j + 1.
    const r = 0.5 * (j + 1 + i + 1);
    for (let k = i; k <= j; k++) ranks[idx[k]] = r;
    i = j + 1;
  }
  return ranks;
}

function sortedIndex(a: ArrayLike<number>): Uint32Array {
  const idx = new Uint32Array(a.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((x, y) => a[x] - a[y] || x - y);
  return idx;
}

/** Dense ranks 1…k of `a` (equal values share a rank). */
export interface DenseRanks {
  ranks: Int32Array;
  k: number;
}

export function denseRanks(a: ArrayLike<number>): DenseRanks {
  const idx = sortedIndex(a);
  const ranks = new Int32Array(a.length);
  let k = 0;
  for (let i = 0; i < idx.length; i++) {
    if (i === 0 || a[idx[i]] !== a[idx[i - 1]]) k++;
    ranks[idx[i]] = k;
  }
  return { ranks, k };
}

function tiePairs(ranks: Int32Array, k: number): number {
  const cnt = new Int32Array(k + 1);
  for (let i = 0; i < ranks.length; i++) cnt[ranks[i]]++;
  let t = 0;
  for (let i = 0; i <= k; i++) t += (cnt[i] * (cnt[i] - 1)) / 2;
  return t;
}

/**
 * τ-b from dense ranks, scipy's formula with exact integer counts. Elements are visited in x-rank groups
 * (counting sort); a group first counts the earlier elements with a larger y (discordant pairs; equal x never
 * counts), then joins the Fenwick tree, so no comparison sort is needed per pair of variables.
 */
export function kendallFromRanks(x: DenseRanks, y: DenseRanks): number {
  const n = x.ranks.length;
  if (y.ranks.length !== n) throw new RangeError(`kendall: lengths differ (${n} vs ${y.ranks.length})`);
  if (n < 2) return NaN;
  const xr = x.ranks,
    yr = y.ranks,
    ky = y.k;
  const start = new Int32Array(x.k + 2);
  for (let i = 0; i < n; i++) start[xr[i] + 1]++;
  for (let r = 1; r <= x.k + 1; r++) start[r] += start[r - 1];
  const order = new Int32Array(n);
  const fill = start.slice();
  for (let i = 0; i < n; i++) order[fill[xr[i]]++] = i;
  const tree = new Int32Array(ky + 1);
  const cnt = new Int32Array(ky + 1);
  let dis = 0,
    ntie = 0,
    inserted = 0;
  for (let r = 1; r <= x.k; r++) {
    const s = start[r],
      e = start[r + 1];
    for (let j = s; j < e; j++) {
      const v = yr[order[j]];
      let le = 0;
      for (let i = v; i > 0; i -= i & -i) le += tree[i];
      dis += inserted - le;
      ntie += cnt[v]++; // joint ties: earlier members of this x group with the same y
    }
    for (let j = s; j < e; j++) {
      const v = yr[order[j]];
      for (let i = v; i <= ky; i += i & -i) tree[i]++;
      cnt[v] = 0;
    }
    inserted += e - s;
  }
  const xtie = tiePairs(xr, x.k);
  const ytie = tiePairs(yr, ky);
  const tot = (n * (n - 1)) / 2;
  if (xtie === tot || ytie === tot) return NaN;
  const conMinusDis = tot - xtie - ytie + ntie - 2 * dis;
  const tau = conMinusDis / Math.sqrt(tot - xtie) / Math.sqrt(tot - ytie);
  return Math.min(1, Math.max(-1, tau));
}

/** scipy.stats.kendalltau(x, y) τ-b (NaN when either side is constant). */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (y.length !== x.length) throw new RangeError(`kendallTauB: lengths differ (${x.length} vs ${y.length})`);
  return kendallFromRanks(denseRanks(x), denseRanks(y));
}

/**
 * The TVSum protocol's Kendall: kendalltau(rankdata(−x), rankdata(−y)). τ depends only on the integer pair
 * counts, which negating both sides and ranking leave unchanged, so this is kendallTauB(x, y) bit for bit.
 */
export function tvsumKendall(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return kendallTauB(x, y);
}

/** scipy.stats.spearmanr(x, y).correlation: Pearson correlation of the average ranks (NaN if constant). */
export function spearmanRho(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return spearmanFromRanks(rankdata(x), rankdata(y));
}

/** Pearson correlation of two rank vectors (np.corrcoef's formula; NaN if one is constant). */
export function spearmanFromRanks(rx: Float64Array, ry: Float64Array): number {
  const n = rx.length;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += rx[i];
    my += ry[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const a = rx[i] - mx,
      b = ry[i] - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  const r = sxy / Math.sqrt(sxx) / Math.sqrt(syy);
  return Number.isNaN(r) ? NaN : Math.min(1, Math.max(-1, r));
}
