/** The built `vsum` CLI (dist/cli.js) as a real subprocess, for tests of the command line itself. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './fixtures';

export const CLI = path.join(REPO, 'dist', 'cli.js');

/** Build dist/ once when a test file runs on its own before `npm run build`. */
export function ensureBuiltCli(): string {
  if (!fs.existsSync(CLI)) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO });
  return CLI;
}

/** `vsum args…` synchronously, with extra environment variables (e.g. VSUM_CACHE). */
export function runBuiltCli(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}
