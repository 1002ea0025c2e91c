/** `vsum kts --features F.npy`: KTS change points (cpd_auto) of a feature matrix, e.g. for DSNet-style shots. */
import type { Command } from 'commander';
import { readFeaturesNpy } from '../../core/io/npy';
import { kts } from '../../core/summarize/kts';
import { checkFeatures } from '../../core/summarize/validate';
import { cliContext } from '../main';
import { UsageError, numberOption } from '../usage';

export function register(program: Command): void {
  program
    .command('kts')
    .description('kernel temporal segmentation of a [rows, dim] .npy: change points as cpd_auto returns them')
    .option('--features <file.npy>', 'feature rows (float32 or float64 .npy), L2-normalised internally')
    .option('--max-cp <n>', 'most change points considered (default rows − 1)')
    .option('--vmax <v>', 'penalty weight', '1')
    .option('--max-seg-len <n>', 'longest segment in rows (default unbounded)')
    .option('--json', 'print {"changePoints": [...]}')
    .action(async (opts: { features?: string; maxCp?: string; vmax: string; maxSegLen?: string; json?: boolean }) => {
      if (!opts.features) throw new UsageError('--features <file.npy> is required');
      const vmax = numberOption('--vmax', opts.vmax, { min: 0 });
      const maxCp = opts.maxCp !== undefined ? numberOption('--max-cp', opts.maxCp, { integer: true, min: 0 }) : undefined;
      const maxSegmentLength = opts.maxSegLen !== undefined ? numberOption('--max-seg-len', opts.maxSegLen, { integer: true, min: 1 }) : undefined;
      const m = readFeaturesNpy(opts.features);
      checkFeatures(m, opts.features);
      const r = kts(m, { vmax, maxCp: maxCp === undefined ? undefined : Math.min(maxCp, m.rows - 1), maxSegmentLength, signal: cliContext.signal });
      if (opts.json) {
        process.stdout.write(JSON.stringify({ changePoints: r.changePoints }) + '\n');
        return;
      }
      process.stdout.write(`${opts.features}: ${m.rows} rows → ${r.changePoints.length} change points (${r.changePoints.length + 1} segments)\n${r.changePoints.join(' ')}\n`);
    });
}
