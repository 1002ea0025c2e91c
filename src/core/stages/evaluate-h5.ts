/**
 * `evaluate` against an eccv16 dataset h5 (docs/ALGORITHMS.md §eccv16-protocol): each results file's per-step
 * scores (`scores`: vsumm-reinforce / DR-DSN results h5 or JSON) or 0/1 submissions, per-video and mean F (min /
 * avg / max) and Kendall τ / Spearman ρ against gtscore, with the random and human baselines on the same videos.
 */
import path from 'node:path';
import type { EvaluationPayload, FScores } from '../../common/payloads';
import { VsumError } from '../errors';
import { protocolText } from '../evaluate/report';
import { readSubmission } from '../evaluate/submission';
import type { EvaluationResult } from '../evaluate/types';
import { humanLeaveOneOut, randomStepBaseline } from '../h5/baselines';
import { readDataset } from '../h5/dataset';
import { evaluateH5Submission, evaluateStepScores, type H5Evaluation } from '../h5/evaluate';
import { readStepScores } from '../h5/scores';
import type { EvaluateResult, SubmissionScores } from './evaluate-result';
import { displayPath, resolveCellPath, type StageIo, type StageProgress } from './stage';

export interface EvaluateH5Options {
  scores?: string | string[];
  submission?: string | string[];
  baselines?: string[];
  runs: number;
  seed: number;
}

const list = (x: string | string[] | undefined) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

function pick(s: { min: number; avg: number; max: number; kendall?: number; spearman?: number } | undefined): FScores {
  const out: FScores = { min: s?.min ?? NaN, avg: s?.avg ?? NaN, max: s?.max ?? NaN };
  if (s?.kendall !== undefined) out.kendall = s.kendall;
  if (s?.spearman !== undefined) out.spearman = s.spearman;
  return out;
}

export async function runEvaluateH5(
  o: EvaluateH5Options,
  gtPath: string,
  io: StageIo,
  signal: AbortSignal,
  progress: StageProgress,
): Promise<EvaluateResult> {
  const files = [
    ...list(o.scores).map((f) => ({ f, kind: 'scores' as const })),
    ...list(o.submission).map((f) => ({ f, kind: 'submission' as const })),
  ];
  if (files.length === 0)
    throw new VsumError(
      'BAD_INPUT',
      `evaluate: ${displayPath(io, gtPath)} is an eccv16 dataset; give the results to score: \`scores: results.h5\` (per-step scores) or \`submission: S.json\`.`,
    );
  progress('reading the dataset', 0);
  const ds = await readDataset(gtPath);
  const methods: Array<{ name: string; file: string; r: H5Evaluation }> = [];
  const notes: string[] = [];
  for (const { f, kind } of files) {
    const file = resolveCellPath(io, f);
    const r =
      kind === 'scores'
        ? evaluateStepScores(ds, await readStepScores(file), file)
        : evaluateH5Submission(ds, await readSubmission(file), file);
    methods.push({ name: path.basename(file, path.extname(file)), file, r });
    if (r.skipped.length)
      notes.push(`${path.basename(file)}: ${r.skipped.length} of ${ds.videos.length} videos not in it (not evaluated)`);
    for (const fit of r.fits) notes.push(`${path.basename(file)}: ${fit.video} length fitted ${fit.from} → ${fit.to}`);
  }
  // The videos of the first result (a split's test keys), in dataset order; the baselines run on the same ones.
  const keys = new Set(Object.keys(methods[0].r.result.videos));
  const videos = ds.videos.filter((v) => keys.has(v.key));
  const baselines: EvaluationPayload['baselines'] = [];
  const want = new Set(o.baselines ?? []);
  if (want.has('random')) {
    const { runs, seed } = o;
    const r = await randomStepBaseline(ds, videos, {
      runs,
      seed,
      signal,
      onProgress: (i, n) => progress(`random baseline: run ${i}/${n}`, 0.2 + (0.7 * i) / n),
    });
    baselines.push({
      name: 'random',
      scores: pick(r.mean),
      note: `U(0,1) per-step scores through the same protocol, ${runs} runs, seed ${seed}`,
    });
  }
  if (want.has('human')) {
    const h: EvaluationResult = humanLeaveOneOut(ds, videos);
    baselines.push({
      name: 'human (leave-one-out)',
      scores: pick(h.mean),
      note: 'each user against the other users: min / avg / max over them, averaged over the users',
    });
  }
  notes.push(...protocolText(methods[0].r.protocol).split('\n'));
  const evaluation: EvaluationPayload = {
    kind: 'evaluation-table',
    title: `Evaluation of ${methods.map((m) => m.name).join(', ')}`,
    dataset: `eccv16 dataset ${displayPath(io, gtPath)} (${videos.length} of ${ds.videos.length} videos)`,
    methods: methods.map((m) => m.name),
    videos: videos.map((v) => ({
      name: v.name !== undefined ? `${v.key} (${v.name})` : v.key,
      scores: Object.fromEntries(methods.map((m) => [m.name, pick(m.r.result.videos[v.key])])),
    })),
    mean: Object.fromEntries(methods.map((m) => [m.name, pick(m.r.result.mean)])),
    baselines,
    notes,
  };
  const submissions: SubmissionScores[] = methods.map((m) => ({
    name: m.name,
    file: m.file,
    result: m.r.result,
    protocol: m.r.protocol,
    fits: m.r.fits,
    extra: [],
  }));
  return { gives: { evaluation }, submissions };
}
