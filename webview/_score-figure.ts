/**
 * ScorePlotPayload → plotly traces and layout (pure: unit-tested without a browser). Scales to hour-long videos
 * (27,000 clips): curves are min/max-decimated to a few thousand points (peaks survive), dense markers use WebGL
 * when the webview has it, cluster ids get their own strip instead of burying the curve, the selection is one
 * filled band and the boundaries one trace — never thousands of SVG shapes.
 */
import type { ScorePlotPayload } from '../src/common/payloads';
import { axisBase, plotLayoutBase, type Theme } from './_theme';

export interface Figure {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

export interface FigureOptions {
  /** WebGL is available (dense marker series become scattergl). */
  webgl?: boolean;
}

/** Buckets per curve: two points (min, max) each, so at most 2·CURVE_BUCKETS points per series. */
export const CURVE_BUCKETS = 1500;
/** Above this many points a marker series is drawn with WebGL (or thinned without it). */
export const DENSE_MARKERS = 5000;
/** Columns of the selection band. */
export const BAND_COLUMNS = 3000;

type Y = number | null;

/**
 * Min/max decimation: per bucket of consecutive points the lowest and the highest (in x order), so spikes and
 * dips stay visible at any zoom-out. Gaps (null) are kept as one null per bucket that has only gaps.
 */
export function decimateMinMax(x: readonly number[], y: readonly Y[], buckets: number): { x: number[]; y: Y[] } {
  const n = Math.min(x.length, y.length);
  if (n <= 2 * buckets) return { x: x.slice(0, n), y: y.slice(0, n) };
  const ox: number[] = [];
  const oy: Y[] = [];
  for (let b = 0; b < buckets; b++) {
    const a = Math.floor((b * n) / buckets);
    const e = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = a; i < e; i++) {
      const v = y[i];
      if (v === null || !Number.isFinite(v)) continue;
      if (lo < 0 || v < (y[lo] as number)) lo = i;
      if (hi < 0 || v > (y[hi] as number)) hi = i;
    }
    if (lo < 0) {
      ox.push(x[a]);
      oy.push(null);
    } else if (lo === hi) {
      ox.push(x[lo]);
      oy.push(y[lo]);
    } else {
      const [p, q] = lo < hi ? [lo, hi] : [hi, lo];
      ox.push(x[p], x[q]);
      oy.push(y[p], y[q]);
    }
  }
  return { x: ox, y: oy };
}

/** Per-clip values → at most `columns` columns (the max of each group, so one selected clip stays visible). */
export function aggregateMax(v: readonly number[], columns: number): { x: number[]; z: number[]; width: number } {
  if (v.length <= columns) return { x: v.map((_, i) => i), z: [...v], width: 1 };
  const w = v.length / columns;
  const x: number[] = [];
  const z: number[] = [];
  for (let c = 0; c < columns; c++) {
    const a = Math.floor(c * w);
    const e = Math.floor((c + 1) * w);
    let m = 0;
    for (let i = a; i < e; i++) if (v[i] > m) m = v[i];
    x.push((a + e - 1) / 2);
    z.push(m);
  }
  return { x, z, width: w };
}

