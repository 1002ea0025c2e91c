/**
 * What every export describes: the summary as a list of shots, each a run of consecutive source frames, where it
 * sits in the summary video, and the method's segment and score it came from. Built from a Selection, so the
 * exports say exactly what the summary video shows (a repeated clip of seed-faithful k-means is two shots).
 */
import type { Selection } from '../summarize/selection';
import { runsOf } from '../video/segments';

export interface SummaryShot {
  /** Source frames [start, end) (end exclusive). */
  start: number;
  end: number;
  /** First frame of this shot in the summary video. */
  summaryStart: number;
  /** Index into Selection.segments of the segment the shot came from (-1 if none contains it). */
  segment: number;
  /** The method's score for that segment (KTS: segment importance; k-means: distance to the centroid; tt01/tt02:
   * the SSD that opened the segment), null when the method has none there. */
  score: number | null;
}

export interface ExportSource {
  /** Absolute path of the source video. */
  path: string;
  fps: number;
  /** Exact frame rate when known (probe's rational), for timecodes and OTIO rates. */
  fpsRational?: { num: number; den: number };
  nFrames: number;
  hasAudio: boolean;
}

export interface ExportInput {
  source: ExportSource;
  /** Title of the timeline / EDL (usually the output stem). */
  title: string;
  shots: SummaryShot[];
}

function segmentScore(sel: Selection, seg: number, frame: number): number | null {
  const s = sel.scores;
  const clip = Math.floor(frame / sel.clipLength);
  if (s.kind === 'kts') return s.segmentScore[seg] ?? null;
  if (s.kind === 'kmeans') return s.distance[clip] ?? null;
  return s.ssd[clip] ?? null;
}

/** Runs of consecutive frames in output order; a frame that repeats or goes back starts a new shot. */
export function summaryShots(sel: Selection): SummaryShot[] {
  const shots: SummaryShot[] = [];
  let pos = 0;
  let seg = 0;
  // runsOf starts a new run at any frame that does not follow the previous one: a repeat or a step back too.
  for (const [start, last] of runsOf(sel.frames)) {
    const end = last + 1;
    // Segments are in frame order like the frames, except for seed-faithful repeats: search from the last one.
    if (!(sel.segments[seg] && sel.segments[seg].start <= start && start < sel.segments[seg].end))
      seg = sel.segments.findIndex((s) => s.start <= start && start < s.end);
    shots.push({ start, end, summaryStart: pos, segment: seg, score: seg >= 0 ? segmentScore(sel, seg, start) : null });
    pos += end - start;
  }
  return shots;
}
