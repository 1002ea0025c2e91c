/**
 * Ground truth of the two benchmark datasets, in one typed-array shape the metrics run on:
 *  - SumMe: a GT folder of `<video>.mat` (MATLAB v5; video name = file name without .mat, spaces kept) or one such
 *    file; `user_score` nFrames × users, a frame is in user u's summary iff its value is non-zero;
 *  - TVSum: `ydata-tvsum50.mat` (MATLAB v7.3): struct array `tvsum50` with video, nframes, user_anno
 *    (nFrames × 20 importance scores 1–5) and gt_score. Users' 0/1 summaries are made as rethinking-evs does
 *    (uniform 60-frame segments, mean score, knapsack at int(0.15·N)).
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError, throwIfAborted } from '../errors';
import { readMatFile, matVersion } from '../matlab/read-mat';
import type { MatFile, MatNumeric, MatValue } from '../matlab/types';
import { segmentSummary, splitPieces, summaryCapacity } from './segment-summary';
import { uniformSegmentation } from './segmentation';

export type DatasetKind = 'summe' | 'tvsum';

export interface VideoGroundTruth {
  name: string;
  nFrames: number;
  nUsers: number;
  /** nUsers × nFrames, one row per user, 0/1. */
  userSummaries: Uint8Array;
  /** TVSum: nUsers × nFrames importance scores (one row per user). */
  userScores?: Float64Array;
  /** nFrames. */
  gtScore: Float64Array;
  /** The file it came from (for messages). */
  source: string;
}

export interface GroundTruth {
  dataset: DatasetKind;
  source: string;
  /** Sorted by name (code-point order). */
  videos: VideoGroundTruth[];
}

/** Load a SumMe GT folder / file or the TVSum file; `dataset` checks (or, when absent, is told by) the input. */
export async function loadGroundTruth(
  input: string,
  opts: { dataset?: DatasetKind; signal?: AbortSignal } = {},
): Promise<GroundTruth> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(input);
  } catch {
    throw new VsumError(
      'FILE_NOT_FOUND',
      `Ground truth ${input} does not exist. Give the SumMe GT folder (of <video>.mat files), one SumMe .mat file, or TVSum's ydata-tvsum50.mat.`,
      { file: input },
    );
  }
  if (stat.isDirectory()) {
    if (opts.dataset === 'tvsum')
      throw new VsumError(
        'BAD_INPUT',
        `${input} is a folder, but TVSum's ground truth is one file (ydata-tvsum50.mat).`,
        { file: input },
      );
    return loadSummeDir(input, opts.signal);
  }
  const head = await readHead(input);
  const version = matVersion(head, input);
  const kind = opts.dataset ?? (version === 'v7.3' ? 'tvsum' : 'summe');
  if (kind === 'tvsum') return loadTvsum(input, opts.signal);
  return { dataset: 'summe', source: input, videos: [await loadSummeVideo(input, opts.signal)] };
}

