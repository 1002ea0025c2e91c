/**
 * Embedding cache: a re-run on the same video with the same model and preprocessing does no inference.
 * Key = sha256 of (video content key, embedder id — which names the preprocessing mode —, model file sha256,
 * partial-clip policy). The video content key is its size plus a sha256 of sampled chunks (head, tail and 16
 * evenly spaced 64 KiB pieces): fast on multi-GB files, and independent of the path and mtime.
 * Entries: <cache>/embeddings/<key>.npy (float32 [clips, dim]) + <key>.json (metadata), both written atomically,
 * the .json last — it is the commit marker, so a crash never leaves an entry that reads as valid.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VsumError, throwIfAborted } from '../errors';
import { featureMatrix, type FeatureMatrix } from '../features';
import { writeFileAtomic } from '../io/atomic';
import { readNpy, writeNpy } from '../io/npy';
import { resolveCacheDir, tryCacheWrite } from '../model/cache-dir';
import type { VideoInfo } from '../video/types';
import { embedVideo, type EmbeddedVideo, type EmbedVideoOptions } from './embed-video';
import type { Embedder } from './embedder';
import { createHistogramEmbedder, HISTOGRAM_EMBEDDER_ID } from './histogram';

const CHUNK = 64 * 1024;
const EDGE = 1024 * 1024;
const SAMPLES = 16;
const CACHE_FORMAT = 1;

/** `<size>-<sha256 of sampled chunks, 32 hex>`. */
export async function videoContentKey(file: string, signal?: AbortSignal): Promise<string> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch (e) {
    throw new VsumError(
      'FILE_NOT_FOUND',
      `${file} does not exist or cannot be read (${(e as NodeJS.ErrnoException).code}).`,
      { file, cause: e },
    );
  }
  try {
    const { size } = await fh.stat();
    const h = crypto.createHash('sha256');
    h.update(`${size}\n`);
    const read = async (pos: number, len: number) => {
      const buf = Buffer.alloc(Math.max(0, Math.min(len, size - pos)));
      if (buf.length) await fh.read(buf, 0, buf.length, pos);
      h.update(buf);
    };
    if (size <= 2 * EDGE + SAMPLES * CHUNK) await read(0, size);
    else {
      await read(0, EDGE);
      for (let i = 1; i <= SAMPLES; i++) {
        throwIfAborted(signal, `hashing ${file}`);
        await read(Math.floor((i * (size - CHUNK)) / (SAMPLES + 1)), CHUNK);
      }
      await read(size - EDGE, EDGE);
    }
    return `${size}-${h.digest('hex').slice(0, 32)}`;
  } finally {
    await fh.close();
  }
}

export interface EmbeddingKeyParts {
  videoKey: string;
  embedderId: string;
  /** sha256 of the model file (or a fixed token for model-free embedders). */
  modelHash: string;
  partial: 'drop' | 'pad';
}

export function embeddingCacheKey(parts: EmbeddingKeyParts): string {
  const canonical = JSON.stringify({
    v: CACHE_FORMAT,
    video: parts.videoKey,
    embedder: parts.embedderId,
    model: parts.modelHash,
    partial: parts.partial,
  });
  return crypto.createHash('sha256').update(canonical).digest('hex').slice(0, 40);
}

export interface EmbeddingCacheMeta extends EmbeddingKeyParts {
  format: number;
  key: string;
  /** The path it was computed from (informative; the key does not depend on it). */
  video: string;
  rows: number;
  cols: number;
  clipLength: number;
  framesCovered: number;
  info: VideoInfo;
  createdAt: string;
}

function entryPaths(cacheDir: string, key: string) {
  const dir = path.join(cacheDir, 'embeddings');
  return { dir, npy: path.join(dir, `${key}.npy`), json: path.join(dir, `${key}.json`) };
}

