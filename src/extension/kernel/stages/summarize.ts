/**
 * `summarize`: keyshots from the embeddings with one or more methods; writes `<stem>.<method>.summary.mp4`,
 * `.frames.txt` and `.summary.json` (into `out`, the vsum.outputDirectory setting, or beside the video), and
 * optionally the rethinking-evs JSON per method (`export`). One video → player, frame strip and score plot;
 * a dataset → a table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../../../core/errors';
import { toEvsEntry, writeSubmission, type EvsSubmission } from '../../../core/evaluate/submission';
import { defaultSsdThreshold } from '../../../core/embed/factory';
import { HISTOGRAM_SSD_PRESETS } from '../../../core/embed/histogram';
import { writeFramesTxt } from '../../../core/summarize/outputs/frames-txt';
import { summaryOutputs } from '../../../core/summarize/outputs/digests';
import { summaryPaths } from '../../../core/summarize/outputs/paths';
import { summaryRequest } from '../../../core/summarize/outputs/request';
import { summaryRecord, writeSummaryJson } from '../../../core/summarize/outputs/summary-json';
import { SUMMARY_METHODS, type SummaryMethod } from '../../../core/summarize/selection';
import { writeSummaryVideo } from '../../../core/video/write';
import { displayPath, resolveCellPath, type StageContext, type StageResult } from '../context';
import { summarizerFor } from '../core-api';
import type { FeaturesSlot, SelectionRun, SelectionSlot, VideoSlot } from '../data';
import { gtLengths } from '../gt';
import { markdownOutput, mdEscape, scorePlotOutput, summaryPlayerOutput, type OutputSpec } from '../../../notebook/outputs';
import { selectionPlot } from '../../../notebook/plots';
import { stripOutput } from '../strip';

export interface SummarizeOptions {
  method?: string | string[];
  ratio?: number;
  threshold?: number | 'small' | 'average' | 'large';
  seed?: number;
  seedFaithful?: boolean;
  out?: string;
  video?: boolean;
  export?: string;
}

export const THRESHOLD_PRESETS = { small: 100, average: 400, large: 800 } as const;

export async function runSummarize(o: SummarizeOptions, ctx: StageContext): Promise<StageResult> {
  const feats = ctx.session.get<FeaturesSlot>('features')!;
  const videoSlot = ctx.session.get<VideoSlot>('video');
  const methods = (Array.isArray(o.method) ? o.method : [o.method ?? 'kmeans']) as SummaryMethod[];
  for (const m of methods) if (!SUMMARY_METHODS.includes(m)) throw new VsumError('BAD_INPUT', `summarize: unknown method "${m}" (${SUMMARY_METHODS.join(', ')}).`);
  const histogram = feats.embedderId.startsWith('histogram');
  // Presets and the default follow the embedder's SSD scale (100/400/800 are TimeSformer's).
  const presets = histogram ? HISTOGRAM_SSD_PRESETS : THRESHOLD_PRESETS;
  const threshold = typeof o.threshold === 'string' ? presets[o.threshold] : (o.threshold ?? defaultSsdThreshold(feats.embedderId));
  const params = { ratio: o.ratio ?? 0.15, threshold, seed: o.seed ?? 1, seedFaithful: o.seedFaithful ?? false };
  const single = feats.items.length === 1;
  const writeVideo = o.video ?? single;
  const runs: SelectionRun[] = [];
  const outputs: OutputSpec[] = [];
  const total = feats.items.length * methods.length;
  let done = 0;
  for (const item of feats.items) {
    const v = item.video;
    const outDir = o.out ? resolveCellPath(ctx, o.out) : ctx.settings.outputDirectory ? resolveCellPath(ctx, ctx.settings.outputDirectory) : path.dirname(v.path);
    fs.mkdirSync(outDir, { recursive: true });
    for (const method of methods) {
      const t0 = Date.now();
      ctx.progress(`${v.stem}: ${method}`, done / total);
      const summarizer = await summarizerFor(method, params);
      const selection = await summarizer.summarize({ features: item.features, nFrames: v.info.frames, clipLength: item.clipLength, signal: ctx.signal });
      // `<stem>.<method>.*` so several methods (and cells) never overwrite each other's files.
      const paths = summaryPaths(outDir, `${v.stem}.${method}`);
      const files: SelectionRun['files'] = {};
      let videoFrames = 0;
      if (writeVideo && selection.frames.length > 0) {
        ctx.progress(`${v.stem}: writing the ${method} summary video`, (done + 0.5) / total);
        const tools = await ctx.tools();
        files.video = paths.video;
        videoFrames = (await writeSummaryVideo(v.path, selection.frames, files.video, { tools, info: v.info, signal: ctx.signal })).frames;
      }
      files.frames = paths.frames;
      await writeFramesTxt(files.frames, selection.frames);
      // The JSON last: its presence means the summary is complete.
      files.json = paths.json;
      const identity = { embedder: item.embedderId, model: null, variant: null };
      const digests = await summaryOutputs({ frames: files.frames, video: files.video ? { path: files.video, frames: videoFrames } : undefined }, ctx.signal);
      await writeSummaryJson(files.json, summaryRecord(selection, {
        video: path.basename(v.path),
        fps: v.info.fps,
        width: v.info.width,
        height: v.info.height,
        params: { ...summarizer.params },
        embedder: item.embedderId,
        videoFile: files.video ? path.basename(files.video) : null,
        framesFile: path.basename(files.frames),
        request: summaryRequest(method, { ...params, writeVideo: !!files.video }, identity, item.clipLength),
        outputs: digests,
      }));
      runs.push({ video: v, method, selection, files });
      if (single) outputs.push(...(await singleVideoOutputs(ctx, runs[runs.length - 1], (Date.now() - t0) / 1000)));
      done++;
    }
    if (single) {
      // One strip per video: its clips, highlighted where any method selected frames.
      const picked = new Set(runs.flatMap((r) => r.selection.frames));
      outputs.splice(0, 0, await stripForSelection(ctx, runs[0], picked));
    }
  }
  const exported: Record<string, string> = {};
  const fits: string[] = [];
  if (o.export) {
    const dir = resolveCellPath(ctx, o.export);
    const lengths = videoSlot?.gt ? await gtLengths(videoSlot.gt, ctx.signal) : undefined;
    for (const method of methods) {
      const sub: EvsSubmission = {};
      for (const r of runs.filter((x) => x.method === method)) {
        const gtLen = lengths?.get(r.video.stem);
        if (gtLen !== undefined && gtLen !== r.video.info.frames && method === methods[0]) fits.push(`${r.video.stem}: ${r.video.info.frames} → ${gtLen} frames (fitted to the ground truth)`);
        sub[r.video.stem] = toEvsEntry(r.selection.frames, r.video.info.frames, gtLen);
      }
      const file = path.join(dir, `${method}.json`);
      fs.mkdirSync(dir, { recursive: true });
      await writeSubmission(file, sub);
      exported[method] = file;
    }
  }
  if (!single || o.export) {
    const rows = runs.map((r) => `| ${mdEscape(r.video.stem)} | ${r.method} | ${r.selection.frames.length} / ${r.video.info.frames} | ${r.selection.segments.length} | ${r.files.video ? mdEscape(displayPath(ctx, r.files.video)) : '–'} |`);
    const lines = [`**Summarized ${feats.items.length} video${single ? '' : 's'} with ${methods.join(', ')}**`, '', '| video | method | frames kept | segments | summary video |', '|---|---|---|---|---|', ...rows];
    for (const [m, f] of Object.entries(exported)) lines.push('', `rethinking-evs JSON (${m}): ${mdEscape(displayPath(ctx, f))}`);
    if (fits.length) lines.push('', `Length fix: ${fits.map(mdEscape).join('; ')}`);
    outputs.push(markdownOutput(lines.join('\n')));
  }
  const slot: SelectionSlot = { runs, exported };
  return { outputs, gives: new Map([['selection', slot]]) };
}

async function singleVideoOutputs(ctx: StageContext, run: SelectionRun, seconds: number): Promise<OutputSpec[]> {
  const v = run.video;
  const sel = run.selection;
  const out: OutputSpec[] = [];
  if (run.files.video) {
    const summary = new Uint8Array(await fs.promises.readFile(run.files.video));
    const max = ctx.settings.maxEmbeddedSourceBytes ?? 24 * 1024 * 1024;
    const size = fs.statSync(v.path).size;
    const source = size <= max ? new Uint8Array(await fs.promises.readFile(v.path)) : undefined;
    const fps = v.info.fps;
    const segments = sel.segments.filter((s) => s.picked > 0).map((s) => ({ start: s.start / fps, end: s.end / fps }));
    out.push(summaryPlayerOutput({
      kind: 'summary-player',
      title: `Summary of ${v.stem}`,
      method: run.method,
      summaryName: displayPath(ctx, run.files.video),
      sourceName: v.name,
      inputDuration: v.info.frames / fps,
      outputDuration: sel.frames.length / fps,
      fps,
      width: v.info.width,
      height: v.info.height,
      processingSeconds: seconds,
      selectedFrames: sel.frames.length,
      totalFrames: v.info.frames,
      segments,
      summaryBlob: 0,
      sourceBlob: -1,
    }, summary, source));
  }
  out.push(scorePlotOutput(selectionPlot(sel, v.info.fps, `${run.method} scores of ${v.stem}`)));
  return out;
}

/** The first frame of every clip (at most 48, evenly spaced), highlighted when the summary uses the clip. */
async function stripForSelection(ctx: StageContext, run: SelectionRun, picked: ReadonlySet<number>): Promise<OutputSpec> {
  const sel = run.selection;
  const L = sel.clipLength;
  const n = sel.nClips;
  const clips = n <= 48 ? Array.from({ length: n }, (_, i) => i) : [...new Set(Array.from({ length: 48 }, (_, i) => Math.round((i * (n - 1)) / 47)))];
  const frames = clips.map((c) => Math.min(c * L, run.video.info.frames - 1));
  const pickedClips = new Set([...picked].map((f) => Math.floor(f / L)));
  const selected = new Set(frames.filter((f) => pickedClips.has(Math.floor(f / L))));
  return stripOutput(ctx, run.video, frames, selected, `Clips of ${run.video.stem} (selected highlighted)`, L);
}
