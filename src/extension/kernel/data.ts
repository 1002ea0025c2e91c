/** The values stages hand on through the session (slot → type). */
import type { FeatureMatrix } from '../../core/features';
import type { Selection, SummaryMethod } from '../../core/summarize/selection';
import type { VideoInfo } from '../../core/video/types';
import type { EvaluationPayload } from '../../common/payloads';

export interface LoadedVideo {
  /** Absolute path. */
  path: string;
  /** As shown in outputs (relative to the notebook). */
  name: string;
  /** Video name for datasets: file name without extension (spaces kept, e.g. "St Maarten Landing"). */
  stem: string;
  info: VideoInfo;
}

export interface VideoSlot {
  videos: LoadedVideo[];
  /** Ground-truth folder given with the load stage (absolute). */
  gt?: string;
}

export interface VideoFeatures {
  video: LoadedVideo;
  features: FeatureMatrix;
  clipLength: number;
  embedderId: string;
}

export interface FeaturesSlot {
  embedderId: string;
  items: VideoFeatures[];
}

export interface SelectionRun {
  video: LoadedVideo;
  method: SummaryMethod;
  selection: Selection;
  files: { video?: string; frames?: string; json?: string };
}

export interface SelectionSlot {
  runs: SelectionRun[];
  /** method → rethinking-evs JSON written by `export` (absolute). */
  exported: Record<string, string>;
}

export type EvaluationSlot = EvaluationPayload;

export interface AttentionSlot {
  video: string;
  clip: number;
}

export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.mkv', '.webm', '.avi'];
