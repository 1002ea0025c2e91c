/**
 * `evaluate`: the rethinking-evs protocol over SumMe ground truth — per-video F min/avg/max of each submission
 * (files, or this notebook's summaries), the dataset mean, and the random / human baselines beside them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../../../core/errors';
import { humanBound, randomBaseline } from '../../../core/evaluate/baselines';
import { evaluateSubmission } from '../../../core/evaluate/evaluate';
import { loadGroundTruth } from '../../../core/evaluate/ground-truth';
import { readSubmission, toEvsEntry, type EvsSubmission } from '../../../core/evaluate/submission';
import type { EvaluationPayload, FScores } from '../../../common/payloads';
import { displayPath, resolveCellPath, type StageContext, type StageResult } from '../context';
import type { SelectionSlot, VideoSlot } from '../data';
import { evaluationOutput } from '../../../notebook/outputs';

export interface EvaluateOptions {
  gt?: string;
  submission?: string | string[];
  baselines?: string[];
  runs?: number;
  seed?: number;
}

export async function runEvaluate(o: EvaluateOptions, ctx: StageContext): Promise<StageResult> {
  const videoSlot = ctx.session.get<VideoSlot>('video');
  const gtPath = o.gt ? resolveCellPath(ctx, o.gt) : videoSlot?.gt;
  if (!gtPath) throw new VsumError('BAD_INPUT', 'evaluate: give the ground truth (`evaluate: {gt: summe/GT}`), or `gt` in the load cell.');
  ctx.progress('reading the ground truth', 0);
  const gt = await loadGroundTruth(gtPath, { signal: ctx.signal });
  const lengths = new Map(gt.videos.map((v) => [v.name, v.nFrames]));

  const notes: string[] = [];
  // method name → submission
  const subs: Array<{ name: string; file: string; sub: EvsSubmission }> = [];
  if (o.submission !== undefined) {
    for (const pattern of Array.isArray(o.submission) ? o.submission : [o.submission]) {
      for (const file of expand(resolveCellPath(ctx, pattern))) {
        subs.push({ name: path.basename(file, path.extname(file)), file, sub: await readSubmission(file) });
      }
    }
    if (subs.length === 0) throw new VsumError('FILE_NOT_FOUND', `evaluate: no submission file matches ${JSON.stringify(o.submission)}.`);
  } else {
    const sel = ctx.session.get<SelectionSlot>('selection')!;
    const methods = [...new Set(sel.runs.map((r) => r.method))];
    for (const m of methods) {
      const sub: EvsSubmission = {};
      for (const r of sel.runs.filter((x) => x.method === m)) {
        const gtLen = lengths.get(r.video.stem);
        if (gtLen === undefined) continue;
        if (gtLen !== r.video.info.frames) notes.push(`${m}: ${r.video.stem} length fitted ${r.video.info.frames} → ${gtLen}`);
        sub[r.video.stem] = toEvsEntry(r.selection.frames, r.video.info.frames, gtLen);
      }
      subs.push({ name: m, file: `${m} (this notebook)`, sub });
    }
  }

  const perMethod = new Map<string, { videos: Record<string, FScores>; mean: FScores }>();
  for (const s of subs) {
    const r = evaluateSubmission(gt, s.sub, s.file);
    perMethod.set(s.name, { videos: r.result.videos, mean: r.result.mean });
    for (const f of r.fits) notes.push(`${s.name}: ${f.video} length fitted ${f.from} → ${f.to}`);
    if (r.extra.length) notes.push(`${s.name}: ignored videos not in the ground truth: ${r.extra.join(', ')}`);
  }

  const baselines: EvaluationPayload['baselines'] = [];
  const want = new Set(o.baselines ?? []);
  if (want.has('random')) {
    const runs = o.runs ?? 100;
    const first = subs[0];
    const boundaries = new Map(gt.videos.map((v) => [v.name, first.sub[v.name]?.segment ?? []]));
    const r = await randomBaseline(gt, { segmentation: 'submission', boundaries, runs, seed: o.seed ?? 1, signal: ctx.signal, onProgress: (i, n) => ctx.progress(`random baseline: run ${i}/${n}`, 0.3 + (0.6 * i) / n) });
    baselines.push({ name: 'random', scores: r.mean, note: `${runs} runs on the segments of ${first.name}, seed ${o.seed ?? 1}; spread (sd) of avg ${(r.spread.avg * 100).toFixed(2)}` });
  }
  if (want.has('human')) {
    ctx.progress('human bound', 0.95);
    const mean = humanBound(gt, 'mean', ctx.signal);
    const max = humanBound(gt, 'max', ctx.signal);
    baselines.push({ name: 'human (leave-one-out, mean)', scores: mean.mean, note: 'each user against the others, mean over them' });
    baselines.push({ name: 'human (leave-one-out, max)', scores: max.mean, note: 'each user against the others, best of them' });
  }

  const payload: EvaluationPayload = {
    kind: 'evaluation-table',
    title: `Evaluation of ${subs.map((s) => s.name).join(', ')}`,
    dataset: `${gt.dataset === 'summe' ? 'SumMe' : 'TVSum'} ground truth ${displayPath(ctx, gtPath)} (${gt.videos.length} videos)`,
    methods: subs.map((s) => s.name),
    videos: gt.videos.map((v) => ({ name: v.name, scores: Object.fromEntries(subs.map((s) => [s.name, pick(perMethod.get(s.name)!.videos[v.name])])) })),
    mean: Object.fromEntries(subs.map((s) => [s.name, pick(perMethod.get(s.name)!.mean)])),
    baselines: baselines.map((b) => ({ ...b, scores: pick(b.scores) })),
    notes,
  };
  return { outputs: [evaluationOutput(payload)], gives: new Map([['evaluation', payload]]) };
}

function pick(s: FScores | undefined): FScores {
  return { min: s?.min ?? Number.NaN, avg: s?.avg ?? Number.NaN, max: s?.max ?? Number.NaN };
}

/** A path, or a `*` pattern in its last component (`results/*.json`), sorted. */
function expand(p: string): string[] {
  const base = path.basename(p);
  if (!base.includes('*')) return [p];
  const dir = path.dirname(p);
  const re = new RegExp(`^${base.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => path.join(dir, f));
}
