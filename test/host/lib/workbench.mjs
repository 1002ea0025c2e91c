// Driving the VS Code workbench in Chromium: load, open a file, run a palette command, switch theme.
// Every wait is on DOM state with a timeout; callers wrap these in step() so a hang names its step.

export async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 90_000 });
  // The remote extension host is connected once the explorer lists the workspace (or the folder is empty).
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/**
 * Keys go to the focused frame: when an output webview (an iframe) has focus — after a click or a screenshot
 * of an output — take it back so the workbench's keybindings (F1, Ctrl+P) receive the keys.
 */
export async function focusWorkbench(page) {
  await page.evaluate(() => {
    const a = document.activeElement;
    if (a && a.tagName === 'IFRAME') a.blur();
  });
}

/** Opens a workspace file through Quick Open (Ctrl+P). */
export async function openFile(page, name) {
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  await page.waitForFunction(
    (n) => {
      const r = document.querySelector('.quick-input-list .monaco-list-row.focused');
      return r && (r.getAttribute('aria-label') || '').includes(n);
    },
    name,
    { timeout: 20_000 },
  );
  await page.keyboard.press('Enter');
}

/** The quick-input row whose label is exactly `label` (its aria-label may add ", <keybinding>"). */
async function pickRow(page, label, timeout, { prefix = false } = {}) {
  const ok = await page
    .waitForFunction(
      ({ l, prefix }) => {
        const rows = [...document.querySelectorAll('.quick-input-list .monaco-list-row')];
        rows.forEach((r) => r.removeAttribute('data-vsum-pick')); // rows are recycled: drop stale marks
        const row = rows.find((r) => {
          const a = r.getAttribute('aria-label') || '';
          return a === l || a.startsWith(prefix ? l : l + ',');
        });
        if (!row) return false;
        row.setAttribute('data-vsum-pick', '1');
        return true;
      },
      { l: label, prefix },
      { timeout },
    )
    .then(
      () => true,
      () => false,
    );
  if (!ok) return false;
  await page.locator('.quick-input-list .monaco-list-row[data-vsum-pick="1"]').click({ timeout: 5000 });
  return true;
}

/**
 * Runs a workbench command from the palette by clicking its row (fuzzy ranking may put another first). The
 * palette lists a command only when its when-clause holds at the moment it opens, so if it is absent, close the
 * palette and retry.
 */
export async function runCommand(page, label, { tries = 8 } = {}) {
  for (let i = 1; i <= tries; i++) {
    await focusWorkbench(page);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('>' + label);
    if (await pickRow(page, label, 4000)) return;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(750);
  }
  throw new Error(`the command "${label}" never appeared in the command palette`);
}

/**
 * Notebook editors are pooled and overlaid: the shown one is the one on top at its own centre. Marks it with
 * data-vsum-active and returns a locator for it (waits until one with cells is shown).
 */
export async function activeNotebook(page, timeout = 60_000) {
  await page.waitForFunction(
    () => {
      const editors = [...document.querySelectorAll('.notebook-editor')];
      editors.forEach((e) => e.removeAttribute('data-vsum-active'));
      const shown = editors.find((e) => {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || !e.querySelector('.code-cell-row, .markdown-cell-row')) return false;
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + Math.min(r.height / 2, 200));
        return hit !== null && (e.contains(hit) || hit.tagName === 'IFRAME');
      });
      if (!shown) return false;
      shown.setAttribute('data-vsum-active', '1');
      return true;
    },
    undefined,
    { timeout },
  );
  return page.locator('.notebook-editor[data-vsum-active="1"]');
}

/** Focuses the shown notebook editor's first cell (Quick Open may leave focus elsewhere). */
export async function focusNotebook(page) {
  await activeNotebook(page);
  // Clicking a cell's left focus indicator selects the cell and gives the notebook editor focus. Take one that
  // is inside the scrolled list's viewport (rows above it stay in the DOM, under the editor's overlay).
  const point = await page.waitForFunction(
    () => {
      const nb = document.querySelector('.notebook-editor[data-vsum-active="1"]');
      const list = nb?.querySelector('.cell-list-container')?.getBoundingClientRect();
      if (!list) return null;
      for (const el of nb.querySelectorAll('.monaco-list-row .cell-focus-indicator-left')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 4 && r.top >= list.top && r.bottom <= list.bottom)
          return { x: r.x + r.width / 2, y: r.y + Math.min(r.height / 2, 12) };
      }
      return null;
    },
    undefined,
    { timeout: 10_000 },
  );
  const { x, y } = await point.jsonValue();
  await page.mouse.click(x, y);
}

