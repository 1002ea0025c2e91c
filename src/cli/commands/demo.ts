/**
 * `vsum demo`: the README's first command. Summarizes the bundled real sample (media/sample/mmcv-test.mp4,
 * 168 frames at 25 fps) end to end with the built-in histogram embedder — no model download, no network — and
 * says where the summary video and the frame list went and which ffmpeg ran.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { VsumError } from '../../core/errors';
import { describeTools } from '../../core/video/ffmpeg';
import { prepareFeatures, reportLine, summarizePrepared } from '../../core/summarize/pipeline';
import type { CliContext } from '../context';
import { methodsFlag, parseMethods } from '../flags';

const SAMPLE = path.join('media', 'sample', 'mmcv-test.mp4');

/** The sample beside the bundle (dist/cli.js → ../media), beside the sources, or in the working folder. */
export function findSample(): string {
  const candidates = [
    path.resolve(__dirname, '..', SAMPLE),
    path.resolve(__dirname, '..', '..', '..', SAMPLE),
    path.resolve(SAMPLE),
  ];
  const hit = candidates.find((p) => fs.existsSync(p));
  if (!hit)
    throw new VsumError(
      'FILE_NOT_FOUND',
      `The demo video ${SAMPLE} is missing (looked in ${candidates.join(', ')}). Reinstall vsum or run \`vsum summarize <your video>\`.`,
    );
  return hit;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('summarize the bundled sample video offline (histogram embedder) and show where the outputs went')
    .option('--out <dir>', 'output folder', 'vsum-demo-output')
    .addOption(methodsFlag('kmeans,tt01,tt02'))
    .action(async (opts: { out: string; methods: string }) => {
      const methods = parseMethods(opts.methods);
      const video = findSample();
      const outDir = path.resolve(opts.out);
      const tools = await ctx.tools();
      const run = { signal: ctx.signal, tools, onProgress: ctx.progress() };
      const prep = await prepareFeatures(video, { embedder: 'histogram' }, run);
      const lines: string[] = [];
      for (const method of methods) {
        // Every method's outputs carry its name, so they sit side by side and nothing is ambiguous.
        const stem = `mmcv-test.${method}`;
        // KTS segments of this 7-second clip exceed the 15 % budget unless bounded (3 clips = 24 frames).
        const r = await summarizePrepared(
          video,
          prep,
          { method, outDir, stem, ...(method === 'kts' ? { maxSegmentLength: 3 } : {}) },
          run,
        );
        ctx.clearProgress();
        ctx.out(reportLine(r) + '\n');
        lines.push(
          `  ${method.padEnd(6)} summary video ${r.paths.video}\n         frame list    ${r.paths.frames}\n         details       ${r.paths.json}`,
        );
      }
      ctx.out(`${lines.join('\n')}\nffmpeg: ${describeTools(tools)}\n`);
    });
}
