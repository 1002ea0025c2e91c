/**
 * A folder of selected-frame lists (`<video>.txt` or the original project's `<video>.mp4.txt`, one frame index a
 * line) → a rethinking-evs submission for a ground truth, as the original evaluation notebooks built it:
 * 0/1 over the video's frames, segments = run boundaries before the length fix, then padded/truncated to the
 * GT length (each change reported; more than 1 % off is an error naming the video).
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../errors';
import { MAX_LENGTH_MISMATCH, toEvsEntry, type EvsSubmission, type LengthFit } from './submission';

const VIDEO_EXT = /\.(mp4|avi|webm|mkv|mov|flv|mpe?g|m4v|wmv|ogv)$/i;

/** Parse one frame list: whole numbers ≥ 0, one per line; blank lines ignored. */
export function parseFrameList(text: string, file: string): number[] {
  const out: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const s = line.trim();
    if (!s) return;
    if (!/^\d+$/.test(s))
      throw new VsumError(
        'BAD_FILE',
        `${file}:${i + 1}: "${s.slice(0, 40)}" is not a frame index (one whole number ≥ 0 per line).`,
        { file },
      );
    out.push(Number(s));
  });
  return out;
}

/** Video name of a frame-list file: without .txt and without a video extension before it. */
export function videoNameOf(file: string): string {
  return path
    .basename(file)
    .replace(/\.txt$/i, '')
    .replace(VIDEO_EXT, '');
}

/**
 * The own frame count of each listed video found in `dir` (a video file whose name without extension is the
 * list's name). A missing or unreadable folder, or one without any of the videos, is an error naming it.
 */
