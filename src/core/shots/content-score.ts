/**
 * A frame's content score, PySceneDetect's `content_val` with its default weights (hue 1, saturation 1, luma 1,
 * edges 0): the mean absolute change of each HSV plane from the previous frame, averaged over the three planes.
 * The first frame scores 0.
 */
import { bgrToHsv, type HsvPlanes } from './hsv';

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

export class ContentScorer {
  private prev: HsvPlanes | undefined;
  private next: HsvPlanes | undefined;

  constructor(private readonly pixels: number) {}

  /** Score of this bgr24 frame against the previous one given. */
  score(bgr: Uint8Array): number {
    const planes = bgrToHsv(bgr, this.pixels, this.next);
    const prev = this.prev;
    // Two plane sets alternate, so scoring a long video allocates nothing per frame.
    this.next = prev;
    this.prev = planes;
    if (!prev) return 0;
    const hue = meanAbsDiff(planes.hue, prev.hue);
    const sat = meanAbsDiff(planes.sat, prev.sat);
    const lum = meanAbsDiff(planes.val, prev.val);
    return (hue + sat + lum) / 3;
  }
}

/** PySceneDetect's analysis width: frames are downscaled by an integer factor so they are about 256 pixels wide. */
export const ANALYSIS_MIN_WIDTH = 256;

export function analysisSize(width: number, height: number): { width: number; height: number } {
  const factor = width < ANALYSIS_MIN_WIDTH ? 1 : Math.floor(width / ANALYSIS_MIN_WIDTH);
  return { width: Math.max(1, Math.round(width / factor)), height: Math.max(1, Math.round(height / factor)) };
}
