/**
 * Evaluation table: per-video F min/avg/max of each method (×100), the dataset mean, the random and human baselines
 * beside it; sortable by any column (click the header); with a plotly grouped bar chart, purged on dispose.
 */
import Plotly from 'plotly.js-dist-min';
import type { EvaluationPayload } from '../src/common/payloads';
import type { ActivationFunction } from './_api';
import { BASE_CSS, ensureStyle, h, LiveOutputs, renderError } from './_dom';
import { cellValue, columnsOf, evaluationFigure, pct, sortRows } from './_eval-figure';
import { onThemeChange, readTheme } from './_theme';

const CSS = `${BASE_CSS}
.vsum-eval table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 6px 0; }
.vsum-eval th, .vsum-eval td { padding: 2px 10px; border-bottom: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,.35)); text-align: right; }
.vsum-eval th:first-child, .vsum-eval td:first-child { text-align: left; }
.vsum-eval thead button { background: none; border: 0; color: inherit; font: inherit; font-weight: 600; cursor: pointer; padding: 0; }
.vsum-eval th[aria-sort=ascending] button::after { content: ' ▲'; }
.vsum-eval th[aria-sort=descending] button::after { content: ' ▼'; }
.vsum-eval tfoot tr.mean td { font-weight: 600; border-top: 2px solid var(--vscode-editorWidget-border, rgba(128,128,128,.5)); }
.vsum-eval tfoot tr.baseline td { font-style: italic; opacity: .9; }
.vsum-eval .chart { width: 100%; min-height: 380px; }
`;

export const activate: ActivationFunction = (ctx) => {
  const plots = new LiveOutputs<{ el: HTMLElement; dispose(): void }>();
  return {
    async renderOutputItem(item, element) {
      const doc = element.ownerDocument;
      ensureStyle(doc, 'vsum-eval-css', CSS);
      plots.dispose(item.id);
      try {
        const p = item.json() as EvaluationPayload;
        const cols = columnsOf(p);
        const tbody = h(doc, 'tbody');
        let sort: { key: string; dir: 'asc' | 'desc' } | undefined;
        const headCells = cols.map((c) => {
          const btn = h(doc, 'button', { type: 'button', text: c.label, title: `Sort by ${c.label}` });
          const th = h(doc, 'th', { scope: 'col', 'data-key': c.key, 'aria-sort': 'none' }, btn);
          btn.addEventListener('click', () => {
            sort = {
              key: c.key,
              dir:
                sort?.key === c.key && sort.dir === (c.numeric ? 'desc' : 'asc')
                  ? c.numeric
                    ? 'asc'
                    : 'desc'
                  : c.numeric
                    ? 'desc'
                    : 'asc',
            };
            for (const other of headCells) other.setAttribute('aria-sort', 'none');
            th.setAttribute('aria-sort', sort.dir === 'asc' ? 'ascending' : 'descending');
            fill();
          });
          return th;
        });
        const fill = () => {
          const rows = sort ? sortRows(p, sort.key, sort.dir) : p.videos;
          tbody.replaceChildren(
            ...rows.map((r) =>
              h(
                doc,
                'tr',
                { 'data-video': r.name },
                ...cols.map((c) => {
                  const v = cellValue(p, r, c.key);
                  return h(
                    doc,
                    c.key === 'video' ? 'th' : 'td',
                    c.key === 'video' ? { scope: 'row', text: String(v) } : { text: pct(v as number) },
                  );
                }),
              ),
            ),
          );
        };
        fill();
        const span = cols.length - 1;
        const foot = h(
          doc,
          'tfoot',
          {},
          h(
            doc,
            'tr',
            { class: 'mean' },
            h(doc, 'td', { text: `mean of ${p.videos.length} videos` }),
            ...p.methods.flatMap((m) =>
              [p.mean[m]?.min, p.mean[m]?.avg, p.mean[m]?.max].map((v) => h(doc, 'td', { text: pct(v) })),
            ),
          ),
          ...p.baselines.map((b) =>
            h(
              doc,
              'tr',
              { class: 'baseline', 'data-baseline': b.name },
              h(doc, 'td', { text: b.name }),
              h(doc, 'td', {
                colspan: span,
                text: `min ${pct(b.scores.min)} · avg ${pct(b.scores.avg)} · max ${pct(b.scores.max)}${b.note ? ` — ${b.note}` : ''}`,
              }),
            ),
          ),
        );
        const table = h(
          doc,
          'table',
          { class: 'scores' },
          h(doc, 'caption', { class: 'vsum-title', text: `${p.title} (${p.dataset}, F-measure ×100)` }),
          h(doc, 'thead', {}, h(doc, 'tr', {}, ...headCells)),
          tbody,
          foot,
        );
        const chart = h(doc, 'div', {
          class: 'chart',
          role: 'img',
          'aria-label': `Bar chart of the average F of ${p.methods.join(', ')} per video`,
        });
        const notes = p.notes.map((n) => h(doc, 'div', { class: 'vsum-note', text: n }));
        element.replaceChildren(
          h(doc, 'div', { class: 'vsum-out vsum-eval', 'data-kind': 'evaluation-table' }, table, ...notes, chart),
        );
        const draw = () => {
          const fig = evaluationFigure(p, readTheme(doc));
          return Plotly.react(chart, fig.data, fig.layout, {
            responsive: true,
            displaylogo: false,
            modeBarButtonsToRemove: ['sendDataToCloud', 'select2d', 'lasso2d'],
          });
        };
        await draw();
        const theme = onThemeChange(doc, () => void draw());
        plots.set(item.id, {
          el: chart,
          dispose: () => {
            theme.dispose();
            Plotly.purge(chart);
          },
        });
        ctx.postMessage?.({ type: 'rendered', kind: 'evaluation-table', outputId: item.id });
      } catch (e) {
        renderError(element, 'evaluation table', e);
      }
    },
    disposeOutputItem(id) {
      plots.dispose(id);
    },
  };
};
