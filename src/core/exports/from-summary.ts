/**
 * Exports for a summary already written (the player's "Export…" button): read `<stem>.summary.json` beside the
 * summary video, rebuild its shots, and write the chosen formats beside it — the same files `--export` writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../errors';
import type { SummaryRecord } from '../summarize/outputs/summary-json';
import type { Selection } from '../summarize/selection';
import type { FfmpegTools } from '../video/ffmpeg';
import { probe } from '../video/probe';
import { writeExports, type ExportFormat } from './exports';
import { summaryShots } from './summary-shots';

const VIDEO_SUFFIX = '.summary.mp4';
const JSON_SUFFIX = '.summary.json';

/** The summary JSON beside a summary video (`x.summary.mp4` → `x.summary.json`). */
export function summaryJsonOf(summaryVideo: string): string {
  if (!summaryVideo.endsWith(VIDEO_SUFFIX))
    throw new VsumError('BAD_INPUT', `${summaryVideo} is not a vsum summary video (…${VIDEO_SUFFIX}).`);
  return summaryVideo.slice(0, -VIDEO_SUFFIX.length) + JSON_SUFFIX;
}

function readRecord(file: string): SummaryRecord {
  let rec: SummaryRecord;
  try {
    rec = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as SummaryRecord;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is missing' : 'it is not valid JSON';
    throw new VsumError('BAD_FILE', `Cannot export from ${file}: ${why}. Re-run the summarize cell.`, { file });
  }
  if (!Array.isArray(rec.frames) || !Array.isArray(rec.segments) || !(rec.fps > 0))
    throw new VsumError(
      'BAD_FILE',
      `Cannot export from ${file}: it has no frames, segments or fps. Re-run the summarize cell.`,
      { file },
    );
  return rec;
}

export async function exportWrittenSummary(
  summaryVideo: string,
  source: string,
  formats: readonly ExportFormat[],
  opts: { tools?: FfmpegTools; signal?: AbortSignal } = {},
): Promise<string[]> {
  const json = summaryJsonOf(summaryVideo);
  const rec = readRecord(json);
  const info = await probe(source, { tools: opts.tools, signal: opts.signal });
  const selection: Selection = {
    method: rec.method,
    nFrames: rec.nFrames,
    clipLength: rec.clipLength,
    nClips: rec.nClips,
    frames: rec.frames,
    segments: rec.segments,
    scores: rec.scores,
  };
  const stem = path.basename(json).slice(0, -JSON_SUFFIX.length);
  const hasAudio = info.hasAudio && rec.request?.audio !== false;
  const input = {
    source: { path: path.resolve(source), fps: rec.fps, fpsRational: info.fpsRational, nFrames: rec.nFrames, hasAudio },
    title: stem,
    shots: summaryShots(selection),
  };
  return writeExports(input, path.dirname(json), stem, formats);
}
