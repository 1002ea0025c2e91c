/**
 * The one place the kernel reaches into src/core for pieces that are chosen by name (embedders, summarizers).
 * Heavy modules (onnxruntime through the TimeSformer embedder) are imported lazily, so activating the extension
 * never loads them.
 */
import type { Embedder } from '../../core/embed/embedder';
import type { EmbedderSpec } from '../../core/embed/cache';
import { createEmbedder } from '../../core/embed/factory';
import type { DownloadProgress } from '../../core/model/download';
import type { EpChoice } from '../../core/model/providers';
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

function timesformerOptions(req: EmbedderRequest) {
  let lastPct = -1;
  return {
    model: req.model === 'timesformer' ? 'k600' : req.model,
    ep: req.ep as EpChoice,
    batch: req.batch,
    seedFaithful: req.seedFaithful,
    cacheDir: req.cacheDirectory,
    signal: req.signal,
    log: req.log,
    onDownloadProgress: (p: DownloadProgress) => {
      const pct = Math.floor(p.percent ?? 0);
      if (pct === lastPct) return;
      lastPct = pct;
      req.progress(`downloading the model: ${(p.bytes / 1e6).toFixed(0)} MB${p.total ? ` of ${(p.total / 1e6).toFixed(0)} MB` : ''}`, p.percent !== undefined ? p.percent / 100 : undefined);
    },
  };
}

/**
 * How to embed: `histogram` → the built-in embedder (no cache: it is cheaper than hashing); `k600` or an .onnx
 * path → a TimeSformer spec for the embedding cache, so re-running a cell on the same video does no inference.
 * The TimeSformer module (and with it onnxruntime) is loaded only here.
 */
export async function embedderSpecFor(req: EmbedderRequest): Promise<{ kind: 'direct'; create: () => Promise<Embedder> } | { kind: 'cached'; spec: EmbedderSpec }> {
  if (req.model === 'histogram') return { kind: 'direct', create: () => createEmbedder('histogram', { batch: req.batch }) };
  const tf = await import('../../core/embed/timesformer.js');
  return { kind: 'cached', spec: await tf.timesformerSpec(timesformerOptions(req)) };
}
