/**
 * A real DOM (happy-dom) for renderer tests: its window's globals are installed on globalThis before a renderer is
 * imported, because plotly and lit (@vscode-elements) read `window` / `document` / `customElements` when they load.
 */
// happy-dom is an ES module; tsx loads it from this CommonJS test file.
const { Window } = require('happy-dom') as typeof import('happy-dom', { with: { 'resolution-mode': 'import' } });
type Window = InstanceType<typeof Window>;
import type { OutputItem, RendererApi, RendererContext } from '../../../webview/_api';

let win: Window | undefined;

export function installDom(): Window {
  if (win) return win;
  win = new Window({
    url: 'https://localhost/',
    width: 1200,
    height: 800,
    settings: { disableJavaScriptFileLoading: true, disableCSSFileLoading: true, disableJavaScriptEvaluation: true },
  });
  const g = globalThis as Record<string, unknown>;
  const skip = new Set([
    'undefined',
    'NaN',
    'Infinity',
    'globalThis',
    'console',
    'process',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'queueMicrotask',
    'performance',
    'crypto',
    'fetch',
    'Request',
    'Response',
    'Headers',
    'URL',
    'URLSearchParams',
    'TextEncoder',
    'TextDecoder',
    'AbortController',
    'AbortSignal',
    'Event',
    'EventTarget',
    'Blob',
    'structuredClone',
    'atob',
    'btoa',
    'WebSocket',
    'ReadableStream',
    'WritableStream',
    'TransformStream',
    'BroadcastChannel',
    'MessageChannel',
    'MessagePort',
    'MessageEvent',
  ]);
  for (const key of Object.getOwnPropertyNames(win)) {
    if (skip.has(key) || key in g) continue;
    try {
      g[key] = (win as unknown as Record<string, unknown>)[key];
    } catch {
      // read-only globals
    }
  }
  g.window = win;
  g.document = win.document;
  g.navigator = win.navigator;
  g.self = win;
  // happy-dom 21 has no ElementInternals; @vscode-elements' form controls call attachInternals() in their
  // constructor. A minimal stand-in (browsers have the real one) lets them construct; nothing here submits forms.
  const proto = (win as unknown as { HTMLElement: { prototype: Record<string, unknown> } }).HTMLElement.prototype;
  if (typeof proto.attachInternals !== 'function') {
    proto.attachInternals = function attachInternals() {
      return {
        form: null,
        labels: [],
        validity: { valid: true },
        validationMessage: '',
        willValidate: false,
        states: new Set(),
        setFormValue() {},
        setValidity() {},
        checkValidity: () => true,
        reportValidity: () => true,
      };
    };
  }
  return win;
}

export function item(id: string, mime: string, data: Uint8Array): OutputItem {
  return {
    id,
    mime,
    metadata: {},
    data: () => data,
    text: () => new TextDecoder().decode(data),
    json: () => JSON.parse(new TextDecoder().decode(data)),
  };
}

export interface Harness<M> {
  api: RendererApi;
  posted: unknown[];
  send(m: M): void;
}

/** `answer`: the kernel's side — a reply to a posted message (sent back asynchronously, as VS Code does). */
export function context<M = unknown>(
  activate: (ctx: RendererContext<M>) => RendererApi,
  answer?: (m: unknown) => M | undefined,
): Harness<M> {
  const posted: unknown[] = [];
  const listeners: Array<(m: M) => unknown> = [];
  const api = activate({
    postMessage: (m) => {
      posted.push(m);
      const reply = answer?.(m);
      if (reply !== undefined) setTimeout(() => listeners.forEach((l) => l(reply)), 0);
    },
    onDidReceiveMessage: (l) => {
      listeners.push(l);
      return { dispose: () => listeners.splice(listeners.indexOf(l), 1) };
    },
    workspace: { isTrusted: true },
  });
  return { api, posted, send: (m) => listeners.forEach((l) => l(m)) };
}

export function newOutputElement(): HTMLElement {
  const w = installDom();
  const el = w.document.createElement('div');
  w.document.body.append(el);
  return el as unknown as HTMLElement;
}
