/**
 * The kernel's side of `media` messages: a renderer asks for a file an output refers to; the answer is its bytes
 * (the stable API has no webview URI for notebook outputs), or `found: false` when it was moved or deleted.
 */
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { KernelMessage, RendererMessage } from '../common/messages';
import { MAX_MEDIA_MESSAGE_BYTES, resolveMediaPath } from '../notebook/media';
import { notebookDir } from './kernel/controller';

export async function answerMedia(
  nb: vscode.NotebookDocument,
  req: Extract<RendererMessage, { type: 'media' }>,
): Promise<KernelMessage> {
  const where = resolveMediaPath(notebookDir(nb), req.path);
  const base = { type: 'media' as const, requestId: req.requestId };
  if ('error' in where) return { ...base, found: false, message: where.error };
  const stat = await fs.promises.stat(where.file).catch(() => undefined);
  if (!stat?.isFile()) return { ...base, found: false, message: 'moved or deleted' };
  if (!req.bytes) return { ...base, found: true };
  if (stat.size > MAX_MEDIA_MESSAGE_BYTES)
    return {
      ...base,
      found: false,
      message: `too large to show here (${(stat.size / 1e6).toFixed(0)} MB); open it beside the notebook`,
    };
  const bytes = await fs.promises.readFile(where.file);
  return { ...base, found: true, base64: bytes.toString('base64') };
}
