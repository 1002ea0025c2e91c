/** `embed`: one feature vector per clip for every loaded video (pipelined decode + embedder, cancellable). */
import { embedVideoCached, type EmbedderSpec } from '../../../core/embed/cache';
import { embedVideo, type EmbedProgress } from '../../../core/embed/embed-video';
import type { StageContext, StageResult } from '../context';
import { embedderSpecFor } from '../core-api';
import type { FeaturesSlot, VideoFeatures, VideoSlot } from '../data';
import { markdownOutput, mdEscape, scorePlotOutput } from '../../../notebook/outputs';
import { adjacentSsdPlot } from '../../../notebook/plots';

export interface EmbedOptions {
  model?: string;
  ep?: string;
  batch?: number;
  seedFaithful?: boolean;
}

export async function runEmbed(o: EmbedOptions, ctx: StageContext): Promise<StageResult> {
  const slot = ctx.session.get<VideoSlot>('video')!;
  const model = o.model ?? ctx.settings.model;
  const t0 = Date.now();
  const how = await embedderSpecFor({
    model,
    ep: o.ep ?? ctx.settings.executionProvider,
    batch: o.batch,
    seedFaithful: o.seedFaithful,
    cacheDirectory: ctx.settings.cacheDirectory,
    signal: ctx.signal,
    log: ctx.log,
    progress: ctx.progress,
  });
  const items: VideoFeatures[] = [];
  const tools = await ctx.tools();
  const n = slot.videos.length;
  let embedderId = how.kind === 'cached' ? how.spec.embedderId : '';
  let fromCache = 0;
  const embedder = how.kind === 'direct' ? await how.create() : undefined;
  try {
    for (let i = 0; i < n; i++) {
      const v = slot.videos[i];
      const t1 = Date.now();
      const opts = {
        tools,
        info: v.info,
        signal: ctx.signal,
        onProgress: (p: EmbedProgress) => ctx.progress(`${v.stem}: clip ${p.clipsDone}/${p.clipsTotal}`, (i + p.clipsDone / Math.max(1, p.clipsTotal)) / n),
      };
      const r = embedder
        ? await embedVideo(v.path, embedder, opts)
        : await embedVideoCached(v.path, (how as { spec: EmbedderSpec }).spec, { ...opts, cacheDir: ctx.settings.cacheDirectory, log: ctx.log });
      if ('cached' in r && r.cached) fromCache++;
      embedderId = r.embedderId;
      ctx.log(`embed ${v.name}: ${r.features.rows} clips × ${r.features.cols} with ${r.embedderId} in ${Date.now() - t1} ms${'cached' in r && r.cached ? ' (from the cache)' : ''}`);
      items.push({ video: v, features: r.features, clipLength: r.clipLength, embedderId: r.embedderId });
    }
  } finally {
    await embedder?.dispose();
  }
  const secs = (Date.now() - t0) / 1000;
  const features: FeaturesSlot = { embedderId, items };
  const md = [
    `**Embedded ${items.length} video${items.length === 1 ? '' : 's'}** with \`${embedderId.replace(/`/g, '')}\` in ${secs.toFixed(2)} s${fromCache ? ` (${fromCache} from the embedding cache)` : ''}`,
    '',
    '| video | clips | dim | clip length |',
    '|---|---|---|---|',
    ...items.map((it) => `| ${mdEscape(it.video.name)} | ${it.features.rows} | ${it.features.cols} | ${it.clipLength} |`),
  ].join('\n');
  const outputs = [markdownOutput(md)];
  if (items.length === 1 && items[0].features.rows > 1) {
    const it = items[0];
    outputs.push(scorePlotOutput(adjacentSsdPlot(it.features, it.clipLength, it.video.info.fps, `SSD between adjacent clips of ${it.video.stem}`)));
  }
  return { outputs, gives: new Map([['features', features]]) };
}
