import type { Command } from 'commander';
import { readSubmission, type LengthFit } from '../../core/evaluate/submission';
import { csvTable, jsonReport, markdownTable } from '../../core/evaluate/report';
import type { EvaluationProtocol, EvaluationResult } from '../../core/evaluate/types';
import { readDataset } from '../../core/h5/dataset';
import { isHdf5File } from '../../core/h5/detect';
import { evaluateH5Submission, evaluateStepScores } from '../../core/h5/evaluate';
import { readStepScores } from '../../core/h5/scores';
import { evaluateStage } from '../../core/stages/evaluate';
import { withDefaults } from '../../core/stages/stage';
import type { CliContext } from '../context';
import { datasetFlag, parseDataset, UsageError } from '../flags';
import { stageIo } from '../stage-io';

interface EvaluateFlags {
  gt: string;
  submission?: string;
  scores?: string;
  dataset?: string;
  json?: boolean;
  csv?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('evaluate')
    .description(
      "score a rethinking-evs submission against SumMe / TVSum, or a submission or predicted per-step scores against an eccv16 dataset h5 (DSNet's keyshot protocol)",
    )
    .requiredOption(
      '--gt <dir-or-file>',
      'SumMe GT folder of <video>.mat, one SumMe .mat, the TVSum v7.3 file, or an eccv16 dataset .h5',
    )
    .option(
      '--submission <json>',
      'rethinking-evs JSON {"<video>": {"summary": [0/1…], "segment": […]}} (with an .h5: keys video_N or video_name)',
    )
    .option(
      '--scores <h5-or-json>',
      'with an .h5 --gt: predicted per-step scores, a results h5 (<key>/score) or JSON {"<key>": [scores…]}',
    )
    .addOption(datasetFlag())
    .option(
      '--json',
      'print {"videos": {name: {min, avg, max, gygliMean, gygliMax}}, "mean": {min, avg, max}} (F in 0–1)',
    )
    .option('--csv', 'print CSV (F in 0–1, full precision)')
    .action(async (opts: EvaluateFlags) => {
      if ((opts.submission === undefined) === (opts.scores === undefined))
        throw new UsageError('give exactly one of --submission <json> and --scores <file>');
      const reportFits = (fits: LengthFit[]) => {
        for (const f of fits)
          ctx.note(
            `vsum: "${f.video}": summary length ${f.from} → ${f.to} (${f.to > f.from ? 'padded with 0' : 'truncated'}, as the ground truth has ${f.to} frames)`,
          );
      };
      let result: EvaluationResult;
      let protocol: EvaluationProtocol;
      if (isHdf5File(opts.gt)) {
        if (opts.dataset !== undefined)
          throw new UsageError(
            '--dataset applies to .mat ground truth; an eccv16 .h5 is evaluated by its own user_summary',
          );
        const ds = await readDataset(opts.gt);
        const r =
          opts.scores !== undefined
            ? evaluateStepScores(ds, await readStepScores(opts.scores), opts.scores)
            : evaluateH5Submission(ds, await readSubmission(opts.submission!), opts.submission!);
        reportFits(r.fits);
        if (r.skipped.length)
          ctx.note(
            `vsum: ${r.skipped.length} of ${ds.videos.length} dataset videos have no ${opts.scores !== undefined ? 'scores' : 'entry'} and were not evaluated${r.skipped.length <= 8 ? `: ${r.skipped.join(', ')}` : ''}`,
          );
        ({ result, protocol } = r);
      } else {
        if (opts.scores !== undefined)
          throw new UsageError(
            '--scores needs an eccv16 dataset .h5 as --gt (picks, change_points and user_summary come from it)',
          );
        // The evaluate stage's own path (one submission file, no baselines).
        const options = withDefaults(evaluateStage.schema, {
          gt: opts.gt,
          submission: opts.submission!,
          dataset: parseDataset(opts.dataset),
        });
        const r = (await evaluateStage.run(options, stageIo(ctx), ctx.signal, () => undefined)).submissions[0];
        reportFits(r.fits);
        const { extra } = r;
        if (extra.length)
          ctx.note(
            `vsum: ${extra.length} submission video${extra.length > 1 ? 's are' : ' is'} not in the ground truth and ${extra.length > 1 ? 'were' : 'was'} ignored${extra.length <= 5 ? `: ${extra.join(', ')}` : ''}`,
          );
        ({ result, protocol } = r);
      }
      ctx.out(opts.json ? jsonReport(result) : opts.csv ? csvTable(result) : markdownTable(result, protocol));
    });
}
