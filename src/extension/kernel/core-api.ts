/**
 * The one place the kernel reaches into src/core for pieces that are chosen by name (embedders, summarizers).
 * Heavy modules (onnxruntime through the TimeSformer embedder) are imported lazily, so activating the extension
 * never loads them.
 */
import { VsumError } from '../../core/errors';
import type { Embedder } from '../../core/embed/embedder';
import { createSummarizer } from '../../core/summarize/methods';
import type { Summarizer, SummaryMethod } from '../../core/summarize/selection';

export interface SummarizerOptions {
  ratio: number;
  threshold: number;
  seed: number;
  seedFaithful: boolean;
}

export async function summarizerFor(method: SummaryMethod, o: SummarizerOptions): Promise<Summarizer> {
  return createSummarizer(method, o);
}

export interface EmbedderRequest {
  model: string;
  ep: string;
  batch?: number;
  seedFaithful?: boolean;
  cacheDirectory?: string;
  signal: AbortSignal;
  log(line: string): void;
  progress(message: string, fraction?: number): void;
}

export async function createEmbedderFor(req: EmbedderRequest): Promise<Embedder> {
  throw new VsumError('MODEL', `embed: the embedder "${req.model}" is not available in this build yet.`);
}