export async function videoFrameCounts(
  dir: string,
  videoNames: Iterable<string>,
  count: (file: string) => Promise<number>,
): Promise<Map<string, number>> {
  const names = [...videoNames];
  let files: string[];
  try {
    files = (await fs.promises.readdir(dir)).filter((x) => !x.toLowerCase().endsWith('.txt'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new VsumError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'BAD_INPUT',
      `Cannot read the --videos folder ${dir} (${code === 'ENOENT' ? 'it does not exist' : code === 'ENOTDIR' ? 'it is not a folder' : code}). Give the folder of the source videos, or leave --videos out to use the ground-truth lengths.`,
      { file: dir, cause: e },
    );
  }
  const out = new Map<string, number>();
  for (const name of names) {
    const f = files.find((x) => path.parse(x).name === name);
    if (f) out.set(name, await count(path.join(dir, f)));
  }
  if (out.size === 0)
    throw new VsumError(
      'BAD_INPUT',
      `${dir} holds none of the ${names.length} videos of the frame lists (a <video>.mp4 etc. per <video>.txt). Give the folder of the source videos, or leave --videos out.`,
      { file: dir },
    );
  return out;
}

/** Read every `*.txt` frame list of a folder, keyed by video name. */
export async function readFrameLists(dir: string): Promise<Map<string, { file: string; frames: number[] }>> {
  let names: string[];
  try {
    names = (await fs.promises.readdir(dir)).filter((f) => f.toLowerCase().endsWith('.txt')).sort();
  } catch (e) {
    throw new VsumError(
      'FILE_NOT_FOUND',
      `Cannot read the frame-list folder ${dir} (${(e as NodeJS.ErrnoException).code}).`,
      { file: dir, cause: e },
    );
  }
  if (!names.length)
    throw new VsumError(
      'BAD_INPUT',
      `${dir} has no .txt frame lists (one <video>.txt per video, one selected frame index a line).`,
      { file: dir },
    );
  const out = new Map<string, { file: string; frames: number[] }>();
  for (const n of names) {
    const file = path.join(dir, n);
    const video = videoNameOf(n);
    if (out.has(video))
      throw new VsumError(
        'BAD_INPUT',
        `${dir}: two frame lists for video "${video}" (${path.basename(out.get(video)!.file)} and ${n}).`,
        { file },
      );
    out.set(video, { file, frames: parseFrameList(await fs.promises.readFile(file, 'utf8'), file) });
  }
  return out;
}

export interface ExportResult {
  submission: EvsSubmission;
  fits: LengthFit[];
  /** Frame lists matched to a GT name other than their own (case differs), e.g. jumps → Jumps. */
  renamed: Array<{ from: string; to: string }>;
  /** Frame lists with no GT video (left out). */
  unmatched: string[];
}

/**
 * Build the submission. `videoFrames` = each video's own frame count when known (else the GT length, or the last
 * selected frame + 1 when that is larger — a video longer than its GT).
 */
export function buildSubmission(
  lists: ReadonlyMap<string, { file: string; frames: number[] }>,
  gtLengths: ReadonlyMap<string, number>,
  videoFrames?: ReadonlyMap<string, number>,
): ExportResult {
  const byLower = new Map<string, string[]>();
  for (const g of gtLengths.keys()) byLower.set(g.toLowerCase(), [...(byLower.get(g.toLowerCase()) ?? []), g]);
  const matched = new Map<string, { file: string; frames: number[]; own: string }>();
  const renamed: ExportResult['renamed'] = [];
  const unmatched: string[] = [];
  for (const [name, l] of lists) {
    let gtName = gtLengths.has(name) ? name : undefined;
    if (!gtName) {
      const c = byLower.get(name.toLowerCase()) ?? [];
      if (c.length === 1) {
        gtName = c[0];
        renamed.push({ from: name, to: gtName });
      }
    }
    if (!gtName) unmatched.push(name);
    else if (matched.has(gtName))
      throw new VsumError(
        'BAD_INPUT',
        `Two frame lists for video "${gtName}": ${matched.get(gtName)!.file} and ${l.file}.`,
        { file: l.file },
      );
    else matched.set(gtName, { ...l, own: name });
  }
  const missing = [...gtLengths.keys()].filter((g) => !matched.has(g));
  if (missing.length)
    throw new VsumError(
      'BAD_INPUT',
      `No frame list for ${missing.length} ground-truth video${missing.length > 1 ? 's' : ''}: ${missing.map((m) => JSON.stringify(m)).join(', ')}. Summarize them first (one <video>.txt each).`,
    );
  const submission: EvsSubmission = {};
  const fits: LengthFit[] = [];
  for (const [video, gtLength] of gtLengths) {
    const { file, frames, own } = matched.get(video)!;
    let last = -1;
    for (const f of frames) if (f > last) last = f;
    const known = videoFrames?.get(video) ?? videoFrames?.get(own);
    const n = known ?? Math.max(gtLength, last + 1);
    if (known !== undefined && last >= known)
      throw new VsumError('BAD_INPUT', `${file}: frame ${last} is past the end of the video (${known} frames).`, {
        file,
      });
    if (known === undefined && last >= gtLength * (1 + MAX_LENGTH_MISMATCH))
      throw new VsumError(
        'BAD_INPUT',
        `${file}: frame ${last} is past the end of video "${video}", whose ground truth has ${gtLength} frames (frames 0…${gtLength - 1}). The frame list belongs to a different video.`,
        { file },
      );
    if (Math.abs(n - gtLength) > MAX_LENGTH_MISMATCH * gtLength)
      throw new VsumError(
        'BAD_INPUT',
        `${file}: video "${video}" has ${n} frames but the ground truth has ${gtLength} (off by more than ${MAX_LENGTH_MISMATCH * 100} %). The frame list belongs to a different video or frame rate.`,
        { file },
      );
    if (frames.length === 0)
      throw new VsumError(
        'BAD_INPUT',
        `${file}: video "${video}": the frame list is empty; a summary must select at least one frame.`,
        { file },
      );
    submission[video] = toEvsEntry(frames, n, gtLength);
    if (n !== gtLength) fits.push({ video, from: n, to: gtLength });
  }
  return { submission, fits, renamed, unmatched };
}
