/**
 * `vsum batch <videos-dir>`: a whole dataset, one embedding pass per video shared by every method, outputs in
 * DIR/<method>/<stem>.{summary.mp4,frames.txt,summary.json}. Resumable: a video whose outputs are complete for
 * every method is skipped (the JSON is written last, so an interrupted video is redone). `--shard I/N` (1-based)
 * takes every N-th video starting at the I-th, so N machines or cluster jobs can split a dataset. At the end each
 * method's finished summaries are gathered into DIR/<method>.evs.json (rethinking-evs format, unfitted lengths).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { VsumError, isCancelled } from '../../core/errors';
import { toEvsEntry, writeSubmission, type EvsSubmission } from '../../core/evaluate/submission';
import { summaryPaths, videoStem, isComplete } from '../../core/summarize/outputs/paths';
import type { SummaryRecord } from '../../core/summarize/outputs/summary-json';
import { prepareFeatures, reportLine, summarizePrepared } from '../../core/summarize/pipeline';
import type { CliContext } from '../context';
import { UsageError, methodsFlag, addSummaryFlags, parseMethods, parseSummaryFlags, type SummaryFlags } from '../flags';

export const VIDEO_EXTENSIONS = ['.mp4', '.webm', '.mkv', '.avi', '.mov', '.m4v', '.mpg', '.mpeg', '.flv', '.wmv', '.ogv'];

export function parseShard(s: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard must be I/N with 1 ≤ I ≤ N (e.g. 2/4), got "${s}"`);
  return { index, count };
}

export function listVideos(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new VsumError('FILE_NOT_FOUND', `Cannot read the folder ${dir} (${(e as NodeJS.ErrnoException).code ?? e}). Pass a folder of videos.`, { file: dir, cause: e });
  }
  return entries
    .filter((e) => e.isFile() && VIDEO_EXTENSIONS.includes(path.extname(e.name).toLowerCase()) && !e.name.startsWith('.'))
    .map((e) => path.join(dir, e.name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Gather the finished summaries of one method folder into a rethinking-evs submission keyed by video stem. */
export function collectEvs(methodDir: string): EvsSubmission {
  const sub: EvsSubmission = {};
  if (!fs.existsSync(methodDir)) return sub;
  for (const f of fs.readdirSync(methodDir).filter((n) => n.endsWith('.summary.json')).sort()) {
    const rec = JSON.parse(fs.readFileSync(path.join(methodDir, f), 'utf8')) as SummaryRecord;
    sub[videoStem(rec.video)] = toEvsEntry(rec.frames, rec.nFrames);
  }
  return sub;
}

export function register(program: Command, ctx: CliContext): void {
  addSummaryFlags(
    program
      .command('batch <videos-dir>')
      .description('summarize every video of a folder with several methods (one embedding pass per video), resumable and shardable')
      .addOption(methodsFlag('kmeans,tt01,tt02'))
      .option('--out <dir>', 'output folder (default: <videos-dir>/vsum-summaries)')
      .option('--shard <I/N>', 'run only the I-th of N interleaved shares of the videos (1-based)'),
  ).action(async (videosDir: string, opts: SummaryFlags & { methods: string; shard?: string }) => {
    const methods = parseMethods(opts.methods);
    const base = parseSummaryFlags({ ...opts, out: undefined }, ctx);
    const outRoot = path.resolve(opts.out ?? path.join(videosDir, 'vsum-summaries'));
    const shard = opts.shard ? parseShard(opts.shard) : { index: 1, count: 1 };
    const all = listVideos(videosDir);
    if (all.length === 0) throw new VsumError('FILE_NOT_FOUND', `No videos (${VIDEO_EXTENSIONS.join(' ')}) in ${videosDir}.`, { file: videosDir });
    const mine = all.filter((_, i) => i % shard.count === shard.index - 1);
    const tools = await ctx.tools();
    const log = ctx.note;
    const onProgress = ctx.progress();
    let done = 0, skipped = 0;
    const failed: string[] = [];
    log(`vsum batch: ${mine.length} of ${all.length} videos${shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : ''} × ${methods.join(', ')} → ${outRoot}`);
    for (const [i, video] of mine.entries()) {
      const stem = videoStem(video);
      const tag = `[${i + 1}/${mine.length}] ${path.basename(video)}`;
      const todo = methods.filter((m) => !isComplete(summaryPaths(path.join(outRoot, m), stem), base.writeVideo !== false));
      if (todo.length === 0) {
        skipped++;
        log(`${tag}: complete, skipped`);
        continue;
      }
      try {
        const prep = await prepareFeatures(video, base, { signal: ctx.signal, tools, onProgress });
        for (const method of todo) {
          const r = await summarizePrepared(video, prep, { ...base, method, outDir: path.join(outRoot, method) }, { signal: ctx.signal, tools, onProgress });
          ctx.clearProgress();
          process.stdout.write(`${tag} ${reportLine(r)}\n`);
        }
        done++;
      } catch (e) {
        ctx.clearProgress();
        if (isCancelled(e)) throw e;
        failed.push(path.basename(video));
        process.stderr.write(`${tag}: failed: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
    for (const m of methods) {
      const sub = collectEvs(path.join(outRoot, m));
      if (Object.keys(sub).length) await writeSubmission(path.join(outRoot, `${m}.evs.json`), sub);
    }
    log(`vsum batch: ${done} summarized, ${skipped} already complete, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}; rethinking-evs files: ${methods.map((m) => path.join(outRoot, `${m}.evs.json`)).join(', ')}`);
    if (failed.length) process.exitCode = 1;
  });
}
