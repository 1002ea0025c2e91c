/**
 * Which files a renderer may ask the kernel for, and where they are. Outputs refer to media by a path relative to
 * the notebook; only media kinds are served (a renderer is not a way to read arbitrary files).
 */
import os from 'node:os';
import path from 'node:path';

/** File endings a renderer may load: videos, thumbnail packs, images. */
export const MEDIA_ENDINGS = [
  '.mp4',
  '.m4v',
  '.mov',
  '.mkv',
  '.webm',
  '.avi',
  '.thumbs',
  '.jpg',
  '.jpeg',
  '.png',
] as const;

/** Above this a file is not sent through a message (the player says to open it beside the notebook). */
export const MAX_MEDIA_MESSAGE_BYTES = 256 * 1024 * 1024;

/** An output's media path → absolute (relative to the notebook folder; `~/` is the home folder), or an error. */
export function resolveMediaPath(notebookDir: string, p: string): { file: string } | { error: string } {
  const t = p.trim();
  if (!t) return { error: 'no path' };
  const lower = t.toLowerCase();
  if (!MEDIA_ENDINGS.some((e) => lower.endsWith(e))) return { error: `${p} is not a media file vsum outputs refer to` };
  if (t === '~' || t.startsWith('~/')) return { file: path.join(os.homedir(), t.slice(2)) };
  return { file: path.resolve(notebookDir, t) };
}
