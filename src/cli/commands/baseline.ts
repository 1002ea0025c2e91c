import path from 'node:path';
import type { Command } from 'commander';
import { VsumError } from '../../core/errors';
import { loadGroundTruth, type GroundTruth } from '../../core/evaluate/ground-truth';
import { humanBound, randomBaseline } from '../../core/evaluate/baselines';
import { ktsSegmentation } from '../../core/evaluate/segmentation';
import { readSubmission } from '../../core/evaluate/submission';
import { csvTable, jsonReport, markdownTable } from '../../core/evaluate/report';
import type { BaselineSegmentation, EvaluationResult } from '../../core/evaluate/types';
import { readFeaturesNpy } from '../../core/io/npy';
import type { CliContext } from '../context';
import {
  datasetFlag,
  choiceOption,
  numberOption,
  parseDataset,
  parseSeed,
  runsFlag,
  seedFlag,
  UsageError,
} from '../flags';

const SEGMENTATIONS: readonly BaselineSegmentation[] = [
  'submission',
  'uniform',
  'one-peak',
  'two-peak',
  'kts',
  'randomized-kts',
];

function print(ctx: CliContext, result: EvaluationResult, opts: { json?: boolean; csv?: boolean }): void {
  ctx.out(opts.json ? jsonReport(result) : opts.csv ? csvTable(result) : markdownTable(result));
}

function gtOf(opts: { gt: string; dataset?: string }, signal: AbortSignal): Promise<GroundTruth> {
  return loadGroundTruth(opts.gt, { dataset: parseDataset(opts.dataset), signal });
}

export function register(program: Command, ctx: CliContext): void {
  const baseline = program
    .command('baseline')
    .description('reference scores: random summaries and the human leave-one-out bound');

  baseline
    .command('random')
    .description('random summaries (U(0,1) scores, mean per segment, knapsack at 15 %), N seeded runs: mean and spread')
    .requiredOption('--gt <dir-or-file>', 'SumMe GT folder / .mat, or the TVSum v7.3 file')
    .option(
      '--submission <json>',
      'rethinking-evs JSON whose "segment" boundaries are used (needed for --segmentation submission)',
    )
    .option('--segmentation <kind>', `${SEGMENTATIONS.join(' | ')}`, 'submission')
    .option('--features <dir>', 'kts / randomized-kts: folder of <video>.npy feature rows (e.g. vsum embed output)')
    .option('--frames-per-row <n>', 'kts: frames covered by one feature row', '8')
    .addOption(runsFlag())
    .addOption(seedFlag('seed of the random stream'))
    .addOption(datasetFlag())
    .option('--json', "print the result as JSON (evaluate's shape plus baseline, segmentation, runs, seed, spread)")
    .option('--csv', 'print CSV')
    .action(
      async (opts: {
        gt: string;
        submission?: string;
        segmentation: string;
        features?: string;
        framesPerRow: string;
        runs: string;
        seed: string;
        dataset?: string;
        json?: boolean;
        csv?: boolean;
      }) => {
        const segmentation = choiceOption('--segmentation', opts.segmentation, SEGMENTATIONS);
        const runs = numberOption('--runs', opts.runs, { integer: true, min: 1, max: 1_000_000 });
        const seed = parseSeed(opts.seed);
        const framesPerRow = numberOption('--frames-per-row', opts.framesPerRow, { integer: true, min: 1 });
        if (segmentation === 'submission' && !opts.submission)
          throw new UsageError(
            '--segmentation submission needs --submission S.json (or choose uniform, one-peak or two-peak)',
          );
        if ((segmentation === 'kts' || segmentation === 'randomized-kts') && !opts.features)
          throw new UsageError(`--segmentation ${segmentation} needs --features DIR of <video>.npy feature rows`);
        const gt = await gtOf(opts, ctx.signal);
        let boundaries: Map<string, number[]> | undefined;
        if (segmentation === 'submission') {
          const sub = await readSubmission(opts.submission!);
          const missing = gt.videos.filter((v) => !sub[v.name]).map((v) => JSON.stringify(v.name));
          if (missing.length)
            throw new VsumError(
              'BAD_INPUT',
              `${opts.submission}: no entry for ${missing.length} ground-truth video${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}; its "segment" boundaries are needed.`,
              { file: opts.submission },
            );
          boundaries = new Map(gt.videos.map((v) => [v.name, sub[v.name].segment]));
        } else if (segmentation === 'kts' || segmentation === 'randomized-kts') {
          boundaries = new Map();
          for (const v of gt.videos) {
            const file = path.join(opts.features!, `${v.name}.npy`);
            boundaries.set(
              v.name,
              await ktsSegmentation(readFeaturesNpy(file), v.nFrames, framesPerRow, { signal: ctx.signal, file }),
            );
          }
        }
        const progress = ctx.progress();
        const result = await randomBaseline(gt, {
          segmentation,
          boundaries,
          runs,
          seed,
          signal: ctx.signal,
          onProgress: progress && ((r, n) => progress({ message: `random baseline: run ${r}/${n}` })),
        });
        ctx.clearProgress();
        print(ctx, result, opts);
      },
    );

  baseline
    .command('human')
    .description(
      'leave-one-out human bound: each user scored against the others (mean = SumMe paper, max = rethinking-evs)',
    )
    .requiredOption('--gt <dir-or-file>', 'SumMe GT folder / .mat, or the TVSum v7.3 file')
    .option('--reduce <how>', 'mean | max', 'mean')
    .addOption(datasetFlag())
    .option('--json', "print the result as JSON (evaluate's shape plus baseline, reduce)")
    .option('--csv', 'print CSV')
    .action(async (opts: { gt: string; reduce: string; dataset?: string; json?: boolean; csv?: boolean }) => {
      const reduce = choiceOption('--reduce', opts.reduce, ['mean', 'max'] as const);
      const gt = await gtOf(opts, ctx.signal);
      print(ctx, humanBound(gt, reduce, ctx.signal), opts);
    });
}
