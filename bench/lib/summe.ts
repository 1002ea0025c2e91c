/**
 * A synthetic SumMe-sized evaluation input, seeded: V videos × U users × N frames of 0/1 user summaries (each user
 * picks ~15 % of the frames as a few contiguous runs), a submission summary per video chosen segment-wise, and its
 * segment boundaries (run boundaries as rethinking-evs' `segment`). Written as raw uint8 + meta.json for numpy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRng } from '../../src/core/random';
import { tmpPath } from './inputs';

export interface SyntheticSumme {
  dir: string;
  V: number;
  U: number;
  N: number;
  /** [V][U][N] flattened. */
  users: Uint8Array;
  /** [V][N] flattened. */
  summary: Uint8Array;
  /** Per video: shot boundaries (ascending, in (0, N)). */
  segments: number[][];
  names: string[];
}

export function syntheticSumme(V = 25, U = 17, N = 5000, seed = 2017): SyntheticSumme {
  const rng = createRng(seed);
  const users = new Uint8Array(V * U * N);
  const summary = new Uint8Array(V * N);
  const segments: number[][] = [];
  for (let v = 0; v < V; v++) {
    // Shots of 20–100 frames.
    const b: number[] = [];
    for (let t = 20 + rng.int(81); t < N; t += 20 + rng.int(81)) b.push(t);
    segments.push(b);
    const edges = [0, ...b, N];
    // Submission: shots taken at random until ~15 % of frames.
    let taken = 0;
    for (const s of rng.shuffle(Array.from({ length: edges.length - 1 }, (_, i) => i))) {
      const len = edges[s + 1] - edges[s];
      if (taken + len > 0.15 * N) continue;
      summary.fill(1, v * N + edges[s], v * N + edges[s + 1]);
      taken += len;
    }
    for (let u = 0; u < U; u++) {
      const o = (v * U + u) * N;
      let left = Math.floor(N * (0.05 + 0.15 * rng.next()));
      while (left > 0) {
        const len = Math.min(left, 10 + rng.int(150));
        const start = rng.int(N - len);
        users.fill(1, o + start, o + start + len);
        left -= len;
      }
    }
  }
  const dir = path.dirname(tmpPath('summe', 'meta.json'));
  fs.writeFileSync(path.join(dir, 'users.u8'), users);
  fs.writeFileSync(path.join(dir, 'summary.u8'), summary);
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ V, U, N, seed, segments }));
  const names = Array.from({ length: V }, (_, v) => `video ${String(v).padStart(2, '0')}`);
  return { dir, V, U, N, users, summary, segments, names };
}

/** The synthetic set as vsum's in-memory ground truth (users as rows) and summaries. */
export function asGroundTruth(s: SyntheticSumme): {
  gt: import('../../src/core/evaluate/ground-truth').GroundTruth;
  summaries: Map<string, Uint8Array>;
  boundaries: Map<string, number[]>;
} {
  const videos = s.names.map((name, v) => ({
    name,
    nFrames: s.N,
    nUsers: s.U,
    userSummaries: s.users.slice(v * s.U * s.N, (v + 1) * s.U * s.N),
    gtScore: new Float64Array(s.N),
    source: `synthetic ${name}`,
  }));
  return {
    gt: { dataset: 'summe', source: 'synthetic', videos },
    summaries: new Map(s.names.map((name, v) => [name, s.summary.slice(v * s.N, (v + 1) * s.N)])),
    boundaries: new Map(s.names.map((name, v) => [name, s.segments[v]])),
  };
}
