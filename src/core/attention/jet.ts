/**
 * The "jet" colour map (matplotlib's segment data, which OpenCV's COLORMAP_JET follows), as a 256-entry RGB
 * lookup indexed by a byte, like cv2.applyColorMap(np.uint8(255 * mask), COLORMAP_JET).
 */
type Segment = Array<[number, number]>;
const R: Segment = [
  [0, 0],
  [0.35, 0],
  [0.66, 1],
  [0.89, 1],
  [1, 0.5],
];
const G: Segment = [
  [0, 0],
  [0.125, 0],
  [0.375, 1],
  [0.64, 1],
  [0.91, 0],
  [1, 0],
];
const B: Segment = [
  [0, 0.5],
  [0.11, 1],
  [0.34, 1],
  [0.65, 0],
  [1, 0],
];

function interp(seg: Segment, x: number): number {
  for (let i = 1; i < seg.length; i++) {
    const [x1, y1] = seg[i];
    if (x <= x1) {
      const [x0, y0] = seg[i - 1];
      return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return seg[seg.length - 1][1];
}

/** JET[3·i + c], c = 0 R, 1 G, 2 B, values 0–1. */
export const JET: Float32Array = (() => {
  const t = new Float32Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const x = i / 255;
    t[3 * i] = interp(R, x);
    t[3 * i + 1] = interp(G, x);
    t[3 * i + 2] = interp(B, x);
  }
  return t;
})();
