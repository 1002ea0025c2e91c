/**
 * Files an output refers to (summary video, source, thumbnail pack) are asked of the kernel by path: it answers
 * with a webview URI (videos stream from it) and, when asked, the bytes (thumbnails; a video the URI cannot reach,
 * e.g. outside the webview's resource roots). A missing file is answered as such, never a silent blank.
 */
import type { KernelMessage, RendererMessage } from '../src/common/messages';
import type { RendererContext } from './_api';

export type MediaReply = Extract<KernelMessage, { type: 'media' }>;

/** How long to wait for the kernel before saying it did not answer (a notebook opened without vsum running). */
const TIMEOUT_MS = 15000;

export class MediaClient {
  private readonly pending = new Map<string, (r: MediaReply) => void>();
  private next = 0;
  private readonly prefix = Math.random().toString(36).slice(2);
  constructor(private readonly ctx: RendererContext<KernelMessage>) {}

  /** Feed every kernel message here; true when it was a media answer. */
  handle(m: KernelMessage): boolean {
    if (m.type !== 'media') return false;
    const done = this.pending.get(m.requestId);
    if (done) {
      this.pending.delete(m.requestId);
      done(m);
    }
    return true;
  }

  request(path: string, bytes: boolean): Promise<MediaReply> {
    const requestId = `${this.prefix}-${this.next++}`;
    if (!this.ctx.postMessage)
      return Promise.resolve({ type: 'media', requestId, found: false, message: 'this viewer cannot load files' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        resolve({ type: 'media', requestId, found: false, message: 'the vsum extension did not answer' });
      }, TIMEOUT_MS);
      this.pending.set(requestId, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      const msg: RendererMessage = { type: 'media', requestId, path, bytes };
      this.ctx.postMessage!(msg);
    });
  }
}

export function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The "file moved" notice: names the file and what to do. */
export function missingFileText(what: string, path: string, reply: MediaReply): string {
  const why = reply.message ?? 'it was moved or deleted';
  return `The ${what} ${path} is not available (${why}). Move it back beside the notebook, or re-run the cell to make it again.`;
}
