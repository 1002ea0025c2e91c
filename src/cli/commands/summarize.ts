/**
 * `vsum summarize <video>`: one video → `<stem>.summary.mp4`, `<stem>.frames.txt`, `<stem>.summary.json` and the
 * Gradio app's one-line report. Also exports the flag parsing that `batch` and `demo` share.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { EMBEDDER_NAMES, type EmbedderName } from '../../core/embed/factory';
import { HISTOGRAM_SSD_PRESETS } from '../../core/embed/histogram';
import { reportLine, summarizeVideo, type SummarizeOptions, type SummarizeProgress } from '../../core/summarize/pipeline';
import { SUMMARY_METHODS, type SummaryMethod } from '../../core/summarize/selection';
import { cliContext } from '../main';
import { toolsFor } from '../tools';
import { UsageError, choiceOption, numberOption } from '../usage';
import { parseTimesformerFlags, type TimesformerFlags } from './embed';
import { VARIANTS } from '../../core/model/hub';
import { EP_CHOICES } from '../../core/model/providers';

export const TIMESFORMER_SSD_PRESETS = { small: 100, average: 400, large: 800 } as const;

export interface SummaryFlags extends TimesformerFlags {
  ratio?: string;
  threshold?: string;
  seed?: string;
  seedFaithful?: boolean;
  embedder?: string;
  features?: string;
  out?: string;
  video?: boolean;
  audio?: boolean;
  vmax?: string;
  maxCp?: string;
  maxSegLen?: string;
  restarts?: string;
  cache?: boolean;
}

/** The flags every summarizing command takes. */
export function addSummaryFlags(cmd: Command): Command {
  return cmd
    .option('--ratio <r>', 'fraction of the video to keep, in (0, 1] (k-means clusters, SSD sampling, KTS budget)', '0.15')
    .option('--threshold <t>', 'tt01/tt02 SSD threshold: a number or small|average|large (TimeSformer 100/400/800; histogram 0.125/0.5/1; default average)')
    .option('--seed <n>', 'seed for k-means init and SSD sampling (xoshiro128**)', '1234')
    .option('--seed-faithful', "reproduce the original exactly (whole clips only, duplicates kept, 10 Lloyd iterations, 224×224 output)")
    .option('--embedder <name>', `clip embedder: ${EMBEDDER_NAMES.join(' | ')}`, 'histogram')
    .option('--no-video', 'skip writing the summary video (frame list and JSON only)')
    .option('--audio', 'keep the source audio in the summary video')
    .option('--vmax <v>', 'KTS penalty weight', '1')
    .option('--max-cp <n>', 'KTS: most change points considered (default clips − 1)')
    .option('--max-seg-len <n>', 'KTS: longest segment in clips (default unbounded)')
    .option('--restarts <n>', 'k-means restarts (default mode)', '5')
    .option('--model <m>', 'timesformer: k600 (the published model, downloaded on first use) or the path of a TimeSformer .onnx', 'k600')
    .option('--variant <v>', `timesformer with --model k600: ${VARIANTS.join(' | ')}`, 'fp32')
    .option('--ep <ep>', `timesformer execution provider: ${EP_CHOICES.join(' | ')}`, 'auto')
    .option('--threads <n>', 'timesformer: CPU threads for onnxruntime (default: all cores)')
    .option('--cache-dir <dir>', 'timesformer: cache folder for models and embeddings')
    .option('--no-cache', 'timesformer: neither read nor write the embedding cache');
}

