/**
 * The one place the kernel reaches into src/core for pieces that are chosen by name (embedders, summarizers).
 * Heavy modules (onnxruntime through the TimeSformer embedder) are imported lazily, so activating the extension
 * never loads them.
 */
import type { Embedder } from '../../core/embed/embedder';
import { createEmbedder } from '../../core/embed/factory';
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

/** `histogram` → the built-in embedder; `k600` or an .onnx path → TimeSformer (onnxruntime loaded lazily by core). */
export async function createEmbedderFor(req: EmbedderRequest): Promise<Embedder> {
  if (req.model === 'histogram') return createEmbedder('histogram', { batch: req.batch });
  if (req.model === 'timesformer') req = { ...req, model: 'k600' };
  const ep = req.ep as EpChoice;
  let lastPct = -1;
  return createEmbedder('timesformer', {
    model: req.model,
    ep,
    batch: req.batch,
    seedFaithful: req.seedFaithful,
    cacheDir: req.cacheDirectory,
    signal: req.signal,
    log: req.log,
    onDownloadProgress: (p) => {
      const pct = Math.floor(p.percent ?? 0);
      if (pct === lastPct) return;
      lastPct = pct;
      req.progress(`downloading the model: ${(p.bytes / 1e6).toFixed(0)} MB${p.total ? ` of ${(p.total / 1e6).toFixed(0)} MB` : ''}`, p.percent !== undefined ? p.percent / 100 : undefined);
    },
  });
}
