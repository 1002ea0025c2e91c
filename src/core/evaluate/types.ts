/**
 * Result objects of the evaluation — exactly the JSON `vsum evaluate|baseline … --json` prints and the notebook's
 * evaluation-table renderer consumes. F-measures are in 0–1 (tables print them ×100). No imports, so a renderer
 * can import these types alone. Non-finite numbers (a rank correlation of a constant score) become null in JSON.
 */

/** Per video. SumMe (rethinking-evs): min / mean / max over users of the per-user F. */
export interface VideoScores {
  min: number;
  avg: number;
  max: number;
  /** Gygli et al.'s original SumMe metric (summe.py): mean and max ("nn") F over users. `vsum evaluate` only. */
  gygliMean?: number;
  gygliMax?: number;
  /** TVSum: Kendall τ-b and Spearman ρ against each user's importance scores, averaged over users. */
  kendall?: number;
  spearman?: number;
  /** eccv16 h5 datasets: the video's `video_name` (the table is keyed by the group, e.g. video_1). */
  videoName?: string;
}

/** Dataset scores: min / avg / max (and TVSum's correlations) averaged over the videos. */
export interface MeanScores {
  min: number;
  avg: number;
  max: number;
  kendall?: number;
  spearman?: number;
}

/** `vsum evaluate --json` and `vsum baseline human --json`. Videos keep the ground truth's (sorted) order. */
export interface EvaluationResult {
  videos: Record<string, VideoScores>;
  mean: MeanScores;
}

/** The protocol behind a table, in words (printed under it; the JSON shape stays `videos` + `mean`). */
export interface EvaluationProtocol {
  /** e.g. "DSNet keyshot (eccv16)" or "rethinking-evs". */
  name: string;
  /** How per-user F becomes a video's score. */
  reduction: string;
  /** Summary length limit. */
  budget: string;
  /** Which shots the knapsack chooses from. */
  segmentation: string;
  /** How frame scores become knapsack values. */
  scoreRounding: string;
  /** What the rank correlations compare, when reported. */
  correlation?: string;
}

export type BaselineSegmentation = 'submission' | 'uniform' | 'one-peak' | 'two-peak' | 'kts' | 'randomized-kts';

/** `vsum baseline random --json`: per-video and dataset scores are means over the runs. */
export interface RandomBaselineResult extends EvaluationResult {
  baseline: 'random';
  segmentation: BaselineSegmentation;
  runs: number;
  seed: number;
  /** Sample standard deviation (ddof = 1, as pandas' describe) of the dataset min / avg / max over the runs. */
  spread: { min: number; avg: number; max: number };
}

/** `vsum baseline human --json`: leave-one-out human agreement (each user's summary against the others). */
export interface HumanBoundResult extends EvaluationResult {
  baseline: 'human';
  /** How one user's F against the other users is reduced: mean (SumMe paper) or max (rethinking-evs). */
  reduce: 'mean' | 'max';
}
