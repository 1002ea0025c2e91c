/**
 * Frame strip: thumbnails with timestamps, selected frames highlighted; click (or Enter) seeks the notebook's
 * summary players to that moment, the clip button chooses the clip for the attention cell.
 */
import { unpackEnvelope } from '../src/common/envelope';
import type { RendererMessage } from '../src/common/messages';
import type { FrameStripMeta } from '../src/common/payloads';
import type { ActivationFunction } from './_api';
import { BASE_CSS, ensureStyle, h, renderError, UrlRegistry } from './_dom';

const CSS = `${BASE_CSS}
.vsum-strip .strip { display: flex; gap: 6px; overflow-x: auto; padding: 4px 2px 8px; }
.vsum-strip figure { margin: 0; flex: 0 0 auto; border: 2px solid transparent; border-radius: 3px; cursor: pointer; background: var(--vscode-editorWidget-background, transparent); }
.vsum-strip figure.selected { border-color: var(--vscode-charts-yellow, #cca700); }
.vsum-strip.has-selection figure:not(.selected) img { opacity: .55; }
body.vscode-high-contrast .vsum-strip figure.selected, body.vscode-high-contrast-light .vsum-strip figure.selected { border-color: var(--vscode-contrastActiveBorder, #f38518); border-style: dashed; }
.vsum-strip img { display: block; height: 90px; width: auto; }
.vsum-strip figcaption { font-size: 11px; padding: 2px 4px; display: flex; justify-content: space-between; gap: 6px; font-variant-numeric: tabular-nums; }
.vsum-strip .legend { font-size: 11px; opacity: .8; }
`;

export const activate: ActivationFunction = (ctx) => {
  const urls = new UrlRegistry();
  const post = (m: RendererMessage) => ctx.postMessage?.(m);
  return {
    renderOutputItem(item, element) {
      const doc = element.ownerDocument;
      ensureStyle(doc, 'vsum-strip-css', CSS);
      urls.dispose(item.id);
      try {
        const env = unpackEnvelope<FrameStripMeta>(item.data());
        const meta = env.meta;
        const selected = meta.thumbs.filter((t) => t.selected).length;
        const strip = h(doc, 'div', { class: 'strip', role: 'list' });
        for (const t of meta.thumbs) {
          const blob = env.blobs[t.blob];
          const img = h(doc, 'img', { alt: `frame ${t.frame} at ${t.time.toFixed(2)} s`, loading: 'lazy', draggable: 'false' });
          if (blob) img.src = urls.create(item.id, blob.bytes, blob.mime);
          const clipBtn = h(doc, 'button', { class: 'vsum-link clip', title: `Show the attention of clip ${t.clip}`, text: `clip ${t.clip}` });
          clipBtn.addEventListener('click', (e) => {
            e.stopPropagation();
            post({ type: 'chooseClip', video: meta.video, clip: t.clip });
          });
          const fig = h(
            doc,
            'figure',
            { class: t.selected ? 'thumb selected' : 'thumb', role: 'listitem', tabindex: 0, 'data-frame': t.frame, 'data-time': t.time, 'aria-selected': t.selected ? 'true' : 'false', title: `Seek the summary player to ${t.time.toFixed(2)} s` },
            img,
            h(doc, 'figcaption', {}, h(doc, 'span', { class: 'time', text: `#${t.frame} · ${t.time.toFixed(2)} s` }), clipBtn),
          );
          const seek = () => post({ type: 'seek', video: meta.video, time: t.time, frame: t.frame });
          fig.addEventListener('click', seek);
          fig.addEventListener('keydown', (e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              seek();
            }
          });
          strip.append(fig);
        }
        element.replaceChildren(
          h(
            doc,
            'div',
            { class: selected > 0 ? 'vsum-out vsum-strip has-selection' : 'vsum-out vsum-strip', 'data-kind': 'frame-strip' },
            h(doc, 'div', { class: 'vsum-title', text: meta.title }),
            h(doc, 'div', { class: 'legend', text: `${meta.video} · ${meta.thumbs.length} frames shown of ${meta.totalFrames}${selected > 0 ? ` · ${selected} in the summary (highlighted)` : ''} · click a frame to seek the player` }),
            strip,
          ),
        );
        post({ type: 'rendered', kind: 'frame-strip', outputId: item.id });
      } catch (e) {
        renderError(element, 'frame strip', e);
      }
    },
    disposeOutputItem(id) {
      urls.dispose(id);
    },
  };
};
