/**
 * Peak resident memory of a whole process tree (the command and every descendant, ffmpeg children included):
 * /proc is sampled every SAMPLE_MS while the command runs and the RSS of all its live descendants summed. Linux
 * only (returns null elsewhere). A sampled peak can miss a spike shorter than one interval; the command's own
 * peak from getrusage (maxRSS) is folded in so the node process is never under-counted.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SAMPLE_MS = 50;
const PAGE = 4096;

function children(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = kids.get(ppid) ?? [];
      list.push(Number(name));
      kids.set(ppid, list);
    } catch {
      // exited while we looked
    }
  }
  return kids;
}

function treeRss(root: number): number {
  const kids = children();
  let total = 0;
  for (const stack = [root]; stack.length;) {
    const pid = stack.pop()!;
    try {
      total += Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE;
    } catch {
      // exited
    }
    stack.push(...(kids.get(pid) ?? []));
  }
  return total;
}

export interface TreeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak summed RSS of the tree in bytes (null where /proc is unavailable). */
  peakTree: number | null;
  /** The node process's own peak (getrusage), when the command is node. */
  peakSelf: number | null;
  seconds: number;
}

/** Runs `node args…` with a preload that records its own getrusage peak, sampling the tree's RSS meanwhile. */
export function runNodeMeasured(args: string[], env: NodeJS.ProcessEnv = {}): Promise<TreeRun> {
  const rssFile = path.join(
    os.tmpdir(),
    `vsum-rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  );
  const preload = path.join(os.tmpdir(), `vsum-rss-preload-${process.pid}.cjs`);
  fs.writeFileSync(
    preload,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.VSUM_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));\n",
  );
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--require', preload, ...args], {
    env: { ...process.env, ...env, VSUM_RSS_FILE: rssFile },
  });
  let stdout = '',
    stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  const linux = fs.existsSync('/proc/self/statm');
  let peak = 0;
  const timer = linux
    ? setInterval(() => {
        peak = Math.max(peak, treeRss(child.pid!));
      }, SAMPLE_MS)
    : null;
  return new Promise((resolve) => {
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      let self: number | null = null;
      try {
        self = Number(fs.readFileSync(rssFile, 'utf8'));
        fs.rmSync(rssFile, { force: true });
      } catch {
        // the process died before its exit handler
      }
      resolve({
        code,
        stdout,
        stderr,
        peakTree: linux ? Math.max(peak, self ?? 0) : null,
        peakSelf: self,
        seconds: (performance.now() - t0) / 1000,
      });
    });
  });
}
