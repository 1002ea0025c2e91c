/** `vsum kts --features F.npy`: KTS change points (cpd_auto) of a feature matrix, e.g. for DSNet-style shots. */
import type { Command } from 'commander';
import { readFeaturesNpy } from '../../core/io/npy';
import { kts } from '../../core/summarize/kts';
import { checkFeatures } from '../../core/summarize/validate';
import type { CliContext } from '../context';
import { UsageError, addKtsFlags, parseKtsFlags } from '../flags';

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('kts')
    .description('kernel temporal segmentation of a [rows, dim] .npy: change points as cpd_auto returns them')
    .option('--features <file.npy>', 'feature rows (float32 or float64 .npy), L2-normalised internally');
  addKtsFlags(cmd, 'rows')
    .option('--json', 'print {"changePoints": [...]}')
    .action(async (opts: { features?: string; maxCp?: string; vmax: string; maxSegLen?: string; json?: boolean }) => {
      if (!opts.features) throw new UsageError('--features <file.npy> is required');
      const { vmax, maxCp, maxSegmentLength } = parseKtsFlags(opts);
      const m = readFeaturesNpy(opts.features);
      checkFeatures(m, opts.features);
      const r = await kts(m, {
        vmax,
        maxCp: maxCp === undefined ? undefined : Math.min(maxCp, m.rows - 1),
        maxSegmentLength,
        signal: ctx.signal,
      });
      if (opts.json) {
        ctx.out(JSON.stringify({ changePoints: r.changePoints }) + '\n');
        return;
      }
      ctx.out(
        `${opts.features}: ${m.rows} rows → ${r.changePoints.length} change points (${r.changePoints.length + 1} segments)\n${r.changePoints.join(' ')}\n`,
      );
    });
}
