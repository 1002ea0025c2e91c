/**
 * What stages hand on to later stages (a notebook's session holds one value per slot). Plain data with typed
 * arrays only, so a value crosses the engine boundary by structured clone unchanged.
 */
import type { EvaluationPayload } from '../../common/payloads';
import type { FeatureMatrix } from '../features';
import type { Selection, SummaryMethod } from '../summarize/selection';
import type { VideoInfo } from '../video/types';

export type SessionSlot = 'video' | 'features' | 'selection' | 'evaluation' | 'attention';

export const SLOT_LABEL: Record<SessionSlot, string> = {
  video: 'a loaded video',
  features: 'clip embeddings',
  selection: 'a summary selection',
  evaluation: 'evaluation results',
  attention: 'an attention rollout',
};

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
  /** The model file's sha256 and variant (TimeSformer; null otherwise), recorded in each summary's request. */
  model: string | null;
  variant: string | null;
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
  /** What the session view shows: the clip's frame indices, the patch grid, the rollout maps' bytes. */
  frames?: number[];
  grid?: number;
  maps?: Array<'space-time' | 'space-only'>;
  bytes?: number;
}

export interface SlotValues {
  video: VideoSlot;
  features: FeaturesSlot;
  selection: SelectionSlot;
  evaluation: EvaluationSlot;
  attention: AttentionSlot;
}
