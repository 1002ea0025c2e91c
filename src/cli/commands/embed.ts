/**
 * `vsum embed <video> --out F.npy`: one TimeSformer embedding per 8-frame clip, float32 [clips, 768], plus
 * `F.json` (embedder id with the preprocessing mode, model and its sha256, execution provider, video facts).
 * Goes through the embedding cache: a re-run on the same video, model and mode does no inference.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { embedVideoCached } from '../../core/embed/cache';
import { timesformerSpec, type TimesformerEmbedder } from '../../core/embed/timesformer';
import { ensureWritableDir, writeFileAtomic } from '../../core/io/atomic';
import { writeFeaturesNpy } from '../../core/io/npy';
import type { CliContext } from '../context';
import {
  UsageError,
  addSeedFaithfulFlag,
  addTimesformerFlags,
  choiceOption,
  numberOption,
  parseTimesformerFlags,
  type TimesformerFlags,
} from '../flags';

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('embed <video>')
    .description('TimeSformer CLS embedding of every 8-frame clip → float32 .npy [clips, 768] (+ .json metadata)')
    .requiredOption('--out <file.npy>', 'output .npy')
    .option('--batch <n>', 'clips per inference call', '4')
    .option('--partial <p>', 'the last n mod 8 frames: drop (original) | pad (repeat the last frame)', 'drop')
    .option('--no-cache', 'neither read nor write the embedding cache');
  addSeedFaithfulFlag(cmd, "the original's preprocessing: BGR, squashed to 224, VideoMAE mean/std");
  addTimesformerFlags(cmd).action(
    async (video: string, o: TimesformerFlags & { out: string; batch: string; partial: string; cache: boolean }) => {
      const out = path.resolve(o.out);
      if (!out.endsWith('.npy')) throw new UsageError(`--out must end in .npy, got ${o.out}`);
      // Found before inference, not after an hour of it.
      ensureWritableDir(path.dirname(out), 'Choose another --out.');
      const batch = numberOption('--batch', o.batch, { integer: true, min: 1, max: 1024 });
      const partial = choiceOption('--partial', o.partial, ['drop', 'pad'] as const);
      const tf = parseTimesformerFlags(o, ctx);
      const tools = await ctx.tools();
      const spec = await timesformerSpec({ ...tf, batch });
      let ep: string | undefined;
      let decisions: string[] | undefined;
      const progress = ctx.progress();
      const t0 = Date.now();
      const r = await embedVideoCached(
        video,
        {
          embedderId: spec.embedderId,
          modelHash: spec.modelHash,
          create: async () => {
            const e: TimesformerEmbedder = await spec.create();
            ep = e.ep;
            decisions = e.decisions;
            return e;
          },
        },
        {
          tools,
          signal: ctx.signal,
          partial,
          cacheDir: tf.cacheDir,
          noCache: o.cache === false,
          log: tf.log,
          onProgress: progress && ((p) => progress({ message: `embedding clip ${p.clipsDone}/${p.clipsTotal}` })),
        },
      );
      ctx.clearProgress();
      const secs = (Date.now() - t0) / 1000;
      await writeFeaturesNpy(out, r.features);
      const meta = {
        video: path.resolve(video),
        embedder: r.embedderId,
        preprocessing: tf.seedFaithful ? 'seed-faithful' : 'default',
        model: { label: spec.model.label, path: spec.model.path, sha256: spec.model.sha256, url: spec.model.url },
        executionProvider: ep ?? null,
        providerDecisions: decisions ?? null,
        fromCache: r.cached,
        cacheKey: r.cacheKey,
        clips: r.features.rows,
        dim: r.features.cols,
        clipLength: r.clipLength,
        partial,
        framesCovered: r.framesCovered,
        frames: r.info.frames,
        fps: r.info.fps,
        seconds: Number(secs.toFixed(3)),
        clipsPerSecond: r.cached ? null : Number((r.features.rows / secs).toFixed(3)),
      };
      const metaPath = out.replace(/\.npy$/, '.json');
      await writeFileAtomic(metaPath, JSON.stringify(meta, null, 1) + '\n');
      ctx.out(
        `${out}: ${r.features.rows} clips × ${r.features.cols} (${r.embedderId}, ${r.cached ? 'from the cache, no inference' : `${ep}, ${(r.features.rows / secs).toFixed(2)} clips/s`})\n`,
      );
    },
  );
}
