/**
 * Seeded randomness for everything vsum samples (tt01/tt02 frame sampling, k-means++ init, random baselines,
 * Poisson segmentations). PRNG: xoshiro128** (Blackman & Vigna), state seeded from a 32-bit seed through
 * splitmix32 — small, fast, well-tested statistically, and identical on every platform (pure 32-bit integer math).
 */
export interface Rng {
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** k distinct integers from [0, n), sorted ascending (like sorted(random.sample(range(n), k))). */
  sampleSorted(n: number, k: number): number[];
  /** Poisson(λ) variate (Knuth for small λ, normal-approximation-free PTRS not needed at SumMe scale). */
  poisson(lambda: number): number;
  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(a: T[]): T[];
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const sm = splitmix32(Math.trunc(seed) >>> 0);
  let a = sm(),
    b = sm(),
    c = sm(),
    d = sm();
  if ((a | b | c | d) === 0) a = 1;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    a >>>= 0;
    b >>>= 0;
    return result;
  };
  const next = () => nextU32() / 4294967296;
  const int = (n: number) => {
    if (!(n > 0)) throw new RangeError(`int(n) needs n > 0, got ${n}`);
    return Math.floor(next() * n);
  };
  return {
    next,
    int,
    sampleSorted(n, k) {
      if (k > n || k < 0) throw new RangeError(`cannot sample ${k} of ${n}`);
      // Floyd's algorithm: k draws, no O(n) allocation.
      const chosen = new Set<number>();
      for (let j = n - k; j < n; j++) {
        const t = int(j + 1);
        chosen.add(chosen.has(t) ? j : t);
      }
      return [...chosen].sort((x, y) => x - y);
    },
    poisson(lambda) {
      if (!(lambda > 0)) throw new RangeError(`poisson needs λ > 0, got ${lambda}`);
      // Knuth's product method, in chunks of 30 to avoid underflow of e^-λ for large λ.
      let k = 0;
      let remaining = lambda;
      let p = 1;
      for (;;) {
        k++;
        p *= next();
        while (p < 1 && remaining > 0) {
          if (remaining > 30) {
            p *= Math.exp(30);
            remaining -= 30;
          } else {
            p *= Math.exp(remaining);
            remaining = 0;
          }
        }
        if (p <= 1 && remaining === 0) break;
      }
      return k - 1;
    },
    shuffle(a) {
      for (let i = a.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
      return a;
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