export function parseSummaryFlags(o: SummaryFlags, cmd: Command): Omit<SummarizeOptions, 'method'> {
  const embedder = choiceOption('--embedder', o.embedder ?? 'histogram', EMBEDDER_NAMES) as EmbedderName;
  const out: Omit<SummarizeOptions, 'method'> = {
    ratio: numberOption('--ratio', o.ratio ?? '0.15'),
    seed: numberOption('--seed', o.seed ?? '1234', { integer: true, min: 0, max: 0xffffffff }),
    seedFaithful: o.seedFaithful === true,
    embedder,
    writeVideo: o.video !== false,
    audio: o.audio === true,
    vmax: numberOption('--vmax', o.vmax ?? '1', { min: 0 }),
    restarts: numberOption('--restarts', o.restarts ?? '5', { integer: true, min: 1 }),
    noCache: o.cache === false,
  };
  if (embedder === 'timesformer') out.embedderOptions = parseTimesformerFlags(o, cmd);
  if (!(out.ratio! > 0 && out.ratio! <= 1)) throw new UsageError(`--ratio must be in (0, 1], got ${o.ratio}`);
  if (o.maxCp !== undefined) out.maxCp = numberOption('--max-cp', o.maxCp, { integer: true, min: 0 });
  if (o.maxSegLen !== undefined) out.maxSegmentLength = numberOption('--max-seg-len', o.maxSegLen, { integer: true, min: 1 });
  if (o.features !== undefined) out.features = o.features;
  if (o.out !== undefined) out.outDir = path.resolve(o.out);
  if (o.threshold !== undefined) {
    const presets = o.features !== undefined || embedder === 'timesformer' ? TIMESFORMER_SSD_PRESETS : HISTOGRAM_SSD_PRESETS;
    out.threshold = o.threshold in presets ? presets[o.threshold as keyof typeof presets] : numberOption('--threshold', o.threshold, { min: 0 });
  }
  return out;
}

/** Progress on stderr, one rewritten line on a terminal; nothing when --quiet or not a terminal. */
export function progressPrinter(cmd: Command): ((p: SummarizeProgress) => void) | undefined {
  if (cmd.optsWithGlobals<{ quiet?: boolean }>().quiet || !process.stderr.isTTY) return undefined;
  return (p) => process.stderr.write(`\r\x1b[K${p.message}${p.fraction !== undefined ? ` ${Math.round(p.fraction * 100)}%` : ''}`);
}

export function clearProgress(cmd: Command): void {
  if (!cmd.optsWithGlobals<{ quiet?: boolean }>().quiet && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}

export function register(program: Command): void {
  addSummaryFlags(
    program
      .command('summarize <video>')
      .description('summarize a video (k-means, tt01, tt02 or KTS keyshots) into <stem>.summary.mp4, <stem>.frames.txt, <stem>.summary.json')
      .option('--method <m>', `${SUMMARY_METHODS.join(' | ')}`, 'kmeans')
      .option('--features <file.npy>', 'clip features [clips, dim] float32 instead of embedding the video')
      .option('--out <dir>', 'output folder (default: beside the video)')
      .option('--json', 'print the result (paths, frames, timings) as JSON instead of the report line'),
  ).action(async (video: string, opts: SummaryFlags & { method: string; json?: boolean }, cmd: Command) => {
    const method = choiceOption('--method', opts.method, SUMMARY_METHODS) as SummaryMethod;
    const options = { ...parseSummaryFlags(opts, cmd), method };
    const tools = await toolsFor(cmd);
    try {
      const r = await summarizeVideo(video, options, { signal: cliContext.signal, tools, onProgress: progressPrinter(cmd) });
      clearProgress(cmd);
      if (opts.json) {
        process.stdout.write(JSON.stringify({ video, method, embedder: r.embedderId, frames: r.selection.frames.length, outputs: { video: r.written ? r.paths.video : null, frames: r.paths.frames, json: r.paths.json }, timings: r.timings }) + '\n');
        return;
      }
      process.stdout.write(reportLine(r) + '\n');
      if (!cmd.optsWithGlobals<{ quiet?: boolean }>().quiet)
        process.stdout.write(`  wrote ${[r.written ? r.paths.video : undefined, r.paths.frames, r.paths.json].filter(Boolean).join(', ')}\n`);
    } finally {
      clearProgress(cmd);
    }
  });
}
