/**
 * The rethinking-evs submission format (docs/ALGORITHMS.md §submission): `{ "<video>": { "summary": [0/1 …], "segment":
 * [int …] } }`. Building an entry from selected frame indices, fitting lengths to the ground truth as the original
 * notebooks did (pad with 0 / truncate), and reading/writing the JSON with errors that name the file, video and field.
 */
import fs from 'node:fs';
import { VsumError } from '../errors';
import { writeFileAtomic } from '../io/atomic';

export interface EvsEntry {
  /** 0/1 per frame. */
  summary: number[];
  /** Run boundaries (every i ≥ 1 where summary[i] ≠ summary[i−1]), used as segments by the random baseline. */
  segment: number[];
  /** Optional frame-level importance scores (TVSum rank correlation); not part of the original format. */
  score?: number[];
}

export type EvsSubmission = Record<string, EvsEntry>;

/** One video whose summary length was forced to the ground truth's. */
export interface LengthFit {
  video: string;
  from: number;
  to: number;
}

/** A summary may differ from the GT length by at most this fraction (SumMe's known mismatches are ≤ 2 frames). */
export const MAX_LENGTH_MISMATCH = 0.01;

/**
 * The rethinking-evs entry for one video: 0/1 over `nFrames` frames with 1 at each selected index, `segment` =
 * run boundaries computed on that vector BEFORE any length fix (as the original notebook did), then the summary
 * padded with 0 or truncated to `gtLength` when given.
 */
export function toEvsEntry(frameIndices: ArrayLike<number>, nFrames: number, gtLength?: number): EvsEntry {
  if (!Number.isInteger(nFrames) || nFrames < 1)
    throw new VsumError('BAD_INPUT', `toEvsEntry: the video's frame count must be a whole number ≥ 1, got ${nFrames}.`);
  const summary = new Array<number>(nFrames).fill(0);
  for (let k = 0; k < frameIndices.length; k++) {
    const i = frameIndices[k];
    if (!Number.isInteger(i) || i < 0 || i >= nFrames)
      throw new VsumError(
        'BAD_INPUT',
        `Selected frame index ${i} is outside the video's ${nFrames} frames (0…${nFrames - 1}); the frame list does not belong to this video.`,
      );
    summary[i] = 1;
  }
  const segment = runBoundaries(summary);
  if (gtLength === undefined || gtLength === nFrames) return { summary, segment };
  return { summary: fitToLength(summary, gtLength), segment };
}

/** Every i ≥ 1 where a[i] ≠ a[i−1]. */
export function runBoundaries(a: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 1; i < a.length; i++) if (a[i] !== a[i - 1]) out.push(i);
  return out;
}

/** Pad with zeros or truncate to `length` (the notebooks' length fix). */
export function fitToLength(summary: ArrayLike<number>, length: number): number[] {
  const out = new Array<number>(length);
  for (let i = 0; i < length; i++) out[i] = i < summary.length ? summary[i] : 0;
  return out;
}

/** Validated summaries, fitted to the ground-truth lengths, ready to evaluate. */
export interface FittedSubmission {
  summaries: Map<string, Uint8Array>;
  segments: Map<string, number[]>;
  scores: Map<string, Float64Array>;
  fits: LengthFit[];
  /** Videos in the submission that the ground truth does not have (ignored, as rethinking-evs does). */
  extra: string[];
}

/**
 * Check the submission against the ground truth's videos and lengths: every GT video present, every summary 0/1,
 * non-empty, within 1 % of the GT length (then padded/truncated, and reported).
 */
