/**
 * Nothing half-written is ever left behind: every output is written to a temp file in the destination's own
 * folder (same filesystem, so rename is atomic), then renamed over the target. On any failure the temp file is
 * removed and the target is untouched.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { VsumError } from '../errors';
import { isProcessAlive } from '../pid';

/** A temp path beside `target`, hidden, unique, with the same extension (ffmpeg picks the muxer from it). */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const ext = path.extname(target);
  const base = path.basename(target, ext);
  return path.join(dir, `.${base}.vsum-tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}${ext}`);
}

const TEMP_NAME = /\.vsum-tmp-(\d+)-[0-9a-f]{8}/;
const swept = new Set<string>();

/**
 * Remove the temp files a vsum process left in `dir` when it was killed outright (SIGKILL, OOM, power loss):
 * those whose PID is no longer running. Once per folder per process; best effort (a folder we cannot list or
 * clean is left as it is — the write itself reports what is wrong).
 */
export function sweepDeadTempFiles(dir: string): void {
  const key = path.resolve(dir);
  if (swept.has(key)) return;
  swept.add(key);
  let names: string[];
  try {
    names = fs.readdirSync(key);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || isProcessAlive(pid)) continue;
    try {
      fs.rmSync(path.join(key, name), { force: true, recursive: true });
    } catch {
      // read-only or gone already: nothing to do
    }
  }
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
  sweepDeadTempFiles(path.dirname(target));
  const tmp = tempPathFor(target);
  liveTemps.add(tmp);
  try {
    const result = await produce(tmp);
    await fs.promises.rename(tmp, target);
    return result;
  } catch (e) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw explainWriteError(e, target);
  } finally {
    liveTemps.delete(tmp);
  }
}

/** Temp files being written right now: removed synchronously if the process exits mid-write (a signal). */
const liveTemps = new Set<string>();

/** Remove every temp file still being written (for a forced exit; the writers' own cleanup never ran). */
export function removeLiveTempFiles(): void {
  for (const t of liveTemps) fs.rmSync(t, { force: true, recursive: true });
  liveTemps.clear();
}

export function explainWriteError(e: unknown, target: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  const dir = path.dirname(target);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new VsumError(
      'WRITE_FAILED',
      `Cannot write ${target}: the folder ${dir} is not writable (${code}). Choose another output folder (--out / vsum.outputDirectory).`,
      { file: target, cause: e },
    );
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new VsumError(
      'WRITE_FAILED',
      `Cannot write ${target}: the disk is full (${code}). Free some space or choose another output folder; the file was not written.`,
      { file: target, cause: e },
    );
  if (code === 'EFBIG')
    return new VsumError(
      'WRITE_FAILED',
      `Cannot write ${target}: the file is larger than this system allows (EFBIG: a file-size limit such as \`ulimit -f\`). Raise the limit or choose another output folder; the file was not written.`,
      { file: target, cause: e },
    );
  if (code === 'EISDIR' || (code === 'ENOTEMPTY' && fs.statSync(target, { throwIfNoEntry: false })?.isDirectory()))
    return new VsumError(
      'WRITE_FAILED',
      `Cannot write ${target}: it is an existing folder. Give a file path (e.g. ${path.join(target, 'out' + (path.extname(target) || '.json'))}).`,
      { file: target, cause: e },
    );
  if (code === 'ENOENT')
    return new VsumError(
      'WRITE_FAILED',
      `Cannot write ${target}: the folder ${dir} does not exist. Create it or choose another output folder.`,
      { file: target, cause: e },
    );
  return e;
}

/**
 * The errno that says why `dir` cannot be created or written. mkdir on a read-only file system reports ENOENT for
 * a missing folder, so the nearest existing ancestor is asked instead (EROFS / EACCES then tell the real story).
 */
export function refusalCode(e: unknown, dir: string): string | undefined {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code !== 'ENOENT') return code;
  let d = path.resolve(dir);
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  try {
    fs.accessSync(d, fs.constants.W_OK);
    return fs.statSync(d).isDirectory() ? code : 'ENOTDIR';
  } catch (a) {
    return (a as NodeJS.ErrnoException).code ?? code;
  }
}

/**
 * Create `dir` (and its parents) and check it can be written, before any long work whose result would go there.
 * `hint` says how to choose another (e.g. "Choose another with --out.").
 */
export function ensureWritableDir(dir: string, hint: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    const code = refusalCode(e, dir);
    const why =
      code === 'EROFS'
        ? 'the file system is read-only (EROFS)'
        : code === 'EACCES' || code === 'EPERM'
          ? `it is not writable (${code})`
          : code === 'ENOTDIR' || code === 'EEXIST'
            ? `a file is in the way (${code})`
            : code === 'ENOSPC'
              ? 'the disk is full (ENOSPC)'
              : String(code ?? e);
    throw new VsumError('WRITE_FAILED', `Cannot create the output folder ${dir}: ${why}. ${hint}`, {
      file: dir,
      cause: e,
    });
  }
}
