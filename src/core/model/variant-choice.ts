/**
 * Which k600 variant runs when none is asked for. The rule (issue 13): on a CPU, the fastest variant whose
 * summaries agree with fp32's (Jaccard of the selected frames ≥ 0.9 for k-means and for tt02) on the published
 * weights; on a GPU, fp32. Agreement is only as good as what was measured, so the rule reads a recorded table of
 * measurements (`bench/rows/embed-variants.ts` makes them) and falls back to fp32 for every variant whose agreement
 * on the published weights is unproven. Measurements on random weights are recorded too, as evidence, but prove
 * nothing about the trained model and never make a variant the default. ALGORITHMS.md §cpu-defaults.
 */
import type { ModelVariant } from './hub';
import { probeProviders, type EpChoice } from './providers';

export const AGREEMENT_JACCARD = 0.9;

export interface VariantMeasurement {
  /** `published`: the downloaded k600 weights; `random`: a random-weight stand-in (evidence, not proof). */
  weights: 'published' | 'random';
  kmeansJaccard: number;
  tt02Jaccard: number;
  /** Mean cosine of the clip embeddings with fp32's. */
  cosine: number;
  /** This variant's clips/s over fp32's on the same CPU, same run. */
  cpuSpeedVsFp32: number;
  /** When, on what input, on which machine. */
  measured: string;
}

/**
 * What has been measured (bench embed-variants; README "Benchmarks"). No published-weight measurement exists yet
 * (the weights cannot be downloaded where vsum is built), so every entry is random-weight evidence.
 */
export const MEASURED_AGREEMENT: Partial<Record<ModelVariant, VariantMeasurement[]>> = {
  int8: [
    {
      weights: 'random',
      kmeansJaccard: 0.714,
      tt02Jaccard: 0.649,
      cosine: 0.9994,
      // One run each at load 6–20 on 2 shared cores: the speed is noisy (2.4× in an earlier run).
      cpuSpeedVsFp32: 2.4,
      measured:
        '2026-12-02, bench embed-variants, full-size random-weight model, the two real fixture videos joined ' +
        '(39 clips, 312 frames; fp32 clip-vs-clip cosine down to −0.37), 2-core Xeon',
    },
  ],
};

export interface VariantDecision {
  variant: ModelVariant;
  /** One line: why this variant (for the log). */
  why: string;
}

/** The default variant for a CPU or a GPU run, decided from `table`. */
export function defaultVariant(
  target: 'cpu' | 'gpu',
  table: Partial<Record<ModelVariant, VariantMeasurement[]>> = MEASURED_AGREEMENT,
): VariantDecision {
  if (target === 'gpu') return { variant: 'fp32', why: 'fp32 on a GPU (the reference; GPUs run it fast)' };
  let best: { variant: ModelVariant; m: VariantMeasurement } | undefined;
  const unproven: string[] = [];
  for (const [variant, ms] of Object.entries(table) as [ModelVariant, VariantMeasurement[]][]) {
    if (variant === 'fp32') continue;
    const proof = ms.find((m) => m.weights === 'published');
    if (!proof) {
      unproven.push(variant);
      continue;
    }
    const agrees = proof.kmeansJaccard >= AGREEMENT_JACCARD && proof.tt02Jaccard >= AGREEMENT_JACCARD;
    if (agrees && proof.cpuSpeedVsFp32 > 1 && (!best || proof.cpuSpeedVsFp32 > best.m.cpuSpeedVsFp32))
      best = { variant, m: proof };
  }
  if (best)
    return {
      variant: best.variant,
      why:
        `${best.variant}: ${best.m.cpuSpeedVsFp32.toFixed(1)}× fp32's speed on a CPU, summaries agree with fp32 ` +
        `(k-means Jaccard ${best.m.kmeansJaccard.toFixed(2)}, tt02 ${best.m.tt02Jaccard.toFixed(2)}; ${best.m.measured})`,
    };
  return {
    variant: 'fp32',
    why:
      'fp32: no faster variant is proven to give the same summaries on the published weights' +
      (unproven.length ? ` (${unproven.join(', ')}: measured on random weights only)` : ''),
  };
}

/** The default for a run on `ep`: `auto` counts as a GPU run when a GPU provider is present. */
export function defaultVariantFor(ep: EpChoice = 'auto'): VariantDecision {
  if (ep === 'cpu') return defaultVariant('cpu');
  if (ep !== 'auto') return defaultVariant('gpu');
  const gpu = probeProviders().some((p) => p.ep !== 'cpu' && p.available);
  return defaultVariant(gpu ? 'gpu' : 'cpu');
}
