/**
 * What every summarizer returns: the chosen frames plus everything a plot needs to explain the choice.
 * Plain numbers, arrays and strings only (no typed arrays, no NaN/Infinity), so a Selection goes through
 * JSON.stringify unchanged into `<stem>.summary.json` and into the notebook renderers.
 */
import type { FeatureMatrix } from '../features';

export type SummaryMethod = 'kmeans' | 'tt01' | 'tt02' | 'kts';
export const SUMMARY_METHODS: readonly SummaryMethod[] = ['kmeans', 'tt01', 'tt02', 'kts'];

/** Frames [start, end) of the video (end exclusive). `picked` = how many of its frames are in the summary. */
export interface FrameSegment {
  start: number;
  end: number;
  picked: number;
}

/** tt01/tt02: `ssd[j]` is the SSD tested at clip j (to the segment anchor, or to clip j−1); null for clip 0. */
export interface SsdScores {
  kind: 'ssd';
  reference: 'anchor' | 'previous';
  ssd: Array<number | null>;
  /** `anchor[j]`: the clip clip j was compared with (null for clip 0). */
  anchor: Array<number | null>;
  threshold: number;
  /** Clips that start a new segment (always includes 0). */
  segmentStarts: number[];
}

/** k-means: per clip its cluster and its distance to that cluster's centroid; the clip chosen per centroid. */
export interface KmeansScores {
  kind: 'kmeans';
  k: number;
  cluster: number[];
  distance: number[];
  /** chosenClips[c] = the clip nearest to centroid c (in centroid order, before sorting). */
  chosenClips: number[];
  inertia: number;
}

/** KTS: change points (feature-row indices, as cpd_auto returns them), per-clip score, per-segment mean score. */
export interface KtsScores {
  kind: 'kts';
  changePoints: number[];
  clipScore: number[];
  segmentScore: number[];
  selectedSegments: number[];
}

export type ClipScores = SsdScores | KmeansScores | KtsScores;

export interface Selection {
  method: SummaryMethod;
  /** Frames of the video the selection refers to. */
  nFrames: number;
  clipLength: number;
  nClips: number;
  /** Selected frame indices in output order (ascending; seed-faithful k-means may repeat a clip). */
  frames: number[];
  /** The segments the frames were chosen from (k-means: the chosen clips, in order). */
  segments: FrameSegment[];
  scores: ClipScores;
}

export interface SummarizeInput {
  /** One row per clip. */
  features: FeatureMatrix;
  /** Frame count of the video (features.rows must be floor or ceil of nFrames / clipLength). */
  nFrames: number;
  /** Frames per clip, 8 unless the embedder says otherwise. */
  clipLength?: number;
  /** Frames per second of the video, when known (KTS derives its default longest segment from it). */
  fps?: number;
  signal?: AbortSignal;
  /** Progress of the long summarizers (k-means, KTS), a few times a second at most. */
  onProgress?: (p: SummarizerProgress) => void;
}

/** k-means: restart r of R (1-based), Lloyd iteration i (0 while initialising); KTS: rows done of n per phase. */
export type SummarizerProgress =
  | { method: 'kmeans'; restart: number; restarts: number; iteration: number; maxIter: number }
  | { method: 'kts'; phase: 'kernel' | 'segmentation'; done: number; total: number };

/** A summarizer's progress as a fraction of its work (when it can be told) and one line for a progress bar. */
export function describeSummarizerProgress(p: SummarizerProgress): { fraction?: number; message: string } {
  if (p.method === 'kmeans') {
    const fraction = (p.restart - 1 + Math.min(1, p.iteration / Math.max(1, p.maxIter))) / p.restarts;
    return {
      fraction,
      message: `k-means restart ${p.restart}/${p.restarts}, ${p.iteration === 0 ? 'initialising' : `iteration ${p.iteration}`}`,
    };
  }
  // The segmentation's total is an upper bound (cpd_auto stops early), so only the kernel phase gives a fraction.
  return p.phase === 'kernel'
    ? { fraction: p.done / Math.max(1, p.total), message: `KTS kernel rows ${p.done}/${p.total}` }
    : { message: `KTS segmentation: ${p.done} change points evaluated` };
}

/** One summarization method with its parameters fixed; `params` is recorded verbatim in the outputs. */
export interface Summarizer {
  readonly method: SummaryMethod;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  summarize(input: SummarizeInput): Promise<Selection>;
}
