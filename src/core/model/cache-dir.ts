/**
 * Where vsum keeps downloaded models and cached embeddings: $VSUM_CACHE, else the folder the caller passes (the
 * VS Code extension passes its global storage), else $XDG_CACHE_HOME/vsum, else ~/.cache/vsum.
 */
import os from 'node:os';
import path from 'node:path';

export function resolveCacheDir(opts: { cacheDir?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const env = opts.env ?? process.env;
  if (env.VSUM_CACHE) return path.resolve(env.VSUM_CACHE);
  if (opts.cacheDir) return path.resolve(opts.cacheDir);
  if (env.XDG_CACHE_HOME) return path.join(path.resolve(env.XDG_CACHE_HOME), 'vsum');
  return path.join(os.homedir(), '.cache', 'vsum');
}
