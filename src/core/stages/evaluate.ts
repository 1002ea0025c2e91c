/**
 * `evaluate`: the rethinking-evs protocol over a ground truth — per-video F min/avg/max of each submission (files,
 * or this notebook's summaries), the dataset mean, and the random / human baselines beside them. `vsum evaluate`
 * runs this stage too (one submission file, no baselines) and prints its first result.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EvaluationPayload, FScores } from '../../common/payloads';
import { VsumError } from '../errors';
import { humanBound, randomBaseline } from '../evaluate/baselines';
import { evaluateSubmission } from '../evaluate/evaluate';
import { loadGroundTruth, type DatasetKind } from '../evaluate/ground-truth';
import { readSubmission, toEvsEntry, type EvsSubmission } from '../evaluate/submission';
import { isHdf5File } from '../h5/detect';
import { DEFAULT_BASELINE_RUNS, DEFAULT_SEED } from './defaults';
import { runEvaluateH5 } from './evaluate-h5';
import type { EvaluateResult, SubmissionScores } from './evaluate-result';
import { displayPath, resolveCellPath, type Stage } from './stage';

export type { EvaluateResult, SubmissionScores } from './evaluate-result';

const schema = {
  description:
    "Evaluate summaries against SumMe / TVSum ground truth (rethinking-evs protocol), or results against an eccv16 dataset .h5 (DSNet's keyshot protocol): per-video F min/avg/max, dataset mean, baselines.",
  'x-shorthand': 'submission',
  type: 'object',
  additionalProperties: false,
  properties: {
    gt: {
      type: 'string',
      description:
        'SumMe `GT/` folder of `<video>.mat` files (or one .mat, or the TVSum v7.3 file), or an eccv16 dataset `.h5` (then give `scores` or `submission`). Default: `gt` of the load stage.',
      examples: ['summe/GT', 'eccv16_dataset_summe_google_pool5.h5'],
    },
    scores: {
      description:
        'With an eccv16 `.h5` as `gt`: per-step predicted scores, a results h5 (`<key>/score`, as DR-DSN writes) or JSON `{"<key>": [scores…]}`.',
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      examples: ['results/summe-split0.h5'],
    },
    dataset: {
      type: 'string',
      enum: ['summe', 'tvsum'],
      description: 'The dataset of `gt`. Default: told by the file.',
    },
    submission: {
      description:
        "rethinking-evs JSON file(s) to evaluate (a `*` pattern in the file name matches several). Default: the summaries of this notebook's summarize stage.",
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      examples: ['results/tt01.json'],
    },
    baselines: {
      type: 'array',
      items: { type: 'string', enum: ['random', 'human'] },
      description:
        "Baselines shown beside the methods: `random` (random scores + knapsack on the submission's segments) and `human` (leave-one-out bound).",
    },
    runs: {
      type: 'integer',
      minimum: 1,
      maximum: 10000,
      default: DEFAULT_BASELINE_RUNS,
      description: 'Runs of the random baseline.',
    },
    seed: {
      type: 'integer',
      minimum: 0,
      maximum: 4294967295,
      default: DEFAULT_SEED,
      description: 'Seed of the random baseline.',
    },
  },
} as const;

export const evaluateStage: Stage<typeof schema, EvaluateResult> = {
  name: 'evaluate',
  schema,
  // Without a submission file it evaluates this notebook's summaries.
  needs: (o) => (o.submission === undefined && o.scores === undefined ? ['selection'] : []),
  reads: ['video'],
  gives: ['evaluation'],
  invalidates: [],
  async run(o, io, signal, progress) {
    const gtPath = o.gt ? resolveCellPath(io, o.gt) : io.inputs.video?.gt;
    if (!gtPath)
      throw new VsumError(
        'BAD_INPUT',
        'evaluate: give the ground truth (`evaluate: {gt: summe/GT}`), or `gt` in the load cell.',
      );
    if (isHdf5File(gtPath)) return runEvaluateH5(o, gtPath, io, signal, progress);
    if (o.scores !== undefined)
      throw new VsumError('BAD_INPUT', 'evaluate: `scores` (per-step scores) needs an eccv16 dataset .h5 as `gt`.');
    progress('reading the ground truth', 0);
    const gt = await loadGroundTruth(gtPath, { dataset: o.dataset as DatasetKind | undefined, signal });
    const lengths = new Map(gt.videos.map((v) => [v.name, v.nFrames]));

    const notes: string[] = [];
    const subs: Array<{ name: string; file: string; sub: EvsSubmission }> = [];
    if (o.submission !== undefined) {
      for (const pattern of Array.isArray(o.submission) ? o.submission : [o.submission]) {
        for (const file of expand(resolveCellPath(io, pattern))) {
          subs.push({ name: path.basename(file, path.extname(file)), file, sub: await readSubmission(file) });
        }
      }
      if (subs.length === 0)
        throw new VsumError('FILE_NOT_FOUND', `evaluate: no submission file matches ${JSON.stringify(o.submission)}.`);
    } else {
      const sel = io.inputs.selection!;
      for (const m of [...new Set(sel.runs.map((r) => r.method))]) {
        const sub: EvsSubmission = {};
        for (const r of sel.runs.filter((x) => x.method === m)) {
          const gtLen = lengths.get(r.video.stem);
          if (gtLen === undefined) continue;
          if (gtLen !== r.video.info.frames)
            notes.push(`${m}: ${r.video.stem} length fitted ${r.video.info.frames} → ${gtLen}`);
          sub[r.video.stem] = toEvsEntry(r.selection.frames, r.video.info.frames, gtLen);
        }
        subs.push({ name: m, file: `${m} (this notebook)`, sub });
      }
    }

    const submissions: SubmissionScores[] = subs.map((s) => {
      const r = evaluateSubmission(gt, s.sub, s.file);
      for (const f of r.fits) notes.push(`${s.name}: ${f.video} length fitted ${f.from} → ${f.to}`);
      if (r.extra.length) notes.push(`${s.name}: ignored videos not in the ground truth: ${r.extra.join(', ')}`);
      return { name: s.name, file: s.file, result: r.result, protocol: r.protocol, fits: r.fits, extra: r.extra };
    });

    const baselines: EvaluationPayload['baselines'] = [];
    const want = new Set(o.baselines ?? []);
    if (want.has('random')) {
      const first = subs[0];
      const boundaries = new Map(gt.videos.map((v) => [v.name, first.sub[v.name]?.segment ?? []]));
      const r = await randomBaseline(gt, {
        segmentation: 'submission',
        boundaries,
        runs: o.runs,
        seed: o.seed,
        signal,
        onProgress: (i, n) => progress(`random baseline: run ${i}/${n}`, 0.3 + (0.6 * i) / n),
      });
      baselines.push({
        name: 'random',
        scores: r.mean,
        note: `${o.runs} runs on the segments of ${first.name}, seed ${o.seed}; spread (sd) of avg ${(r.spread.avg * 100).toFixed(2)}`,
      });
    }
    if (want.has('human')) {
      progress('human bound', 0.95);
      baselines.push({
        name: 'human (leave-one-out, mean)',
        scores: humanBound(gt, 'mean', signal).mean,
        note: 'each user against the others, mean over them',
      });
      baselines.push({
        name: 'human (leave-one-out, max)',
        scores: humanBound(gt, 'max', signal).mean,
        note: 'each user against the others, best of them',
      });
    }

    const scoresOf = (s: SubmissionScores) => s.result;
    const evaluation: EvaluationPayload = {
      kind: 'evaluation-table',
      title: `Evaluation of ${subs.map((s) => s.name).join(', ')}`,
      dataset: `${gt.dataset === 'summe' ? 'SumMe' : 'TVSum'} ground truth ${displayPath(io, gtPath)} (${gt.videos.length} videos)`,
      methods: submissions.map((s) => s.name),
      videos: gt.videos.map((v) => ({
        name: v.name,
        scores: Object.fromEntries(submissions.map((s) => [s.name, pick(scoresOf(s).videos[v.name])])),
      })),
      mean: Object.fromEntries(submissions.map((s) => [s.name, pick(scoresOf(s).mean)])),
      baselines: baselines.map((b) => ({ ...b, scores: pick(b.scores) })),
      notes,
    };
    return { gives: { evaluation }, submissions };
  },
};

function pick(s: FScores | undefined): FScores {
  return { min: s?.min ?? Number.NaN, avg: s?.avg ?? Number.NaN, max: s?.max ?? Number.NaN };
}

/** A path, or a `*` pattern in its last component (`results/*.json`), sorted. */
function expand(p: string): string[] {
  const base = path.basename(p);
  if (!base.includes('*')) return [p];
  const dir = path.dirname(p);
  const re = new RegExp(
    `^${base
      .split('*')
      .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}
