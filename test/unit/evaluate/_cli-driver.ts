// A child process that runs `vsum` commands in-process on request (IPC), capturing stdout/stderr, so a test can
// run many CLI invocations without paying a tsx start-up for each one.
import { main } from '../../../src/cli/main';

process.on('message', async (msg: { id: number; args: string[] }) => {
  let out = '',
    err = '';
  const ow = process.stdout.write,
    ew = process.stderr.write;
  process.stdout.write = ((c: string | Uint8Array) => ((out += String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => ((err += String(c)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(msg.args);
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  process.send!({ id: msg.id, code, out, err });
});
process.send!({ ready: true });
