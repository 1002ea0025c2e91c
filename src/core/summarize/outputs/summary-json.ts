/**
 * `<stem>.summary.json`: everything needed to reproduce or plot a summary: the video's geometry, the method and
 * all its parameters (seed included), the embedder id (so a histogram run is never read as a TimeSformer one),
 * the selected frames, segments and per-clip scores. No timestamps or timings, so the same inputs and seed give
 * a byte-identical file.
 */
import { writeFileAtomic } from '../../io/atomic';
import { frameCountNote } from '../../video/frame-count';
import type { ClipScores, FrameSegment, Selection, SummaryMethod } from '../selection';
import type { SummaryRequest } from './request';

export const SUMMARY_FORMAT = 'vsum-summary/1';

export interface SummaryRecord {
  format: typeof SUMMARY_FORMAT;
  /** File name of the source video. */
  video: string;
  nFrames: number;
  fps: number;
  duration: number;
  width: number;
  height: number;
  method: SummaryMethod;
  params: Record<string, number | string | boolean>;
  /** Seed of the method's random choices (null for KTS, which has none). */
  seed: number | null;
  seedFaithful: boolean;
  /** Embedder id, or `features:<file>` when features came from a .npy. */
  embedder: string;
  clipLength: number;
  nClips: number;
  /** Selected frames, in output order. */
  frames: number[];
  segments: FrameSegment[];
  scores: ClipScores;
  summary: { frames: number; duration: number; video: string | null; framesFile: string };
  /** The options this summary was made with (request.ts); a batch rerun with other options recomputes it. */
  request: SummaryRequest;
  /** Size and sha256 of each file written before this JSON, so a truncated or replaced output is noticed. */
  outputs: SummaryOutputs;
  /**
   * Only when the container's frame count proved wrong on decoding: what it said, and a sentence saying so.
   * `nFrames` is then the decoded count, which the selection indexes.
   */
  frameCount?: { container: number; decoded: number; note: string };
}

export interface OutputDigest {
  file: string;
  size: number;
  sha256: string;
}

export interface SummaryOutputs {
  frames: OutputDigest;
  /** The summary video and its frame count (absent with --no-video). */
  video?: OutputDigest & { frames: number };
}

export interface RecordContext {
  video: string;
  fps: number;
  width: number;
  height: number;
  params: Record<string, number | string | boolean>;
  embedder: string;
  videoFile: string | null;
  framesFile: string;
  request: SummaryRequest;
  outputs: SummaryOutputs;
  containerFrames?: number;
}

export function summaryRecord(sel: Selection, ctx: RecordContext): SummaryRecord {
  const seed = typeof ctx.params.seed === 'number' ? ctx.params.seed : null;
  return {
    format: SUMMARY_FORMAT,
    video: ctx.video,
    nFrames: sel.nFrames,
    fps: ctx.fps,
    duration: ctx.fps > 0 ? sel.nFrames / ctx.fps : 0,
    width: ctx.width,
    height: ctx.height,
    method: sel.method,
    params: { ...ctx.params },
    seed,
    seedFaithful: ctx.params.seedFaithful === true,
    embedder: ctx.embedder,
    clipLength: sel.clipLength,
    nClips: sel.nClips,
    frames: sel.frames,
    segments: sel.segments,
    scores: sel.scores,
    summary: {
      frames: sel.frames.length,
      duration: ctx.fps > 0 ? sel.frames.length / ctx.fps : 0,
      video: ctx.videoFile,
      framesFile: ctx.framesFile,
    },
    request: ctx.request,
    outputs: ctx.outputs,
    ...(ctx.containerFrames !== undefined && ctx.containerFrames !== sel.nFrames
      ? {
          frameCount: {
            container: ctx.containerFrames,
            decoded: sel.nFrames,
            note: frameCountNote(ctx.containerFrames, sel.nFrames),
          },
        }
      : {}),
  };
}

export async function writeSummaryJson(file: string, rec: SummaryRecord): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(rec, null, 1) + '\n');
}
