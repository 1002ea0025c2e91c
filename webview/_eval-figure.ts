/** EvaluationPayload → table rows (sortable) and a plotly grouped bar chart (pure, unit-tested). */
import type { EvaluationPayload } from '../src/common/payloads';
import { axisBase, plotLayoutBase, type Theme } from './_theme';
import type { Figure } from './_score-figure';

export interface Column {
  key: string;
  label: string;
  numeric: boolean;
}

export function columnsOf(p: EvaluationPayload): Column[] {
  return [
    { key: 'video', label: 'Video', numeric: false },
    ...p.methods.flatMap((m) =>
      (['min', 'avg', 'max'] as const).map((s) => ({ key: `${m}.${s}`, label: `${m} ${s}`, numeric: true })),
    ),
  ];
}

export function cellValue(
  p: EvaluationPayload,
  row: EvaluationPayload['videos'][number],
  key: string,
): string | number {
  if (key === 'video') return row.name;
  const [m, s] = splitKey(key);
  const v = row.scores[m]?.[s as 'min' | 'avg' | 'max'];
  return typeof v === 'number' ? v : Number.NaN;
}

function splitKey(key: string): [string, string] {
  const i = key.lastIndexOf('.');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Rows sorted by a column; NaN last; ties keep the original order. */
export function sortRows(p: EvaluationPayload, key: string, dir: 'asc' | 'desc'): EvaluationPayload['videos'] {
  const s = dir === 'asc' ? 1 : -1;
  return p.videos
    .map((r, i) => ({ r, i, v: cellValue(p, r, key) }))
    .sort((a, b) => {
      if (typeof a.v === 'string' || typeof b.v === 'string')
        return s * String(a.v).localeCompare(String(b.v)) || a.i - b.i;
      const an = Number.isNaN(a.v);
      const bn = Number.isNaN(b.v);
      if (an || bn) return an === bn ? a.i - b.i : an ? 1 : -1;
      return s * (a.v - b.v) || a.i - b.i;
    })
    .map((x) => x.r);
}

export const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : (v * 100).toFixed(2));

export function evaluationFigure(p: EvaluationPayload, t: Theme): Figure {
  const names = p.videos.map((v) => v.name);
  const x = [...names, 'mean'];
  const data: Array<Record<string, unknown>> = p.methods.map((m, i) => {
    const avg = [...p.videos.map((v) => v.scores[m]?.avg ?? null), p.mean[m]?.avg ?? null].map((v) =>
      v === null ? null : v * 100,
    );
    const hi = [...p.videos.map((v) => v.scores[m]), p.mean[m]].map((s) => (s ? (s.max - s.avg) * 100 : null));
    const lo = [...p.videos.map((v) => v.scores[m]), p.mean[m]].map((s) => (s ? (s.avg - s.min) * 100 : null));
    return {
      type: 'bar',
      name: m,
      x,
      y: avg,
      marker: { color: t.palette[i % t.palette.length] },
      error_y: { type: 'data', symmetric: false, array: hi, arrayminus: lo, color: t.fg, thickness: 1, width: 2 },
      hovertemplate: `%{x}<br>${m}: avg F %{y:.2f} (min–max as error bar)<extra></extra>`,
    };
  });
  p.baselines.forEach((b, i) => {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${b.name} (avg ${pct(b.scores.avg)})`,
      x: [x[0], x[x.length - 1]],
      y: [b.scores.avg * 100, b.scores.avg * 100],
      line: { dash: i % 2 ? 'dot' : 'dash', color: t.palette[(p.methods.length + i) % t.palette.length], width: 1.5 },
      hoverinfo: 'name',
    });
  });
  const layout = {
    ...plotLayoutBase(t),
    title: {
      text: `${p.title} — F-measure ×100 (bar: avg over users, whiskers: min–max)`,
      font: { size: 13, color: t.fg },
    },
    barmode: 'group',
    height: 380,
    xaxis: { ...axisBase(t), tickangle: -35, automargin: true },
    yaxis: { ...axisBase(t), title: { text: 'F (×100)' }, rangemode: 'tozero' },
  };
  return { data, layout };
}
