/**
 * Is a video's summary for one method done, with the settings asked for now? Only when its `<stem>.summary.json`
 * parses, records the same request (summarize/outputs/request.ts), and every output it lists is whole: the same
 * size and sha256 as recorded, and the video probes to the recorded frame count. Anything else is a reason to
 * recompute, said in one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sha256File } from '../model/download';
import type { SummaryPaths } from '../summarize/outputs/paths';
import { requestDifferences, type SummaryRequest } from '../summarize/outputs/request';
import { SUMMARY_FORMAT, type OutputDigest, type SummaryRecord } from '../summarize/outputs/summary-json';
import type { FfmpegTools } from '../video/ffmpeg';
import { probe } from '../video/probe';

export type Completeness =
  { complete: true; record: SummaryRecord } | { complete: false; reason: string; missing?: true };

/** Parse a summary.json, or say in a few words why it cannot be used. */
export function readSummaryRecord(file: string): { record: SummaryRecord } | { reason: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { reason: `${path.basename(file)} cannot be read (${(e as NodeJS.ErrnoException).code ?? e})` };
  }
  let rec: SummaryRecord;
  try {
    rec = JSON.parse(text.replace(/^\uFEFF/, '')) as SummaryRecord;
  } catch (e) {
    return { reason: `${path.basename(file)} is corrupt (${(e as Error).message})` };
  }
  if (rec === null || typeof rec !== 'object' || rec.format !== SUMMARY_FORMAT || !Array.isArray(rec.frames))
    return { reason: `${path.basename(file)} is not a ${SUMMARY_FORMAT} record` };
  if (!rec.request || !rec.outputs?.frames)
    return { reason: `${path.basename(file)} was written by an older vsum (no request/outputs record)` };
  return { record: rec };
}

async function checkDigest(dir: string, d: OutputDigest, signal?: AbortSignal): Promise<string | undefined> {
  const file = path.join(dir, d.file);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return `${d.file} is missing`;
  }
  if (size !== d.size) return `${d.file} has ${size} bytes, ${d.size} recorded`;
  if ((await sha256File(file, signal)) !== d.sha256) return `${d.file} differs from the recorded sha256`;
  return undefined;
}

export async function checkSummary(
  p: SummaryPaths,
  requested: SummaryRequest,
  o: { tools: FfmpegTools; signal?: AbortSignal },
): Promise<Completeness> {
  if (!fs.existsSync(p.json)) return { complete: false, reason: 'not summarized yet', missing: true };
  const read = readSummaryRecord(p.json);
  if ('reason' in read) return { complete: false, reason: read.reason };
  const rec = read.record;
  const diff = requestDifferences(rec.request, requested);
  if (diff.length) return { complete: false, reason: `settings differ: ${diff.join(', ')}` };
  const dir = path.dirname(p.json);
  if (rec.outputs.frames.file !== path.basename(p.frames))
    return { complete: false, reason: `${path.basename(p.json)} lists another frame list` };
  const bad = await checkDigest(dir, rec.outputs.frames, o.signal);
  if (bad) return { complete: false, reason: bad };
  const video = rec.outputs.video;
  if (requested.video === true) {
    if (!video) return { complete: false, reason: 'no summary video was recorded' };
    const badVideo = await checkDigest(dir, video, o.signal);
    if (badVideo) return { complete: false, reason: badVideo };
    try {
      const info = await probe(path.join(dir, video.file), { tools: o.tools, signal: o.signal });
      if (info.frames !== video.frames)
        return { complete: false, reason: `${video.file} probes to ${info.frames} frames, ${video.frames} recorded` };
    } catch (e) {
      if (o.signal?.aborted) throw e;
      return { complete: false, reason: `${video.file} cannot be read (${(e as Error).message})` };
    }
  }
  return { complete: true, record: rec };
}
