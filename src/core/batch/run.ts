/**
 * `vsum batch`'s work: each video of this shard, one embedding pass shared by every method that is not already
 * complete (complete.ts says why each is redone), under a per-video lock (lock.ts) so that batches sharing an
 * output folder never do one video twice or interleave its writes. A method that fails is recorded and the
 * video's other methods still run; a video locked by a live worker is looked at again after the rest, and
 * counted done when that worker finished it. An unsharded batch then writes the dataset files (collect.ts).
 */
import os from 'node:os';
import path from 'node:path';
import { CancelledError, isCancelled } from '../errors';
import { prepareFeatures, reportLine, summarizePrepared, type SummarizeProgress } from '../summarize/pipeline';
import type { SummaryRecord } from '../summarize/outputs/summary-json';
import type { SummaryMethod } from '../summarize/selection';
import type { FfmpegTools } from '../video/ffmpeg';
import { collectOutputs, type CollectResult } from './collect';
import { checkSummary } from './complete';
import { clearFailure, recordFailure } from './failure';
import { VideoLock } from './lock';
import { lockPath, methodDir, outputsOf, type BatchPlan } from './plan';
import { describeShard } from './shard';

export interface BatchContext {
  tools: FfmpegTools;
  signal?: AbortSignal;
  onProgress?: (p: SummarizeProgress) => void;
  /** A finished summary's report line (stdout). */
  onResult?: (line: string) => void;
  /** What the batch is doing and why (stderr). */
  log?: (line: string) => void;
  /** How often to look again at videos locked by another worker (default 1 s). */
  pollMs?: number;
}

export interface BatchFailure {
  video: string;
  method: SummaryMethod | 'all';
  error: string;
}

export interface BatchReport {
  videos: number;
  summarized: number;
  complete: number;
  /** Finished meanwhile by another worker that held the lock. */
  byOthers: number;
  failed: BatchFailure[];
  /** The dataset files (absent for a shard of many: `--collect` writes them). */
  collected?: CollectResult;
}

type VideoResult = 'deferred' | 'complete' | 'summarized' | 'failed' | 'by-other';

export async function runBatch(plan: BatchPlan, ctx: BatchContext): Promise<BatchReport> {
  const { options: o, mine } = plan;
  const log = ctx.log ?? (() => undefined);
  const shardText =
    o.shard.count > 1 || o.shard.source !== 'flag' ? `; ${describeShard(o.shard, plan.all.length)}` : '';
  log(`vsum batch: ${mine.length} of ${plan.all.length} videos × ${o.methods.join(', ')} → ${o.outRoot}${shardText}`);
  const report: BatchReport = { videos: mine.length, summarized: 0, complete: 0, byOthers: 0, failed: [] };
  const known = new Map<string, Map<SummaryMethod, SummaryRecord>>();
  const tally = (r: VideoResult) => {
    if (r === 'complete') report.complete++;
    else if (r === 'summarized') report.summarized++;
    else if (r === 'by-other') report.byOthers++;
  };
  let waiting: Array<{ video: string; tag: string }> = [];
  for (const [i, video] of mine.entries()) {
    const tag = `[${i + 1}/${mine.length}] ${path.basename(video)}`;
    const r = await runVideo(plan, video, tag, ctx, report, known, false);
    if (r === 'deferred') waiting.push({ video, tag });
    else tally(r);
  }
  while (waiting.length) {
    await sleep(ctx.pollMs ?? 1000, ctx.signal);
    const still: typeof waiting = [];
    for (const w of waiting) {
      const r = await runVideo(plan, w.video, w.tag, ctx, report, known, true);
      if (r === 'deferred') still.push(w);
      else tally(r);
    }
    waiting = still;
  }
  if (o.shard.count === 1)
    report.collected = await collectOutputs(plan, { tools: ctx.tools, signal: ctx.signal, known });
  return report;
}

async function runVideo(
  plan: BatchPlan,
  video: string,
  tag: string,
  ctx: BatchContext,
  report: BatchReport,
  known: Map<string, Map<SummaryMethod, SummaryRecord>>,
  retry: boolean,
): Promise<VideoResult> {
  const { options: o } = plan;
  const log = ctx.log ?? (() => undefined);
  const mark = (method: SummaryMethod, rec: SummaryRecord) => {
    if (!known.has(video)) known.set(video, new Map());
    known.get(video)!.set(method, rec);
  };
  const pending = async (methods: readonly SummaryMethod[]) => {
    const todo: Array<{ method: SummaryMethod; reason: string }> = [];
    for (const method of methods) {
      const c = await checkSummary(outputsOf(o.outRoot, method, video), plan.requests.get(method)!, {
        tools: ctx.tools,
        signal: ctx.signal,
      });
      if (c.complete) mark(method, c.record);
      else todo.push({ method, reason: c.reason });
    }
    return todo;
  };
  let todo = await pending(o.methods);
  if (todo.length === 0) {
    if (!retry) log(`${tag}: complete (${o.methods.join(', ')}), skipped`);
    return retry ? 'by-other' : 'complete';
  }
  const got = VideoLock.tryAcquire(lockPath(o.outRoot, video), { leaseMs: o.leaseMs });
  if ('heldBy' in got) {
    if (!retry) log(`${tag}: locked by ${got.heldBy}; looking again after the other videos`);
    return 'deferred';
  }
  const { lock } = got;
  try {
    if (got.tookOver) log(`${tag}: took over a stale lock (${got.tookOver})`);
    // Another worker may have finished it between the first look and the lock.
    todo = await pending(todo.map((t) => t.method));
    if (todo.length === 0) {
      log(`${tag}: finished by another worker`);
      return 'by-other';
    }
    log(`${tag}: summarizing ${todo.map((t) => `${t.method} (${t.reason})`).join(', ')}`);
    let prep;
    try {
      prep = await prepareFeatures(video, o.summary, {
        signal: ctx.signal,
        tools: ctx.tools,
        onProgress: ctx.onProgress,
      });
    } catch (e) {
      if (isCancelled(e)) throw e;
      for (const t of todo) await fail(plan, video, tag, t.method, e, report, log);
      return 'failed';
    }
    let succeeded = 0;
    for (const { method } of todo) {
      const out = outputsOf(o.outRoot, method, video);
      try {
        const r = await summarizePrepared(
          video,
          prep,
          { ...o.summary, method, outDir: methodDir(o.outRoot, method) },
          { signal: ctx.signal, tools: ctx.tools, onProgress: ctx.onProgress },
        );
        clearFailure(out.failure);
        mark(method, r.record);
        succeeded++;
        ctx.onResult?.(`${tag} ${reportLine(r)}`);
      } catch (e) {
        if (isCancelled(e)) throw e;
        await fail(plan, video, tag, method, e, report, log);
      }
    }
    return succeeded ? 'summarized' : 'failed';
  } finally {
    lock.release();
  }
}

async function fail(
  plan: BatchPlan,
  video: string,
  tag: string,
  method: SummaryMethod,
  e: unknown,
  report: BatchReport,
  log: (s: string) => void,
): Promise<void> {
  const error = e instanceof Error ? e.message : String(e);
  report.failed.push({ video: path.basename(video), method, error });
  log(`${tag} ${method}: failed: ${error}`);
  try {
    await recordFailure(outputsOf(plan.options.outRoot, method, video).failure, {
      video: path.basename(video),
      method,
      error,
      host: os.hostname(),
      at: new Date().toISOString(),
    });
  } catch {
    // An unwritable output folder is already the failure being reported.
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new CancelledError('waiting for videos locked by another worker'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
