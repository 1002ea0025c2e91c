/** Size and sha256 of the files a summary wrote, recorded in its JSON so a truncated or swapped file is noticed. */
import fs from 'node:fs';
import path from 'node:path';
import { sha256File } from '../../model/download';
import type { OutputDigest, SummaryOutputs } from './summary-json';

export async function digestOf(file: string, signal?: AbortSignal): Promise<OutputDigest> {
  const size = (await fs.promises.stat(file)).size;
  return { file: path.basename(file), size, sha256: await sha256File(file, signal) };
}

/** The `outputs` record of a summary: its frame list, and its video with the frame count it was written with. */
export async function summaryOutputs(
  files: { frames: string; video?: { path: string; frames: number } },
  signal?: AbortSignal,
): Promise<SummaryOutputs> {
  const out: SummaryOutputs = { frames: await digestOf(files.frames, signal) };
  if (files.video) out.video = { ...(await digestOf(files.video.path, signal)), frames: files.video.frames };
  return out;
}
