/**
 * `vsum h5 …`: the eccv16 dataset files the supervised summarizers (DR-DSN, DSNet, PGL-SUM, CA-SUM, VASNet, MSVA)
 * train and test on — describe one, make one from any videos with vsum's embedders, and write their split files.
 */
import type { Command } from 'commander';
import { readDataset } from '../../core/h5/dataset';
import { datasetInfo, infoTable } from '../../core/h5/info';
import type { CliContext } from '../context';

export function register(program: Command, ctx: CliContext): void {
  const h5 = program.command('h5').description('eccv16-format dataset files (features, picks, change_points, user_summary …): info, make, splits');

  h5.command('info <file>')
    .description('each video\'s key, name, n_frames, n_steps, feature width, users, shots and which fields are present')
    .option('--json', 'print {"file", "videos": [{key, name, nFrames, nSteps, featureDim, users, shots, fields, missing}]}')
    .action(async (file: string, opts: { json?: boolean }) => {
      const info = datasetInfo(await readDataset(file));
      ctx.out(opts.json ? JSON.stringify(info, null, 2) + '\n' : infoTable(info));
    });
}
