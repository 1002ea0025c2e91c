/**
 * The dataset files of a batch output folder: for each method, every complete summary of the folder's videos
 * gathered into `<method>.evs.json` (rethinking-evs format, in video order), and with ground truth the
 * evaluation table `<method>.evaluation.md` / `.json`. Videos not complete are listed as failed (their
 * `<stem>.failed.json` says why) or missing. The same code runs at the end of an unsharded batch and for
 * `vsum batch --collect` after a cluster's shards, so both give the same files.
 */
import path from 'node:path';
import { evaluateSubmission } from '../evaluate/evaluate';
import { loadGroundTruth, type GroundTruth } from '../evaluate/ground-truth';
import { jsonReport, markdownTable } from '../evaluate/report';
import { toEvsEntry, writeSubmission, type EvsSubmission } from '../evaluate/submission';
import { writeFileAtomic } from '../io/atomic';
import { videoStem } from '../summarize/outputs/paths';
import type { SummaryRecord } from '../summarize/outputs/summary-json';
import type { SummaryMethod } from '../summarize/selection';
import type { FfmpegTools } from '../video/ffmpeg';
import { checkSummary } from './complete';
import { readFailure } from './failure';
import { outputsOf, type BatchPlan } from './plan';

export interface Incomplete {
  video: string;
  method: SummaryMethod;
  /** failed: a worker tried and recorded an error; missing: never finished (or stale, or outputs damaged). */
  kind: 'failed' | 'missing';
  reason: string;
}

export interface CollectResult {
  /** Files written, and only those. */
  files: string[];
  incomplete: Incomplete[];
  /** Dataset files that could not be written or evaluated, one line each. */
  errors: string[];
}

export interface CollectContext {
  tools: FfmpegTools;
  signal?: AbortSignal;
  /** Records already checked complete in this run (video → method → record), not hashed again. */
  known?: Map<string, Map<SummaryMethod, SummaryRecord>>;
}

export async function collectOutputs(plan: BatchPlan, ctx: CollectContext): Promise<CollectResult> {
  const { outRoot, methods, gt: gtPath } = plan.options;
  const result: CollectResult = { files: [], incomplete: [], errors: [] };
  let gt: GroundTruth | undefined;
  if (gtPath) {
    try {
      gt = await loadGroundTruth(gtPath, { signal: ctx.signal });
    } catch (e) {
      if (ctx.signal?.aborted) throw e;
      result.errors.push(`ground truth ${gtPath}: ${(e as Error).message}`);
    }
  }
  for (const method of methods) {
    const sub: EvsSubmission = {};
    for (const video of plan.all) {
      let rec = ctx.known?.get(video)?.get(method);
      if (!rec) {
        const out = outputsOf(outRoot, method, video);
        const c = await checkSummary(out, plan.requests.get(method)!, { tools: ctx.tools, signal: ctx.signal });
        if (!c.complete) {
          const failure = readFailure(out.failure);
          result.incomplete.push(
            failure
              ? { video, method, kind: 'failed', reason: failure.error }
              : { video, method, kind: 'missing', reason: c.reason },
          );
          continue;
        }
        rec = c.record;
      }
      sub[videoStem(rec.video)] = toEvsEntry(rec.frames, rec.nFrames);
    }
    if (Object.keys(sub).length === 0) continue;
    const evsFile = path.join(outRoot, `${method}.evs.json`);
    try {
      await writeSubmission(evsFile, sub);
      result.files.push(evsFile);
    } catch (e) {
      result.errors.push(`${evsFile}: ${(e as Error).message}`);
      continue;
    }
    if (gt) await writeEvaluation(gt, sub, evsFile, path.join(outRoot, `${method}.evaluation`), result);
  }
  return result;
}

async function writeEvaluation(
  gt: GroundTruth,
  sub: EvsSubmission,
  evsFile: string,
  base: string,
  result: CollectResult,
): Promise<void> {
  const missing = gt.videos.filter((v) => !(v.name in sub)).map((v) => v.name);
  if (missing.length) {
    const names =
      missing.length <= 5 ? missing.join(', ') : `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more`;
    result.errors.push(
      `${path.basename(base)}: not evaluated, ${missing.length} ground-truth video(s) have no summary (${names})`,
    );
    return;
  }
  try {
    const { result: scores } = evaluateSubmission(gt, sub, evsFile);
    await writeFileAtomic(`${base}.md`, markdownTable(scores));
    result.files.push(`${base}.md`);
    await writeFileAtomic(`${base}.json`, jsonReport(scores));
    result.files.push(`${base}.json`);
  } catch (e) {
    result.errors.push(`${path.basename(base)}: ${(e as Error).message}`);
  }
}
