/**
 * The one place where the CLI's shared flags are declared (help text, default) and their values parsed. A command
 * adds the groups it takes (`addSummaryFlags`, `addTimesformerFlags`, …) and parses them with the matching
 * `parse…`; a bad value is a UsageError naming the flag (exit code 2). New shared flags go here.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { ALL, parseShard, type Shard } from '../core/batch/shard';
import { EMBEDDER_NAMES, type EmbedderName } from '../core/embed/factory';
import type { DatasetKind } from '../core/evaluate/ground-truth';
import type { TimesformerOptions } from '../core/embed/timesformer';
import { VARIANTS, type ModelVariant } from '../core/model/hub';
import { KTS_MAX_SEGMENT_SECONDS } from '../core/summarize/kts';
import { EP_CHOICES, type EpChoice } from '../core/model/providers';
import { defaultVariantFor } from '../core/model/variant-choice';
import {
  DEFAULT_BASELINE_RUNS,
  DEFAULT_KMEANS_RESTARTS,
  DEFAULT_KTS_VMAX,
  DEFAULT_RATIO,
  DEFAULT_SEED,
  DEFAULT_SSD_PRESET,
  SSD_PRESET_NAMES,
  SSD_PRESETS,
  type SsdPreset,
} from '../core/stages/defaults';
import type { SummarizeOptions } from '../core/summarize/pipeline';
import { SUMMARY_METHODS, type SummaryMethod } from '../core/summarize/selection';
import type { CliContext } from './context';
import { DEFAULT_EXPORTS, EXPORT_FORMATS, parseExportFormats, type ExportFormat } from '../core/exports/exports';
import { SUMMARY_SEGMENTATIONS } from '../core/summarize/methods';
import { SSD_SELECT_MODES } from '../core/summarize/ssd';
import { parseDuration } from '../core/summarize/duration';
import { VsumError } from '../core/errors';

/** A bad flag value or combination: printed without a stack, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Plain decimal notation only (`12`, `-0.5`, `.25`, `1e-3`): `Number()` alone would also take `0x1`, `0b1`,
 * `Infinity` and surrounding blanks, none of which a user means as a ratio or a seed.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parse a number flag, or throw a UsageError naming the flag. */
export function numberOption(
  flag: string,
  value: string,
  opts: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const n = Number(value);
  if (!DECIMAL.test(value) || !Number.isFinite(n))
    throw new UsageError(`${flag} must be a decimal number, got "${value}"`);
  if (opts.integer && !Number.isInteger(n)) throw new UsageError(`${flag} must be a whole number, got "${value}"`);
  if (opts.min !== undefined && n < opts.min) throw new UsageError(`${flag} must be ≥ ${opts.min}, got ${n}`);
  if (opts.max !== undefined && n > opts.max) throw new UsageError(`${flag} must be ≤ ${opts.max}, got ${n}`);
  return n;
}

/** Parse an enum flag, or throw a UsageError listing the choices. */
export function choiceOption<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}

/** A comma-separated list of choices, duplicates dropped, in the order given. */
export function choiceListOption<T extends string>(flag: string, value: string, choices: readonly T[]): T[] {
  const items = [
    ...new Set(
      value
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
    ),
  ];
  return items.map((m) => choiceOption(flag, m, choices));
}

// ---- global flags ----

export function addGlobalFlags(program: Command): Command {
  return program
    .option('--ffmpeg <path>', 'ffmpeg binary to use (else VSUM_FFMPEG, then ffmpeg on PATH, then the bundled one)')
    .option('-q, --quiet', 'print only results');
}

// ---- seeds, methods, output formats ----

/** --seed: the 32-bit seed of a xoshiro128** stream (default: the stages' DEFAULT_SEED). */
export function seedFlag(description: string): Option {
  return new Option('--seed <n>', description).default(String(DEFAULT_SEED));
}

export function parseSeed(value: string | undefined, flag = '--seed'): number {
  return numberOption(flag, value ?? String(DEFAULT_SEED), { integer: true, min: 0, max: 0xffffffff });
}

/** --runs of the random baseline. */
export function runsFlag(): Option {
  return new Option('--runs <n>', 'number of random runs').default(String(DEFAULT_BASELINE_RUNS));
}

export function methodsFlag(fallback: string): Option {
  return new Option('--methods <list>', `comma-separated: ${SUMMARY_METHODS.join(',')}`).default(fallback);
}

export function parseMethods(value: string): SummaryMethod[] {
  const methods = choiceListOption('--methods', value, SUMMARY_METHODS);
  if (methods.length === 0) throw new UsageError('--methods needs at least one method');
  return methods;
}

// ---- sharding (batch, h5 make) ----

/** --shard I/N or auto (a Kubernetes Indexed Job's or a Slurm array's environment; src/core/batch/shard.ts). */
export function shardFlag(): Option {
  return new Option(
    '--shard <I/N|auto>',
    'run only the I-th of N interleaved shares of the videos (1-based); auto: from a Kubernetes Indexed Job or a Slurm array',
  );
}

