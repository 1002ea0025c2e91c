/**
 * `attention`: divided space-time attention rollout of one clip (TimeSformer, docs/ALGORITHMS.md §rollout), and
 * the spatial-only rollout. `attendClip` is the one path of this stage and of `vsum attention`.
 */
import { createAttentionRunner, decodeClip } from '../attention/clip-attention';
import { rolloutDividedSpaceTime, rolloutSpatialOnly, type RolloutMask } from '../attention/rollout';
import type { TimesformerOptions } from '../embed/timesformer';
import { VsumError } from '../errors';
import type { EpChoice } from '../model/providers';
import type { FfmpegTools } from '../video/ffmpeg';
import type { FrameFormat } from '../video/types';
import type { AttentionSlot } from './slots';
import { resolveCellPath, type Stage, type StageProgress } from './stage';

const schema = {
  description: 'Attention rollout of one clip (TimeSformer): space-time and space-only maps over the 8 frames.',
  'x-shorthand': 'clip',
  type: 'object',
  additionalProperties: false,
  properties: {
    clip: { type: 'integer', minimum: 0, default: 0, description: 'Clip index (0-based; clip i = frames 8i … 8i+7).' },
    model: {
      type: 'string',
      description:
        '`k600` or a path to a TimeSformer .onnx. Default: the `vsum.model` setting (`k600` when that is `histogram`).',
    },
    spaceOnly: { type: 'boolean', default: true, description: 'Also compute the spatial-only rollout.' },
  },
} as const;

/** One clip's frames as the model saw them, its rollouts and where they came from. */
export interface ClipAttention {
  clip: number;
  /** The clip's frames (frame format below), in order. */
  frames: Uint8Array[];
  format: FrameFormat;
  spaceTime: RolloutMask;
  spaceOnly?: RolloutMask;
  layers: number;
  modelLabel: string;
  ep: string;
  modelMs: number;
  rolloutMs: number;
}

/** Decode clip `clip` of `video`, run it through the attention graph and roll the maps out. */
export async function attendClip(
  video: { path: string; name: string; frames: number },
  clip: number,
  model: Omit<TimesformerOptions, 'batch'>,
  opts: { tools: FfmpegTools; signal: AbortSignal; spaceOnly: boolean; progress?: StageProgress },
): Promise<ClipAttention> {
  opts.progress?.('loading the model', 0.05);
  const runner = await createAttentionRunner({ ...model, signal: opts.signal });
  try {
    const T = runner.geometry.frames;
    const nClips = Math.floor(video.frames / T);
    if (clip >= nClips)
      throw new VsumError(
        'BAD_INPUT',
        `attention: ${video.name} has ${nClips} clips of ${T} frames (0…${nClips - 1}); clip ${clip} does not exist.`,
      );
    opts.progress?.(`decoding clip ${clip}`, 0.3);
    const decoded = await decodeClip(video.path, clip, runner, { tools: opts.tools, signal: opts.signal });
    opts.progress?.('running the model', 0.5);
    const t0 = performance.now();
    const maps = await runner.run(decoded, opts.signal);
    const t1 = performance.now();
    const spaceTime = rolloutDividedSpaceTime(maps);
    const spaceOnly = opts.spaceOnly ? rolloutSpatialOnly(maps) : undefined;
    return {
      clip,
      frames: decoded.frames,
      format: runner.preprocessing.frameFormat,
      spaceTime,
      spaceOnly,
      layers: maps.layers,
      modelLabel: runner.model.label,
      ep: runner.ep,
      modelMs: t1 - t0,
      rolloutMs: performance.now() - t1,
    };
  } finally {
    await runner.dispose();
  }
}

export interface AttentionResult extends ClipAttention {
  gives: { attention: AttentionSlot };
  video: string;
}

export const attentionStage: Stage<typeof schema, AttentionResult> = {
  name: 'attention',
  schema,
  needs: ['video'],
  gives: ['attention'],
  invalidates: [],
  async run(o, io, signal, progress) {
    const slot = io.inputs.video!;
    if (slot.videos.length !== 1)
      throw new VsumError(
        'BAD_INPUT',
        `attention works on one video; the load cell loaded ${slot.videos.length}. Load a single video (\`load: videos/clip.mp4\`).`,
      );
    const v = slot.videos[0];
    let model = o.model ?? io.settings.model;
    if (model === 'histogram') {
      if (o.model)
        throw new VsumError(
          'BAD_INPUT',
          'attention: the histogram embedder has no attention; use `model: k600` or the path of a TimeSformer .onnx.',
        );
      model = 'k600';
    }
    const a = await attendClip(
      { path: v.path, name: v.name, frames: v.info.frames },
      o.clip,
      {
        model: model === 'k600' ? model : resolveCellPath(io, model),
        ep: io.settings.executionProvider as EpChoice,
        cacheDir: io.settings.cacheDirectory,
        log: io.log,
      },
      { tools: await io.tools(), signal, spaceOnly: o.spaceOnly, progress },
    );
    io.log(`attention: clip ${o.clip} of ${v.name} on ${a.ep} in ${a.modelMs.toFixed(0)} ms`);
    const T = a.frames.length;
    const attention: AttentionSlot = {
      video: v.name,
      clip: o.clip,
      frames: Array.from({ length: T }, (_, i) => o.clip * T + i),
      grid: a.spaceTime.grid,
      maps: a.spaceOnly ? ['space-time', 'space-only'] : ['space-time'],
      bytes: a.spaceTime.data.byteLength + (a.spaceOnly?.data.byteLength ?? 0),
    };
    return { ...a, video: v.name, gives: { attention } };
  },
};
