// Step logging and step deadlines shared by the host launchers: every wait is wrapped in `step()`, so a hang
// surfaces as "step '<name>' timed out after Ns" instead of a silent stall.
const t0 = Date.now();

export const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1) + 's';
export const log = (msg) => console.log(`[host ${elapsed()}] ${msg}`);

export class StepTimeout extends Error {
  constructor(name, ms) {
    super(`step '${name}' timed out after ${Math.round(ms / 1000)}s`);
    this.name = 'StepTimeout';
  }
}

/** Runs `fn` with a deadline; the error names the step. */
export async function step(name, ms, fn) {
  const started = Date.now();
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout(name, ms)), ms);
  });
  try {
    const v = await Promise.race([fn(), timeout]);
    log(`${name}: ok (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    return v;
  } catch (e) {
    if (e instanceof StepTimeout) throw e;
    throw new Error(`step '${name}' failed: ${e?.message ?? e}`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}
