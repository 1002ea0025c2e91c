/**
 * The `vsum` command line: a thin adapter over src/core. Each command lives in its own file under
 * src/cli/commands/ and registers itself through commands/index.ts with the run's context (context.ts); shared
 * flags are declared and parsed in flags.ts.
 * Exit codes: 0 ok, 1 the work failed (message says why), 2 bad usage (unknown flag, bad value), 128 + the signal
 * number when SIGINT / SIGTERM / SIGHUP stopped it (130 / 143 / 129).
 */
import { Command, CommanderError } from 'commander';
import { VsumError } from '../core/errors';
import { removeLiveTempFiles } from '../core/io/atomic';
import { killAllChildren } from '../core/video/process';
import { commands } from './commands';
import { createCliContext } from './context';
import { UsageError, addGlobalFlags } from './flags';

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  addGlobalFlags(
    program
      .name('vsum')
      .description('Unsupervised video summarization (TimeSformer + k-means / SSD / KTS) and SumMe evaluation')
      .version(VERSION),
  )
    .showHelpAfterError('(run vsum --help for usage)')
    .exitOverride();
  const controller = new AbortController();
  const ctx = createCliContext(program, controller.signal);
  for (const register of commands) register(program, ctx);

  let received: StopSignal | undefined;
  let reported = false;
  const onSignal = (sig: StopSignal) => {
    if (received) return forceExit(sig); // a second Ctrl-C: stop now
    received = sig;
    controller.abort();
    // Every stage unwinds on the abort in a few ms; one that does not (a native call still running) is stopped
    // anyway: children killed, temp files removed, the signal's exit code.
    setTimeout(() => forceExit(sig), FORCE_EXIT_MS).unref();
  };
  const forceExit = (sig: StopSignal) => {
    killAllChildren();
    removeLiveTempFiles();
    if (!reported) process.stderr.write(`vsum: Cancelled: stopped by ${sig} before it finished.\n`);
    process.exit(SIGNAL_EXIT[sig]);
  };
  for (const sig of STOP_SIGNALS) process.on(sig, onSignal);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode !== undefined ? Number(process.exitCode) : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help / --version exit "with an error" of code 0.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`vsum: ${e.message}\n`);
      return 2;
    }
    if (e instanceof VsumError) {
      reported = true;
      process.stderr.write(`vsum: ${e.message}\n`);
      return e.code === 'CANCELLED' ? SIGNAL_EXIT[received ?? 'SIGINT'] : 1;
    }
    process.stderr.write(`vsum: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  } finally {
    for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];
/** 128 + the signal number, as shells report a process a signal ended. */
const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
/** How long a stage may take to unwind after the abort before the process stops without it. */
const FORCE_EXIT_MS = 150;

declare const __VSUM_VERSION__: string | undefined;
const VERSION = typeof __VSUM_VERSION__ === 'string' ? __VSUM_VERSION__ : '0.1.0';

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
