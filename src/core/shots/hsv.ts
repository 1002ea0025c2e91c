/**
 * 8-bit BGR → HSV planes, bit-identical to OpenCV's `cvtColor(…, COLOR_BGR2HSV)` (H in 0…179, S and V in 0…255):
 * the same fixed-point tables (12 fractional bits, table entries rounded half to even like cvRound) and the
 * same branch-free hue formula. Exactness matters because PySceneDetect's detectors threshold the mean change of
 * these planes, and a test checks our planes against cv2's byte for byte (docs/ALGORITHMS.md §Shot detection).
 */
const SHIFT = 12;
const HALF = 1 << (SHIFT - 1);

/** Round half to even, as OpenCV's cvRound / saturate_cast<int>(double). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const SAT_DIV = new Int32Array(256);
const HUE_DIV = new Int32Array(256);
for (let i = 1; i < 256; i++) {
  SAT_DIV[i] = roundHalfEven((255 << SHIFT) / i);
  HUE_DIV[i] = roundHalfEven((180 << SHIFT) / (6 * i));
}

export interface HsvPlanes {
  hue: Uint8Array;
  sat: Uint8Array;
  val: Uint8Array;
}

/** Converts one interleaved bgr24 frame of `pixels` pixels into (reused, when given) H, S, V planes. */
export function bgrToHsv(bgr: Uint8Array, pixels: number, out?: HsvPlanes): HsvPlanes {
  const planes = out ?? { hue: new Uint8Array(pixels), sat: new Uint8Array(pixels), val: new Uint8Array(pixels) };
  const { hue, sat, val } = planes;
  for (let p = 0, o = 0; p < pixels; p++, o += 3) {
    const b = bgr[o];
    const g = bgr[o + 1];
    const r = bgr[o + 2];
    const v = Math.max(b, g, r);
    const diff = v - Math.min(b, g, r);
    const vr = v === r ? -1 : 0;
    const vg = v === g ? -1 : 0;
    const s = (diff * SAT_DIV[v] + HALF) >> SHIFT;
    let h = (vr & (g - b)) + (~vr & ((vg & (b - r + 2 * diff)) + (~vg & (r - g + 4 * diff))));
    h = (h * HUE_DIV[diff] + HALF) >> SHIFT;
    if (h < 0) h += 180;
    hue[p] = h;
    sat[p] = s;
    val[p] = v;
  }
  return planes;
}
