/**
 * The engine process (dist/engine.js): runs the stages the client sends, one AbortController per request, and
 * answers with the reply or the error. It holds no session: everything a stage reads comes with the request.
 */
import { VsumError } from '../../core/errors';
import { describeCommand, liveChildren, onCommand } from '../../core/video/process';
import { executeStage } from './execute';
import type { FromEngine, ToEngine } from './protocol';

const running = new Map<number, AbortController>();
const send = (m: FromEngine) => process.send?.(m);

// The ffmpeg commands a stage runs belong in the host's log channel too (with the newest request: the
// client runs one stage at a time).
onCommand((e) => {
  const id = [...running.keys()].pop();
  if (id !== undefined) send({ type: 'log', id, line: describeCommand(e).line });
});

process.on('message', (m: ToEngine) => {
  if (m.type === 'cancel') {
    running.get(m.id)?.abort();
    return;
  }
  if (m.type === 'children') {
    send({ type: 'children', id: m.id, pids: liveChildren() });
    return;
  }
  const abort = new AbortController();
  running.set(m.id, abort);
  const { id } = m;
  executeStage(
    m.req,
    abort.signal,
    (message, fraction) => send({ type: 'progress', id, message, fraction }),
    (line) => send({ type: 'log', id, line }),
  )
    .then(
      (reply) => send({ type: 'done', id, reply }),
      (e: unknown) => {
        const error =
          e instanceof VsumError
            ? { message: e.message, code: e.code, file: e.file }
            : { message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
        send({ type: 'error', id, error });
      },
    )
    .finally(() => running.delete(id));
});

// The client went away (host closed or crashed): stop, which also kills any ffmpeg child (process.ts exit hook).
process.on('disconnect', () => process.exit(0));
