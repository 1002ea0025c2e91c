import { activeNotebook, revealInNotebook } from './workbench.mjs';

// UI checks of vsum's renderers in the real workbench: after "Run All", each output kind's DOM is looked up
// inside the notebook's output webview (two iframes deep: iframe.webview → iframe#active-frame) and checked
// for real content, then screenshotted. Each renderer marks its root element as .vsum-out[data-kind="<kind>"].

/** Probes run inside the output frame; each returns null while its root is absent, else {ok, detail}. */
export const OUTPUT_KINDS = [
  {
    kind: 'frame-strip',
    what: 'frame strip: every thumbnail image loaded',
    probe: (root) => {
      const imgs = [...root.querySelectorAll('img')];
      const loaded = imgs.filter((i) => i.complete && i.naturalWidth > 0).length;
      return { ok: imgs.length > 0 && loaded === imgs.length, detail: `${loaded}/${imgs.length} images loaded` };
    },
  },
  {
    kind: 'score-plot',
    what: 'score plot: plotly drew traces',
    probe: (root) => {
      const gd = root.querySelector('.js-plotly-plot');
      if (!gd) return { ok: false, detail: 'no .js-plotly-plot element' };
      const traces = gd.querySelectorAll('.main-svg .trace').length;
      const lines = [...gd.querySelectorAll('.main-svg .trace path')].filter(
        (p) => (p.getAttribute('d') || '').length > 4,
      ).length;
      const points = gd.querySelectorAll('.main-svg .trace .point').length;
      return {
        ok: traces > 0 && lines + points > 0,
        detail: `${traces} traces, ${lines} drawn paths, ${points} points`,
      };
    },
  },
  {
    kind: 'summary-player',
    what: "summary player: the video element has the summary's duration",
    probe: (root, expect) => {
      const v = root.querySelector('video');
      if (!v) return { ok: false, detail: 'no <video> element' };
      if (v.readyState < 1 || !Number.isFinite(v.duration))
        return {
          ok: false,
          detail: `video metadata not loaded (readyState ${v.readyState}, error ${v.error?.code ?? 'none'})`,
        };
      const want = expect.summaryDuration;
      const ok = v.duration > 0 && (want == null || Math.abs(v.duration - want) <= expect.durationTolerance);
      return {
        ok,
        detail:
          `duration ${v.duration.toFixed(3)}s` +
          (want == null ? '' : ` (summary: ${want.toFixed(3)}s ± ${expect.durationTolerance.toFixed(3)})`) +
          `, ${v.videoWidth}x${v.videoHeight}`,
      };
    },
  },
  {
    kind: 'attention',
    what: 'attention view: the heat-map canvas is not blank',
    probe: (root) => {
      const canvases = [...root.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0);
      if (!canvases.length) return { ok: false, detail: 'no sized <canvas>' };
      let best = 0;
      for (const c of canvases) {
        // Copy onto a 2d canvas so this works whatever context the renderer used.
        const probe = document.createElement('canvas');
        probe.width = Math.min(c.width, 128);
        probe.height = Math.min(c.height, 128);
        const g = probe.getContext('2d');
        g.drawImage(c, 0, 0, probe.width, probe.height);
        const px = g.getImageData(0, 0, probe.width, probe.height).data;
        const colours = new Set();
        for (let i = 0; i < px.length; i += 4)
          if (px[i + 3] > 0) colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
        best = Math.max(best, colours.size);
      }
      return { ok: best > 1, detail: `${canvases.length} canvas(es), most distinct colours ${best}` };
    },
  },
  {
    kind: 'evaluation-table',
    what: 'evaluation table: the table has rows',
    probe: (root) => {
      const rows = root.querySelectorAll('table tbody tr, vscode-table-body vscode-table-row').length;
      return { ok: rows > 0, detail: `${rows} body rows` };
    },
  },
];

// How long an output that is already in the DOM may take to become valid (images decode, plotly draws).
const PRESENT_GRACE_MS = 30_000;
// How long every cell must have been finished before a missing output counts as missing.
const SETTLED_GRACE_MS = 5_000;

const selectorOf = (kind) => `.vsum-out[data-kind="${kind}"]`;

/** Looks for `kind`'s root in every frame and runs its probe; returns {frame, handle, result} or null. */
async function probeFrames(page, spec, expect) {
  let last = null;
  for (const frame of page.frames()) {
    const result = await frame
      .evaluate(
        ({ sel, src, exp }) => {
          const root = document.querySelector(sel);
          if (!root) return null;
          const fn = new Function(`return (${src})`)();
          return fn(root, exp);
        },
        { sel: selectorOf(spec.kind), src: spec.probe.toString(), exp: expect },
      )
      .catch(() => null);
    if (result) {
      last = { frame, result };
      if (result.ok) return last;
    }
  }
  return last;
}

/**
 * Execution state of the visible notebook's cells, from their status icons: queued/running cells, and cells
 * that finished (with success or error).
 */
export async function notebookRunState(page) {
  await activeNotebook(page, 5000);
  return page.evaluate(() => {
    const nb = document.querySelector('.notebook-editor[data-vsum-active="1"]'); // marked by activeNotebook()
    const count = (state) => (nb ? nb.querySelectorAll(`.codicon-notebook-state-${state}`).length : 0);
    const running = count('executing') + count('pending');
    const ok = count('success');
    const failed = count('error');
    return { running, done: ok + failed, failed };
  });
}

/**
 * Waits until `spec`'s probe passes; the error says what was last seen. Fails early once every cell has
 * finished (nothing left that could still produce the output) and the output is still missing or wrong.
 */
export async function checkOutput(page, spec, expect, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let seen = null;
  let presentSince = 0;
  let settledSince = 0;
  let state = null;
  while (Date.now() < deadline) {
    seen = await probeFrames(page, spec, expect);
    if (seen?.result.ok) return seen;
    // Waiting long is for the kernel to produce the output; once it is there it must settle quickly.
    if (seen && !presentSince) presentSince = Date.now();
    if (presentSince && Date.now() - presentSince > PRESENT_GRACE_MS) break;
    state = await notebookRunState(page).catch(() => null);
    const settled = state && state.running === 0 && state.done > 0;
    if (!settled) settledSince = 0;
    else if (!settledSince) settledSince = Date.now();
    else if (Date.now() - settledSince > SETTLED_GRACE_MS) break;
    await page.waitForTimeout(250);
  }
  const cells = state
    ? ` [cells: ${state.done} finished, ${state.failed} with an error, ${state.running} queued/running]`
    : '';
  throw new Error(
    `${spec.what}: ` +
      (seen
        ? `not satisfied: ${seen.result.detail}`
        : `no element ${selectorOf(spec.kind)} appeared in any output frame ` +
          '(is its renderer contributed for the mime type the kernel writes? did its cell fail?)') +
      cells,
  );
}

/** Screenshot of one output's root element, scrolled into view (Playwright clips it through both iframes). */
export async function screenshotOutput(page, frame, kind, file) {
  const el = await frame.$(selectorOf(kind));
  if (!el) throw new Error(`${kind}: element vanished before its screenshot`);
  await revealInNotebook(page, el);
  await el.screenshot({ path: file, animations: 'disabled', timeout: 15_000 });
}

/** Whether the output webview follows the workbench theme (VS Code sets a class on its body). */
export async function outputThemeIs(page, bodyClass) {
  for (const f of page.frames()) {
    const hit = await f
      .evaluate(
        (c) => document.querySelector('.vsum-out[data-kind]') !== null && document.body.classList.contains(c),
        bodyClass,
      )
      .catch(() => false);
    if (hit) return true;
  }
  return false;
}
