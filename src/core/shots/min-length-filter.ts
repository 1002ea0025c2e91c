/**
 * PySceneDetect's minimum-scene-length filter in its default MERGE mode (its FlashFilter), in frame units:
 * a cut closer than `minLength` frames to the previous frame above threshold starts a merge; the merged run ends,
 * emitting its last frame above threshold, once the score has stayed below threshold for `minLength` frames and
 * the run itself lasted `minLength` frames. Merging is only enabled after a first cut was emitted, so a flash at
 * the very start is dropped rather than merged (docs/ALGORITHMS.md §Shot detection).
 */
export class MinLengthMergeFilter {
  private lastAbove: number | undefined;
  private mergeEnabled = false;
  private merging = false;
  private mergeStart = 0;

  constructor(private readonly minLength: number) {}

  filter(frame: number, above: boolean): number[] {
    if (this.minLength <= 0) return above ? [frame] : [];
    if (this.lastAbove === undefined) this.lastAbove = frame;
    const lengthMet = frame - this.lastAbove >= this.minLength;
    if (above) this.lastAbove = frame;
    if (this.merging) {
      if (lengthMet && !above && this.lastAbove - this.mergeStart >= this.minLength) {
        this.merging = false;
        return [this.lastAbove];
      }
      return [];
    }
    if (!above) return [];
    if (lengthMet) {
      this.mergeEnabled = true;
      return [frame];
    }
    if (this.mergeEnabled) {
      this.merging = true;
      this.mergeStart = frame;
    }
    return [];
  }
}
