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
  await page.waitForFunction((n) => {
    const r = document.querySelector('.quick-input-list .monaco-list-row.focused');
    return r && (r.getAttribute('aria-label') || '').includes(n);
  }, name, { timeout: 20_000 });
  await page.keyboard.press('Enter');
}

/** The quick-input row whose label is exactly `label` (its aria-label may add ", <keybinding>"). */
async function pickRow(page, label, timeout, { prefix = false } = {}) {
  const ok = await page.waitForFunction(({ l, prefix }) => {
    const rows = [...document.querySelectorAll('.quick-input-list .monaco-list-row')];
    rows.forEach((r) => r.removeAttribute('data-vsum-pick')); // rows are recycled: drop stale marks
    const row = rows.find((r) => {
      const a = r.getAttribute('aria-label') || '';
      return a === l || a.startsWith(prefix ? l : l + ',');
    });
    if (!row) return false;
    row.setAttribute('data-vsum-pick', '1');
    return true;
  }, { l: label, prefix }, { timeout }).then(() => true, () => false);
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

/** Focuses the visible notebook editor's first cell (Quick Open may leave focus in the explorer). */
export async function focusNotebook(page) {
  const editor = page.locator('.notebook-editor:visible').first();
  await editor.waitFor({ timeout: 60_000 });
  // Clicking a cell row selects it and gives the notebook editor focus (hidden pooled editors are skipped).
  await editor.locator('.monaco-list-row .cell-focus-indicator-left:visible, .monaco-list-row .cell-editor-container:visible').first().click({ timeout: 10_000 });
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
  if (!(await pickRow(page, t.label, 10_000, { prefix: true }))) throw new Error(`the colour theme "${t.label}" is not offered`);
  await page.waitForFunction((cls) => document.querySelector('.monaco-workbench')?.classList.contains(cls), t.workbenchClass, { timeout: 30_000 });
}

/** Scrolls the visible notebook by `dy` pixels (mouse wheel over the cell list; the output webview forwards it). */
export async function scrollNotebook(page, dy) {
  const list = page.locator('.notebook-editor:visible .cell-list-container').first();
  const box = await list.boundingBox();
  if (!box) throw new Error('the notebook cell list is not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 300));
  await page.mouse.wheel(0, dy);
}

/**
 * Scrolls the notebook until `handle` (an element in an output frame) is inside the viewport, at least `margin`
 * pixels below the top of the cell list.
 */
export async function revealInNotebook(page, handle, { margin = 10 } = {}) {
  const vp = page.viewportSize();
  const list = await page.locator('.notebook-editor:visible .cell-list-container').first().boundingBox();
  const top = (list?.y ?? 100) + margin;
  for (let i = 0; i < 40; i++) {
    const box = await handle.boundingBox();
    if (!box) throw new Error('the output element has no box (not rendered)');
    const fits = box.y >= top && box.y + Math.min(box.height, vp.height - top - 30) <= vp.height - 30;
    if (fits) return;
    await scrollNotebook(page, box.y - top);
    // Wait until the scroll has moved the element (wheel scrolling is applied asynchronously).
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
  }
  throw new Error('could not scroll the output into view');
}
