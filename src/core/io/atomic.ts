/**
 * Nothing half-written is ever left behind: every output is written to a temp file in the destination's own
 * folder (same filesystem, so rename is atomic), then renamed over the target. On any failure the temp file is
 * removed and the target is untouched.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { VsumError } from '../errors';

/** A temp path beside `target`, hidden, unique, with the same extension (ffmpeg picks the muxer from it). */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const ext = path.extname(target);
  const base = path.basename(target, ext);
  return path.join(dir, `.${base}.vsum-tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}${ext}`);
}

/** Write `data` to `target` atomically. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await withTempFile(target, async (tmp) => {
    await fs.promises.writeFile(tmp, data);
  });
}

/**
 * Run `produce(tmp)` which must create the temp file; on success rename it to `target`, on failure (or
 * cancellation) delete it and rethrow. Write errors (EACCES, ENOSPC, EROFS) become a VsumError naming the file.
 */
export async function withTempFile<T>(target: string, produce: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = tempPathFor(target);
  try {
    const result = await produce(tmp);
    await fs.promises.rename(tmp, target);
    return result;
  } catch (e) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw explainWriteError(e, target);
  }
}

export function explainWriteError(e: unknown, target: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  const dir = path.dirname(target);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new VsumError('WRITE_FAILED', `Cannot write ${target}: the folder ${dir} is not writable (${code}). Choose another output folder (--out / vsum.outputDirectory).`, { file: target, cause: e });
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new VsumError('WRITE_FAILED', `Cannot write ${target}: the disk is full (${code}). Free some space or choose another output folder; the file was not written.`, { file: target, cause: e });
  if (code === 'EFBIG')
    return new VsumError('WRITE_FAILED', `Cannot write ${target}: the file is larger than this system allows (EFBIG: a file-size limit such as \`ulimit -f\`). Raise the limit or choose another output folder; the file was not written.`, { file: target, cause: e });
  if (code === 'ENOENT')
    return new VsumError('WRITE_FAILED', `Cannot write ${target}: the folder ${dir} does not exist. Create it or choose another output folder.`, { file: target, cause: e });
  return e;
}
