/**
 * Where vsum keeps downloaded models and cached embeddings: $VSUM_CACHE, else the folder the caller passes (the
 * VS Code extension passes its global storage), else $XDG_CACHE_HOME/vsum, else ~/.cache/vsum.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { refusalCode } from '../io/atomic';

export function resolveCacheDir(opts: { cacheDir?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const env = opts.env ?? process.env;
  if (env.VSUM_CACHE) return path.resolve(env.VSUM_CACHE);
  if (opts.cacheDir) return path.resolve(opts.cacheDir);
  if (env.XDG_CACHE_HOME) return path.join(path.resolve(env.XDG_CACHE_HOME), 'vsum');
  return path.join(os.homedir(), '.cache', 'vsum');
}

const REFUSALS = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'ENOENT', 'ENOTDIR']);

/** Whether a write into the cache failed because the cache itself is read-only, full or cannot be created. */
export function isCacheWriteRefused(e: unknown): boolean {
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    if (REFUSALS.has((c as NodeJS.ErrnoException).code ?? '')) return true;
  }
  return false;
}

let warned = false;

/**
 * A read-only or full cache is no reason to fail a run: it runs uncached, with one warning per process.
 * Returns false (after warning) when the write was refused, rethrows anything else.
 */
export async function tryCacheWrite(
  cacheDir: string,
  write: () => Promise<void>,
  log?: (message: string) => void,
): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (e) {
    if (!isCacheWriteRefused(e)) throw e;
    const cause = [e, (e as { cause?: unknown }).cause].find((x) => (x as NodeJS.ErrnoException)?.code);
    const code = refusalCode(cause, cacheDir);
    if (!warned) {
      warned = true;
      (log ?? ((m: string) => process.stderr.write(`vsum: ${m}\n`)))(
        `warning: the cache folder ${cacheDir} cannot be written (${code}); running without caching (choose another with --cache-dir / VSUM_CACHE).`,
      );
    }
    return false;
  }
}

/** A private folder under the OS temp dir for what a refused cache cannot hold (removed when the process exits). */
export function scratchDir(): string {
  const dir = path.join(os.tmpdir(), `vsum-uncached-${process.pid}`);
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return dir;
}
