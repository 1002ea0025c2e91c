/**
 * `vsum batch <videos-dir>`: a whole dataset, outputs in OUT/<method>/<stem>.{summary.mp4,frames.txt,summary.json};
 * the work is src/core/batch (plan, completeness, locks, run, collect). Resumable and never stale: a video is
 * skipped only when its recorded settings equal the requested ones and its files are whole. `--shard I/N|auto`
 * splits a dataset across machines or cluster array tasks; `--collect` gathers their outputs into the dataset
 * files (`<method>.evs.json`, with `--gt` the evaluation tables), which an unsharded batch writes itself.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { collectOutputs, type CollectResult } from '../../core/batch/collect';
import { planBatch } from '../../core/batch/plan';
import { runBatch } from '../../core/batch/run';
import type { CliContext } from '../context';
import {
  UsageError,
  addSummaryFlags,
  methodsFlag,
  numberOption,
  parseMethods,
  parseShardFlag,
  parseSummaryFlags,
  shardFlag,
  type SummaryFlags,
} from '../flags';

interface BatchFlags extends SummaryFlags {
  methods: string;
  shard?: string;
  collect?: boolean;
  gt?: string;
  lockLease?: string;
}

/** Every video not complete and every dataset file not written, one line each; true when there is none. */
function printIncomplete(c: CollectResult, skip: ReadonlySet<string> = new Set()): boolean {
  const left = c.incomplete.filter((i) => !skip.has(`${path.basename(i.video)}\0${i.method}`));
  for (const i of left) process.stderr.write(`vsum: ${path.basename(i.video)} ${i.method}: ${i.kind}: ${i.reason}\n`);
  for (const e of c.errors) process.stderr.write(`vsum: ${e}\n`);
  return left.length === 0 && c.errors.length === 0;
}

const wroteLine = (c: CollectResult) =>
  c.files.length
    ? `vsum batch: wrote ${c.files.join(', ')}`
    : 'vsum batch: no dataset file written (no complete summary)';

export function register(program: Command, ctx: CliContext): void {
  addSummaryFlags(
    program
      .command('batch <videos-dir>')
      .description(
        'summarize every video of a folder with several methods (one embedding pass per video): resumable, never stale, shardable, collectable',
      )
      .addOption(methodsFlag('kmeans,tt01,tt02'))
      .option('--out <dir>', 'output folder (default: <videos-dir>/vsum-summaries)')
      .addOption(shardFlag())
      .option(
        '--collect',
        "summarize nothing: gather the shards' outputs into <method>.evs.json and list missing or failed videos",
      )
      .option(
        '--gt <dir-or-file>',
        'ground truth (SumMe folder or .mat, TVSum .mat): also write <method>.evaluation.md/.json',
      )
      .option('--lock-lease <s>', 'seconds after which a video lock its worker stopped renewing is taken over', '120'),
  ).action(async (videosDir: string, opts: BatchFlags) => {
    const methods = parseMethods(opts.methods);
    if (opts.collect && opts.shard !== undefined) throw new UsageError('--collect gathers every shard: drop --shard');
    const summary = parseSummaryFlags({ ...opts, out: undefined }, ctx);
    const leaseMs = numberOption('--lock-lease', opts.lockLease ?? '120', { min: 1 }) * 1000;
    const outRoot = path.resolve(opts.out ?? path.join(videosDir, 'vsum-summaries'));
    const shard = parseShardFlag(opts.shard);
    const tools = await ctx.tools();
    const plan = await planBatch({ videosDir, outRoot, methods, summary, shard, gt: opts.gt, leaseMs }, ctx.signal);
    if (opts.collect) {
      ctx.note(`vsum batch --collect: ${plan.all.length} videos × ${methods.join(', ')} in ${outRoot}`);
      const c = await collectOutputs(plan, { tools, signal: ctx.signal });
      const ok = printIncomplete(c);
      ctx.note(wroteLine(c));
      if (!ok) process.exitCode = 1;
      return;
    }
    let report;
    try {
      report = await runBatch(plan, {
        tools,
        signal: ctx.signal,
        onProgress: ctx.progress(),
        log: (s) => {
          ctx.clearProgress();
          ctx.note(s);
        },
        onResult: (line) => {
          ctx.clearProgress();
          ctx.out(line + '\n');
        },
      });
    } finally {
      ctx.clearProgress();
    }
    for (const f of report.failed) process.stderr.write(`vsum: ${f.video} ${f.method}: failed: ${f.error}\n`);
    const others = report.byOthers ? `, ${report.byOthers} finished by another worker` : '';
    ctx.note(
      `vsum batch: ${report.summarized} summarized, ${report.complete} already complete${others}, ${report.failed.length} failed`,
    );
    let ok = report.failed.length === 0;
    if (report.collected) {
      // Failures are listed above; the dataset step adds what is incomplete otherwise and what it could not write.
      ok = printIncomplete(report.collected, new Set(report.failed.map((f) => `${f.video}\0${f.method}`))) && ok;
      ctx.note(wroteLine(report.collected));
    } else {
      ctx.note(
        `vsum batch: shard ${shard.index}/${shard.count} done; once every shard has run: vsum batch ${videosDir} --collect --out ${outRoot}`,
      );
    }
    if (!ok) process.exitCode = 1;
  });
}