export function parseShardFlag(value: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard {
  if (value === undefined) return ALL;
  try {
    return parseShard(value, env);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function datasetFlag(): Option {
  return new Option('--dataset <name>', 'summe | tvsum (default: told by --gt)');
}

export function parseDataset(value: string | undefined): DatasetKind | undefined {
  return value === undefined ? undefined : choiceOption<DatasetKind>('--dataset', value, ['summe', 'tvsum']);
}

// ---- TimeSformer ----

export interface TimesformerFlags {
  model?: string;
  variant?: string;
  ep?: string;
  seedFaithful?: boolean;
  threads?: string;
  cacheDir?: string;
}

/** --variant: which ONNX export of the k600 model (no default here: src/core/model/variant-choice.ts decides). */
export function variantFlag(description: string): Option {
  return new Option(
    '--variant <v>',
    `${description} (default: fp32 on a GPU; on a CPU the fastest variant proven to agree with fp32 — today fp32)`,
  );
}

/** The --variant given, or the default for a run on `ep` (variant-choice.ts). */
export function parseVariant(value: string | undefined, ep: EpChoice = 'auto'): ModelVariant {
  return value === undefined ? defaultVariantFor(ep).variant : choiceOption('--variant', value, VARIANTS);
}

/** --cache-dir: models and embeddings (default: $VSUM_CACHE, else the XDG cache folder). */
export function cacheDirFlag(description = 'cache folder for models and embeddings'): Option {
  return new Option('--cache-dir <dir>', description);
}

export function addTimesformerFlags(cmd: Command, prefix = ''): Command {
  return cmd
    .option(
      '--model <m>',
      `${prefix}k600 (the published model, downloaded on first use) or the path of a TimeSformer .onnx`,
      'k600',
    )
    .addOption(variantFlag(`${prefix}with --model k600: ${VARIANTS.join(' | ')}`))
    .option('--ep <ep>', `${prefix}execution provider: ${EP_CHOICES.join(' | ')}`, 'auto')
    .option('--threads <n>', `${prefix}CPU threads for onnxruntime (default: all cores)`)
    .addOption(cacheDirFlag(`${prefix}cache folder for models and embeddings`));
}

export function addSeedFaithfulFlag(cmd: Command, description: string): Command {
  return cmd.option('--seed-faithful', description);
}

export function parseTimesformerFlags(o: TimesformerFlags, ctx: CliContext): TimesformerOptions & { model: string } {
  return {
    model: o.model ?? 'k600',
    // Left undefined when not given, so the embedder decides (and logs why) for the EP that runs.
    variant: o.variant === undefined ? undefined : parseVariant(o.variant),
    ep: choiceOption('--ep', o.ep ?? 'auto', EP_CHOICES) as EpChoice,
    seedFaithful: o.seedFaithful === true,
    threads: o.threads !== undefined ? numberOption('--threads', o.threads, { integer: true, min: 1 }) : undefined,
    cacheDir: o.cacheDir,
    signal: ctx.signal,
    log: ctx.quiet ? undefined : (m: string) => ctx.note(m),
    onDownloadProgress: ctx.downloadProgress(),
  };
}

// ---- summarizing (summarize, batch) ----

export interface SummaryFlags extends TimesformerFlags {
  ratio?: string;
  threshold?: string;
  seed?: string;
  embedder?: string;
  features?: string;
  out?: string;
  video?: boolean;
  audio?: boolean;
  select?: string;
  duration?: string;
  segmentation?: string;
  export?: string;
  vmax?: string;
  maxCp?: string;
  maxSegLen?: string;
  restarts?: string;
  cache?: boolean;
}

/** The flags every summarizing command takes. */
export function addSummaryFlags(cmd: Command): Command {
  cmd
    .option(
      '--ratio <r>',
      'fraction of the video to keep, in (0, 1] (k-means clusters, SSD sampling, KTS budget)',
      String(DEFAULT_RATIO),
    )
    .option(
      '--threshold <t>',
      `tt01/tt02 SSD threshold: a number or ${SSD_PRESET_NAMES.join('|')} (TimeSformer ${Object.values(SSD_PRESETS.timesformer).join('/')}; histogram ${Object.values(SSD_PRESETS.histogram).join('/')}; default ${DEFAULT_SSD_PRESET})`,
    )
    .addOption(seedFlag('seed for k-means init and SSD sampling (xoshiro128**)'));
  addSeedFaithfulFlag(
    cmd,
    'reproduce the original exactly (whole clips only, duplicates kept, 10 Lloyd iterations, 224×224 output)',
  )
    .option('--embedder <name>', `clip embedder: ${EMBEDDER_NAMES.join(' | ')}`, 'histogram')
    .option('--no-video', 'skip writing the summary video (frame list and JSON only)')
    .option('--no-audio', "drop the source's sound (kept by default when it has any)")
    .option(
      '--select <mode>',
      `tt01/tt02: ${SSD_SELECT_MODES.join(' | ')} — one contiguous run per segment, or the original's scattered frames (default shots; frames when --seed-faithful)`,
    )
    .option('--duration <d>', 'summary length instead of --ratio: 90s, 2m, 1:30 (never exceeded)')
    .option('--segmentation <s>', `kts: pick keyshots over ${SUMMARY_SEGMENTATIONS.join(' | ')} shots (default kts)`)
    .option(
      '--export <list>',
      `files beside the summary: ${EXPORT_FORMATS.join(',')} or none`,
      DEFAULT_EXPORTS.join(','),
    )
    .option('--restarts <n>', 'k-means restarts (default mode)', String(DEFAULT_KMEANS_RESTARTS));
  addKtsFlags(cmd, 'clips', 'KTS: ');
  return addTimesformerFlags(cmd, 'timesformer: ').option(
    '--no-cache',
    'timesformer: neither read nor write the embedding cache',
  );
}

export function parseSummaryFlags(o: SummaryFlags, ctx: CliContext): Omit<SummarizeOptions, 'method'> {
  const embedder = choiceOption('--embedder', o.embedder ?? 'histogram', EMBEDDER_NAMES) as EmbedderName;
  const out: Omit<SummarizeOptions, 'method'> = {
    ratio: numberOption('--ratio', o.ratio ?? String(DEFAULT_RATIO)),
    seed: parseSeed(o.seed),
    seedFaithful: o.seedFaithful === true,
    embedder,
    writeVideo: o.video !== false,
    audio: o.audio !== false,
    exports: parseExportList(o.export ?? DEFAULT_EXPORTS.join(',')),
    ...parseKtsFlags(o),
    restarts: numberOption('--restarts', o.restarts ?? String(DEFAULT_KMEANS_RESTARTS), { integer: true, min: 1 }),
    noCache: o.cache === false,
  };
  // Checked whichever embedder runs, so a typo (--threads 0, --variant fp64, --ep tpu) is never silently ignored.
  const timesformer = parseTimesformerFlags(o, ctx);
  if (embedder === 'timesformer') out.embedderOptions = timesformer;
  else if (o.threads !== undefined)
    throw new UsageError(
      `--threads sets onnxruntime's threads for --embedder timesformer; the ${embedder} embedder does not use it (drop --threads, or add --embedder timesformer)`,
    );
  if (!(out.ratio! > 0 && out.ratio! <= 1)) throw new UsageError(`--ratio must be in (0, 1], got ${o.ratio}`);
  if (o.select !== undefined) out.select = choiceOption('--select', o.select, SSD_SELECT_MODES);
  if (o.segmentation !== undefined)
    out.segmentation = choiceOption('--segmentation', o.segmentation, SUMMARY_SEGMENTATIONS);
  if (o.duration !== undefined) {
    // --ratio has a default, so only a ratio other than it conflicts.
    if (o.ratio !== undefined && o.ratio !== String(DEFAULT_RATIO))
      throw new UsageError('--duration and --ratio both set the summary length: give one');
    out.duration = parseDurationFlag(o.duration);
  }
  if (o.features !== undefined) out.features = o.features;
  if (o.out !== undefined) out.outDir = path.resolve(o.out);
  // A preset stays a name: the pipeline reads it on the scale of the features it gets (histogram or TimeSformer).
  if (o.threshold !== undefined) {
    out.threshold = (SSD_PRESET_NAMES as readonly string[]).includes(o.threshold)
      ? (o.threshold as SsdPreset)
      : numberOption('--threshold', o.threshold, { min: 0 });
  }
  return out;
}

// ---- KTS (kts, summarize) ----

/** KTS bounds, in feature rows (`unit`: what one row is, e.g. clips). */
export function addKtsFlags(cmd: Command, unit: string, prefix = ''): Command {
  return cmd
    .option('--vmax <v>', `${prefix}penalty weight`, String(DEFAULT_KTS_VMAX))
    .option('--max-cp <n>', `${prefix}most change points considered (default ${unit} − 1)`)
    .option(
      '--max-seg-len <n>',
      `${prefix}longest segment in ${unit} (default ${KTS_MAX_SEGMENT_SECONDS} s of video, and for summaries at most the summary budget; unbounded for shorter inputs)`,
    );
}

export function parseKtsFlags(o: { vmax?: string; maxCp?: string; maxSegLen?: string }) {
  return {
    vmax: numberOption('--vmax', o.vmax ?? String(DEFAULT_KTS_VMAX), { min: 0 }),
    maxCp: o.maxCp !== undefined ? numberOption('--max-cp', o.maxCp, { integer: true, min: 0 }) : undefined,
    maxSegmentLength:
      o.maxSegLen !== undefined ? numberOption('--max-seg-len', o.maxSegLen, { integer: true, min: 1 }) : undefined,
  };
}

/** `--export csv,vtt` (or none), as a UsageError naming the flag when a name is unknown. */
export function parseExportList(value: string): ExportFormat[] {
  try {
    return parseExportFormats(value);
  } catch (e) {
    throw new UsageError(`--export: ${e instanceof VsumError ? e.message : String(e)}`);
  }
}

export function parseDurationFlag(value: string): number {
  try {
    return parseDuration(value);
  } catch (e) {
    throw new UsageError(`--duration: ${e instanceof VsumError ? e.message : String(e)}`);
  }
}
