/**
 * A summary length in seconds (`--duration 90s | 2m | 1:30 | 1:02:03 | 90`, cell option `duration`), the
 * alternative to a ratio. Parsed strictly: a number with an optional s/m/h unit, or a clock time m:ss / h:mm:ss.
 */
import { VsumError } from '../errors';

const WITH_UNIT = /^(\d+(?:\.\d+)?|\.\d+)\s*(s|sec|m|min|h)?$/i;
const CLOCK = /^(?:(\d+):)?(\d+):(\d{2}(?:\.\d+)?)$/;

export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value > 0) return value;
    throw new VsumError('BAD_INPUT', `duration must be a positive number of seconds, got ${value}.`);
  }
  const text = value.trim();
  const u = WITH_UNIT.exec(text);
  const c = CLOCK.exec(text);
  let seconds: number | undefined;
  if (u) {
    const unit = (u[2] ?? 's').toLowerCase();
    seconds = Number(u[1]) * (unit.startsWith('h') ? 3600 : unit.startsWith('m') ? 60 : 1);
  } else if (c) {
    const sec = Number(c[3]);
    if (sec < 60) seconds = Number(c[1] ?? 0) * 3600 + Number(c[2]) * 60 + sec;
  }
  if (seconds === undefined || !(seconds > 0))
    throw new VsumError('BAD_INPUT', `duration "${value}" is not a length: write 90s, 2m, 1.5h, 1:30 or 1:02:03.`);
  return seconds;
}
