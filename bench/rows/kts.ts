/**
 * kts: our cpd_auto (src/core/summarize/kts.ts) against the numpy reference of DSNet's cpd_auto
 * (test/reference/kts_reference.py, which times only its own computation) on n = 1000 × 768 seeded shot-like
 * features, ncp = n − 1 as DSNet calls it. Goal ≤ 0.05× the time and the same change points.
 */
import path from 'node:path';
import { REPO, runPythonJson } from '../lib/inputs';
import { shotFeatures, toRows } from '../lib/features';
import { need, runRow, stats, timeOnce } from '../lib/row';

const N = 1000;
const D = 768;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

runRow(
  'kts',
  'KTS (cpd_auto)',
  '≤ 0.05× time, same change points',
  `${N} × ${D} features (40 shots + noise), ncp = n − 1, vmax = 1`,
  async (r) => {
    const mod = await need<typeof import('../../src/core/summarize/kts')>(
      '../../src/core/summarize/kts',
      'KTS (issue 3)',
    );
    const x = shotFeatures(8, N, D, { shots: 40 });
    let cps: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < REPEATS + 1; i++) {
      const t = await timeOnce(async () => {
        cps = (await mod.kts(x, { maxCp: N - 1, vmax: 1 })).changePoints;
      });
      if (i > 0) ours.push(t); // first call warms the JIT
    }
    const cases = Array.from({ length: REPEATS }, () => ({ X: toRows(x), ncp: N - 1, vmax: 1, time: true }));
    const ref = runPythonJson<Array<{ cps: number[]; seconds: number }>>(
      path.join(REPO, 'test', 'reference', 'kts_reference.py'),
      [],
      ['numpy'],
      JSON.stringify(cases),
    );
    r.ours = stats('vsum kts()', ours);
    r.baseline = stats(
      'numpy cpd_auto',
      ref.map((c) => c.seconds),
    );
    const same = JSON.stringify(ref[0].cps) === JSON.stringify(cps);
    r.checks.push({
      name: 'same change points',
      ok: same,
      detail: `${cps.length} change points${same ? '' : ` vs reference ${ref[0].cps.length}`}`,
    });
    r.ratioKind = 'time';
    r.ratio = r.ours.median / r.baseline.median;
    r.goalMet = same && r.ratio <= 0.05;
    // Where our time goes: the kernel alone (every row of X·Xᵀ computed once).
    const kernelS = await timeOnce(async () => {
      await mod.featureKernel(x).block(0, N, 0, N);
    });
    r.figures['kernel X·Xᵀ alone (s)'] = kernelS;
    if (!r.goalMet)
      r.missed = same
        ? {
            reason: `${Math.min(100, (kernelS / r.ours.median) * 100).toFixed(0)} % of our time is the 1000×1000 kernel X·Xᵀ (768-d float64 GEMM on onnxruntime, ${kernelS.toFixed(2)} s in this run; numpy's BLAS does the same product), the rest the DP over the change-point counts evaluated before the penalty bound stops it`,
            next:
              kernelS > 0.6 * r.ours.median
                ? 'the kernel in float32 GEMM (the scatters tolerate it where change points stay equal), and a quieter machine: both sides share its 2 cores'
                : 'a tighter early stop in the DP',
          }
        : {
            reason: 'change points differ from the reference',
            next: 'debug kts.ts against kts_reference.py on this input (tie rule / float order)',
          };
  },
);
