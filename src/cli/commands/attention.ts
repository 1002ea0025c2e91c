/**
 * `vsum attention <video> --clip I --out overlay.png`: run clip I through the TimeSformer with its attention maps
 * exposed, roll them out (divided space-time, or --spatial-only; the attention stage's attendClip) and write the 8 frames with the jet overlay,
 * tiled side by side. `--mask-out` also saves the [√P, √P, 8] mask as .npy.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { encodePng, overlayClip } from '../../core/attention/overlay';
import { writeFileAtomic } from '../../core/io/atomic';
import { writeNpy } from '../../core/io/npy';
import { attendClip } from '../../core/stages/attention';
import { probe } from '../../core/video/probe';
import type { CliContext } from '../context';
import {
  UsageError,
  addSeedFaithfulFlag,
  addTimesformerFlags,
  numberOption,
  parseTimesformerFlags,
  type TimesformerFlags,
} from '../flags';

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('attention <video>')
    .description('attention rollout of one clip as a PNG: the 8 frames with a jet heat map, side by side')
    .requiredOption('--clip <i>', 'clip index (clip i = frames 8i … 8i+7)')
    .requiredOption('--out <overlay.png>', 'output PNG')
    .option(
      '--spatial-only',
      'roll out the spatial attention alone (per frame), like the original "space only" notebook',
    )
    .option('--mask-out <mask.npy>', 'also write the rollout mask, float32 [√P, √P, 8]');
  addSeedFaithfulFlag(cmd, "the original's preprocessing: BGR, squashed to 224, VideoMAE mean/std");
  addTimesformerFlags(cmd).action(
    async (
      video: string,
      o: TimesformerFlags & { clip: string; out: string; spatialOnly?: boolean; maskOut?: string },
    ) => {
      const clipIndex = numberOption('--clip', o.clip, { integer: true, min: 0 });
      const out = path.resolve(o.out);
      if (!out.toLowerCase().endsWith('.png')) throw new UsageError(`--out must end in .png, got ${o.out}`);
      const tf = parseTimesformerFlags(o, ctx);
      const info = await probe(video, { tools: await ctx.tools(), signal: ctx.signal });
      const a = await attendClip({ path: video, name: video, frames: info.frames }, clipIndex, tf, {
        tools: await ctx.tools(),
        signal: ctx.signal,
        spaceOnly: o.spatialOnly === true,
      });
      const mask = o.spatialOnly ? a.spaceOnly! : a.spaceTime;
      await writeFileAtomic(
        out,
        encodePng(overlayClip(a.frames, a.format.width, a.format.height, a.format.pixFmt, mask)),
      );
      if (o.maskOut)
        await writeNpy(path.resolve(o.maskOut), {
          dtype: 'f4',
          shape: [mask.grid, mask.grid, mask.frames],
          data: mask.data,
        });
      const T = a.frames.length;
      ctx.out(
        `${out}: clip ${clipIndex} (frames ${clipIndex * T}–${clipIndex * T + T - 1}), ${o.spatialOnly ? 'spatial-only' : 'divided space-time'} rollout over ${a.layers} layers (${a.ep}: model ${a.modelMs.toFixed(0)} ms, rollout ${a.rolloutMs.toFixed(0)} ms)\n`,
      );
    },
  );
}
