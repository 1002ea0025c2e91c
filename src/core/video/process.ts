/**
 * A small typed wrapper over child_process.spawn for ffmpeg. Why not fluent-ffmpeg: it is deprecated and
 * unmaintained, builds command strings we cannot fully control, and does not tie process lifetime to an
 * AbortSignal. Here: no shell, arguments as an array (paths with spaces, quotes or unicode just work), every child
 * killed (SIGKILL) when its signal aborts, when it fails, or when the Node process exits; stderr kept (bounded) to
 * explain failures. `liveChildren()` lets tests and the kernel prove nothing outlives a stage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CancelledError, VsumError } from '../errors';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A listener for every command vsum runs (the extension logs them to its output channel). */
export type CommandListener = (event: { bin: string; args: string[]; ms?: number; code?: number | null }) => void;
const listeners = new Set<CommandListener>();
export function onCommand(l: CommandListener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** A command event as a log line (arguments quoted where a shell would need it) and its level. */
export function describeCommand(e: Parameters<CommandListener>[0]): { level: 'info' | 'warn'; line: string } {
  const cmd = [e.bin, ...e.args].map((a) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' ');
  if (e.ms === undefined) return { level: 'info', line: `run: ${cmd}` };
  if (e.code === 0) return { level: 'info', line: `done in ${e.ms} ms: ${cmd}` };
  return { level: 'warn', line: `exit ${e.code ?? 'killed'} after ${e.ms} ms: ${cmd}` };
}

/** PIDs of ffmpeg children this process started that are still running. */
export function liveChildren(): number[] {
  return [...live].map((c) => c.pid).filter((p): p is number => typeof p === 'number');
}

/** SIGKILL every child still running (a forced exit on a signal; normally each stage kills its own). */
export function killAllChildren(): void {
  for (const c of live) c.kill('SIGKILL');
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

export interface SpawnOptions {
  signal?: AbortSignal;
  /** What the stage is, for the cancellation message. */
  what?: string;
  /** Keep at most this many bytes of stderr (the tail). */
  maxStderr?: number;
}

export interface ToolProcess {
  child: ChildProcess;
  /** Resolves when the child has exited: its code and the tail of its stderr. Never rejects. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; spawnError?: Error }>;
  /** Kill now (idempotent). */
  kill(): void;
}

/** Start a tool with stdout piped. The caller reads `child.stdout`; abort kills the child immediately. */
export function startTool(bin: string, args: string[], opts: SpawnOptions = {}): ToolProcess {
  if (opts.signal?.aborted) throw new CancelledError(opts.what);
  installExitHook();
  const t0 = Date.now();
  for (const l of listeners) l({ bin, args });
  const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  live.add(child);
  const maxStderr = opts.maxStderr ?? 64 * 1024;
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    stderr += s;
    if (stderr.length > maxStderr * 2) stderr = stderr.slice(-maxStderr);
  });
  // Writes to a closed stdin (ffmpeg exited early) must not crash the process; the exit code tells the story.
  child.stdin?.on('error', () => undefined);
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onAbort = () => kill();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
    spawnError?: Error;
  }>((resolve) => {
    let spawnError: Error | undefined;
    child.once('error', (e) => {
      spawnError = e;
      live.delete(child);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ code: null, signal: null, stderr, spawnError });
    });
    child.once('close', (code, signal) => {
      live.delete(child);
      opts.signal?.removeEventListener('abort', onAbort);
      for (const l of listeners) l({ bin, args, ms: Date.now() - t0, code });
      resolve({ code, signal, stderr: stderr.slice(-maxStderr), spawnError });
    });
  });
  return { child, exited, kill };
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/**
 * Run a tool to completion, collecting stdout. Rejects with CancelledError on abort, or with a VsumError
 * ('FFMPEG_FAILED') carrying the stderr tail when the exit code is non-zero. `describe` turns a failure into a
 * more specific error (e.g. "not a video").
 */
export async function runTool(
  bin: string,
  args: string[],
  opts: SpawnOptions & {
    input?: Uint8Array | string;
    describe?: (stderr: string, code: number | null) => Error | undefined;
    /** Stream stdout here instead of collecting it (the result's stdout is then empty): progress reports. */
    onStdout?: (chunk: Buffer) => void;
  } = {},
): Promise<RunResult> {
  const proc = startTool(bin, args, opts);
  const chunks: Buffer[] = [];
  proc.child.stdout?.on('data', (b: Buffer) => (opts.onStdout ? opts.onStdout(b) : chunks.push(b)));
  if (opts.input !== undefined) proc.child.stdin?.end(opts.input);
  else proc.child.stdin?.end();
  const r = await proc.exited;
  if (opts.signal?.aborted) throw new CancelledError(opts.what);
  if (r.spawnError) throw spawnFailure(bin, r.spawnError);
  if (r.code !== 0) {
    const specific = opts.describe?.(r.stderr, r.code);
    if (specific) throw specific;
    throw new VsumError(
      'FFMPEG_FAILED',
      `${toolName(bin)} failed (exit ${r.code ?? r.signal}): ${lastLines(r.stderr)}`,
    );
  }
  return { stdout: Buffer.concat(chunks), stderr: r.stderr };
}

export function spawnFailure(bin: string, e: Error): VsumError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EACCES')
    return new VsumError(
      'FFMPEG_NOT_FOUND',
      `Cannot run ${bin} (${code}). Install ffmpeg (e.g. \`apt-get install ffmpeg\`), or point vsum at one with the vsum.ffmpegPath setting / --ffmpeg flag / VSUM_FFMPEG.`,
      { cause: e },
    );
  return new VsumError('FFMPEG_FAILED', `Cannot start ${bin}: ${e.message}`, { cause: e });
}

export function toolName(bin: string): string {
  return bin.split(/[\\/]/).pop() ?? bin;
}

/** The last few meaningful stderr lines, for error messages. */
export function lastLines(stderr: string, n = 3): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const clip = (l: string) => (l.length > 300 ? l.slice(0, 300) + '…' : l);
  return lines.slice(-n).map(clip).join(' | ') || '(no output)';
}
