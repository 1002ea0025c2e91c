/**
 * The `vsum` command line: a thin adapter over src/core. Each command lives in its own file under
 * src/cli/commands/ and registers itself through commands/index.ts with the run's context (context.ts); shared
 * flags are declared and parsed in flags.ts.
 * Exit codes: 0 ok, 1 the work failed (message says why), 2 bad usage (unknown flag, bad value).
 */
import { Command, CommanderError } from 'commander';
import { VsumError } from '../core/errors';
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

  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
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

declare const __VSUM_VERSION__: string | undefined;
const VERSION = typeof __VSUM_VERSION__ === 'string' ? __VSUM_VERSION__ : '0.1.0';

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
