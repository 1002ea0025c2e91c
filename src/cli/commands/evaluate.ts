import type { Command } from 'commander';
import { loadGroundTruth, type DatasetKind } from '../../core/evaluate/ground-truth';
import { evaluateSubmission } from '../../core/evaluate/evaluate';
import { readSubmission } from '../../core/evaluate/submission';
import { csvTable, jsonReport, markdownTable } from '../../core/evaluate/report';
import { cliContext } from '../main';
import { choiceOption } from '../usage';

export function register(program: Command): void {
  program
    .command('evaluate')
    .description('score a rethinking-evs submission against SumMe (GT folder or one .mat) or TVSum (ydata-tvsum50.mat)')
    .requiredOption('--gt <dir-or-file>', 'SumMe GT folder of <video>.mat, one SumMe .mat, or the TVSum v7.3 file')
    .requiredOption('--submission <json>', 'rethinking-evs JSON {"<video>": {"summary": [0/1…], "segment": […]}}')
    .option('--dataset <name>', 'summe | tvsum (default: told by --gt)')
    .option('--json', 'print {"videos": {name: {min, avg, max, gygliMean, gygliMax}}, "mean": {min, avg, max}} (F in 0–1)')
    .option('--csv', 'print CSV (F in 0–1, full precision)')
    .action(async (opts: { gt: string; submission: string; dataset?: string; json?: boolean; csv?: boolean }, cmd: Command) => {
      const dataset = opts.dataset === undefined ? undefined : choiceOption<DatasetKind>('--dataset', opts.dataset, ['summe', 'tvsum']);
      const quiet = cmd.optsWithGlobals<{ quiet?: boolean }>().quiet;
      const gt = await loadGroundTruth(opts.gt, { dataset, signal: cliContext.signal });
      const sub = await readSubmission(opts.submission);
      const { result, fits, extra } = evaluateSubmission(gt, sub, opts.submission);
      if (!quiet) {
        for (const f of fits) process.stderr.write(`vsum: "${f.video}": summary length ${f.from} → ${f.to} (${f.to > f.from ? 'padded with 0' : 'truncated'}, as the ground truth has ${f.to} frames)\n`);
        if (extra.length) process.stderr.write(`vsum: ${extra.length} submission video${extra.length > 1 ? 's are' : ' is'} not in the ground truth and ${extra.length > 1 ? 'were' : 'was'} ignored${extra.length <= 5 ? `: ${extra.join(', ')}` : ''}\n`);
      }
      process.stdout.write(opts.json ? jsonReport(result) : opts.csv ? csvTable(result) : markdownTable(result));
    });
}
