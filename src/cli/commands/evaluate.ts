import type { Command } from 'commander';
import { loadGroundTruth } from '../../core/evaluate/ground-truth';
import { evaluateSubmission } from '../../core/evaluate/evaluate';
import { readSubmission } from '../../core/evaluate/submission';
import { csvTable, jsonReport, markdownTable } from '../../core/evaluate/report';
import type { CliContext } from '../context';
import { datasetFlag, parseDataset } from '../flags';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('evaluate')
    .description('score a rethinking-evs submission against SumMe (GT folder or one .mat) or TVSum (ydata-tvsum50.mat)')
    .requiredOption('--gt <dir-or-file>', 'SumMe GT folder of <video>.mat, one SumMe .mat, or the TVSum v7.3 file')
    .requiredOption('--submission <json>', 'rethinking-evs JSON {"<video>": {"summary": [0/1…], "segment": […]}}')
    .addOption(datasetFlag())
    .option('--json', 'print {"videos": {name: {min, avg, max, gygliMean, gygliMax}}, "mean": {min, avg, max}} (F in 0–1)')
    .option('--csv', 'print CSV (F in 0–1, full precision)')
    .action(async (opts: { gt: string; submission: string; dataset?: string; json?: boolean; csv?: boolean }) => {
      const dataset = parseDataset(opts.dataset);
      const gt = await loadGroundTruth(opts.gt, { dataset, signal: ctx.signal });
      const sub = await readSubmission(opts.submission);
      const { result, fits, extra } = evaluateSubmission(gt, sub, opts.submission);
      if (!ctx.quiet) {
        for (const f of fits) process.stderr.write(`vsum: "${f.video}": summary length ${f.from} → ${f.to} (${f.to > f.from ? 'padded with 0' : 'truncated'}, as the ground truth has ${f.to} frames)\n`);
        if (extra.length) process.stderr.write(`vsum: ${extra.length} submission video${extra.length > 1 ? 's are' : ' is'} not in the ground truth and ${extra.length > 1 ? 'were' : 'was'} ignored${extra.length <= 5 ? `: ${extra.join(', ')}` : ''}\n`);
      }
      ctx.out(opts.json ? jsonReport(result) : opts.csv ? csvTable(result) : markdownTable(result));
    });
}
