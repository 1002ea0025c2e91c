/**
 * Can the chosen embedder run now? Answered cheaply before any question or stage: the cache is looked at (no
 * hashing), and for a model not cached yet one HEAD request with a short timeout says whether the Hub can be
 * reached. The download itself (resumable, verified) stays in model-store.ts; this only decides whether to offer
 * the ways out (download, the histogram embedder, a local .onnx, the settings) first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { resolveCacheDir } from './cache-dir';
import { VARIANT_SIZES_MB, variantPath, variantUrl, type ModelVariant } from './hub';

/** How long the reachability check waits for the Hub before calling it unreachable. */
export const AVAILABILITY_TIMEOUT_MS = 3000;

export type ModelAvailability =
  /** Runs without a download: the histogram embedder, a cached k600 variant, an existing .onnx. */
  | { state: 'ready'; model: string; file?: string }
  /** Not cached, the Hub answered: the stage downloads it (with progress) when it runs. */
  | { state: 'downloadable'; model: string; variant: ModelVariant; url: string; bytes: number; file: string }
  /** Not cached and the Hub cannot be reached: the user has to choose another way. */
  | {
      state: 'unreachable';
      model: string;
      variant: ModelVariant;
      url: string;
      bytes: number;
      file: string;
      /** Why the Hub did not answer (ENOTFOUND, a timeout, an HTTP status). */
      why: string;
    }
  /** A path to an .onnx that is not there. */
  | { state: 'missing-file'; model: string; file: string };

export interface AvailabilityOptions {
  /** `k600` (or `timesformer`), `histogram`, or the path of an .onnx (absolute, or relative to `baseDir`). */
  model: string;
  variant?: ModelVariant;
  cacheDir?: string;
  baseDir?: string;
  timeoutMs?: number;
  /** For tests: where the HEAD request goes (default: the variant's Hub URL). */
  url?: string;
  /** How the URL is asked (default `probeUrl`); the extension passes a cached one so Run All asks once. */
  probe?: (url: string, timeoutMs: number) => Promise<UrlProbe>;
}

/** What a HEAD request found: reachable or not, the size when the server said it. */
export interface UrlProbe {
  ok: boolean;
  bytes?: number;
  why: string;
}

export async function checkModelAvailability(opts: AvailabilityOptions): Promise<ModelAvailability> {
  const model = opts.model;
  if (model === 'histogram') return { state: 'ready', model };
  if (model !== 'k600' && model !== 'timesformer') {
    const file = path.resolve(opts.baseDir ?? process.cwd(), model);
    return fs.existsSync(file) ? { state: 'ready', model, file } : { state: 'missing-file', model, file };
  }
  const variant = opts.variant ?? 'fp32';
  const file = variantPath(resolveCacheDir({ cacheDir: opts.cacheDir }), variant);
  if (fs.existsSync(file)) return { state: 'ready', model, file };
  const url = opts.url ?? variantUrl(variant);
  const head = await (opts.probe ?? probeUrl)(url, opts.timeoutMs ?? AVAILABILITY_TIMEOUT_MS);
  const bytes = head.bytes ?? Math.round(VARIANT_SIZES_MB[variant] * 1e6);
  return head.ok
    ? { state: 'downloadable', model, variant, url, bytes, file }
    : { state: 'unreachable', model, variant, url, bytes, file, why: head.why };
}

/** Whether the user must choose before anything runs (a model that will download by itself needs no choice). */
export function needsModelChoice(
  a: ModelAvailability,
): a is Extract<ModelAvailability, { state: 'unreachable' | 'missing-file' }> {
  return a.state === 'unreachable' || a.state === 'missing-file';
}

/**
 * The HEAD of the model URL. The Hub answers /resolve/ with a redirect whose headers carry the file's size
 * (X-Linked-Size), so the redirect is not followed: any answer below 400 means the file can be downloaded.
 */
export async function probeUrl(url: string, timeoutMs: number): Promise<UrlProbe> {
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const size = Number(res.headers.get('x-linked-size') ?? res.headers.get('content-length'));
    const bytes = Number.isFinite(size) && size > 0 ? size : undefined;
    if (res.status < 400) return { ok: true, bytes, why: '' };
    return { ok: false, bytes, why: `HTTP ${res.status}` };
  } catch (e) {
    const err = e as { name?: string; cause?: { code?: string; message?: string }; message?: string };
    if (err.name === 'TimeoutError') return { ok: false, why: `no answer within ${timeoutMs / 1000} s` };
    return { ok: false, why: err.cause?.code ?? err.cause?.message ?? err.message ?? String(e) };
  }
}

/** "487 MB" */
export function formatModelSize(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`;
}
