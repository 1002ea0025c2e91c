/** The videos of a dataset folder, in the one order every shard and `--collect` agree on. */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../errors';
import { VIDEO_EXTENSIONS } from '../video/types';

export { VIDEO_EXTENSIONS };

/**
 * Video files directly in `dir` (hidden files skipped), sorted by name by code unit — not by locale, so every
 * machine of a cluster sorts them alike.
 */
export function listVideos(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new VsumError('FILE_NOT_FOUND', `Cannot read the folder ${dir} (${code}). Pass a folder of videos.`, {
      file: dir,
      cause: e,
    });
  }
  return entries
    .filter(
      (e) => e.isFile() && VIDEO_EXTENSIONS.includes(path.extname(e.name).toLowerCase()) && !e.name.startsWith('.'),
    )
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => path.join(dir, name));
}