export function fitSubmission(
  sub: EvsSubmission,
  gtLengths: ReadonlyMap<string, number>,
  file: string,
): FittedSubmission {
  const missing = [...gtLengths.keys()].filter((v) => !Object.prototype.hasOwnProperty.call(sub, v));
  if (missing.length)
    throw new VsumError(
      'BAD_INPUT',
      `${file}: no entry for ${missing.length} ground-truth video${missing.length > 1 ? 's' : ''}: ${missing.map((m) => JSON.stringify(m)).join(', ')}. The submission must have a key for every video (names as in the GT, spaces kept).`,
      { file },
    );
  const out: FittedSubmission = {
    summaries: new Map(),
    segments: new Map(),
    scores: new Map(),
    fits: [],
    extra: Object.keys(sub).filter((v) => !gtLengths.has(v)),
  };
  for (const [video, gtLength] of gtLengths) {
    const entry = sub[video];
    const s = entry.summary;
    let ones = 0;
    for (let i = 0; i < s.length; i++) ones += s[i];
    if (s.length === 0 || ones === 0)
      throw new VsumError(
        'BAD_INPUT',
        `${file}: video "${video}": field "summary" is empty (${s.length === 0 ? 'no frames' : 'no frame selected'}); a summary must select at least one frame.`,
        { file },
      );
    if (Math.abs(s.length - gtLength) > MAX_LENGTH_MISMATCH * gtLength)
      throw new VsumError(
        'BAD_INPUT',
        `${file}: video "${video}": field "summary" has ${s.length} frames but the ground truth has ${gtLength} (off by more than ${MAX_LENGTH_MISMATCH * 100} %). The summary belongs to a different video or frame rate.`,
        { file },
      );
    const fitted = new Uint8Array(gtLength);
    fitted.set(s.length > gtLength ? s.slice(0, gtLength) : s);
    if (s.length !== gtLength) out.fits.push({ video, from: s.length, to: gtLength });
    out.summaries.set(video, fitted);
    out.segments.set(video, entry.segment);
    if (entry.score) out.scores.set(video, Float64Array.from(fitToLength(entry.score, gtLength)));
  }
  return out;
}

/** Parse and validate a rethinking-evs JSON text. Errors name the file, the video and the field. */
export function parseSubmission(text: string, file: string): EvsSubmission {
  let data: unknown;
  try {
    // Editors on Windows save UTF-8 with a byte-order mark; JSON.parse rejects it, so drop it.
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new VsumError(
      'BAD_FILE',
      `${file} is not valid JSON (${(e as Error).message}). Expected a rethinking-evs submission {"<video>": {"summary": [0/1…], "segment": [int…]}}.`,
      { file, cause: e },
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new VsumError(
      'BAD_FILE',
      `${file}: the top level must be an object {"<video>": {"summary": […], "segment": […]}}, got ${Array.isArray(data) ? 'an array' : typeof data === 'object' ? 'null' : typeof data}.`,
      { file },
    );
  const out: EvsSubmission = {};
  for (const [video, raw] of Object.entries(data as Record<string, unknown>)) {
    const where = `${file}: video "${video}"`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw new VsumError('BAD_FILE', `${where}: the entry must be an object with "summary" and "segment".`, { file });
    const e = raw as Record<string, unknown>;
    const summary = numberArray(e.summary, `${where}: field "summary"`, file);
    for (let i = 0; i < summary.length; i++)
      if (summary[i] !== 0 && summary[i] !== 1)
        throw new VsumError(
          'BAD_FILE',
          `${where}: field "summary" must hold only 0 and 1, but frame ${i} is ${JSON.stringify((e.summary as unknown[])[i])}.`,
          { file },
        );
    const segment = numberArray(e.segment, `${where}: field "segment"`, file);
    for (let i = 0; i < segment.length; i++)
      if (!Number.isInteger(segment[i]))
        throw new VsumError(
          'BAD_FILE',
          `${where}: field "segment" must hold whole frame indices, but item ${i} is ${segment[i]}.`,
          { file },
        );
    const entry: EvsEntry = { summary, segment };
    if (e.score !== undefined) entry.score = numberArray(e.score, `${where}: field "score"`, file);
    out[video] = entry;
  }
  return out;
}

function numberArray(v: unknown, where: string, file: string): number[] {
  if (v === undefined) throw new VsumError('BAD_FILE', `${where} is missing.`, { file });
  if (!Array.isArray(v))
    throw new VsumError('BAD_FILE', `${where} must be an array of numbers, got ${v === null ? 'null' : typeof v}.`, {
      file,
    });
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = typeof v[i] === 'boolean' ? Number(v[i]) : v[i];
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new VsumError('BAD_FILE', `${where} must hold numbers, but item ${i} is ${JSON.stringify(v[i])}.`, {
        file,
      });
    out[i] = x;
  }
  return out;
}

export async function readSubmission(file: string): Promise<EvsSubmission> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new VsumError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'BAD_FILE',
      `Cannot read the submission ${file} (${code ?? (e as Error).message}).`,
      { file, cause: e },
    );
  }
  return parseSubmission(text, file);
}

/** Write the submission atomically, one video per line (keys in the given order). */
export async function writeSubmission(file: string, sub: EvsSubmission): Promise<void> {
  const lines = Object.entries(sub).map(([video, e]) => `  ${JSON.stringify(video)}: ${JSON.stringify(e)}`);
  await writeFileAtomic(file, `{\n${lines.join(',\n')}\n}\n`);
}
