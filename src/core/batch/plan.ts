/**
 * What a batch is asked to do, resolved once: the videos (sorted, this shard's share), the methods, and for each
 * method the request a complete summary must have recorded. Shared by the run and by `--collect`.
 */
import path from 'node:path';
import { VsumError } from '../errors';
import { HISTOGRAM_EMBEDDER_ID } from '../embed/histogram';
import { summaryPaths, videoStem, type SummaryPaths } from '../summarize/outputs/paths';
import { summaryRequest, type EmbeddingIdentity, type SummaryRequest } from '../summarize/outputs/request';
import { CLIP_LENGTH, type SummarizeOptions } from '../summarize/pipeline';
import type { SummaryMethod } from '../summarize/selection';
import { failurePath } from './failure';
import { shardItems, type Shard } from './shard';
import { VIDEO_EXTENSIONS, listVideos } from './videos';

export type BatchSummaryOptions = Omit<SummarizeOptions, 'method' | 'outDir' | 'stem' | 'features'>;

export interface BatchOptions {
  videosDir: string;
  outRoot: string;
  methods: SummaryMethod[];
  summary: BatchSummaryOptions;
  shard: Shard;
  /** Ground truth (SumMe folder/.mat or TVSum .mat): also write `<method>.evaluation.{md,json}`. */
  gt?: string;
  leaseMs?: number;
}

export interface BatchPlan {
  options: BatchOptions;
  /** Every video of the folder, sorted (the order shards are strided over). */
  all: string[];
  /** This shard's share. */
  mine: string[];
  requests: Map<SummaryMethod, SummaryRequest>;
}

/** The embedding a summary must have been made from, known before embedding (TimeSformer resolves its model). */
export async function requestedIdentity(o: BatchSummaryOptions, signal?: AbortSignal): Promise<EmbeddingIdentity> {
  if (o.embedder === 'timesformer') {
    const { timesformerSpec } = require('../embed/timesformer') as typeof import('../embed/timesformer');
    const spec = await timesformerSpec({
      ...o.embedderOptions,
      seedFaithful: o.seedFaithful ?? o.embedderOptions?.seedFaithful,
      signal,
    });
    return { embedder: spec.embedderId, model: spec.modelHash, variant: spec.model.variant ?? null };
  }
  if (o.embedder !== undefined && o.embedder !== 'histogram')
    throw new VsumError(
      'BAD_INPUT',
      'vsum batch embeds with histogram or timesformer; a ready embedder object cannot be resumed by id.',
    );
  return { embedder: HISTOGRAM_EMBEDDER_ID, model: null, variant: null };
}

export async function planBatch(o: BatchOptions, signal?: AbortSignal): Promise<BatchPlan> {
  const all = listVideos(o.videosDir);
  if (all.length === 0)
    throw new VsumError('FILE_NOT_FOUND', `No videos (${VIDEO_EXTENSIONS.join(' ')}) in ${o.videosDir}.`, {
      file: o.videosDir,
    });
  const identity = await requestedIdentity(o.summary, signal);
  const requests = new Map(o.methods.map((m) => [m, summaryRequest(m, o.summary, identity, CLIP_LENGTH)] as const));
  return { options: o, all, mine: shardItems(all, o.shard), requests };
}

export function methodDir(outRoot: string, method: SummaryMethod): string {
  return path.join(outRoot, method);
}

export function outputsOf(outRoot: string, method: SummaryMethod, video: string): SummaryPaths & { failure: string } {
  const dir = methodDir(outRoot, method);
  const stem = videoStem(video);
  return { ...summaryPaths(dir, stem), failure: failurePath(dir, stem) };
}

/** One lock per video (all its methods share one embedding pass), in a hidden folder of the output root. */
export function lockPath(outRoot: string, video: string): string {
  return path.join(outRoot, '.vsum-locks', `${videoStem(video)}.lock`);
}
