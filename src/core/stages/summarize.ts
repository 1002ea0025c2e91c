/**
 * `summarize`: keyshots from the clip embeddings with one or more methods, through the pipeline's
 * summarizePrepared (the path `vsum summarize` and `vsum batch` take): `<stem>.<method>.summary.mp4`,
 * `.frames.txt` and `.summary.json` into `out`, the output-directory setting, or `vsum-out/<stem>/` by the notebook; optionally the
 * rethinking-evs JSON per method (`export`), lengths fitted to the load stage's ground truth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadGroundTruth } from '../evaluate/ground-truth';
import { toEvsEntry, writeSubmission, type EvsSubmission } from '../evaluate/submission';
import { summarizePrepared } from '../summarize/pipeline';
import { SUMMARY_METHODS } from '../summarize/selection';
import {
  DEFAULT_AUDIO,
  DEFAULT_KMEANS_RESTARTS,
  DEFAULT_KTS_VMAX,
  DEFAULT_RATIO,
  DEFAULT_SEED,
  DEFAULT_SSD_PRESET,
  SSD_PRESET_NAMES,
  SSD_PRESETS,
} from './defaults';
import { DEFAULT_EXPORTS, EXPORT_FORMATS, parseExportFormats } from '../exports/exports';
import { parseDuration } from '../summarize/duration';
import { SUMMARY_SEGMENTATIONS } from '../summarize/methods';
import { SSD_SELECT_MODES } from '../summarize/ssd';
import type { SelectionRun, SelectionSlot } from './slots';
import { outputDirFor, resolveCellPath, type Stage } from './stage';

const schema = {
  description: 'Pick keyshots from the clip embeddings and write the summary (video, frame list, JSON).',
  'x-shorthand': 'method',
  type: 'object',
  additionalProperties: false,
  properties: {
    method: {
      description:
        '`kmeans` (nearest clip per cluster), `tt01` (SSD to the segment anchor), `tt02` (SSD to the previous clip), `kts` (kernel temporal segmentation + knapsack). A list runs several.',
      anyOf: [
        { type: 'string', enum: SUMMARY_METHODS },
        { type: 'array', items: { type: 'string', enum: SUMMARY_METHODS } },
      ],
      default: 'kmeans',
    },
    ratio: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: DEFAULT_RATIO,
      description: 'Fraction of the video kept (0 < ratio ≤ 1).',
    },
    threshold: {
      description: `SSD threshold for tt01/tt02: a number, or \`small\` / \`average\` / \`large\` — ${Object.values(SSD_PRESETS.timesformer).join(' / ')} with TimeSformer (the Gradio app's presets), ${Object.values(SSD_PRESETS.histogram).join(' / ')} with the histogram embedder. Default: \`${DEFAULT_SSD_PRESET}\` of the embedder's scale.`,
      anyOf: [
        { type: 'number', exclusiveMinimum: 0 },
        { type: 'string', enum: SSD_PRESET_NAMES },
      ],
      default: DEFAULT_SSD_PRESET,
    },
    seed: {
      type: 'integer',
      minimum: 0,
      maximum: 4294967295,
      default: DEFAULT_SEED,
      description: 'Seed of k-means initialisation and tt01/tt02 frame sampling.',
    },
    seedFaithful: {
      type: 'boolean',
      default: false,
      description:
        "Reproduce the original's quirks (whole clips only, duplicate k-means clips kept, 10 Lloyd iterations, Python round, 224×224 output).",
    },
    restarts: {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_KMEANS_RESTARTS,
      description: 'k-means restarts (default mode); the best inertia wins.',
    },
    vmax: { type: 'number', minimum: 0, default: DEFAULT_KTS_VMAX, description: 'KTS penalty weight.' },
    maxCp: { type: 'integer', minimum: 0, description: 'KTS: most change points considered. Default: clips − 1.' },
    maxSegmentLength: {
      type: 'integer',
      minimum: 1,
      description: 'KTS: longest segment, in clips. Default: unbounded.',
    },
    out: {
      type: 'string',
      description:
        'Output folder for the summary files, relative to the notebook. Default: the `vsum.outputDirectory` setting, else `vsum-out/<video stem>/` beside the notebook.',
    },
    video: {
      type: 'boolean',
      description: 'Write the H.264 summary video (and show the player). Default: yes for one video, no for a dataset.',
    },
    audio: {
      type: 'boolean',
      default: DEFAULT_AUDIO,
      description: "Keep the source's sound in the summary video (when it has any).",
    },
    duration: {
      description: 'Summary length instead of `ratio`: seconds, or `90s`, `2m`, `1:30`. Never exceeded.',
      anyOf: [
        { type: 'number', exclusiveMinimum: 0 },
        { type: 'string', pattern: '^\\s*(\\d+(\\.\\d+)?\\s*(s|sec|m|min|h)?|(\\d+:)?\\d+:\\d{2}(\\.\\d+)?)\\s*$' },
      ],
    },
    select: {
      type: 'string',
      enum: SSD_SELECT_MODES,
      description:
        "tt01/tt02: `shots` keeps one contiguous run per segment; `frames` the original's scattered frames. Default: `shots` (`frames` when seed-faithful).",
    },
    segmentation: {
      type: 'string',
      enum: SUMMARY_SEGMENTATIONS,
      description:
        'kts: pick keyshots over KTS segments (default) or over `content` / `adaptive` shots (PySceneDetect rules).',
    },
    exports: {
      description: `Files written beside each summary: any of ${EXPORT_FORMATS.join(', ')} (a list or comma-separated), or \`none\`.`,
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string', enum: EXPORT_FORMATS } }],
      default: DEFAULT_EXPORTS.join(','),
    },
    export: {
      type: 'string',
      description:
        'Folder to write the rethinking-evs JSON into, one `<method>.json` per method, lengths fitted to the ground truth of `load.gt`.',
      examples: ['results'],
    },
  },
} as const;

export interface SummarizeResult {
  gives: { selection: SelectionSlot };
  /** Seconds each run took (summarizer + files), in `runs` order. */
  seconds: number[];
  /** Lengths changed to fit the ground truth on export ("St Maarten Landing: 168 → 169 frames …"). */
  fits: string[];
  /** One video was summarized (the outputs show it in detail). */
  single: boolean;
}

