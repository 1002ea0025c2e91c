/**
 * Frame strip: thumbnails with timestamps, selected frames highlighted; click (or Enter) seeks the notebook's
 * summary players to that moment, the clip button chooses the clip for the attention cell.
 */
import { unpackEnvelope, type Blob0 } from '../src/common/envelope';
import type { KernelMessage, RendererMessage } from '../src/common/messages';
import { MIME } from '../src/common/mime';
import type { FrameStripMeta } from '../src/common/payloads';
import type { ActivationFunction } from './_api';
import { BASE_CSS, ensureStyle, h, renderError, UrlRegistry } from './_dom';
import { base64Bytes, MediaClient, missingFileText } from './_media';

const CSS = `${BASE_CSS}
.vsum-strip .strip { display: flex; gap: 6px; overflow-x: auto; padding: 4px 2px 8px; }
.vsum-strip figure { margin: 0; flex: 0 0 auto; border: 2px solid transparent; border-radius: 3px; cursor: pointer; background: var(--vscode-editorWidget-background, transparent); }
.vsum-strip figure.selected { border-color: var(--vscode-charts-yellow, #cca700); }
.vsum-strip.has-selection figure:not(.selected) img { opacity: .55; }
body.vscode-high-contrast .vsum-strip figure.selected, body.vscode-high-contrast-light .vsum-strip figure.selected { border-color: var(--vscode-contrastActiveBorder, #f38518); border-style: dashed; }
.vsum-strip img { display: block; height: 90px; width: auto; }
.vsum-strip figcaption { font-size: 11px; padding: 2px 4px; display: flex; justify-content: space-between; gap: 6px; font-variant-numeric: tabular-nums; }
.vsum-strip .legend { font-size: 11px; opacity: .8; }
.vsum-strip img.missing { width: 120px; height: 68px; background: var(--vscode-editorWidget-background, rgba(128,128,128,.2)); }
.vsum-strip .moved { color: var(--vscode-editorWarning-foreground, #cca700); font-size: 12px; margin: 4px 0; }
`;

/** Thumbnails of a strip: the envelope's blobs, or slices of the pack file fetched through the kernel. */
async function thumbBlobs(
  meta: FrameStripMeta,
  env: { blobs: Blob0[] } | undefined,
  media: MediaClient,
): Promise<{ blobs: Blob0[]; missing?: string }> {
  if (env) return { blobs: env.blobs };
  if (!meta.pack) return { blobs: [] };
  const r = await media.request(meta.pack.file.path, true);
  if (!r.found || !r.base64) return { blobs: [], missing: missingFileText('thumbnail file', meta.pack.file.path, r) };
  const bytes = base64Bytes(r.base64);
  return {
    blobs: meta.pack.ranges.map(([at, n]) => ({ mime: meta.pack!.file.mime, bytes: bytes.subarray(at, at + n) })),
  };
}

export const activate: ActivationFunction<KernelMessage> = (ctx) => {
  const urls = new UrlRegistry();
  const media = new MediaClient(ctx);
  ctx.onDidReceiveMessage?.((m) => media.handle(m));
  const post = (m: RendererMessage) => ctx.postMessage?.(m);
  return {
    async renderOutputItem(item, element) {
      const doc = element.ownerDocument;
      ensureStyle(doc, 'vsum-strip-css', CSS);
      urls.dispose(item.id);
      try {
        const env = item.mime === MIME.frameStripRef ? undefined : unpackEnvelope<FrameStripMeta>(item.data());
        const meta = env ? env.meta : (item.json() as FrameStripMeta);
        const thumbs = await thumbBlobs(meta, env, media);
        const selected = meta.thumbs.filter((t) => t.selected).length;
        const strip = h(doc, 'div', { class: 'strip', role: 'list' });
        for (const t of meta.thumbs) {
          const blob = thumbs.blobs[t.blob];
          const img = h(doc, 'img', {
            alt: `frame ${t.frame} at ${t.time.toFixed(2)} s`,
            loading: 'lazy',
            draggable: 'false',
            class: blob ? undefined : 'missing',
          });
          if (blob) img.src = urls.create(item.id, blob.bytes, blob.mime);
          const clipBtn = h(doc, 'button', {
            class: 'vsum-link clip',
            title: `Show the attention of clip ${t.clip}`,
            text: `clip ${t.clip}`,
          });
          clipBtn.addEventListener('click', (e) => {
            e.stopPropagation();
            post({ type: 'chooseClip', video: meta.video, clip: t.clip });
          });
          const fig = h(
            doc,
            'figure',
            {
              class: t.selected ? 'thumb selected' : 'thumb',
              role: 'listitem',
              tabindex: 0,
              'data-frame': t.frame,
              'data-time': t.time,
              'aria-selected': t.selected ? 'true' : 'false',
              title: t.selected
                ? `In the summary: seek the player to frame #${t.frame} (${t.time.toFixed(2)} s of the source)`
                : `Not in the summary: the summary player goes to the next selected frame; the source player to ${t.time.toFixed(2)} s`,
            },
            img,
            h(
              doc,
              'figcaption',
              {},
              h(doc, 'span', { class: 'time', text: `#${t.frame} · ${t.time.toFixed(2)} s` }),
              clipBtn,
            ),
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
            {
              class: selected > 0 ? 'vsum-out vsum-strip has-selection' : 'vsum-out vsum-strip',
              'data-kind': 'frame-strip',
            },
            h(doc, 'div', { class: 'vsum-title', text: meta.title }),
            h(doc, 'div', {
              class: 'legend',
              text: `${meta.video} · ${meta.thumbs.length} frames shown of ${meta.totalFrames}${selected > 0 ? ` · ${selected} in the summary (highlighted)` : ''} · click a frame to seek the player (summary or source, as it plays)`,
            }),
            thumbs.missing ? h(doc, 'div', { class: 'moved', role: 'alert', text: thumbs.missing }) : undefined,
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
