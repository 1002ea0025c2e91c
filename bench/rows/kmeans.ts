/**
 * kmeans: our default-mode k-means summarizer (k-means++ init, 5 restarts, Lloyd to convergence ≤ 100 iterations,
 * then the nearest clip per centroid) against scikit-learn's KMeans with the same init and init count, on the same
 * 1000 × 768 seeded float32 matrix, k = round(0.15 · 1000) = 150. Goal ≤ 0.5× time and inertia ≤ 1.01× sklearn's.
 */
import path from 'node:path';
import { BENCH_DIR, runPythonJson, writeRaw } from '../lib/inputs';
import { shotFeatures } from '../lib/features';
import { need, runRow, stats, timeOnce } from '../lib/row';

const N = 1000;
const D = 768;
const RESTARTS = 5;
const MAX_ITER = 100;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

runRow(
  'kmeans',
  'k-means',
  '≤ 0.5× time, inertia ≤ 1.01×',
  `${N} × ${D} float32 (120 shots + noise), k = 150, ${RESTARTS} k-means++ inits`,
  async (r) => {
    const mod = await need<typeof import('../../src/core/summarize/kmeans')>(
      '../../src/core/summarize/kmeans',
      'k-means (issue 3)',
    );
    const x = shotFeatures(150, N, D, { shots: 120, noise: 0.6 });
    const file = writeRaw('kmeans-1000x768.f32', x.data);
    const inertias: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const s = mod.kmeansSummarizer({ ratio: 0.15, seed: 1000 + i, restarts: RESTARTS, maxIter: MAX_ITER });
      ours.push(
        await timeOnce(async () => {
          const sel = await s.summarize({ features: x, nFrames: N * 8 });
          if (sel.scores.kind === 'kmeans') inertias.push(sel.scores.inertia);
        }),
      );
    }
    const ref = runPythonJson<{ seconds: number[]; inertia: number }>(
      path.join(BENCH_DIR, 'reference', 'kmeans_sklearn.py'),
      [file, String(N), String(D), '150', String(RESTARTS), String(MAX_ITER), String(REPEATS)],
      ['numpy', 'sklearn'],
    );
    r.ours = stats('vsum kmeansSummarizer', ours);
    r.baseline = stats('sklearn KMeans', ref.seconds);
    const median = [...inertias].sort((a, b) => a - b)[inertias.length >> 1];
    const inertiaRatio = median / ref.inertia;
    r.figures['inertia ratio (ours median / sklearn best)'] = inertiaRatio;
    r.checks.push({
      name: 'inertia ≤ 1.01× sklearn',
      ok: inertiaRatio <= 1.01,
      detail: `${median.toFixed(1)} vs ${ref.inertia.toFixed(1)}`,
    });
    r.ratioKind = 'time';
    r.ratio = r.ours.median / r.baseline.median;
    r.goalMet = r.ratio <= 0.5 && inertiaRatio <= 1.01;
    r.notes.push(
      "sklearn runs its distance kernel on BLAS/OpenMP over every core; ours runs x·c on onnxruntime's GEMM (src/core/linalg/engine.ts, MLAS, VSUM_THREADS) and re-scores near-ties with the direct sum.",
    );
    if (!r.goalMet)
      r.missed =
        r.ratio > 0.5
          ? {
              reason:
                'the k-means++ steps are many small (trials × n) products and the Hamerly bounds skip few rows at 768 dimensions',
              next: 'float32 GEMM where inertia allows; batch several k-means++ steps per product',
            }
          : {
              reason: "inertia above sklearn's: a different local optimum",
              next: 'more restarts or a tighter convergence test',
            };
  },
);