export async function readCachedEmbedding(
  cacheDir: string,
  key: string,
): Promise<{ features: FeatureMatrix; meta: EmbeddingCacheMeta } | undefined> {
  const p = entryPaths(cacheDir, key);
  let meta: EmbeddingCacheMeta;
  try {
    meta = JSON.parse(await fs.promises.readFile(p.json, 'utf8')) as EmbeddingCacheMeta;
  } catch {
    return undefined;
  }
  if (meta.format !== CACHE_FORMAT || meta.key !== key) return undefined;
  try {
    const a = readNpy(p.npy);
    if (a.dtype !== 'f4' || a.shape.length !== 2 || a.shape[0] !== meta.rows || a.shape[1] !== meta.cols)
      return undefined;
    // An entry an older vsum cached from a broken model: recompute (and refuse) rather than reuse it.
    if (!(a.data as Float32Array).every(Number.isFinite)) return undefined;
    return { features: featureMatrix(meta.rows, meta.cols, a.data as Float32Array), meta };
  } catch {
    return undefined; // a damaged entry is a miss; the next write replaces it
  }
}

export async function writeCachedEmbedding(
  cacheDir: string,
  meta: EmbeddingCacheMeta,
  features: FeatureMatrix,
): Promise<void> {
  const p = entryPaths(cacheDir, meta.key);
  await fs.promises.mkdir(p.dir, { recursive: true });
  await writeNpy(p.npy, {
    dtype: 'f4',
    shape: [features.rows, features.cols],
    data: features.data.slice(0, features.rows * features.cols),
  });
  await writeFileAtomic(p.json, JSON.stringify(meta, null, 1));
}

export interface CachedEmbedOptions extends EmbedVideoOptions {
  cacheDir?: string;
  /** Skip the lookup (still stores the result). */
  refresh?: boolean;
  /** Neither read nor write the cache. */
  noCache?: boolean;
  log?: (message: string) => void;
}

export interface EmbedderSpec {
  embedderId: string;
  modelHash: string;
  /** Called only on a cache miss (so a hit never loads the model). */
  create: () => Promise<Embedder>;
}

export interface CachedEmbedding extends EmbeddedVideo {
  cached: boolean;
  cacheKey: string;
}

/** embedVideo through the cache. */
export async function embedVideoCached(
  video: string,
  spec: EmbedderSpec,
  opts: CachedEmbedOptions = {},
): Promise<CachedEmbedding> {
  const partial = opts.partial ?? 'drop';
  const cacheDir = resolveCacheDir({ cacheDir: opts.cacheDir });
  const videoKey = await videoContentKey(video, opts.signal);
  const parts: EmbeddingKeyParts = { videoKey, embedderId: spec.embedderId, modelHash: spec.modelHash, partial };
  const key = embeddingCacheKey(parts);
  if (!opts.noCache && !opts.refresh) {
    const hit = await readCachedEmbedding(cacheDir, key);
    if (hit) {
      opts.log?.(`embeddings from the cache (${hit.meta.rows} clips, ${path.join(cacheDir, 'embeddings', key)}.npy)`);
      return {
        features: hit.features,
        info: { ...hit.meta.info, path: video },
        clipLength: hit.meta.clipLength,
        embedderId: spec.embedderId,
        framesCovered: hit.meta.framesCovered,
        cached: true,
        cacheKey: key,
      };
    }
  }
  const embedder = await spec.create();
  let result: EmbeddedVideo;
  try {
    if (embedder.id !== spec.embedderId)
      throw new Error(`embedder id ${embedder.id} differs from the cache spec ${spec.embedderId}`);
    result = await embedVideo(video, embedder, opts);
  } finally {
    await embedder.dispose();
  }
  if (!opts.noCache) {
    const meta: EmbeddingCacheMeta = {
      ...parts,
      format: CACHE_FORMAT,
      key,
      video: path.resolve(video),
      rows: result.features.rows,
      cols: result.features.cols,
      clipLength: result.clipLength,
      framesCovered: result.framesCovered,
      info: result.info,
      createdAt: new Date().toISOString(),
    };
    await tryCacheWrite(cacheDir, () => writeCachedEmbedding(cacheDir, meta, result.features), opts.log);
  }
  return { ...result, cached: false, cacheKey: key };
}

/**
 * The built-in histogram embedder as a cache spec: hashing a video's sampled chunks is far cheaper than decoding
 * every frame, so a re-run of a histogram `embed` does no decoding either. No model file: a fixed model token.
 */
export function histogramSpec(opts: { batch?: number } = {}): EmbedderSpec {
  return {
    embedderId: HISTOGRAM_EMBEDDER_ID,
    modelHash: 'builtin',
    create: async () => createHistogramEmbedder({ batchSize: opts.batch }),
  };
}
