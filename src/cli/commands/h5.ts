/**
 * `vsum h5 …`: the eccv16 dataset files the supervised summarizers (DR-DSN, DSNet, PGL-SUM, CA-SUM, VASNet, MSVA)
 * train and test on — describe one, make one from any videos with vsum's embedders, and write their split files.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { describeShard } from '../../core/batch/shard';
import { EMBEDDER_NAMES, type EmbedderName } from '../../core/embed/factory';
import { readDataset } from '../../core/h5/dataset';
import { datasetInfo, infoTable } from '../../core/h5/info';
import { DEFAULT_STRIDE, makeDataset } from '../../core/h5/make';
import { formatSplits, makeSplits, SPLIT_FORMATS, type SplitFormat } from '../../core/h5/splits';
import { writeFileAtomic } from '../../core/io/atomic';
import type { CliContext } from '../context';
import {
  addSeedFaithfulFlag,
  addTimesformerFlags,
  choiceOption,
  numberOption,
  parseSeed,
  parseShardFlag,
  parseTimesformerFlags,
  shardFlag,
  UsageError,
  type TimesformerFlags,
} from '../flags';

interface MakeFlags extends TimesformerFlags {
  videos: string;
  out: string;
  gt?: string;
  embedder: string;
  stride: string;
  shard?: string;
  cache?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  const h5 = program
    .command('h5')
    .description('eccv16-format dataset files (features, picks, change_points, user_summary …): info, make, splits');

  h5.command('info <file>')
    .description("each video's key, name, n_frames, n_steps, feature width, users, shots and which fields are present")
    .option(
      '--json',
      'print {"file", "videos": [{key, name, nFrames, nSteps, featureDim, users, shots, fields, missing}]}',
    )
    .action(async (file: string, opts: { json?: boolean }) => {
      const info = datasetInfo(await readDataset(file));
      ctx.out(opts.json ? JSON.stringify(info, null, 2) + '\n' : infoTable(info));
    });

  const make = h5
    .command('make')
    .description(
      "write an eccv16-format dataset from a folder of videos: vsum features at picks every --stride frames, KTS shots, and with --gt the users' summaries; resumable, shardable",
    )
    .requiredOption('--videos <dir>', 'folder of videos (keys video_1 … in name order)')
    .requiredOption(
      '--out <file.h5>',
      'the dataset to write (parts are kept in <out>.parts/ until every video is done)',
    )
    .option(
      '--gt <dir-or-file>',
      "ground truth: SumMe GT folder / .mat or TVSum's ydata-tvsum50.mat (videos named after it)",
    )
    .option('--embedder <name>', `clip embedder: ${EMBEDDER_NAMES.join(' | ')}`, 'histogram')
    .option('--stride <n>', 'frames between picks', String(DEFAULT_STRIDE))
    .addOption(shardFlag())
    .option('--no-cache', 'timesformer: neither read nor write the embedding cache');
  addSeedFaithfulFlag(make, 'timesformer: the original preprocessing (BGR, squashed 224×224, VideoMAE mean/std)');
  addTimesformerFlags(make, 'timesformer: ').action(async (opts: MakeFlags) => {
    const embedder = choiceOption('--embedder', opts.embedder, EMBEDDER_NAMES) as EmbedderName;
    const stride = numberOption('--stride', opts.stride, { integer: true, min: 1 });
    const shard = parseShardFlag(opts.shard);
    const out = path.resolve(opts.out);
    if (shard.count > 1)
      ctx.note(`vsum h5 make: ${describeShard(shard, 0).replace(' over the 0 videos', ' over the videos')}`);
    let report;
    try {
      report = await makeDataset(
        {
          videosDir: opts.videos,
          out,
          gt: opts.gt,
          embedder,
          stride,
          shard,
          noCache: opts.cache === false,
          seedFaithful: opts.seedFaithful === true,
          embedderOptions: embedder === 'timesformer' ? parseTimesformerFlags(opts, ctx) : undefined,
        },
        {
          signal: ctx.signal,
          tools: await ctx.tools(),
          onProgress: ctx.progress(),
          log: (s) => {
            ctx.clearProgress();
            ctx.note(s);
          },
        },
      );
    } finally {
      ctx.clearProgress();
    }
    ctx.note(
      `vsum h5 make: ${report.made.length} made, ${report.reused.length} reused, ${report.failed.length} failed`,
    );
    if (report.written)
      ctx.out(`${report.written}: ${report.videos.length} video${report.videos.length === 1 ? '' : 's'}\n`);
    else
      ctx.note(
        `vsum h5 make: ${report.missing.length} of ${report.videos.length} videos not done yet (${report.missing.slice(0, 5).join(', ')}${report.missing.length > 5 ? ', …' : ''}); the run that finds every part writes ${out}`,
      );
    if (report.failed.length) process.exitCode = 1;
  });

  h5.command('splits')
    .description(
      'train/test split files for DSNet (YAML) or PGL-SUM (JSON), deterministic by seed: canonical, augmented (--augment) or transfer (--transfer)',
    )
    .requiredOption('--dataset <file.h5>', 'the dataset whose videos are tested')
    .option('--augment <files...>', "augmented setting: these datasets' videos join every training set")
    .option('--transfer <files...>', 'transfer setting: test on the whole dataset, train on these datasets')
    .option('--folds <n>', 'number of splits (canonical / augmented: disjoint test folds)', '5')
    .option('--seed <n>', 'seed of the shuffle (xoshiro128**)', '0')
    .option('--format <f>', `${SPLIT_FORMATS.join(' | ')}`, 'dsnet')
    .option('--out <file>', 'write the split file here (default: print it)')
    .action(
      async (opts: {
        dataset: string;
        augment?: string[];
        transfer?: string[];
        folds: string;
        seed: string;
        format: string;
        out?: string;
      }) => {
        const format = choiceOption('--format', opts.format, SPLIT_FORMATS) as SplitFormat;
        const folds = numberOption('--folds', opts.folds, { integer: true, min: 1 });
        if (opts.augment?.length && opts.transfer?.length)
          throw new UsageError('give --augment or --transfer, not both');
        const { splits, setting } = await makeSplits({
          dataset: opts.dataset,
          augment: opts.augment,
          transfer: opts.transfer,
          folds,
          seed: parseSeed(opts.seed),
          format,
        });
        const text = formatSplits(splits, format);
        if (opts.out === undefined) ctx.out(text);
        else {
          await writeFileAtomic(opts.out, text);
          ctx.note(
            `vsum h5 splits: ${splits.length} ${setting} splits (${splits[0].test_keys.length} test / ${splits[0].train_keys.length} train in the first) → ${opts.out}`,
          );
        }
      },
    );
}
