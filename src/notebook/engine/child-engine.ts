/**
 * Stages in a child Node process (dist/engine.js, the same core), so the host's event loop never runs k-means,
 * KTS, evaluation or rollout. Requests and replies are structured clones (typed arrays travel as they are).
 * Cancelling aborts the stage's AbortSignal in the engine, which kills its ffmpeg children; an engine that does
 * not answer a cancel within `killAfterMs` is killed. If the engine dies (crash, out of memory) the running stage
 * fails with an ENGINE_CRASHED error and the next request starts a fresh engine.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancelledError, VsumError } from '../../core/errors';
import type { StageProgress } from '../../core/stages/stage';
import type { StageEngine, StageReply, StageRequest } from './engine';
import type { FromEngine, ToEngine, WireError } from './protocol';

export interface ChildEngineOptions {
  /** The engine script (default: engine.js beside this bundle, else the repository's dist/engine.js). */
  script?: string;
  /** Extra arguments for node (e.g. --max-old-space-size). */
  execArgv?: string[];
  /** After a cancel, kill the engine if the stage has not stopped within this time. */
  killAfterMs?: number;
  log?: (line: string) => void;
}

interface Pending {
  resolve(r: StageReply): void;
  reject(e: unknown): void;
  progress: StageProgress;
  log(line: string): void;
}

export function defaultEngineScript(): string {
  const candidates = [
    path.join(__dirname, 'engine.js'),
    path.resolve(__dirname, '..', '..', '..', 'dist', 'engine.js'),
  ];
  return candidates.find((p) => fs.existsSync(p)) ?? candidates[0];
}

export class ChildEngine implements StageEngine {
  private child?: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly asked = new Map<number, (pids: number[]) => void>();

  constructor(private readonly opts: ChildEngineOptions = {}) {}

  /** The engine's process id while one runs (tests check it is gone after dispose). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  run(
    req: StageRequest,
    signal: AbortSignal,
    progress: StageProgress,
    log: (line: string) => void,
  ): Promise<StageReply> {
    if (signal.aborted) return Promise.reject(new CancelledError(`the ${req.stage} stage`));
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise<StageReply>((resolve, reject) => {
      let killer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        this.post(child, { type: 'cancel', id });
        killer = setTimeout(() => {
          this.opts.log?.(
            `engine: the ${req.stage} stage did not stop ${this.opts.killAfterMs ?? 5000} ms after a cancel; killing the engine`,
          );
          child.kill('SIGKILL');
        }, this.opts.killAfterMs ?? 5000);
        killer.unref();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        signal.removeEventListener('abort', onAbort);
        if (killer) clearTimeout(killer);
        this.pending.delete(id);
      };
      this.pending.set(id, {
        resolve: (r) => (settle(), resolve(r)),
        reject: (e) => (
          settle(),
          reject(
            signal.aborted && !(e instanceof VsumError && e.code !== 'ENGINE_CRASHED')
              ? new CancelledError(`the ${req.stage} stage`)
              : e,
          )
        ),
        progress,
        log,
      });
      this.post(child, { type: 'run', id, req });
    });
  }

  /** The engine's running ffmpeg children ([] when no engine runs). */
  liveChildren(): Promise<number[]> {
    const child = this.child;
    if (!child?.connected) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.asked.set(id, resolve);
      this.post(child, { type: 'children', id });
    });
  }

  /** Restart Session: end the process (its model sessions and caches with it); the next run forks a fresh one. */
  recycle(): void {
    if (this.child) this.opts.log?.(`engine: process ${this.child.pid} ended by a session restart`);
    this.dispose();
  }

  /** Stop the engine (pending stages fail as cancelled). */
  dispose(): void {
    const child = this.child;
    this.child = undefined;
    for (const p of this.pending.values()) p.reject(new CancelledError('the stage'));
    child?.kill();
  }

  private post(child: ChildProcess, m: ToEngine): void {
    if (child.connected) child.send(m);
  }

  private ensureChild(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null && this.child.connected)
      return this.child;
    const script = this.opts.script ?? defaultEngineScript();
    if (!fs.existsSync(script))
      throw new VsumError(
        'ENGINE_CRASHED',
        `The stage engine ${script} is missing. Rebuild vsum (node esbuild.mjs) or reinstall it.`,
        { file: script },
      );
    const child = fork(script, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: this.opts.execArgv ?? [],
    });
    this.child = child;
    // Below-normal priority (nice 10; its ffmpeg and onnxruntime threads inherit it): when the engine's stage and
    // the host compete for the cores, the host's event loop (every extension, the UI's requests) wins.
    try {
      if (child.pid) os.setPriority(child.pid, os.constants.priority.PRIORITY_BELOW_NORMAL);
    } catch {
      /* not permitted here: the engine runs at the host's priority */
    }
    child.on('message', (m: FromEngine) => {
      if (m.type === 'children') {
        this.asked.get(m.id)?.(m.pids);
        this.asked.delete(m.id);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') p.progress(m.message, m.fraction);
      else if (m.type === 'log') p.log(m.line);
      else if (m.type === 'done') p.resolve(m.reply);
      else p.reject(fromWire(m.error));
    });
    child.on('exit', (code, sig) => {
      if (this.child === child) this.child = undefined;
      for (const answer of this.asked.values()) answer([]);
      this.asked.clear();
      const how = sig ? `killed by ${sig}` : `exit code ${code}`;
      if (this.pending.size)
        this.opts.log?.(`engine: the engine process stopped (${how}) with ${this.pending.size} stage(s) running`);
      for (const p of [...this.pending.values()])
        p.reject(
          new VsumError(
            'ENGINE_CRASHED',
            `The stage engine stopped while this cell ran (${how}${sig === 'SIGKILL' || code === 134 ? ', perhaps out of memory' : ''}). It restarts for the next cell; run this one again, or with less data.`,
          ),
        );
    });
    child.on('error', (e) => this.opts.log?.(`engine: ${e.message}`));
    return child;
  }
}

function fromWire(e: WireError): Error {
  if (e.code === 'CANCELLED') return new CancelledError('the stage');
  if (e.code) return new VsumError(e.code, e.message, { file: e.file });
  const err = new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}