export const THEMES = {
  light: { setting: 'Default Light Modern', label: 'Light Modern', workbenchClass: 'vs', bodyClass: 'vscode-light' },
  dark: { setting: 'Default Dark Modern', label: 'Dark Modern', workbenchClass: 'vs-dark', bodyClass: 'vscode-dark' },
};

/**
 * Switches the colour theme through "Preferences: Color Theme" (the way a user does; code-server does not pick
 * up edits of the settings file reliably) and waits until the workbench carries the theme's class.
 */
export async function setTheme(page, name) {
  const t = THEMES[name];
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(t.label);
  if (!(await pickRow(page, t.label, 10_000, { prefix: true })))
    throw new Error(`the colour theme "${t.label}" is not offered`);
  await page.waitForFunction(
    (cls) => document.querySelector('.monaco-workbench')?.classList.contains(cls),
    t.workbenchClass,
    { timeout: 30_000 },
  );
}

/** Scrolls the shown notebook by about `dy` pixels of wheel delta (the workbench scales it). */
export async function scrollNotebook(page, dy) {
  const list = (await activeNotebook(page, 10_000)).locator('.cell-list-container').first();
  const box = await list.boundingBox();
  if (!box) throw new Error('the notebook cell list is not visible');
  // Over the left gutter (workbench DOM), not over an output: the output webview would hand the wheel to what
  // is under the pointer first (a plotly chart zooms instead of the notebook scrolling).
  await page.mouse.move(box.x + 12, box.y + box.height / 2);
  await page.mouse.wheel(0, dy);
}

/**
 * The element's box after a scroll: waits (up to 1.5 s) for it to start moving, then until it stops (wheel
 * scrolling is applied asynchronously, maybe smoothly). Unchanged after that: the notebook cannot scroll on.
 */
async function boxAfterScroll(page, handle, before) {
  let prev = before;
  let moving = false;
  for (let i = 0; i < 60; i++) {
    await page.waitForTimeout(50);
    const box = await handle.boundingBox();
    if (!box || !prev) return box;
    if (box.y !== prev.y) moving = true;
    else if (moving || i >= 30) return box;
    prev = box;
  }
  return prev;
}

/**
 * Scrolls the notebook until `handle` (an element in an output frame) has its top between `margin` and
 * `margin + 80` pixels below the top of the cell list (or as close as the notebook can scroll); with
 * align 'visible' an element already wholly in view is left alone.
 */
export async function revealInNotebook(page, handle, { margin = 10, align = 'visible' } = {}) {
  const list = await (await activeNotebook(page, 10_000)).locator('.cell-list-container').first().boundingBox();
  if (!list) throw new Error('the notebook cell list is not visible');
  const top = list.y + margin;
  let box = await handle.boundingBox();
  // 'visible': leave it where it is when it is wholly inside the cell list already.
  if (align === 'visible' && box && box.y >= list.y && box.y + box.height <= list.y + list.height) return;
  let pxPerDelta = 1; // learnt from the first wheel: the workbench scales wheel deltas
  for (let i = 0; i < 30; i++) {
    if (!box) throw new Error('the output element has no box (not rendered)');
    const off = box.y - top;
    if (off >= 0 && off <= 80) return;
    await scrollNotebook(page, Math.max(-3000, Math.min(3000, off / pxPerDelta)));
    const next = await boxAfterScroll(page, handle, box);
    const moved = box.y - next.y;
    if (Math.abs(moved) < 1) return; // the notebook cannot scroll further: as close as it gets
    pxPerDelta = Math.max(0.01, Math.abs(moved / (off / pxPerDelta)));
    box = next;
  }
  throw new Error('could not scroll the output into view');
}
