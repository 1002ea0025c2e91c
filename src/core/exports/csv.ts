/** `<stem>.summary.csv`: one row per summary shot, with source frames, timecodes, seconds, segment and score. */
import type { ExportInput } from './summary-shots';
import { clockTime } from './timecode';

const HEADER = [
  'shot',
  'start_frame',
  'end_frame_exclusive',
  'start_timecode',
  'end_timecode',
  'start_seconds',
  'end_seconds',
  'duration_seconds',
  'summary_start_seconds',
  'source_segment',
  'score',
];

export function summaryCsv(input: ExportInput): string {
  const fps = input.source.fps;
  const rows = input.shots.map((s, i) => [
    String(i + 1),
    String(s.start),
    String(s.end),
    clockTime(s.start / fps),
    clockTime(s.end / fps),
    (s.start / fps).toFixed(3),
    (s.end / fps).toFixed(3),
    ((s.end - s.start) / fps).toFixed(3),
    (s.summaryStart / fps).toFixed(3),
    s.segment >= 0 ? String(s.segment) : '',
    s.score === null ? '' : String(s.score),
  ]);
  return [HEADER, ...rows].map((r) => r.join(',')).join('\n') + '\n';
}
