import type { Command } from 'commander';
export function register(program: Command): void {
  program.command('probe <video>').description('print frame count, fps, duration, size, codec, audio').option('--json', 'print JSON').action(async () => {
    throw new Error('not yet');
  });
}
