/**
 * What every command's action gets from `main`: the run's AbortSignal (Ctrl-C / SIGTERM), the global flags
 * (--quiet, --ffmpeg) read once parsing is done, the ffmpeg tools, and the writers for results, notes and progress.
 * `main` builds one and hands it to each command's `register(program, ctx)`, so no command imports `main`.
 */
import type { Command } from 'commander';
import type { DownloadProgress } from '../core/model/download';
import { resolveFfmpeg, type FfmpegTools } from '../core/video/ffmpeg';

export interface CliContext {
  /** Aborted on SIGINT / SIGTERM; every core call gets it. */
  readonly signal: AbortSignal;
  /** --quiet: print only results. */
  readonly quiet: boolean;
  /** The ffmpeg tools, honouring --ffmpeg (resolved once per run). */
  tools(): Promise<FfmpegTools>;
  /** A result on stdout. */
  out(text: string): void;
  /** A note on stderr, unless --quiet. */
  note(line: string): void;
  /** A one-line progress callback on a terminal's stderr; undefined when --quiet or not a terminal. */
  progress(): ((p: { message: string; fraction?: number }) => void) | undefined;
  /** Erase the progress line (no-op where `progress()` printed nothing). */
  clearProgress(): void;
  /** Model download progress: one rewritten line on a terminal, every 10 % otherwise; undefined with --quiet. */
  downloadProgress(): ((p: DownloadProgress) => void) | undefined;
}

/** The context of one `main()` run over `program` (its global options are read when an action asks). */
export function createCliContext(program: Command, signal: AbortSignal): CliContext {
  const globals = () => program.opts<{ quiet?: boolean; ffmpeg?: string }>();
  let tools: Promise<FfmpegTools> | undefined;
  // process.stdout/stderr are looked up at each call: test drivers swap their `write` to capture output.
  const showsProgress = () => !globals().quiet && process.stderr.isTTY === true;
  return {
    signal,
    get quiet() {
      return globals().quiet === true;
    },
    tools: () => (tools ??= resolveFfmpeg({ ffmpegPath: globals().ffmpeg })),
    out: (text) => void process.stdout.write(text),
    note: (line) => {
      if (!globals().quiet) process.stderr.write(`${line}\n`);
    },
    progress: () =>
      showsProgress()
        ? (p) =>
            process.stderr.write(
              `\r\x1b[K${p.message}${p.fraction !== undefined ? ` ${Math.round(p.fraction * 100)}%` : ''}`,
            )
        : undefined,
    clearProgress: () => {
      if (showsProgress()) process.stderr.write('\r\x1b[K');
    },
    downloadProgress: () => {
      if (globals().quiet) return undefined;
      let lastDecile = -1;
      return (p) => {
        if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${formatDownloadProgress(p)}`);
        else {
          const decile = p.percent === undefined ? -1 : Math.floor(p.percent / 10);
          if (decile > lastDecile) {
            lastDecile = decile;
            process.stderr.write(`${formatDownloadProgress(p)}\n`);
          }
        }
      };
    },
  };
}

export function formatDownloadProgress(p: DownloadProgress): string {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const eta =
    p.etaSeconds === undefined
      ? ''
      : `  ETA ${p.etaSeconds < 90 ? `${Math.ceil(p.etaSeconds)} s` : `${Math.ceil(p.etaSeconds / 60)} min`}`;
  const total = p.total ? `/${mb(p.total)}` : '';
  const resumed = p.resumedFrom ? `  (resumed at ${mb(p.resumedFrom)} MB)` : '';
  return `${p.percent === undefined ? '' : `${p.percent.toFixed(1)}%  `}${mb(p.bytes)}${total} MB  ${p.mbPerSecond.toFixed(1)} MB/s${eta}${resumed}`;
}