export const summarizeStage: Stage<typeof schema, SummarizeResult> = {
  name: 'summarize',
  schema,
  needs: ['features'],
  reads: ['video'],
  gives: ['selection'],
  invalidates: [],
  async run(o, io, signal, progress) {
    const feats = io.inputs.features!;
    const methods = [...new Set(Array.isArray(o.method) ? o.method : [o.method])];
    const single = feats.items.length === 1;
    const writeVideo = o.video ?? single;
    const tools = await io.tools();
    const runs: SelectionRun[] = [];
    const seconds: number[] = [];
    const total = feats.items.length * methods.length;
    for (const item of feats.items) {
      const v = item.video;
      const outDir = outputDirFor(io, v.stem, o.out);
      const prep = { ...item, info: v.info, embedMs: 0 };
      for (const method of methods) {
        const t0 = Date.now();
        const at = runs.length / total;
        const r = await summarizePrepared(
          v.path,
          prep,
          {
            method,
            ratio: o.ratio,
            threshold: o.threshold,
            seed: o.seed,
            seedFaithful: o.seedFaithful,
            restarts: o.restarts,
            vmax: o.vmax,
            maxCp: o.maxCp,
            maxSegmentLength: o.maxSegmentLength,
            outDir,
            // `<stem>.<method>.*` so several methods (and cells) never overwrite each other's files.
            stem: `${v.stem}.${method}`,
            writeVideo,
            audio: o.audio,
            select: o.select,
            segmentation: o.segmentation,
            duration: o.duration === undefined ? undefined : parseDuration(o.duration),
            exports: o.exports === undefined ? undefined : parseExportFormats(o.exports),
          },
          {
            signal,
            tools,
            onProgress: (p) =>
              progress(
                `${v.stem}: ${p.message}`,
                at +
                  (p.stage === 'write'
                    ? 0.5 + 0.5 * (p.fraction ?? 0)
                    : 0.5 * (p.stage === 'summarize' ? (p.fraction ?? 0) : 0)) /
                    total,
              ),
          },
        );
        runs.push({
          video: v,
          method,
          selection: r.selection,
          files: { video: r.written ? r.paths.video : undefined, frames: r.paths.frames, json: r.paths.json },
        });
        seconds.push((Date.now() - t0) / 1000);
      }
    }
    const exported: Record<string, string> = {};
    const fits: string[] = [];
    if (o.export) {
      const dir = resolveCellPath(io, o.export);
      const gtPath = io.inputs.video?.gt;
      const lengths = gtPath
        ? new Map((await loadGroundTruth(gtPath, { signal })).videos.map((g) => [g.name, g.nFrames]))
        : undefined;
      fs.mkdirSync(dir, { recursive: true });
      for (const method of methods) {
        const sub: EvsSubmission = {};
        for (const r of runs.filter((x) => x.method === method)) {
          const gtLen = lengths?.get(r.video.stem);
          if (gtLen !== undefined && gtLen !== r.video.info.frames && method === methods[0])
            fits.push(`${r.video.stem}: ${r.video.info.frames} → ${gtLen} frames (fitted to the ground truth)`);
          sub[r.video.stem] = toEvsEntry(r.selection.frames, r.video.info.frames, gtLen);
        }
        const file = path.join(dir, `${method}.json`);
        await writeSubmission(file, sub);
        exported[method] = file;
      }
    }
    return { gives: { selection: { runs, exported } }, seconds, fits, single };
  },
};
