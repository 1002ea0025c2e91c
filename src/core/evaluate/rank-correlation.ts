/**
 * TVSum rank correlations as the rethinking-evs protocol computes them (ALGORITHMS §6):
 * Kendall = scipy `kendalltau(rankdata(−x), rankdata(−y))` (τ-b, ties handled), Spearman = scipy
 * `spearmanr(x, y)` (Pearson correlation of average ranks). Kendall follows scipy's O(n log n) algorithm
 * (dense ranks, discordant pairs counted with a Fenwick tree, τ = (tot − xtie − ytie + ntie − 2·dis) /
 * √(tot − xtie) / √(tot − ytie)), with exact integer counts, so the value is bit-identical to scipy's.
 */

/** scipy.stats.rankdata(a) with method 'average' (1-based ranks, ties get their mean rank). */
export function rankdata(a: ArrayLike<number>): Float64Array {
  const n = a.length;
  const idx = sortedIndex(a);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
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
function denseRanks(a: ArrayLike<number>): { ranks: Int32Array; k: number } {
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

/** scipy.stats.kendalltau(x, y) τ-b (NaN when either side is constant). */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`kendallTauB: lengths differ (${n} vs ${y.length})`);
  if (n < 2) return NaN;
  const { ranks: xr, k: kx } = denseRanks(x);
  const { ranks: yr, k: ky } = denseRanks(y);
  // Order by (x rank, y rank); discordant pairs = strict inversions of y in that order.
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => xr[a] - xr[b] || yr[a] - yr[b]);
  const tree = new Int32Array(ky + 1);
  let dis = 0;
  for (let j = 0; j < n; j++) {
    const v = yr[order[j]];
    let le = 0; // previous elements with y ≤ v
    for (let i = v; i > 0; i -= i & -i) le += tree[i];
    dis += j - le;
    for (let i = v; i <= ky; i += i & -i) tree[i]++;
  }
  let ntie = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && xr[order[j]] === xr[order[i]] && yr[order[j]] === yr[order[i]]) j++;
    const c = j - i;
    ntie += (c * (c - 1)) / 2;
    i = j;
  }
  const xtie = tiePairs(xr, kx);
  const ytie = tiePairs(yr, ky);
  const tot = (n * (n - 1)) / 2;
  if (xtie === tot || ytie === tot) return NaN;
  const conMinusDis = tot - xtie - ytie + ntie - 2 * dis;
  const tau = conMinusDis / Math.sqrt(tot - xtie) / Math.sqrt(tot - ytie);
  return Math.min(1, Math.max(-1, tau));
}

/** The TVSum protocol's Kendall: kendalltau(rankdata(−x), rankdata(−y)). */
export function tvsumKendall(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return kendallTauB(rankdata(negate(x)), rankdata(negate(y)));
}

/** scipy.stats.spearmanr(x, y).correlation: Pearson correlation of the average ranks (NaN if constant). */
export function spearmanRho(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const rx = rankdata(x), ry = rankdata(y);
  const n = rx.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += rx[i]; my += ry[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const a = rx[i] - mx, b = ry[i] - my;
    sxy += a * b; sxx += a * a; syy += b * b;
  }
  const r = sxy / Math.sqrt(sxx) / Math.sqrt(syy);
  return Number.isNaN(r) ? NaN : Math.min(1, Math.max(-1, r));
}

function negate(a: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = -a[i];
  return out;
}
