/** VS Code theme colours (CSS variables of the notebook webview) for plotly figures; light/dark/high-contrast. */
export interface Theme {
  fg: string;
  bg: string;
  grid: string;
  accent: string;
  palette: string[];
  highContrast: boolean;
}

function cssVar(doc: Document, name: string, fallback: string): string {
  const win = doc.defaultView;
  const v = win
    ? win
        .getComputedStyle(doc.body ?? doc.documentElement)
        .getPropertyValue(name)
        .trim()
    : '';
  return v || fallback;
}

export function readTheme(doc: Document): Theme {
  const cls = (doc.body?.className ?? '') + ' ' + (doc.body?.getAttribute('data-vscode-theme-kind') ?? '');
  const dark = /vscode-dark|vscode-high-contrast(?!-light)/.test(cls);
  const fg = cssVar(doc, '--vscode-editor-foreground', dark ? '#cccccc' : '#333333');
  return {
    fg,
    bg: 'rgba(0,0,0,0)',
    grid: cssVar(doc, '--vscode-editorWidget-border', dark ? '#454545' : '#c8c8c8'),
    accent: cssVar(doc, '--vscode-charts-yellow', '#cca700'),
    palette: [
      cssVar(doc, '--vscode-charts-blue', '#3794ff'),
      cssVar(doc, '--vscode-charts-orange', '#d18616'),
      cssVar(doc, '--vscode-charts-green', '#89d185'),
      cssVar(doc, '--vscode-charts-purple', '#b180d7'),
      cssVar(doc, '--vscode-charts-red', '#f14c4c'),
      cssVar(doc, '--vscode-charts-yellow', '#cca700'),
    ],
    highContrast: /high-contrast/.test(cls),
  };
}

/** Re-run `f` when VS Code switches theme (it changes the body's class and CSS variables). */
export function onThemeChange(doc: Document, f: () => void): { dispose(): void } {
  const Obs = doc.defaultView?.MutationObserver;
  if (!Obs || !doc.body) return { dispose() {} };
  const obs = new Obs(() => f());
  obs.observe(doc.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'style'] });
  return { dispose: () => obs.disconnect() };
}

export function plotLayoutBase(t: Theme): Record<string, unknown> {
  return {
    paper_bgcolor: t.bg,
    plot_bgcolor: t.bg,
    font: { color: t.fg, family: 'var(--vscode-font-family, sans-serif)', size: 12 },
    colorway: t.palette,
    margin: { l: 56, r: 56, t: 36, b: 40 },
    legend: { orientation: 'h', y: -0.18, font: { color: t.fg } },
    hoverlabel: { namelength: -1 },
  };
}

export function axisBase(t: Theme): Record<string, unknown> {
  return { gridcolor: t.grid, zerolinecolor: t.grid, linecolor: t.grid, tickcolor: t.grid, color: t.fg };
}
