/** ScorePlotPayload → plotly traces and layout (pure: unit-tested without a browser). */
import type { ScorePlotPayload } from '../src/common/payloads';
import { axisBase, plotLayoutBase, type Theme } from './_theme';

export interface Figure {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

export function scoreFigure(p: ScorePlotPayload, t: Theme): Figure {
  const clips = Array.from({ length: p.nClips }, (_, i) => i);
  const time = (c: number) => (c * p.clipLength) / (p.fps || 1);
  const data: Array<Record<string, unknown>> = [];
  const hasY2 = p.series.some((s) => s.axis === 'y2');
  const hasBand = p.selection.length > 0;
  p.series.forEach((s, i) => {
    data.push({
      type: 'scatter',
      name: s.name,
      x: s.x ?? clips.slice(0, s.y.length),
      y: s.y,
      mode: s.mode,
      yaxis: s.axis === 'y2' ? 'y2' : 'y',
      line: { color: t.palette[i % t.palette.length], width: t.highContrast ? 2.5 : 1.5 },
      marker: { size: s.mode === 'markers' ? 6 : 4, color: t.palette[i % t.palette.length] },
      connectgaps: false,
      customdata: (s.x ?? clips).map(time),
      hovertemplate: `clip %{x} · %{customdata:.2f} s<br>${escapeTemplate(s.name)}: %{y:.4g}<extra></extra>`,
    });
  });
  if (p.threshold !== undefined && p.nClips > 0) {
    data.push({
      type: 'scatter',
      name: `threshold ${p.threshold}`,
      x: [0, Math.max(0, p.nClips - 1)],
      y: [p.threshold, p.threshold],
      mode: 'lines',
      yaxis: 'y',
      line: { color: t.accent, dash: 'dash', width: 1.5 },
      hoverinfo: 'skip',
    });
  }
  if (p.boundaries.length) {
    // One legend entry for all boundaries: a marker trace on the band's baseline (the lines are layout shapes).
    data.push({
      type: 'scatter',
      name: p.boundaryLabel ?? 'segment start',
      x: p.boundaries,
      y: p.boundaries.map(() => 0.5),
      yaxis: hasBand ? 'y3' : 'y',
      mode: 'markers',
      marker: { symbol: 'line-ns-open', size: 14, color: t.fg },
      hovertemplate: `${escapeTemplate(p.boundaryLabel ?? 'segment start')} at clip %{x}<extra></extra>`,
    });
  }
  if (hasBand) {
    data.push({
      type: 'bar',
      name: 'selected (fraction of clip)',
      x: clips.slice(0, p.selection.length),
      y: p.selection.map(() => 1),
      yaxis: 'y3',
      marker: { color: p.selection.map((v) => (v > 0 ? t.accent : 'rgba(0,0,0,0)')), opacity: p.selection.map((v) => (v > 0 ? 0.35 + 0.65 * v : 0)) },
      width: 1,
      customdata: p.selection,
      hovertemplate: 'clip %{x}: %{customdata:.0%} of its frames selected<extra></extra>',
    });
  }
  const shapes = p.boundaries.map((b) => ({ type: 'line', xref: 'x', yref: 'paper', x0: b - 0.5, x1: b - 0.5, y0: 0, y1: 1, line: { color: t.grid, width: 1, dash: 'dot' } }));
  const layout: Record<string, unknown> = {
    ...plotLayoutBase(t),
    title: { text: p.title, font: { size: 13, color: t.fg } },
    height: 340,
    dragmode: 'zoom',
    hovermode: 'closest',
    shapes,
    xaxis: { ...axisBase(t), title: { text: `clip (${p.clipLength} frames each)` }, range: [-0.5, Math.max(0.5, p.nClips - 0.5)] },
    yaxis: { ...axisBase(t), title: { text: p.series[0]?.name ?? '' }, domain: hasBand ? [0.16, 1] : [0, 1], rangemode: 'tozero' },
    bargap: 0,
  };
  if (hasY2) layout.yaxis2 = { ...axisBase(t), title: { text: p.series.find((s) => s.axis === 'y2')?.name ?? '' }, overlaying: 'y', side: 'right', showgrid: false, dtick: 1 };
  if (hasBand) layout.yaxis3 = { ...axisBase(t), domain: [0, 0.1], range: [0, 1], showticklabels: false, showgrid: false, zeroline: false, title: { text: 'summary', font: { size: 10 } } };
  return { data, layout };
}

/** Plotly hover templates interpret %{…}: keep names from files literal. */
function escapeTemplate(s: string): string {
  return s.replace(/%/g, '%%').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
