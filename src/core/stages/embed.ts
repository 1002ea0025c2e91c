/** `embed`: one feature vector per clip for every loaded video, through the pipeline's embedClips. */
import { embedVideoCached, histogramSpec } from '../embed/cache';
import type { DownloadProgress } from '../model/download';
import { EP_CHOICES, type EpChoice } from '../model/providers';
import { embedClips } from '../summarize/pipeline';
import type { FeaturesSlot, VideoFeatures } from './slots';
import { resolveCellPath, type Stage } from './stage';
import type { FfmpegTools } from '../video/ffmpeg';
import type { VideoInfo } from '../video/types';

const schema = {
  description: 'Embed every 8-frame clip of the loaded video(s): one feature vector per clip.',
  'x-shorthand': 'model',
  type: 'object',
  additionalProperties: false,
  properties: {
    model: {
      type: 'string',
      description:
        '`histogram` (colour histogram, no model, offline), `k600` (TimeSformer k600 via onnxruntime; downloaded once), or a path to an .onnx file. Default: the `vsum.model` setting.',
      examples: ['histogram', 'k600'],
    },
    ep: {
      type: 'string',
      enum: EP_CHOICES,
      description: 'onnxruntime execution provider. Default: the `vsum.executionProvider` setting.',
    },
    batch: { type: 'integer', minimum: 1, maximum: 256, description: 'Clips per inference call.' },
    seedFaithful: {
      type: 'boolean',
      default: false,
      description:
        'Preprocess exactly like the original (BGR, squashed to 224, VideoMAE mean/std; the last n mod 8 frames dropped).',
    },
  },
} as const;

export interface EmbedResult {
  gives: { features: FeaturesSlot };
  seconds: number;
  /** Videos whose features came from the embedding cache. */
  fromCache: number;
}

export const embedStage: Stage<typeof schema, EmbedResult> = {
  name: 'embed',
  schema,
  needs: ['video'],
  gives: ['features'],
  invalidates: ['selection'],
  async run(o, io, signal, progress) {
    const { videos } = io.inputs.video!;
    const model = o.model ?? io.settings.model;
    const t0 = Date.now();
    const tools = await io.tools();
    let lastPct = -1;
    const onDownloadProgress = (p: DownloadProgress) => {
      const pct = Math.floor(p.percent ?? 0);
      if (pct === lastPct) return;
      lastPct = pct;
      progress(
        `downloading the model: ${(p.bytes / 1e6).toFixed(0)} MB${p.total ? ` of ${(p.total / 1e6).toFixed(0)} MB` : ''}`,
        p.percent !== undefined ? p.percent / 100 : undefined,
      );
    };
    const embedder = model === 'histogram' ? 'histogram' : 'timesformer';
    const embedderOptions = {
      model: model === 'k600' || model === 'timesformer' ? 'k600' : resolveCellPath(io, model),
      ep: (o.ep ?? io.settings.executionProvider) as EpChoice,
      batch: o.batch,
      cacheDir: io.settings.cacheDirectory,
      signal,
      log: io.log,
      onDownloadProgress,
    };
    const items: VideoFeatures[] = [];
    let fromCache = 0;
    for (const [i, v] of videos.entries()) {
      const t1 = Date.now();
      const onProgress = (p: { message: string; fraction?: number }) =>
        progress(`${v.stem}: ${p.message}`, (i + (p.fraction ?? 0)) / videos.length);
      // The histogram through the embedding cache too: hashing sampled chunks beats decoding every frame on a re-run.
      const r =
        embedder === 'histogram'
          ? await embedHistogramCached(
              v.path,
              v.info,
              { batch: o.batch, seedFaithful: o.seedFaithful, cacheDir: io.settings.cacheDirectory, log: io.log },
              { tools, signal, onProgress },
            )
          : await embedClips(
              v.path,
              v.info,
              { embedder, embedderOptions, seedFaithful: o.seedFaithful },
              { tools, signal, onProgress },
            );
      if (r.cached) fromCache++;
      io.log(
        `embed ${v.name}: ${r.features.rows} clips × ${r.features.cols} with ${r.embedderId} in ${Date.now() - t1} ms${r.cached ? ' (from the cache)' : ''}`,
      );
      items.push({
        // The decoded count when the container's was wrong: the frames every later stage indexes.
        video: { ...v, info: r.info },
        features: r.features,
        clipLength: r.clipLength,
        embedderId: r.embedderId,
        model: r.model,
        variant: r.variant,
      });
    }
    const features: FeaturesSlot = { embedderId: items[items.length - 1]?.embedderId ?? '', items };
    return { gives: { features }, seconds: (Date.now() - t0) / 1000, fromCache };
  },
};

async function embedHistogramCached(
  video: string,
  info: VideoInfo,
  o: { batch?: number; seedFaithful?: boolean; cacheDir?: string; log: (line: string) => void },
  ctx: { tools: FfmpegTools; signal: AbortSignal; onProgress: (p: { message: string; fraction?: number }) => void },
) {
  const spec = histogramSpec({ batch: o.batch });
  const r = await embedVideoCached(video, spec, {
    tools: ctx.tools,
    signal: ctx.signal,
    info,
    // As embedClips: the original drops the last n mod 8 frames; by default they are padded into a last clip.
    partial: o.seedFaithful ? 'drop' : 'pad',
    cacheDir: o.cacheDir,
    log: o.log,
    onProgress: (p) =>
      ctx.onProgress({
        message: `embedding clips ${p.clipsDone}/${p.clipsTotal} (${spec.embedderId})`,
        fraction: p.clipsTotal ? p.clipsDone / p.clipsTotal : undefined,
      }),
  });
  return {
    features: r.features,
    info: r.info,
    clipLength: r.clipLength,
    embedderId: r.embedderId,
    model: null,
    variant: null,
    cached: r.cached,
  };
}
