/**
 * Summary player: the H.264 summary with the Gradio app's fields (input / output duration, fps, resolution,
 * processing time), and a toggle that plays the source video at the selected segments only. Seek messages from
 * the frame strip and the score plot move it (source time → summary time when the summary is shown).
 */
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { unpackEnvelope } from '../src/common/envelope';
import type { KernelMessage } from '../src/common/messages';
import { MIME } from '../src/common/mime';
import type { MediaRef, SummaryPlayerMeta } from '../src/common/payloads';
import type { ActivationFunction } from './_api';
import { BASE_CSS, custom, ensureStyle, fmtSeconds, h, LiveOutputs, renderError, UrlRegistry } from './_dom';
import { base64Bytes, MediaClient, missingFileText } from './_media';
import { fmtClock, nextSourceJump, sourceRangesOfRuns, sourceToSummaryTime, summaryTimeOfFrame } from './_summary-time';

const CSS = `${BASE_CSS}
.vsum-player video { max-width: 100%; max-height: 360px; background: #000; display: block; }
.vsum-player table.fields { border-collapse: collapse; margin: 6px 0; font-variant-numeric: tabular-nums; }
.vsum-player table.fields th, .vsum-player table.fields td { text-align: left; padding: 2px 12px 2px 0; border-bottom: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,.35)); }
.vsum-player table.fields th { font-weight: 600; opacity: .85; }
.vsum-player .controls { display: flex; gap: 12px; align-items: center; margin: 6px 0; flex-wrap: wrap; }
.vsum-player .clock { font-variant-numeric: tabular-nums; }
.vsum-player .moved { color: var(--vscode-editorWarning-foreground, #cca700); margin: 4px 0; }
`;

export { sourceToSummaryTime } from './_summary-time';

interface Live {
  video: HTMLVideoElement;
  meta: SummaryPlayerMeta;
  mode: () => 'summary' | 'source';
  /** The kernel's answer to "Export…". */
  exported(files: string[], message?: string): void;
  dispose(): void;
}

/** Where a seek to source frame `frame` / time `time` lands in this player (undefined: not in the summary). */
export function seekTarget(
  m: SummaryPlayerMeta,
  mode: 'summary' | 'source',
  time: number,
  frame?: number,
): number | undefined {
  if (mode === 'source') return frame !== undefined && m.fps > 0 ? frame / m.fps : time;
  if (m.runs && frame !== undefined && m.fps > 0) return summaryTimeOfFrame(m.runs, frame, m.fps);
  return sourceToSummaryTime(m.segments, time);
}