export function scoreFigure(p: ScorePlotPayload, t: Theme, opts: FigureOptions = {}): Figure {
  const n = p.nClips;
  const clips = Array.from({ length: n }, (_, i) => i);
  const seconds = (c: number) => (c * p.clipLength) / (p.fps || 1);
  const data: Array<Record<string, unknown>> = [];
  const hasY2 = p.series.some((s) => s.axis === 'y2');
  const hasBand = p.selection.length > 0;
  const long = n > 2 * CURVE_BUCKETS;
  p.series.forEach((s, i) => {
    const color = t.palette[i % t.palette.length];
    const xs = s.x ?? clips.slice(0, s.y.length);
    const markersOnly = s.mode === 'markers';
    let x = xs;
    let y: Y[] = s.y;
    let type = 'scatter';
    if (markersOnly && s.y.length > DENSE_MARKERS) {
      if (opts.webgl) type = 'scattergl';
      else {
        // No WebGL: every k-th point (a dense dot cloud reads the same, SVG stays responsive).
        const k = Math.ceil(s.y.length / DENSE_MARKERS);
        x = xs.filter((_, j) => j % k === 0);
        y = s.y.filter((_, j) => j % k === 0);
      }
    } else if (!markersOnly) ({ x, y } = decimateMinMax(xs, s.y, CURVE_BUCKETS));
    const dense = y.length > 600;
    data.push({
      type,
      name: s.name,
      x,
      y,
      // Markers on a long curve bury it: lines only past a few hundred points.
      mode: dense && s.mode === 'lines+markers' ? 'lines' : s.mode,
      yaxis: s.axis === 'y2' ? 'y2' : 'y',
      line: { color, width: t.highContrast ? 2.5 : dense ? 1 : 1.5 },
      marker: { size: markersOnly ? (dense ? 3 : 6) : 4, color, opacity: markersOnly && dense ? 0.6 : 1 },
      connectgaps: false,
      customdata: x.map(seconds),
      hovertemplate: `clip %{x} · %{customdata:.2f} s<br>${escapeTemplate(s.name)}: %{y:.4g}<extra></extra>`,
    });
  });
  if (p.threshold !== undefined && n > 0) {
    data.push({
      type: 'scatter',
      name: `threshold ${p.threshold}`,
      x: [0, Math.max(0, n - 1)],
      y: [p.threshold, p.threshold],
      mode: 'lines',
      yaxis: 'y',
      line: { color: t.accent, dash: 'dash', width: 1.5 },
      hoverinfo: 'skip',
    });
  }
  if (p.boundaries.length) {
    // One trace for every boundary (vertical lines separated by gaps) on a hidden 0…1 axis over the curve.
    const x: Array<number | null> = [];
    const y: Array<number | null> = [];
    const custom: Array<number | null> = [];
    for (const b of p.boundaries) {
      x.push(b - 0.5, b - 0.5, null);
      y.push(0, 1, null);
      custom.push(b, b, null);
    }
    data.push({
      type: 'scatter',
      name: p.boundaryLabel ?? 'segment start',
      x,
      y,
      yaxis: 'y4',
      mode: 'lines',
      line: { color: t.grid, width: 1, dash: p.boundaries.length > 200 ? 'solid' : 'dot' },
      customdata: custom,
      hovertemplate: `${escapeTemplate(p.boundaryLabel ?? 'segment start')} at clip %{customdata}<extra></extra>`,
    });
  }
  if (hasBand) {
    // One filled step path (SVG-cheap at any length): full height over every clip (group) with selected frames.
    const band = aggregateMax(p.selection, BAND_COLUMNS);
    const x: number[] = [];
    const y: number[] = [];
    band.x.forEach((c, i) => {
      x.push(c - band.width / 2);
      y.push(band.z[i] > 0 ? 1 : 0);
    });
    x.push(n - 0.5);
    y.push(y[y.length - 1] ?? 0);
    data.push({
      type: 'scatter',
      name: 'selected (fraction of clip)',
      x,
      y,
      yaxis: 'y3',
      mode: 'lines',
      line: { shape: 'hv', width: 0, color: t.accent },
      fill: 'tozeroy',
      fillcolor: withAlpha(t.accent, 0.7),
      customdata: [...band.z, band.z[band.z.length - 1] ?? 0],
      hovertemplate:
        band.width > 1
          ? `from clip %{x:.0f}: up to %{customdata:.0%} of a clip's frames selected<extra></extra>`
          : 'clip %{x:.0f}: %{customdata:.0%} of its frames selected<extra></extra>',
    });
  }
  // Domains, bottom up: selection band, cluster-id strip, the curve.
  const curveBottom = hasY2 ? (hasBand ? 0.36 : 0.24) : hasBand ? 0.16 : 0;
  const layout: Record<string, unknown> = {
    ...plotLayoutBase(t),
    title: { text: p.title, font: { size: 13, color: t.fg } },
    height: hasY2 ? 400 : 340,
    dragmode: 'zoom',
    hovermode: 'closest',
    xaxis: {
      ...axisBase(t),
      title: { text: `clip (${p.clipLength} frames each)` },
      range: [-0.5, Math.max(0.5, n - 0.5)],
      tickformat: long ? '~s' : undefined,
      automargin: true,
    },
    yaxis: {
      ...axisBase(t),
      title: { text: p.series.find((s) => s.axis !== 'y2')?.name ?? '' },
      domain: [curveBottom, 1],
      rangemode: 'tozero',
      automargin: true,
    },
  };
  if (p.boundaries.length) layout.yaxis4 = { overlaying: 'y', range: [0, 1], visible: false, fixedrange: true };
  if (hasY2) {
    const clusters = p.series
      .filter((s) => s.axis === 'y2')
      .reduce((m, s) => Math.max(m, ...s.y.filter((v): v is number => typeof v === 'number')), 0);
    layout.yaxis2 = {
      ...axisBase(t),
      title: { text: p.series.find((s) => s.axis === 'y2')?.name ?? '', font: { size: 10 } },
      domain: hasBand ? [0.14, 0.3] : [0, 0.18],
      showgrid: false,
      // Whole ids, a handful of labels however many clusters there are.
      nticks: 4,
      tickformat: 'd',
      dtick: clusters <= 4 ? 1 : undefined,
      automargin: true,
    };
  }
  if (hasBand)
    layout.yaxis3 = {
      ...axisBase(t),
      domain: [0, 0.1],
      range: [0, 1],
      showticklabels: false,
      showgrid: false,
      zeroline: false,
      fixedrange: true,
      title: { text: 'summary', font: { size: 10 } },
    };
  return { data, layout };
}

/** `#rrggbb` / `rgb(…)` with an alpha (other CSS colours pass through unchanged). */
function withAlpha(c: string, a: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(c.trim());
  if (hex) {
    const v = parseInt(hex[1], 16);
    return `rgba(${(v >> 16) & 255},${(v >> 8) & 255},${v & 255},${a})`;
  }
  const rgb = /^rgb\(([^)]+)\)$/i.exec(c.trim());
  return rgb ? `rgba(${rgb[1]},${a})` : c;
}

/** Plotly hover templates interpret %{…}: keep names from files literal. */
function escapeTemplate(s: string): string {
  return s.replace(/%/g, '%%').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
