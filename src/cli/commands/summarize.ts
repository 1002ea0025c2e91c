/**
 * `vsum summarize <video>`: one video → `<stem>.summary.mp4`, `<stem>.frames.txt`, `<stem>.summary.json` and the
 * Gradio app's one-line report.
 */
import type { Command } from 'commander';
import { reportLine, summarizeVideo } from '../../core/summarize/pipeline';
import { SUMMARY_METHODS, type SummaryMethod } from '../../core/summarize/selection';
import type { CliContext } from '../context';
import { addSummaryFlags, choiceOption, parseSummaryFlags, type SummaryFlags } from '../flags';

export function register(program: Command, ctx: CliContext): void {
  addSummaryFlags(
    program
      .command('summarize <video>')
      .description(
        'summarize a video (k-means, tt01, tt02 or KTS keyshots) into <stem>.summary.mp4, <stem>.frames.txt, <stem>.summary.json',
      )
      .option('--method <m>', `${SUMMARY_METHODS.join(' | ')}`, 'kmeans')
      .option('--features <file.npy>', 'clip features [clips, dim] float32 instead of embedding the video')
      .option('--out <dir>', 'output folder (default: beside the video)')
      .option('--stem <name>', "file name stem of the outputs (default: the video's name without its extension)")
      .option('--json', 'print the result (paths, frames, timings) as JSON instead of the report line'),
  ).action(async (video: string, opts: SummaryFlags & { method: string; stem?: string; json?: boolean }) => {
    const method = choiceOption('--method', opts.method, SUMMARY_METHODS) as SummaryMethod;
    const options = { ...parseSummaryFlags(opts, ctx), method, ...(opts.stem ? { stem: opts.stem } : {}) };
    const tools = await ctx.tools();
    try {
      const r = await summarizeVideo(video, options, { signal: ctx.signal, tools, onProgress: ctx.progress() });
      ctx.clearProgress();
      if (opts.json) {
        ctx.out(
          JSON.stringify({
            video,
            method,
            embedder: r.embedderId,
            frames: r.selection.frames.length,
            outputs: {
              video: r.written ? r.paths.video : null,
              frames: r.paths.frames,
              json: r.paths.json,
              exports: r.exports,
            },
            timings: r.timings,
          }) + '\n',
        );
        return;
      }
      ctx.out(reportLine(r) + '\n');
      if (!ctx.quiet)
        ctx.out(
          `  wrote ${[r.written ? r.paths.video : undefined, r.paths.frames, ...r.exports, r.paths.json].filter(Boolean).join(', ')}\n`,
        );
    } finally {
      ctx.clearProgress();
    }
  });
}
