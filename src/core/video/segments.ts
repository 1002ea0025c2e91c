/** Frame lists → runs of consecutive frames. A summary is usually a few long runs (keyshots) or many short ones. */

/** Runs [start, end] (inclusive) of a strictly increasing list of frame indices. */
export function runsOf(frames: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const f of frames) {
    const last = runs[runs.length - 1];
    if (last && f === last[1] + 1) last[1] = f;
    else runs.push([f, f]);
  }
  return runs;
}
