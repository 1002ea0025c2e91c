/**
 * Shared checks of the reliability suite: every bad input / fault must end in a clear error, leave no partial
 * output and no temp file, leave no child process running, and leave the CLI working. CLI cases run the real
 * `node dist/cli.js` as a subprocess (built here into node_modules/.cache when dist/ is older than src/, so a
 * stale bundle is never tested and concurrent test files never race on dist/).
 */
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VsumError } from '../../src/core/errors';
import { liveChildren } from '../../src/core/video/process';
import { REPO } from '../helpers/fixtures';
import { ffmpegChildren } from '../helpers/video';

export const SAMPLE = path.join(REPO, 'media', 'sample', 'mmcv-test.mp4');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

let cli: string | undefined;
/** Path of a CLI bundle built from the current sources. */
export async function cliBundle(): Promise<string> {
  if (cli) return cli;
  const dist = path.join(REPO, 'dist', 'cli.js');
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= newestMtime(path.join(REPO, 'src'))) return (cli = dist);
  const out = path.join(REPO, 'node_modules', '.cache', 'vsum-reliability', `cli-${process.pid}.js`);
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(REPO, 'src', 'cli', 'main.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'onnxruntime-node', '@ffmpeg-installer/ffmpeg', 'h5wasm', 'playwright-core', 'mocha'],
    logLevel: 'silent',
  });
  process.once('exit', () => fs.rmSync(out, { force: true }));
  return (cli = out);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run `vsum …` as a real subprocess (asynchronously, so servers in this process keep answering). */
export async function runCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  const run = await startCli(args, opts);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  try {
    return await run.done;
  } finally {
    clearTimeout(timer);
  }
}

/** Start `vsum …` without waiting (for Ctrl-C style tests). */
export async function startCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const bin = await cliBundle();
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<CliResult>((res) =>
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

/** The CLI failed with exit code 1 and one clear line: `vsum: <message>`, no stack trace. */
export function assertCliError(r: CliResult, ...patterns: Array<RegExp | string>): string {
  assert.equal(r.code, 1, `exit code 1 expected, got ${r.code} (${r.signal}); stderr: ${r.stderr}`);
  // Progress/log lines may come first; the error itself is one `vsum: …` line.
  assert.match(r.stderr, /^vsum: /m, `stderr has a "vsum: " error line: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, `no stack trace: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /unexpected error/, r.stderr);
  for (const p of patterns) {
    if (typeof p === 'string')
      assert.ok(r.stderr.includes(p), `stderr should contain ${JSON.stringify(p)}: ${r.stderr}`);
    else assert.match(r.stderr, p);
  }
  return r.stderr;
}

/** A VsumError with this code whose message contains every pattern (strings literally, e.g. the file path). */
export function isVsumError(code: string, ...patterns: Array<RegExp | string>) {
  return (e: unknown) => {
    assert.ok(e instanceof VsumError, `VsumError expected, got ${e instanceof Error ? e.stack : String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const p of patterns) {
      if (typeof p === 'string')
        assert.ok(e.message.includes(p), `message should contain ${JSON.stringify(p)}: ${e.message}`);
      else assert.match(e.message, p);
    }
    return true;
  };
}

/** Every file under dir (recursively), relative. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** No temp files (`.vsum-tmp-`) anywhere under dir, and (when given) exactly these files. */
export function assertFiles(dir: string, expected?: string[]): void {
  const files = listFiles(dir);
  assert.deepEqual(
    files.filter((f) => f.includes('.vsum-tmp-')),
    [],
    `temp files left in ${dir}`,
  );
  if (expected) assert.deepEqual(files, [...expected].sort(), `files in ${dir}`);
}

/** No ffmpeg/ffprobe child of this process is running (our own bookkeeping and the real process table). */
export async function assertNoChildren(): Promise<void> {
  // A child killed a moment ago may still be in the table until reaped: give it a short grace period.
  for (let i = 0; i < 50 && (liveChildren().length || ffmpegChildren().length); i++)
    await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(liveChildren(), [], 'liveChildren() must be empty');
  assert.deepEqual(ffmpegChildren(), [], 'no ffmpeg/ffprobe in `ps --ppid`');
}

/** The process table has no descendants of a (finished) CLI process. */
export function assertNoOrphansOf(pid: number): void {
  const r = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' });
  assert.equal(r.stdout.trim(), '', `processes left behind by ${pid}: ${r.stdout}`);
}

/** The CLI still works after the failure: probing the bundled sample succeeds. */
export async function assertCliStillWorks(): Promise<void> {
  const r = await runCli(['probe', SAMPLE, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).frames, 168);
}

/** A fresh temp dir whose name has spaces (every path in the suite is awkward on purpose). */
export function workDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `vsum rel ${name} `));
}
