/**
 * What a summary was asked for, recorded in `<stem>.summary.json` as `request` so that a rerun can tell outputs made
 * with other settings from current ones (`vsum batch` recomputes a video whose request differs). Every option that
 * changes an output belongs here, with its default resolved, so "left at the default" and "given the default" match.
 */
import { ssdThreshold, type SsdPreset } from '../../stages/defaults';
import { createSummarizer, type MethodOptions } from '../methods';
import type { SummaryMethod } from '../selection';
import { DEFAULT_AUDIO } from '../../stages/defaults';
import { DEFAULT_EXPORTS } from '../../exports/exports';

export type RequestValue = string | number | boolean | null;
/** Flat and open: a new option is one more key, and records without it differ from requests with it. */
export type SummaryRequest = Record<string, RequestValue>;

/** Which embedding the clips came from: embedder id, and the model file's sha256 and variant when there is one. */
export interface EmbeddingIdentity {
  embedder: string;
  model: string | null;
  variant: string | null;
}

/** Method options as given: the threshold may still be a preset name. */
export type GivenMethodOptions = Omit<MethodOptions, 'threshold'> & { threshold?: number | SsdPreset };

export interface RequestOptions extends GivenMethodOptions {
  writeVideo?: boolean;
  audio?: boolean;
  /** Summary length in seconds, when asked for instead of a ratio. */
  duration?: number;
  /** Export formats written beside the summary. */
  exports?: readonly string[];
}

/** The method options a run uses: a threshold preset (and the default) is read on the embedder's scale. */
export function resolvedMethodOptions(method: SummaryMethod, o: GivenMethodOptions, embedderId: string): MethodOptions {
  const ssd = method === 'tt01' || method === 'tt02';
  return { ...o, threshold: ssd ? ssdThreshold(o.threshold, embedderId) : undefined };
}

export function summaryRequest(
  method: SummaryMethod,
  o: RequestOptions,
  id: EmbeddingIdentity,
  clipLength: number,
): SummaryRequest {
  // The summarizer's own parameter record, taken before it runs (KTS adds derived bounds to it while running).
  const params = { ...createSummarizer(method, resolvedMethodOptions(method, o, id.embedder)).params };
  return {
    method,
    ...params,
    embedder: id.embedder,
    model: id.model,
    variant: id.variant,
    clipLength,
    video: o.writeVideo ?? true,
    audio: o.audio ?? DEFAULT_AUDIO,
    duration: o.duration ?? null,
    exports: [...(o.exports ?? DEFAULT_EXPORTS)].join(','),
    segmentation: o.segmentation ?? null,
  };
}

/** Each key whose value differs, as `key recorded → requested` (empty when the request is the same). */
export function requestDifferences(recorded: SummaryRequest, requested: SummaryRequest): string[] {
  const keys = [...new Set([...Object.keys(requested), ...Object.keys(recorded)])].sort();
  const show = (v: RequestValue | undefined) => (v === undefined ? '(none)' : JSON.stringify(v));
  return keys
    .filter((k) => recorded[k] !== requested[k])
    .map((k) => `${k} ${show(recorded[k])} → ${show(requested[k])}`);
}
