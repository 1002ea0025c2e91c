/**
 * One worker per video, on one machine or many sharing a folder (NFS included): a lock file created with O_EXCL
 * (atomic on local file systems and NFSv3+), holding its owner — host, PID, the PID's start time, a random token.
 * The owner renews a lease by touching the file while it works. A lock is stale, and taken over, when its owner is
 * a dead process on this host (or a live PID that was started later, i.e. reused), or when its lease has not been
 * renewed for `leaseMs` (an owner on another host that died, or lost its mount).
 * Written here rather than with a lock library because those judge staleness by age alone, and a rerun after a
 * SIGKILL must not wait out the lease.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isProcessAlive } from '../pid';

export interface LockOwner {
  host: string;
  pid: number;
  /** The PID's start time (Linux /proc ticks since boot), so a reused PID is not taken for the owner. */
  pidStart: string | null;
  token: string;
  since: string;
}

export interface LockOptions {
  /** A lock whose file was not touched for this long is stale (default 120 s; the owner touches it every quarter). */
  leaseMs?: number;
}

export const DEFAULT_LEASE_MS = 120_000;

/** Tokens of the locks this process holds: a lock with our PID but another token is an earlier process's. */
const heldHere = new Set<string>();
/** Released on any exit, even one forced before the holder's `finally` ran (a stage stopped after a signal). */
const liveLocks = new Set<VideoLock>();
let exitHook = false;

function pidStartTime(pid: number): string | null {
  try {
    // Field 22 of /proc/PID/stat, counted after the command name (which may hold spaces) closes with ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Why the lock at `file` is stale, or undefined while its owner may still be working. */
export function staleReason(file: string, leaseMs = DEFAULT_LEASE_MS, now = Date.now()): string | undefined {
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  const owner = readOwner(file);
  if (owner && owner.host === os.hostname()) {
    if (!isProcessAlive(owner.pid)) return `its owner, PID ${owner.pid} on this host, is gone`;
    const start = pidStartTime(owner.pid);
    if (owner.pidStart && start && start !== owner.pidStart)
      return `PID ${owner.pid} on this host is another process now`;
    if (owner.pid === process.pid && !heldHere.has(owner.token))
      return `it was left by an earlier process with this PID (${owner.pid})`;
  }
  const age = now - mtimeMs;
  if (age > leaseMs)
    return `its lease was last renewed ${Math.round(age / 1000)} s ago (${owner ? `${owner.host}:${owner.pid}` : 'unreadable owner'})`;
  // A file that never got its owner written (a crash between create and write) is judged by the lease alone.
  return undefined;
}

export class VideoLock {
  private timer: NodeJS.Timeout | undefined;
  private released = false;

  private constructor(
    readonly file: string,
    readonly owner: LockOwner,
    leaseMs: number,
  ) {
    this.timer = setInterval(() => this.renew(), Math.max(50, Math.floor(leaseMs / 4)));
    this.timer.unref();
  }

  /** Take the lock, or return who holds it. A stale lock is taken over (and `tookOver` says why). */
  static tryAcquire(file: string, o: LockOptions = {}): { lock: VideoLock; tookOver?: string } | { heldBy: string } {
    const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const owner: LockOwner = {
      host: os.hostname(),
      pid: process.pid,
      pidStart: pidStartTime(process.pid),
      token: crypto.randomBytes(8).toString('hex'),
      since: new Date().toISOString(),
    };
    let tookOver: string | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx');
        try {
          fs.writeSync(fd, JSON.stringify(owner) + '\n');
        } finally {
          fs.closeSync(fd);
        }
        heldHere.add(owner.token);
        const lock = new VideoLock(file, owner, leaseMs);
        liveLocks.add(lock);
        if (!exitHook) {
          exitHook = true;
          process.on('exit', () => [...liveLocks].forEach((l) => l.release()));
        }
        return { lock, tookOver };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const stale = staleReason(file, leaseMs);
      if (!stale) {
        const held = readOwner(file);
        return { heldBy: held ? `${held.host}:${held.pid} since ${held.since}` : 'another worker' };
      }
      if (removeIfStill(file, readOwner(file)?.token)) tookOver = stale;
    }
    const held = readOwner(file);
    return { heldBy: held ? `${held.host}:${held.pid}` : 'another worker' };
  }

  /** Still ours? (False when another worker judged it stale and took it over.) */
  held(): boolean {
    return !this.released && readOwner(this.file)?.token === this.owner.token;
  }

  private renew(): void {
    const now = new Date();
    try {
      if (this.held()) fs.utimesSync(this.file, now, now);
    } catch {
      // The next renewal tries again; a lease lost meanwhile shows in held().
    }
  }

  release(): void {
    if (this.released) return;
    if (this.timer) clearInterval(this.timer);
    if (this.held()) removeIfStill(this.file, this.owner.token);
    heldHere.delete(this.owner.token);
    liveLocks.delete(this);
    this.released = true;
  }
}

/**
 * Remove `file` only if it still belongs to `token`: moved aside first (rename is atomic, so of two workers racing
 * for one stale lock only one moves it), then checked; a lock re-created meanwhile by someone else is put back.
 */
function removeIfStill(file: string, token: string | undefined): boolean {
  const aside = `${file}.stale-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return false;
  }
  if (readOwner(aside)?.token === token) {
    fs.rmSync(aside, { force: true });
    return true;
  }
  try {
    fs.linkSync(aside, file);
  } catch {
    // Someone created a new lock meanwhile: theirs stands.
  }
  fs.rmSync(aside, { force: true });
  return false;
}
