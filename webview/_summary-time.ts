/**
 * Source ↔ summary positions for the summary player (pure: unit-tested without a browser). A summary is the
 * selected source frames played back to back, so summary time = (frames of the summary before it) / fps. The runs
 * come in the payload, made by the kernel with core's runsOf (src/core/video/segments.ts).
 */

/**
 * Where source frame `frame` is in the summary, in seconds: its own position when it is in the summary (the first
 * occurrence when a clip repeats), else the position of the next summary frame after it (the summary "at that
 * point of the source"); undefined past the last one.
 */
export function summaryTimeOfFrame(
  runs: ReadonlyArray<readonly [number, number]>,
  frame: number,
  fps: number,
): number | undefined {
  let acc = 0;
  let next: number | undefined;
  for (const [a, b] of runs) {
    if (frame >= a && frame <= b) return (acc + frame - a) / fps;
    if (a > frame && next === undefined) next = acc;
    acc += b - a + 1;
  }
  return next === undefined ? undefined : next / fps;
}

/** The source time ranges [start, end) the summary shows, sorted and merged: what "play the source" plays. */
export function sourceRangesOfRuns(
  runs: ReadonlyArray<readonly [number, number]>,
  fps: number,
): Array<{ start: number; end: number }> {
  const sorted = [...runs].sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged.map(([a, b]) => ({ start: a / fps, end: (b + 1) / fps }));
}

/** Source time → time in the summary for notebooks without `runs` (segments played back to back). */
export function sourceToSummaryTime(
  segments: ReadonlyArray<{ start: number; end: number }>,
  t: number,
): number | undefined {
  let acc = 0;
  for (const s of segments) {
    if (t >= s.start && t < s.end) return acc + (t - s.start);
    acc += s.end - s.start;
  }
  return undefined;
}

/**
 * While playing the source at the selected ranges: where to go from time `t` — `undefined` to keep playing, a
 * time to jump to (the next range's start), or 'end' after the last range. `slack` absorbs the player's reporting
 * granularity (one frame with per-frame callbacks).
 */
export function nextSourceJump(
  ranges: ReadonlyArray<{ start: number; end: number }>,
  t: number,
  slack: number,
): number | 'end' | undefined {
  for (const r of ranges) {
    if (t < r.start - slack) return r.start;
    if (t < r.end - slack) return undefined;
  }
  return 'end';
}

/** A clock reading with hundredths (VS Code's native controls show whole seconds: a 0.96 s summary reads 0:00). */
export function fmtClock(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '0:00.00';
  const m = Math.floor(s / 60);
  const r = s - m * 60;
  return `${m}:${r.toFixed(2).padStart(5, '0')}`;
}
