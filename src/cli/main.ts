/**
 * The `vsum` command line: a thin adapter over src/core. Each command lives in its own file under
 * src/cli/commands/ and registers itself through commands/index.ts.
 * Exit codes: 0 ok, 1 the work failed (message says why), 2 bad usage (unknown flag, bad value).
 */
import { Command, CommanderError } from 'commander';
import { VsumError } from '../core/errors';
import { commands } from './commands';
import { UsageError } from './usage';

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('vsum')
    .description('Unsupervised video summarization (TimeSformer + k-means / SSD / KTS) and SumMe evaluation')
    .version(VERSION)
    .option('--ffmpeg <path>', 'ffmpeg binary to use (else VSUM_FFMPEG, then ffmpeg on PATH, then the bundled one)')
    .option('-q, --quiet', 'print only results')
    .showHelpAfterError('(run vsum --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);

  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  cliContext.signal = controller.signal;
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
      process.stderr.write(`vsum: ${e.message}\n`);
      return e.code === 'CANCELLED' ? 130 : 1;
    }
    process.stderr.write(`vsum: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Shared state the command actions read: the run's AbortSignal (Ctrl-C). */
export const cliContext: { signal: AbortSignal } = { signal: new AbortController().signal };

declare const __VSUM_VERSION__: string | undefined;
const VERSION = typeof __VSUM_VERSION__ === 'string' ? __VSUM_VERSION__ : '0.1.0';

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
