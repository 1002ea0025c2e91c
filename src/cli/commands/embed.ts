/**
 * `vsum embed <video> --out F.npy`: one TimeSformer embedding per 8-frame clip, float32 [clips, 768], plus
 * `F.json` (embedder id with the preprocessing mode, model and its sha256, execution provider, video facts).
 * Goes through the embedding cache: a re-run on the same video, model and mode does no inference.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { embedVideoCached } from '../../core/embed/cache';
import { timesformerSpec, type TimesformerEmbedder } from '../../core/embed/timesformer';
import { writeFileAtomic } from '../../core/io/atomic';
import { writeFeaturesNpy } from '../../core/io/npy';
import { VARIANTS, type ModelVariant } from '../../core/model/hub';
import { EP_CHOICES, type EpChoice } from '../../core/model/providers';
import { cliContext } from '../main';
import { toolsFor } from '../tools';
import { UsageError, choiceOption, numberOption } from '../usage';
import { downloadProgressPrinter } from './model';

export interface TimesformerFlags {
  model?: string;
  variant?: string;
  ep?: string;
  seedFaithful?: boolean;
  threads?: string;
  cacheDir?: string;
}

export function addTimesformerFlags(cmd: Command): Command {
  return cmd
    .option('--model <m>', 'k600 (the published model, downloaded on first use) or the path of a TimeSformer .onnx', 'k600')
    .option('--variant <v>', `with --model k600: ${VARIANTS.join(' | ')}`, 'fp32')
    .option('--ep <ep>', `execution provider: ${EP_CHOICES.join(' | ')}`, 'auto')
    .option('--seed-faithful', "the original's preprocessing: BGR, squashed to 224, VideoMAE mean/std")
    .option('--threads <n>', 'CPU threads for onnxruntime (default: all cores)')
    .option('--cache-dir <dir>', 'cache folder for models and embeddings');
}

export function parseTimesformerFlags(o: TimesformerFlags, cmd: Command) {
  const quiet = cmd.optsWithGlobals<{ quiet?: boolean }>().quiet;
  return {
    model: o.model ?? 'k600',
    variant: choiceOption('--variant', o.variant ?? 'fp32', VARIANTS) as ModelVariant,
    ep: choiceOption('--ep', o.ep ?? 'auto', EP_CHOICES) as EpChoice,
    seedFaithful: o.seedFaithful === true,
    threads: o.threads !== undefined ? numberOption('--threads', o.threads, { integer: true, min: 1 }) : undefined,
    cacheDir: o.cacheDir,
    signal: cliContext.signal,
    log: quiet ? undefined : (m: string) => process.stderr.write(`${m}\n`),
    onDownloadProgress: downloadProgressPrinter(cmd),
  };
}

export function register(program: Command): void {
  const cmd = program
    .command('embed <video>')
    .description('TimeSformer CLS embedding of every 8-frame clip → float32 .npy [clips, 768] (+ .json metadata)')
    .requiredOption('--out <file.npy>', 'output .npy')
    .option('--batch <n>', 'clips per inference call', '4')
    .option('--partial <p>', 'the last n mod 8 frames: drop (original) | pad (repeat the last frame)', 'drop')
    .option('--no-cache', 'neither read nor write the embedding cache');
  addTimesformerFlags(cmd).action(async (video: string, o: TimesformerFlags & { out: string; batch: string; partial: string; cache: boolean }, c: Command) => {
    const out = path.resolve(o.out);
    if (!out.endsWith('.npy')) throw new UsageError(`--out must end in .npy, got ${o.out}`);
    const batch = numberOption('--batch', o.batch, { integer: true, min: 1, max: 1024 });
    const partial = choiceOption('--partial', o.partial, ['drop', 'pad'] as const);
    const tf = parseTimesformerFlags(o, c);
    const tools = await toolsFor(c);
    const spec = await timesformerSpec({ ...tf, batch });
    let ep: string | undefined;
    let decisions: string[] | undefined;
    const quiet = c.optsWithGlobals<{ quiet?: boolean }>().quiet;
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
        signal: cliContext.signal,
        partial,
        cacheDir: tf.cacheDir,
        noCache: o.cache === false,
        log: tf.log,
        onProgress: quiet || !process.stderr.isTTY ? undefined : (p) => process.stderr.write(`\r\x1b[Kembedding clip ${p.clipsDone}/${p.clipsTotal}`),
      },
    );
    if (!quiet && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
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
    process.stdout.write(`${out}: ${r.features.rows} clips × ${r.features.cols} (${r.embedderId}, ${r.cached ? 'from the cache, no inference' : `${ep}, ${(r.features.rows / secs).toFixed(2)} clips/s`})\n`);
  });
}
