/**
 * DOM helpers shared by the renderers. Everything from a file (names, paths, numbers) goes in through
 * textContent or attributes, never innerHTML, so a file called `<script>…` stays inert text.
 */
export type Attrs = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string | undefined>
): HTMLElementTagNameMap[K] {
  const el = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined) el.append(typeof c === 'string' ? doc.createTextNode(c) : c);
  return el;
}

/** A custom element (e.g. `vscode-checkbox`) with attributes. */
export function custom(doc: Document, tag: string, attrs: Attrs = {}, ...children: Array<Node | string>): HTMLElement {
  const el = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...children);
  return el;
}

/** One <style> per renderer kind per document (renderers share the output webview). */
export function ensureStyle(doc: Document, id: string, css: string): void {
  if (doc.getElementById(id)) return;
  const style = doc.createElement('style');
  style.id = id;
  style.textContent = css;
  (doc.head ?? doc.documentElement).append(style);
}

export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '–';
  const m = Math.floor(s / 60);
  const r = s - m * 60;
  return m > 0 ? `${m}:${r.toFixed(2).padStart(5, '0')}` : `${r.toFixed(2)} s`;
}

/** Object URLs per output item, revoked when VS Code disposes the output. */
export class UrlRegistry {
  private readonly byId = new Map<string, string[]>();
  create(id: string, bytes: Uint8Array, mime: string): string {
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mime }));
    const list = this.byId.get(id) ?? [];
    list.push(url);
    this.byId.set(id, list);
    return url;
  }
  dispose(id?: string): void {
    const ids = id === undefined ? [...this.byId.keys()] : [id];
    for (const k of ids) {
      for (const u of this.byId.get(k) ?? []) URL.revokeObjectURL(u);
      this.byId.delete(k);
    }
  }
}

/**
 * What a renderer keeps alive per output item (a plotly figure, a playing video, theme listeners): `set` replaces
 * (and disposes) an earlier one for the same id, `dispose(id)` ends one, `dispose()` all — disposeOutputItem's
 * contract.
 */
export class LiveOutputs<T extends { dispose(): void }> {
  private readonly byId = new Map<string, T>();
  set(id: string, value: T): void {
    this.dispose(id);
    this.byId.set(id, value);
  }
  values(): IterableIterator<T> {
    return this.byId.values();
  }
  dispose(id?: string): void {
    const ids = id === undefined ? [...this.byId.keys()] : [id];
    for (const k of ids) {
      this.byId.get(k)?.dispose();
      this.byId.delete(k);
    }
  }
}

/** An error box instead of a blank output when a payload cannot be drawn. */
export function renderError(el: HTMLElement, what: string, e: unknown): void {
  const doc = el.ownerDocument;
  el.replaceChildren(
    h(doc, 'div', {
      class: 'vsum-error',
      role: 'alert',
      text: `vsum ${what}: ${e instanceof Error ? e.message : String(e)}`,
    }),
  );
}

export const BASE_CSS = `
.vsum-out { font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground, inherit); }
.vsum-title { font-weight: 600; margin: 2px 0 6px; }
.vsum-note { opacity: .8; font-size: .92em; margin: 4px 0; }
.vsum-error { color: var(--vscode-errorForeground, #f14c4c); white-space: pre-wrap; }
.vsum-out button.vsum-link { background: none; border: 0; padding: 0; color: var(--vscode-textLink-foreground, #3794ff); cursor: pointer; font: inherit; }
.vsum-out :focus-visible { outline: 1px solid var(--vscode-focusBorder, #007fd4); outline-offset: 1px; }
`;
