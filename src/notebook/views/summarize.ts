/**
 * `summarize` results → for one video: a strip of its clips (selected highlighted), then per method the summary
 * player and the score plot; for a dataset (or with `export`): a table of every run and the exported files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SelectionRun } from '../../core/stages/slots';
import { displayPath, mediaPath } from '../../core/stages/stage';
import { runsOf } from '../../core/video/segments';
import { extractThumbnails } from '../../core/video/thumbnails';
import type { SummarizeResult } from '../../core/stages/summarize';
import { frameCountNoteOf } from '../../core/video/frame-count';
import { markdownOutput, mdEscape, scorePlotOutput, summaryPlayerOutput, videoMime, type OutputSpec } from '../outputs';
import { selectionPlot } from '../plots';
import { stripOutput } from '../strip';
import type { View, ViewIo } from './view';

export const summarizeView: View<SummarizeResult> = async (r, io) => {
  const { runs, exported } = r.gives.selection;
  const outputs: OutputSpec[] = [];
  if (r.single && runs.length) {
    // One strip: the video's clips, highlighted where any method selected frames.
    // Beside the summaries (their folder), named after the methods of this cell.
    const outDir = path.dirname(runs[0].files.frames ?? runs[0].video.path);
    const label = [...new Set(runs.map((x) => x.method))].join('+');
    outputs.push(await stripForSelection(io, runs[0], new Set(runs.flatMap((x) => x.selection.frames)), outDir, label));
    for (const [i, run] of runs.entries()) outputs.push(...(await singleVideoOutputs(io, run, r.seconds[i])));
  }
  if (!r.single || Object.keys(exported).length) {
    const videos = new Set(runs.map((x) => x.video.path)).size;
    const methods = [...new Set(runs.map((x) => x.method))];
    const rows = runs.map(
      (x) =>
        `| ${mdEscape(x.video.stem)} | ${x.method} | ${x.selection.frames.length} / ${x.video.info.frames} | ${x.selection.segments.length} | ${x.files.video ? mdEscape(displayPath(io, x.files.video)) : '–'} |`,
    );
    const lines = [
      `**Summarized ${videos} video${videos === 1 ? '' : 's'} with ${methods.join(', ')}**`,
      '',
      '| video | method | frames kept | segments | summary video |',
      '|---|---|---|---|---|',
      ...rows,
    ];
    for (const [m, f] of Object.entries(exported))
      lines.push('', `rethinking-evs JSON (${m}): ${mdEscape(displayPath(io, f))}`);
    if (r.fits.length) lines.push('', `Length fix: ${r.fits.map(mdEscape).join('; ')}`);
    outputs.push(markdownOutput(lines.join('\n')));
  }
  // A container whose frame count proved wrong on decoding: say so, as the CLI's report and summary.json do.
  const notes = [...new Map(runs.map((x) => [x.video.path, x.video])).values()].flatMap((v) => {
    const note = frameCountNoteOf(v.info);
    return note ? [`**Note:** ${mdEscape(v.name)}: ${mdEscape(note)}.`] : [];
  });
  if (notes.length) outputs.push(markdownOutput(notes.join('\n\n')));
  return outputs;
};

async function singleVideoOutputs(io: ViewIo, run: SelectionRun, seconds: number): Promise<OutputSpec[]> {
  const v = run.video;
  const sel = run.selection;
  const out: OutputSpec[] = [];
  if (run.files.video) {
    const fps = v.info.fps;
    // Exactly the selected frames: runs in summary order for seeks, merged source ranges for "play the source".
    const runs = runsOf(sel.frames);
    const segments = runsOf([...new Set(sel.frames)].sort((a, b) => a - b)).map(([a, b]) => ({
      start: a / fps,
      end: (b + 1) / fps,
    }));
    const tools = await io.tools();
    const [poster] = await extractThumbnails(v.path, [sel.frames[0]], {
      tools,
      signal: io.signal,
      info: v.info,
      width: 160,
      format: 'jpeg',
    });
    const ref = (file: string) => ({ path: mediaPath(io, file), mime: videoMime(file), bytes: fs.statSync(file).size });
    out.push(
      summaryPlayerOutput({
        kind: 'summary-player',
        title: `Summary of ${v.stem}`,
        method: run.method,
        summaryName: displayPath(io, run.files.video),
        sourceName: v.name,
        inputDuration: v.info.frames / fps,
        outputDuration: sel.frames.length / fps,
        fps,
        width: v.info.width,
        height: v.info.height,
        timing: { processingSeconds: seconds },
        selectedFrames: sel.frames.length,
        totalFrames: v.info.frames,
        segments,
        runs,
        summaryFile: ref(run.files.video),
        sourceFile: ref(v.path),
        poster: `data:${poster.mime};base64,${poster.data.toString('base64')}`,
        summaryBlob: -1,
        sourceBlob: -1,
      }),
    );
  }
  out.push(scorePlotOutput(selectionPlot(sel, v.info.fps, `${run.method} scores of ${v.stem}`)));
  return out;
}

/** The first frame of every clip (at most 48, evenly spaced), highlighted when the summary uses the clip. */
function stripForSelection(
  io: ViewIo,
  run: SelectionRun,
  picked: ReadonlySet<number>,
  outDir: string,
  label: string,
): Promise<OutputSpec> {
  const sel = run.selection;
  const L = sel.clipLength;
  const n = sel.nClips;
  const clips =
    n <= 48
      ? Array.from({ length: n }, (_, i) => i)
      : [...new Set(Array.from({ length: 48 }, (_, i) => Math.round((i * (n - 1)) / 47)))];
  const frames = clips.map((c) => Math.min(c * L, run.video.info.frames - 1));
  const pickedClips = new Set([...picked].map((f) => Math.floor(f / L)));
  const selected = new Set(frames.filter((f) => pickedClips.has(Math.floor(f / L))));
  return stripOutput(io, run.video, frames, selected, `Clips of ${run.video.stem} (selected highlighted)`, L, {
    outDir,
    label,
  });
}