async function readHead(file: string): Promise<Uint8Array> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(520);
    const { bytesRead } = await fh.read(buf, 0, 520, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function loadSummeDir(dir: string, signal?: AbortSignal): Promise<GroundTruth> {
  const files = (await fs.promises.readdir(dir)).filter((f) => f.toLowerCase().endsWith('.mat')).sort();
  if (files.length === 0)
    throw new VsumError('BAD_INPUT', `${dir} has no .mat files. Give SumMe's GT folder (one <video>.mat per video).`, {
      file: dir,
    });
  const videos: VideoGroundTruth[] = [];
  for (const f of files) videos.push(await loadSummeVideo(path.join(dir, f), signal));
  return { dataset: 'summe', source: dir, videos };
}

/** One SumMe GT file. */
export async function loadSummeVideo(file: string, signal?: AbortSignal): Promise<VideoGroundTruth> {
  throwIfAborted(signal, 'loading the ground truth');
  const mat = await readMatFile(file, { signal });
  const name = path.basename(file).replace(/\.mat$/i, '');
  const us = numericField(mat, 'user_score', file);
  if (us.dims.length !== 2 || us.dims[0] < 1 || us.dims[1] < 1)
    throw new VsumError(
      'BAD_FILE',
      `${file}: field "user_score" must be an nFrames × users matrix, but it is ${us.dims.join('×')}.`,
      { file },
    );
  // The frame count is user_score's row count, as rethinking-evs takes it; the nFrames field (and gt_score's
  // length) must agree with it, which also tells a transposed users × nFrames matrix apart.
  const [nFrames, nUsers] = us.dims;
  const recorded = scalarField(mat, 'nFrames');
  const gsLength =
    mat.get('gt_score')?.kind === 'numeric' ? (mat.get('gt_score') as MatNumeric).real.length : undefined;
  if (nFrames !== recorded && nFrames !== gsLength && (recorded ?? gsLength) === nUsers)
    throw new VsumError(
      'BAD_FILE',
      `${file}: field "user_score" is ${nFrames}×${nUsers}, users × frames: it looks transposed (nFrames is ${nUsers}). Save it as an nFrames × users matrix (user_score').`,
      { file },
    );
  if (recorded !== undefined && recorded !== nFrames)
    throw new VsumError(
      'BAD_FILE',
      `${file}: field "nFrames" says ${recorded} frames, but "user_score" has ${nFrames} rows (one per frame). Fix whichever is wrong.`,
      { file },
    );
  assertScores(us, file, 'user_score');
  // Column-major nFrames × users is already one contiguous row per user.
  const userSummaries = new Uint8Array(nFrames * nUsers);
  const re = us.real;
  for (let i = 0; i < userSummaries.length; i++) userSummaries[i] = Number(re[i]) !== 0 ? 1 : 0;
  let gtScore: Float64Array;
  const gs = mat.get('gt_score');
  if (gs && gs.kind === 'numeric' && gs.real.length === nFrames) {
    assertScores(gs, file, 'gt_score');
    gtScore = Float64Array.from(gs.real as ArrayLike<number>, Number);
  } else if (gs)
    throw new VsumError(
      'BAD_FILE',
      `${file}: field "gt_score" must have one value per frame (${nFrames}), but it is ${gs.dims.join('×')}.`,
      { file },
    );
  else {
    gtScore = new Float64Array(nFrames);
    for (let u = 0; u < nUsers; u++)
      for (let f = 0; f < nFrames; f++) gtScore[f] += userSummaries[u * nFrames + f] / nUsers;
  }
  return { name, nFrames, nUsers, userSummaries, gtScore, source: file };
}

/** A 1×1 numeric field's value, or undefined when the file does not have one. */
function scalarField(mat: MatFile, field: string): number | undefined {
  const v = mat.get(field);
  return v?.kind === 'numeric' && v.real.length === 1 ? Number(v.real[0]) : undefined;
}

/** Annotations are finite and ≥ 0 (NaN or −1 "missing" markers would silently count as selected frames). */
function assertScores(v: MatNumeric, file: string, field: string, where = ''): void {
  const re = v.real;
  for (let i = 0; i < re.length; i++) {
    const x = Number(re[i]);
    if (Number.isFinite(x) && x >= 0) continue;
    const rows = v.dims[0];
    throw new VsumError(
      'BAD_FILE',
      `${file}:${where} field "${field}" holds ${x} at frame ${(i % rows) + 1}${v.dims[1] > 1 ? `, user ${Math.floor(i / rows) + 1}` : ''} (1-based); annotations must be finite and ≥ 0. Fix or drop that annotation.`,
      { file },
    );
  }
}

function numericField(mat: MatFile | Record<string, MatValue>, field: string, file: string, where = ''): MatNumeric {
  const v = mat instanceof Map ? mat.get(field) : mat[field];
  if (!v) {
    const have = mat instanceof Map ? [...mat.keys()] : Object.keys(mat);
    throw new VsumError(
      'BAD_FILE',
      `${file}:${where} has no field "${field}" (it has ${have.join(', ') || 'nothing'}). A SumMe GT file needs user_score (nFrames × users); TVSum needs tvsum50.${field}.`,
      { file },
    );
  }
  if (v.kind !== 'numeric' || v.imag)
    throw new VsumError(
      'BAD_FILE',
      `${file}:${where} field "${field}" must be a real numeric array, but it is ${v.kind === 'numeric' ? 'complex' : `a ${v.kind}`}.`,
      { file },
    );
  return v;
}

export async function loadTvsum(file: string, signal?: AbortSignal): Promise<GroundTruth> {
  throwIfAborted(signal, 'loading the ground truth');
  const mat = await readMatFile(file, { signal, variables: ['tvsum50'] });
  const s = mat.get('tvsum50');
  if (!s || s.kind !== 'struct')
    throw new VsumError(
      'BAD_FILE',
      `${file}: "tvsum50" must be a struct array (video, nframes, user_anno, gt_score), got ${s ? s.kind : 'nothing'}.`,
      { file },
    );
  const videos: VideoGroundTruth[] = [];
  s.elements.forEach((e, i) => {
    const where = ` tvsum50(${i + 1})`;
    const v = e.video;
    if (!v || v.kind !== 'char' || v.rows.length !== 1)
      throw new VsumError('BAD_FILE', `${file}:${where} field "video" must be a string.`, { file });
    const name = v.rows[0];
    const anno = numericField(e, 'user_anno', file, where);
    if (anno.dims.length !== 2)
      throw new VsumError(
        'BAD_FILE',
        `${file}:${where} field "user_anno" must be nFrames × users, but it is ${anno.dims.join('×')}.`,
        { file },
      );
    const [nFrames, nUsers] = anno.dims;
    const nf = e.nframes;
    const recorded = nf?.kind === 'numeric' && nf.real.length === 1 ? Number(nf.real[0]) : undefined;
    if (recorded !== undefined && recorded !== nFrames)
      throw new VsumError(
        'BAD_FILE',
        `${file}:${where} field "nframes" says ${recorded} frames, but "user_anno" has ${nFrames} rows (one per frame).`,
        { file },
      );
    assertScores(anno, file, 'user_anno', where);
    const userScores = Float64Array.from(anno.real as ArrayLike<number>, Number);
    const gs = e.gt_score;
    const gtScore =
      gs && gs.kind === 'numeric' && gs.real.length === nFrames
        ? Float64Array.from(gs.real as ArrayLike<number>, Number)
        : meanRows(userScores, nUsers, nFrames);
    // rethinking-evs' TVSum gold standard: each user's scores summarized over uniform 60-frame segments.
    const pieces = splitPieces(nFrames, uniformSegmentation(nFrames));
    const cap = summaryCapacity(nFrames);
    const userSummaries = new Uint8Array(nFrames * nUsers);
    for (let u = 0; u < nUsers; u++)
      userSummaries.set(
        segmentSummary(userScores.subarray(u * nFrames, (u + 1) * nFrames), pieces, cap).summary,
        u * nFrames,
      );
    videos.push({ name, nFrames, nUsers, userSummaries, userScores, gtScore, source: file });
  });
  videos.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { dataset: 'tvsum', source: file, videos };
}

function meanRows(rows: Float64Array, nRows: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < nRows; r++) for (let i = 0; i < n; i++) out[i] += rows[r * n + i] / nRows;
  return out;
}
