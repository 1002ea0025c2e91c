/**
 * Every default of a stage option, declared once. The stage schemas (src/core/stages/<name>.ts) show them to
 * users as their `default`s; the CLI flags, the notebook templates, the pipeline and the summarizers fall back to
 * these same values, so `vsum summarize`, a notebook cell and "Summarize Video" given no options agree.
 * (They live in a leaf module, below the pipeline, so the pipeline can use them without importing the stages
 * that run it.)
 */
import { HISTOGRAM_SSD_PRESETS } from '../embed/histogram';

/**
 * 1234 is faiss's default k-means seed, the one the original's clustering ran with, so a default run follows
 * the original's choice. The same seed drives tt01/tt02 frame sampling and the random baseline: one number
 * reproduces every random choice of a run.
 */
export const DEFAULT_SEED = 1234;

/** Fraction of the video kept: the original's 15 % (k-means clusters, SSD sampling, KTS / knapsack budget). */
export const DEFAULT_RATIO = 0.15;

/** k-means restarts in the default (non seed-faithful) mode; the best inertia wins. */
export const DEFAULT_KMEANS_RESTARTS = 5;

/** KTS penalty weight (cpd_auto's vmax). */
export const DEFAULT_KTS_VMAX = 1;

/** Keep the source's sound in the summary video (when it has any): people watch summaries with sound. */
export const DEFAULT_AUDIO = true;

/** Runs of the random baseline. */
export const DEFAULT_BASELINE_RUNS = 100;

export type SsdPreset = 'small' | 'average' | 'large';
export const SSD_PRESET_NAMES: readonly SsdPreset[] = ['small', 'average', 'large'];
export const DEFAULT_SSD_PRESET: SsdPreset = 'average';

/**
 * tt01/tt02 thresholds by embedder scale: TimeSformer's are the Gradio app's 100 / 400 / 800; the histogram
 * embedder's unit-vector SSDs live in [0, 4], so it has its own (embed/histogram.ts says how they were measured).
 */
export const SSD_PRESETS: Record<'timesformer' | 'histogram', Record<SsdPreset, number>> = {
  timesformer: { small: 100, average: 400, large: 800 },
  histogram: HISTOGRAM_SSD_PRESETS,
};

/** The SSD scale of features from `embedderId` (features from a .npy are taken to be TimeSformer's). */
export function ssdScale(embedderId: string): 'timesformer' | 'histogram' {
  return embedderId.startsWith('histogram') ? 'histogram' : 'timesformer';
}

/** A threshold given as a number or a preset (default: `average`), on the scale of `embedderId`'s features. */
export function ssdThreshold(value: number | SsdPreset | undefined, embedderId: string): number {
  if (typeof value === 'number') return value;
  return SSD_PRESETS[ssdScale(embedderId)][value ?? DEFAULT_SSD_PRESET];
}
