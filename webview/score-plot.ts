/**
 * Score plot (plotly.js): per-clip scores (SSD curve, k-means distances / cluster ids, KTS score), the threshold,
 * segment boundaries and the selection band; zoom and pan; VS Code theme colours. A click on a clip seeks the
 * player; plots are purged when VS Code disposes the output.
 */
import Plotly from 'plotly.js-dist-min';
import type { RendererMessage } from '../src/common/messages';
import type { ScorePlotPayload } from '../src/common/payloads';
import type { ActivationFunction } from './_api';
import { BASE_CSS, ensureStyle, h, LiveOutputs, renderError } from './_dom';
import { scoreFigure } from './_score-figure';
import { onThemeChange, readTheme } from './_theme';

const CSS = `${BASE_CSS}
.vsum-plot .plot { width: 100%; min-height: 340px; }
`;

let webgl: boolean | undefined;
/** Whether this webview can draw WebGL traces (headless or blocklisted GPUs cannot). Asked once. */
function hasWebgl(doc: Document): boolean {
  if (webgl === undefined) {
    try {
      webgl = !!doc.createElement('canvas').getContext?.('webgl');
    } catch {
      webgl = false;
    }
  }
  return webgl;
}

interface Live {
  el: HTMLElement;
  dispose(): void;
}

export const activate: ActivationFunction = (ctx) => {
  const live = new LiveOutputs<Live>();
  const post = (m: RendererMessage) => ctx.postMessage?.(m);
  return {
    async renderOutputItem(item, element) {
      const doc = element.ownerDocument;
      ensureStyle(doc, 'vsum-plot-css', CSS);
      live.dispose(item.id);
      try {
        const p = item.json() as ScorePlotPayload;
        const plotEl = h(doc, 'div', {
          class: 'plot',
          role: 'img',
          'aria-label': `${p.title}: ${p.series.map((s) => s.name).join(', ')} over ${p.nClips} clips`,
        });
        const root = h(doc, 'div', { class: 'vsum-out vsum-plot', 'data-kind': 'score-plot' }, plotEl);
        element.replaceChildren(root);
        // No wheel zoom: in a notebook the wheel scrolls the document; zoom by dragging or the mode bar.
        const config = {
          responsive: true,
          displaylogo: false,
          scrollZoom: false,
          modeBarButtonsToRemove: ['sendDataToCloud', 'select2d', 'lasso2d'],
          toImageButtonOptions: { filename: 'vsum-scores' },
        };
        const draw = () => {
          const fig = scoreFigure(p, readTheme(doc), { webgl: hasWebgl(doc) });
          return Plotly.react(plotEl, fig.data, fig.layout, config);
        };
        await draw();
        const gd = plotEl as HTMLElement & {
          on?: (ev: string, f: (e: { points?: Array<{ x: number }> }) => void) => void;
        };
        gd.on?.('plotly_click', (e) => {
          const x = e.points?.[0]?.x;
          if (typeof x !== 'number') return;
          const clip = Math.max(0, Math.round(x));
          post({ type: 'seek', video: '', time: (clip * p.clipLength) / (p.fps || 1), frame: clip * p.clipLength });
        });
        const theme = onThemeChange(doc, () => void draw());
        live.set(item.id, {
          el: plotEl,
          dispose() {
            theme.dispose();
            Plotly.purge(plotEl);
          },
        });
        post({ type: 'rendered', kind: 'score-plot', outputId: item.id });
      } catch (e) {
        renderError(element, 'score plot', e);
      }
    },
    disposeOutputItem(id) {
      live.dispose(id);
    },
  };
};
