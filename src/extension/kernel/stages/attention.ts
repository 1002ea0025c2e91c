/**
 * `attention`: divided space-time attention rollout of one clip (TimeSformer, docs/ALGORITHMS.md §rollout), and the
 * spatial-only rollout; the view overlays them on the clip's frames. Needs a TimeSformer (`k600` or an .onnx path).
 */
import { createAttentionRunner, decodeClip } from '../../../core/attention/clip-attention';
import { encodePng, overlayClip } from '../../../core/attention/overlay';
import { rolloutDividedSpaceTime, rolloutSpatialOnly } from '../../../core/attention/rollout';
import { VsumError } from '../../../core/errors';
import type { EpChoice } from '../../../core/model/providers';
import type { AttentionMeta } from '../../../common/payloads';
import { resolveCellPath, type StageContext, type StageResult } from '../context';
import type { AttentionSlot, VideoSlot } from '../data';
import { attentionOutput } from '../../../notebook/outputs';

export interface AttentionOptions {
  clip?: number;
  model?: string;
  spaceOnly?: boolean;
}

export async function runAttention(o: AttentionOptions, ctx: StageContext): Promise<StageResult> {
  const slot = ctx.session.get<VideoSlot>('video')!;
  if (slot.videos.length !== 1) throw new VsumError('BAD_INPUT', `attention works on one video; the load cell loaded ${slot.videos.length}. Load a single video (\`load: videos/clip.mp4\`).`);
  const v = slot.videos[0];
  let model = o.model ?? ctx.settings.model;
  if (model === 'histogram') {
    if (o.model) throw new VsumError('BAD_INPUT', 'attention: the histogram embedder has no attention; use `model: k600` or the path of a TimeSformer .onnx.');
    model = 'k600';
  }
  const clipIndex = o.clip ?? 0;
  const resolvedModel = model === 'k600' ? model : resolveCellPath(ctx, model);
  ctx.progress('loading the model', 0.05);
  const runner = await createAttentionRunner({ model: resolvedModel, ep: ctx.settings.executionProvider as EpChoice, cacheDir: ctx.settings.cacheDirectory, signal: ctx.signal, log: ctx.log });
  try {
    const T = runner.geometry.frames;
    const nClips = Math.floor(v.info.frames / T);
    if (clipIndex >= nClips) throw new VsumError('BAD_INPUT', `attention: ${v.name} has ${nClips} clips of ${T} frames (0…${nClips - 1}); clip ${clipIndex} does not exist.`);
    ctx.progress(`decoding clip ${clipIndex}`, 0.3);
    const tools = await ctx.tools();
    const clip = await decodeClip(v.path, clipIndex, runner, { tools, signal: ctx.signal });
    ctx.progress('running the model', 0.5);
    const t0 = Date.now();
    const maps = await runner.run(clip, ctx.signal);
    ctx.log(`attention: clip ${clipIndex} of ${v.name} on ${runner.ep} in ${Date.now() - t0} ms`);
    const st = rolloutDividedSpaceTime(maps);
    const so = o.spaceOnly === false ? undefined : rolloutSpatialOnly(maps);
    const fmt = runner.preprocessing.frameFormat;
    // Frames as RGB PNGs for the view (the model may see them in BGR).
    const frames = clip.frames.map((f) => {
      const rgb = fmt.pixFmt === 'bgr24' ? swapRB(f) : f;
      return { mime: 'image/png', bytes: new Uint8Array(encodePng({ width: fmt.width, height: fmt.height, data: rgb })) };
    });
    const tile = encodePng(overlayClip(clip.frames, fmt.width, fmt.height, fmt.pixFmt, st));
    const meta: AttentionMeta = {
      kind: 'attention',
      title: `Attention rollout of clip ${clipIndex}`,
      video: v.name,
      clip: clipIndex,
      frames: Array.from({ length: T }, (_, i) => clipIndex * T + i),
      frameBlobs: [],
      grid: st.grid,
      spaceTimeBlob: -1,
      spaceOnlyBlob: -1,
      model: runner.model.label,
    };
    const out = attentionOutput(meta, frames, st.data, so?.data, new Uint8Array(tile));
    const gives: AttentionSlot = { video: v.name, clip: clipIndex };
    return { outputs: [out], gives: new Map([['attention', gives]]) };
  } finally {
    await runner.dispose();
  }
}

function swapRB(bgr: Uint8Array): Uint8Array {
  const out = new Uint8Array(bgr.length);
  for (let i = 0; i < bgr.length; i += 3) {
    out[i] = bgr[i + 2];
    out[i + 1] = bgr[i + 1];
    out[i + 2] = bgr[i];
  }
  return out;
}