export const activate: ActivationFunction<KernelMessage> = (ctx) => {
  const urls = new UrlRegistry();
  const live = new LiveOutputs<Live>();
  const media = new MediaClient(ctx);
  ctx.onDidReceiveMessage?.((m) => {
    if (m.type === 'exported') {
      for (const p of live.values()) if (p.meta.summaryFile?.path === m.summary) p.exported(m.files, m.message);
      return;
    }
    if (media.handle(m) || m.type !== 'seek') return;
    for (const p of live.values()) {
      if (m.video && m.video !== p.meta.sourceName) continue;
      const t = seekTarget(p.meta, p.mode(), m.time, m.frame);
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
        const byRef = item.mime === MIME.summaryPlayerRef;
        const env = byRef ? undefined : unpackEnvelope<SummaryPlayerMeta>(item.data());
        const m = env ? env.meta : (item.json() as SummaryPlayerMeta);
        const summaryBlob = env?.blobs[m.summaryBlob];
        const sourceBlob = env && m.sourceBlob >= 0 ? env.blobs[m.sourceBlob] : undefined;
        const hasSource = !!sourceBlob || !!m.sourceFile;
        const video = h(doc, 'video', {
          controls: true,
          preload: 'metadata',
          playsinline: true,
          'aria-label': `Summary video ${m.summaryName}`,
        });
        if (m.poster?.startsWith('data:image/')) video.setAttribute('poster', m.poster);
        const moved = h(doc, 'div', { class: 'moved', role: 'alert', hidden: true });
        const showMissing = (text: string) => {
          moved.textContent = text;
          moved.hidden = false;
          root.dataset.missing = 'true';
        };
        // A file: its bytes through the kernel (renderer messaging), as a blob URL.
        const bytesUrlOf = async (file: MediaRef, what: string): Promise<string | undefined> => {
          const r = await media.request(file.path, true);
          if (!r.found || !r.base64) {
            showMissing(missingFileText(what, file.path, r));
            return undefined;
          }
          return urls.create(item.id, base64Bytes(r.base64), file.mime);
        };
        const fileUrls = new Map<string, Promise<string | undefined>>();
        const load = async (
          file: MediaRef | undefined,
          blob: typeof summaryBlob,
          what: string,
          onLoaded?: () => void,
        ) => {
          if (onLoaded) video.addEventListener('loadedmetadata', onLoaded, { once: true });
          if (blob) video.src = urls.create(item.id, blob.bytes, blob.mime);
          else if (file) {
            if (!fileUrls.has(file.path)) fileUrls.set(file.path, bytesUrlOf(file, what));
            const url = await fileUrls.get(file.path);
            if (url) video.src = url;
          }
        };
        void load(m.summaryFile, summaryBlob, 'summary video');
        const row = (label: string, value: string, key: string) =>
          h(
            doc,
            'tr',
            { 'data-field': key },
            h(doc, 'th', { scope: 'row', text: label }),
            h(doc, 'td', { text: value }),
          );
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
            row(
              'Processing time',
              `${(m.timing?.processingSeconds ?? m.processingSeconds ?? 0).toFixed(2)} s`,
              'processingTime',
            ),
            row('Summary file', m.summaryName, 'summaryName'),
            row('Source', m.sourceName, 'sourceName'),
          ),
        );
        let mode: 'summary' | 'source' = 'summary';
        // Exactly the summary's frames: ranges from the frame runs when the output has them.
        const ranges = m.runs && m.fps > 0 ? sourceRangesOfRuns(m.runs, m.fps) : m.segments;
        const clock = h(doc, 'span', { class: 'clock', 'aria-live': 'off' });
        const showClock = () => {
          const total = mode === 'source' ? m.inputDuration : m.outputDuration;
          clock.textContent = `${fmtClock(video.currentTime || 0)} / ${fmtClock(total)}`;
        };
        // Per presented frame where the browser offers it (Chromium does), so a one-frame run plays one frame.
        const perFrame =
          typeof (video as { requestVideoFrameCallback?: unknown }).requestVideoFrameCallback === 'function';
        const slack = perFrame && m.fps > 0 ? 0.5 / m.fps : 0.05;
        const follow = (t: number) => {
          if (mode !== 'source' || !ranges.length) return;
          const jump = nextSourceJump(ranges, t, slack);
          if (jump === 'end') {
            if (!video.paused) video.pause();
          } else if (jump !== undefined) video.currentTime = jump;
        };
        const onTime = () => {
          showClock();
          if (!perFrame) follow(video.currentTime);
        };
        let frameCb = 0;
        const onFrame = (_now: number, md: { mediaTime: number }) => {
          follow(md.mediaTime);
          frameCb = (
            video as unknown as { requestVideoFrameCallback(f: typeof onFrame): number }
          ).requestVideoFrameCallback(onFrame);
        };
        if (perFrame)
          frameCb = (
            video as unknown as { requestVideoFrameCallback(f: typeof onFrame): number }
          ).requestVideoFrameCallback(onFrame);
        video.addEventListener('timeupdate', onTime);
        video.addEventListener('loadedmetadata', showClock);
        video.addEventListener('seeked', showClock);
        const toggle = custom(doc, 'vscode-checkbox', {
          label: 'Play the source at the selected segments',
          disabled: !hasSource,
          class: 'source-toggle',
        });
        toggle.addEventListener('change', () => {
          const on = (toggle as HTMLElement & { checked?: boolean }).checked === true;
          mode = on && hasSource ? 'source' : 'summary';
          if (mode === 'source')
            void load(m.sourceFile, sourceBlob, 'source video', () => {
              if (ranges[0]) video.currentTime = ranges[0].start;
            });
          else void load(m.summaryFile, summaryBlob, 'summary video');
          root.dataset.mode = mode;
          showClock();
        });
        // "Export…": the kernel asks which formats and writes them beside the summary (needs the summary's file).
        const exportStatus = h(doc, 'span', { class: 'vsum-note export-status', 'aria-live': 'polite' });
        const exportButton = custom(doc, 'vscode-button', {
          class: 'export',
          secondary: true,
          disabled: !m.summaryFile || !ctx.postMessage,
          title:
            'Write CSV, WebVTT chapters, an EDL, an OpenTimelineIO timeline or an ffmpeg concat list beside the summary',
        });
        exportButton.textContent = 'Export…';
        exportButton.addEventListener('click', () => {
          if (!m.summaryFile) return;
          exportStatus.textContent = 'Choose the formats…';
          ctx.postMessage?.({ type: 'export', summary: m.summaryFile.path, source: m.sourceFile?.path });
        });
        const selectedSeconds = ranges.reduce((n, r) => n + r.end - r.start, 0);
        const note = hasSource
          ? `${ranges.length} selected run${ranges.length === 1 ? '' : 's'} of the source (${fmtSeconds(selectedSeconds)})`
          : 'The source is not available to this player; open it beside the notebook to compare.';
        const root = h(
          doc,
          'div',
          {
            class: 'vsum-out vsum-player',
            'data-kind': 'summary-player',
            'data-mode': 'summary',
            'data-output-duration': m.outputDuration.toFixed(3),
          },
          h(doc, 'div', { class: 'vsum-title', text: m.title }),
          video,
          moved,
          h(
            doc,
            'div',
            { class: 'controls' },
            clock,
            toggle,
            h(doc, 'span', { class: 'vsum-note', text: note }),
            exportButton,
            exportStatus,
          ),
          fields,
        );
        element.replaceChildren(root);
        showClock();
        live.set(item.id, {
          video,
          meta: m,
          mode: () => mode,
          exported(files, message) {
            exportStatus.textContent = message ? `Export failed: ${message}` : `Wrote ${files.join(', ')}`;
          },
          dispose() {
            video.removeEventListener('timeupdate', onTime);
            if (perFrame)
              (video as unknown as { cancelVideoFrameCallback?(h: number): void }).cancelVideoFrameCallback?.(frameCb);
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
