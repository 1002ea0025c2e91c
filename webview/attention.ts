/**
 * Attention view: the 8 frames of a clip with the rollout heat map (jet colour map, upsampled from the patch grid)
 * over each, an opacity slider, and a switch between the space-time rollout and the spatial-only variant.
 * Another clip can be chosen (the kernel re-runs the attention cell).
 */
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { unpackEnvelope } from '../src/common/envelope';
import type { KernelMessage, RendererMessage } from '../src/common/messages';
import type { AttentionMeta } from '../src/common/payloads';
import type { ActivationFunction } from './_api';
import { BASE_CSS, custom, ensureStyle, h, renderError, UrlRegistry } from './_dom';

const CSS = `${BASE_CSS}
.vsum-attn .frames { display: flex; gap: 4px; overflow-x: auto; padding-bottom: 6px; }
.vsum-attn figure { margin: 0; position: relative; flex: 0 0 auto; }
.vsum-attn figure img { display: block; width: 112px; height: 112px; object-fit: fill; }
.vsum-attn figure canvas { position: absolute; left: 0; top: 0; width: 112px; height: 112px; pointer-events: none; mix-blend-mode: normal; }
.vsum-attn figcaption { font-size: 11px; text-align: center; font-variant-numeric: tabular-nums; }
.vsum-attn .controls { display: flex; gap: 14px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
.vsum-attn input[type=range] { accent-color: var(--vscode-focusBorder, #007fd4); }
.vsum-attn input[type=number] { width: 5em; background: var(--vscode-input-background); color: var(--vscode-input-foreground); border: 1px solid var(--vscode-input-border, transparent); }
`;

/** Jet colour map (as matplotlib's / cv2's COLORMAP_JET): v in 0…1 → [r, g, b] 0…255. */
export function jet(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, v));
  const c = (a: number) => Math.round(255 * Math.min(1, Math.max(0, a)));
  return [c(1.5 - Math.abs(4 * x - 3)), c(1.5 - Math.abs(4 * x - 2)), c(1.5 - Math.abs(4 * x - 1))];
}

/** Map of frame `f` from a [grid·grid, nFrames] row-major float32 rollout. */
export function frameMap(maps: Float32Array, grid: number, nFrames: number, f: number): Float32Array {
  const out = new Float32Array(grid * grid);
  for (let p = 0; p < grid * grid; p++) out[p] = maps[p * nFrames + f];
  return out;
}

function toFloat32(bytes: Uint8Array): Float32Array {
  // Copy: envelope blobs are views that may not be 4-byte aligned.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

function drawHeat(canvas: HTMLCanvasElement, map: Float32Array, grid: number): void {
  const doc = canvas.ownerDocument;
  const small = doc.createElement('canvas');
  small.width = grid;
  small.height = grid;
  const sctx = small.getContext?.('2d');
  const ctx = canvas.getContext?.('2d');
  if (!sctx || !ctx) return; // no canvas support (e.g. a DOM without one): the frames still show
  const img = sctx.createImageData(grid, grid);
  let max = 0;
  for (const v of map) if (v > max) max = v;
  for (let p = 0; p < grid * grid; p++) {
    const [r, g, b] = jet(max > 0 ? map[p] / max : 0);
    img.data.set([r, g, b, 255], p * 4);
  }
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}

export const activate: ActivationFunction<KernelMessage> = (ctx) => {
  const urls = new UrlRegistry();
  const post = (m: RendererMessage) => ctx.postMessage?.(m);
  return {
    renderOutputItem(item, element) {
      const doc = element.ownerDocument;
      ensureStyle(doc, 'vsum-attn-css', CSS);
      urls.dispose(item.id);
      try {
        const env = unpackEnvelope<AttentionMeta>(item.data());
        const m = env.meta;
        const n = m.frames.length;
        const spaceTime = toFloat32(env.blobs[m.spaceTimeBlob].bytes);
        const spaceOnly = m.spaceOnlyBlob >= 0 ? toFloat32(env.blobs[m.spaceOnlyBlob].bytes) : undefined;
        const canvases: HTMLCanvasElement[] = [];
        const figures = m.frames.map((frame, i) => {
          const blob = env.blobs[m.frameBlobs[i]];
          const img = h(doc, 'img', { alt: `frame ${frame}` });
          if (blob) img.src = urls.create(item.id, blob.bytes, blob.mime);
          const canvas = h(doc, 'canvas', { width: 224, height: 224, 'aria-hidden': 'true' });
          canvases.push(canvas);
          return h(
            doc,
            'figure',
            { 'data-frame': frame },
            img,
            canvas,
            h(doc, 'figcaption', { text: `frame ${frame}` }),
          );
        });
        let variant: 'space-time' | 'space-only' = 'space-time';
        const draw = () => {
          const maps = variant === 'space-only' && spaceOnly ? spaceOnly : spaceTime;
          canvases.forEach((c, f) => drawHeat(c, frameMap(maps, m.grid, n, f), m.grid));
          root.dataset.variant = variant;
        };
        const slider = h(doc, 'input', {
          type: 'range',
          min: 0,
          max: 100,
          value: 50,
          'aria-label': 'Heat map opacity',
          class: 'opacity',
        });
        const setOpacity = () => canvases.forEach((c) => (c.style.opacity = String(Number(slider.value) / 100)));
        slider.addEventListener('input', setOpacity);
        const spatial = custom(doc, 'vscode-checkbox', {
          class: 'space-only',
          disabled: !spaceOnly,
          label: 'Spatial attention only',
        });
        spatial.addEventListener('change', () => {
          variant = (spatial as HTMLElement & { checked?: boolean }).checked ? 'space-only' : 'space-time';
          draw();
        });
        const clipInput = h(doc, 'input', {
          type: 'number',
          min: 0,
          value: m.clip,
          'aria-label': 'Clip index',
          class: 'clip',
        });
        const go = custom(doc, 'vscode-button', { class: 'choose', text: 'Show clip' });
        go.addEventListener('click', () => {
          const c = Number(clipInput.value);
          if (Number.isInteger(c) && c >= 0) post({ type: 'chooseClip', video: m.video, clip: c });
        });
        const root = h(
          doc,
          'div',
          { class: 'vsum-out vsum-attn', 'data-kind': 'attention', 'data-variant': variant },
          h(doc, 'div', { class: 'vsum-title', text: m.title }),
          h(doc, 'div', {
            class: 'vsum-note',
            text: `${m.video} · clip ${m.clip} (frames ${m.frames[0]}…${m.frames[n - 1]}) · ${m.model}`,
          }),
          h(doc, 'div', { class: 'frames' }, ...figures),
          h(
            doc,
            'div',
            { class: 'controls' },
            h(doc, 'label', {}, 'Opacity ', slider),
            spatial,
            h(doc, 'label', {}, 'Clip ', clipInput),
            go,
          ),
        );
        element.replaceChildren(root);
        setOpacity();
        draw();
        post({ type: 'rendered', kind: 'attention', outputId: item.id });
      } catch (e) {
        renderError(element, 'attention view', e);
      }
    },
    disposeOutputItem(id) {
      urls.dispose(id);
    },
  };
};
