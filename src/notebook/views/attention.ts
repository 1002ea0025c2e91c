/** `attention` results → the clip's frames as PNGs, both rollout masks and the overlay tile (PNG fallback). */
import { encodePng, overlayClip } from '../../core/attention/overlay';
import type { AttentionResult } from '../../core/stages/attention';
import type { AttentionMeta } from '../../common/payloads';
import { attentionOutput } from '../outputs';
import type { View } from './view';

export const attentionView: View<AttentionResult> = async (r) => {
  const fmt = r.format;
  const T = r.frames.length;
  // Frames as RGB PNGs for the view (the model may see them in BGR).
  const frames = r.frames.map((f) => ({
    mime: 'image/png',
    bytes: new Uint8Array(
      encodePng({ width: fmt.width, height: fmt.height, data: fmt.pixFmt === 'bgr24' ? swapRB(f) : f }),
    ),
  }));
  const tile = encodePng(overlayClip(r.frames, fmt.width, fmt.height, fmt.pixFmt, r.spaceTime));
  const meta: AttentionMeta = {
    kind: 'attention',
    title: `Attention rollout of clip ${r.clip}`,
    video: r.video,
    clip: r.clip,
    frames: Array.from({ length: T }, (_, i) => r.clip * T + i),
    frameBlobs: [],
    grid: r.spaceTime.grid,
    spaceTimeBlob: -1,
    spaceOnlyBlob: -1,
    model: r.modelLabel,
  };
  return [attentionOutput(meta, frames, r.spaceTime.data, r.spaceOnly?.data, new Uint8Array(tile))];
};

function swapRB(bgr: Uint8Array): Uint8Array {
  const out = new Uint8Array(bgr.length);
  for (let i = 0; i < bgr.length; i += 3) {
    out[i] = bgr[i + 2];
    out[i + 1] = bgr[i + 1];
    out[i + 2] = bgr[i];
  }
  return out;
}
