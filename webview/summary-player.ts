/**
 * Summary player: the H.264 summary with the Gradio app's fields (input / output duration, fps, resolution,
 * processing time), and a toggle that plays the source video at the selected segments only. Seek messages from
 * the frame strip and the score plot move it (source time → summary time when the summary is shown).
 */
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import { unpackEnvelope } from '../src/common/envelope';
import type { KernelMessage } from '../src/common/messages';
import type { SummaryPlayerMeta } from '../src/common/payloads';
import type { ActivationFunction } from './_api';
import { BASE_CSS, custom, ensureStyle, fmtSeconds, h, LiveOutputs, renderError, UrlRegistry } from './_dom';

const CSS = `${BASE_CSS}
.vsum-player video { max-width: 100%; max-height: 360px; background: #000; display: block; }
.vsum-player table.fields { border-collapse: collapse; margin: 6px 0; font-variant-numeric: tabular-nums; }
.vsum-player table.fields th, .vsum-player table.fields td { text-align: left; padding: 2px 12px 2px 0; border-bottom: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,.35)); }
.vsum-player table.fields th { font-weight: 600; opacity: .85; }
.vsum-player .controls { display: flex; gap: 12px; align-items: center; margin: 6px 0; flex-wrap: wrap; }
`;

/** Source time → time in the summary (the selected segments played back to back); undefined when not selected. */
export function sourceToSummaryTime(segments: ReadonlyArray<{ start: number; end: number }>, t: number): number | undefined {
  let acc = 0;
  for (const s of segments) {
    if (t >= s.start && t < s.end) return acc + (t - s.start);
    acc += s.end - s.start;
  }
  return undefined;
}

interface Live {
  video: HTMLVideoElement;
  meta: SummaryPlayerMeta;
  mode: () => 'summary' | 'source';
  dispose(): void;
}

export const activate: ActivationFunction<KernelMessage> = (ctx) => {
  const urls = new UrlRegistry();
  const live = new LiveOutputs<Live>();
  ctx.onDidReceiveMessage?.((m) => {
    if (m.type !== 'seek') return;
    for (const p of live.values()) {
      if (m.video && m.video !== p.meta.sourceName) continue;
      const t = p.mode() === 'source' ? m.time : sourceToSummaryTime(p.meta.segments, m.time);
      if (t !== undefined) p.video.currentTime = t;
    }
  });
  const disposeOne = (id?: string) => {
    live.dispose(id);
    urls.dispose(id);
  };
  return {
    renderOutputItem(item, element) {
      const doc = element.ownerDocument;
      ensureStyle(doc, 'vsum-player-css', CSS);
      disposeOne(item.id);
      try {
        const env = unpackEnvelope<SummaryPlayerMeta>(item.data());
        const m = env.meta;
        const summary = env.blobs[m.summaryBlob];
        const source = m.sourceBlob >= 0 ? env.blobs[m.sourceBlob] : undefined;
        const summaryUrl = summary ? urls.create(item.id, summary.bytes, summary.mime) : '';
        let sourceUrl: string | undefined;
        const video = h(doc, 'video', { controls: true, preload: 'metadata', playsinline: true, 'aria-label': `Summary video ${m.summaryName}` });
        video.src = summaryUrl;
        const row = (label: string, value: string, key: string) => h(doc, 'tr', { 'data-field': key }, h(doc, 'th', { scope: 'row', text: label }), h(doc, 'td', { text: value }));
        const fields = h(
          doc,
          'table',
          { class: 'fields' },
          h(
            doc,
            'tbody',
            {},
            row('Method', m.method, 'method'),
            row('Input duration', fmtSeconds(m.inputDuration), 'inputDuration'),
            row('Output duration', fmtSeconds(m.outputDuration), 'outputDuration'),
            row('Frames', `${m.selectedFrames} of ${m.totalFrames}`, 'frames'),
            row('FPS', m.fps.toFixed(2), 'fps'),
            row('Resolution', `${m.width}×${m.height}`, 'resolution'),
            row('Processing time', `${m.processingSeconds.toFixed(2)} s`, 'processingTime'),
            row('Summary file', m.summaryName, 'summaryName'),
            row('Source', m.sourceName, 'sourceName'),
          ),
        );
        let mode: 'summary' | 'source' = 'summary';
        let segIndex = 0;
        const onTime = () => {
          if (mode !== 'source' || !m.segments.length) return;
          const t = video.currentTime;
          const cur = m.segments[segIndex];
          if (cur && t >= cur.end - 1e-3) {
            segIndex++;
            const next = m.segments[segIndex];
            if (next) video.currentTime = next.start;
            else video.pause();
          } else if (!cur || t < cur.start - 0.05) {
            const idx = m.segments.findIndex((s) => t < s.end);
            segIndex = idx < 0 ? m.segments.length : idx;
            const s = m.segments[segIndex];
            if (s && t < s.start) video.currentTime = s.start;
          }
        };
        video.addEventListener('timeupdate', onTime);
        const toggle = custom(doc, 'vscode-checkbox', { label: 'Play the source at the selected segments', disabled: !source, class: 'source-toggle' });
        toggle.addEventListener('change', () => {
          const on = (toggle as HTMLElement & { checked?: boolean }).checked === true;
          mode = on && source ? 'source' : 'summary';
          if (mode === 'source') {
            sourceUrl ??= urls.create(item.id, source!.bytes, source!.mime);
            video.src = sourceUrl;
            segIndex = 0;
            video.addEventListener('loadedmetadata', () => { if (m.segments[0]) video.currentTime = m.segments[0].start; }, { once: true });
          } else video.src = summaryUrl;
          root.dataset.mode = mode;
        });
        const note = source ? `${m.segments.length} selected segments of the source` : 'The source is too large to embed; open it beside the notebook to compare.';
        const root = h(
          doc,
          'div',
          { class: 'vsum-out vsum-player', 'data-kind': 'summary-player', 'data-mode': 'summary', 'data-output-duration': m.outputDuration.toFixed(3) },
          h(doc, 'div', { class: 'vsum-title', text: m.title }),
          video,
          h(doc, 'div', { class: 'controls' }, toggle, h(doc, 'span', { class: 'vsum-note', text: note })),
          fields,
        );
        element.replaceChildren(root);
        live.set(item.id, {
          video,
          meta: m,
          mode: () => mode,
          dispose() {
            video.removeEventListener('timeupdate', onTime);
            video.pause?.();
            video.removeAttribute('src');
          },
        });
        ctx.postMessage?.({ type: 'rendered', kind: 'summary-player', outputId: item.id });
      } catch (e) {
        renderError(element, 'summary player', e);
      }
    },
    disposeOutputItem(id) {
      disposeOne(id);
    },
  };
};
