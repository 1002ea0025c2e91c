/**
 * evaluate: our SumMe evaluation (per-user F, min/avg/max per video, dataset means; Gygli's F too) against the
 * rethinking-evs-style loop of scikit-learn f1_score calls, on 25 videos × 17 users × 5000 frames of seeded
 * synthetic summaries. Goal: < 1 s and ≤ 0.2× the Python time; the same scores.
 */
import path from 'node:path';
import { BENCH_DIR, runPythonJson } from '../lib/inputs';
import { asGroundTruth, syntheticSumme } from '../lib/summe';
import { need, runRow, stats, timeOnce } from '../lib/row';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3) + 2;

runRow(
  'evaluate',
  'evaluate (SumMe protocol)',
  '< 1 s and ≤ 0.2× time, same scores',
  '25 videos × 17 users × 5,000 frames (synthetic, seeded)',
  async (r) => {
    const ev = await need<typeof import('../../src/core/evaluate/evaluate')>(
      '../../src/core/evaluate/evaluate',
      'evaluation (issue 4)',
    );
    const s = syntheticSumme();
    const { gt, summaries } = asGroundTruth(s);
    let result: ReturnType<typeof ev.evaluateSummaries> | undefined;
    const ours: number[] = [];
    for (let i = 0; i < REPEATS + 1; i++) {
      const t = await timeOnce(() => {
        result = ev.evaluateSummaries(gt, summaries);
      });
      if (i > 0) ours.push(t);
    }
    const ref = runPythonJson<{ seconds: number[]; mean: { min: number; avg: number; max: number } }>(
      path.join(BENCH_DIR, 'reference', 'evs_sklearn.py'),
      ['evaluate', s.dir, String(REPEATS)],
      ['numpy', 'sklearn'],
    );
    r.ours = stats('vsum evaluateSummaries', ours);
    r.baseline = stats('sklearn f1_score loop', ref.seconds);
    const m = result!.mean;
    const diff = Math.max(
      Math.abs(m.min - ref.mean.min),
      Math.abs(m.avg - ref.mean.avg),
      Math.abs(m.max - ref.mean.max),
    );
    r.checks.push({
      name: 'same scores (1e-12)',
      ok: diff <= 1e-12,
      detail: `max |Δ| = ${diff.toExponential(2)}; avg F ${m.avg.toFixed(4)}`,
    });
    r.checks.push({ name: '< 1 s', ok: r.ours.median < 1, detail: `${r.ours.median.toFixed(3)} s` });
    r.ratioKind = 'time';
    r.ratio = r.ours.median / r.baseline.median;
    r.goalMet = r.ratio <= 0.2 && r.ours.median < 1 && diff <= 1e-12;
    if (!r.goalMet)
      r.missed = {
        reason: diff > 1e-12 ? 'scores differ from sklearn' : 'slower than the goal',
        next: 'profile scoreVideo (per-user F is one pass over the frames)',
      };
  },
);
