/**
 * Messages between renderers and the kernel (`notebookRendererMessaging` on the extension side,
 * `ctx.postMessage` / `ctx.onDidReceiveMessage` in the renderers). One discriminated union per direction.
 */

/** Renderer → kernel. */
export type RendererMessage =
  /** A frame or clip was clicked: seek every summary player of this notebook to that source time. */
  | { type: 'seek'; video: string; time: number; frame: number }
  /** Use this clip in the notebook's attention cell (and run it). */
  | { type: 'chooseClip'; video: string; clip: number }
  /** A renderer finished drawing (lets tests and the kernel know the webview is alive). */
  | { type: 'rendered'; kind: string; outputId?: string }
  /** A file an output refers to (path relative to the notebook): whether it is there, and its bytes when asked. */
  | { type: 'media'; requestId: string; path: string; bytes: boolean }
  /** "Export…" in the summary player: write exports of this summary (paths relative to the notebook). */
  | { type: 'export'; summary: string; source?: string };

/** Kernel → renderer. */
export type KernelMessage =
  /** `frame` (source frame index) when known: players map it exactly, `time` is the fallback. */
  | { type: 'seek'; video: string; time: number; frame?: number }
  | { type: 'clipChosen'; clip: number }
  /** The answer to a `media` request: `found: false` when the file is gone (moved or deleted). */
  | { type: 'media'; requestId: string; found: boolean; base64?: string; message?: string }
  /** What an export wrote (file names), or why it did not. */
  | { type: 'exported'; summary: string; files: string[]; message?: string };

export function isRendererMessage(m: unknown): m is RendererMessage {
  if (!m || typeof m !== 'object') return false;
  const t = (m as { type?: unknown }).type;
  const o = m as Record<string, unknown>;
  switch (t) {
    case 'seek':
      return (
        typeof o.time === 'number' &&
        Number.isFinite(o.time) &&
        typeof o.frame === 'number' &&
        typeof o.video === 'string'
      );
    case 'chooseClip':
      return typeof o.clip === 'number' && Number.isInteger(o.clip) && o.clip >= 0 && typeof o.video === 'string';
    case 'rendered':
      return typeof o.kind === 'string';
    case 'media':
      return (
        typeof o.requestId === 'string' &&
        typeof o.path === 'string' &&
        o.path.length > 0 &&
        typeof o.bytes === 'boolean'
      );
    case 'export':
      return (
        typeof o.summary === 'string' &&
        o.summary.length > 0 &&
        (o.source === undefined || typeof o.source === 'string')
      );
    default:
      return false;
  }
}
