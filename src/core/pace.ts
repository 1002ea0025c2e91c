/**
 * Cooperative pacing for long synchronous loops (k-means, the KTS DP): `await pace()` inside the loop yields to
 * the event loop once PACE_MS have passed since the last yield, so a signal, a timer or an IPC message gets through,
 * and throws the CANCELLED VsumError when the signal has fired. Cheap enough to call every few thousand steps.
 */
import { throwIfAborted } from './errors';

/** Longest stretch of synchronous work between two yields (well inside the 200 ms a cancel may take). */
export const PACE_MS = 25;

export type Pace = () => Promise<void> | void;

export function createPace(signal: AbortSignal | undefined, what: string): Pace {
  let last = performance.now();
  return () => {
    throwIfAborted(signal, what);
    if (performance.now() - last < PACE_MS) return;
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      last = performance.now();
      throwIfAborted(signal, what);
    });
  };
}
