/** Times for the exports: seconds, HH:MM:SS.mmm (CSV, WebVTT) and SMPTE non-drop-frame HH:MM:SS:FF (EDL). */

/** HH:MM:SS.mmm of `seconds` (≥ 0), milliseconds rounded. */
export function clockTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}.${String(ms % 1000).padStart(3, '0')}`;
}

/**
 * Non-drop-frame timecode of frame `frame` at a timecode base of round(fps) frames a second — what editors use
 * for NDF material, 29.97 fps included (its NDF timecode counts 30 frames a second and drifts from the clock,
 * by definition).
 */
export function smpteTimecode(frame: number, fps: number): string {
  const base = Math.max(1, Math.round(fps));
  const ff = frame % base;
  const totalSeconds = Math.floor(frame / base);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor(totalSeconds / 60) % 60;
  const s = totalSeconds % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}:${pad(ff)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
