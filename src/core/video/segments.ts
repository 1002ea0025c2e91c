/** Frame lists → runs of consecutive frames. A summary is usually a few long runs (keyshots) or many short ones. */

/**
 * Runs [start, end] (inclusive) of a list of frame indices, in list order: a repeat or a step back starts a new run
 * (seed-faithful k-means writes a clip twice), so the runs played back to back are the summary.
 */
export function runsOf(frames: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const f of frames) {
    const last = runs[runs.length - 1];
    if (last && f === last[1] + 1) last[1] = f;
    else runs.push([f, f]);
  }
  return runs;
}
