import type { Command } from 'commander';
import { loadGroundTruth } from '../../core/evaluate/ground-truth';
import { buildSubmission, readFrameLists, videoFrameCounts } from '../../core/evaluate/export-evs';
import { writeSubmission } from '../../core/evaluate/submission';
import { probe } from '../../core/video/probe';
import type { CliContext } from '../context';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('export-evs')
    .description(
      'folder of <video>.txt frame lists → rethinking-evs submission JSON fitted to the ground truth lengths',
    )
    .requiredOption(
      '--frames-dir <dir>',
      'one <video>.txt (or <video>.mp4.txt) per video, one selected frame index a line',
    )
    .requiredOption('--gt <dir-or-file>', 'SumMe GT folder (names and lengths to fit to)')
    .requiredOption('--out <json>', 'submission file to write')
    .option(
      '--videos <dir>',
      'the source videos: their own frame counts give the lengths before fitting (as the original notebook)',
    )
    .action(async (opts: { framesDir: string; gt: string; out: string; videos?: string }) => {
      const gt = await loadGroundTruth(opts.gt, { signal: ctx.signal });
      const lists = await readFrameLists(opts.framesDir);
      let videoFrames: Map<string, number> | undefined;
      if (opts.videos) {
        const tools = await ctx.tools();
        videoFrames = await videoFrameCounts(
          opts.videos,
          lists.keys(),
          async (f) => (await probe(f, { tools, signal: ctx.signal })).frames,
        );
      }
      const res = buildSubmission(lists, new Map(gt.videos.map((v) => [v.name, v.nFrames])), videoFrames);
      await writeSubmission(opts.out, res.submission);
      if (!ctx.quiet) {
        for (const r of res.renamed)
          process.stderr.write(`vsum: frame list "${r.from}" matched ground-truth video "${r.to}"\n`);
        for (const u of res.unmatched)
          process.stderr.write(`vsum: frame list "${u}" has no ground-truth video and was left out\n`);
        for (const f of res.fits)
          process.stderr.write(
            `vsum: "${f.video}": length ${f.from} → ${f.to} (${f.to > f.from ? `padded with ${f.to - f.from} zero${f.to - f.from > 1 ? 's' : ''}` : `truncated by ${f.from - f.to}`})\n`,
          );
      }
      ctx.out(
        `${opts.out}: ${Object.keys(res.submission).length} videos, ${res.fits.length} length${res.fits.length === 1 ? '' : 's'} changed\n`,
      );
    });
}
