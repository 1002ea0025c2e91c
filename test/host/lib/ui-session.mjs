// UI checks of restart and state (issue 16 item 8), as a user meets them in code-server:
//  - after Run All, the "vsum Session" view (Explorer) lists the videos, embeddings and summaries with their sizes,
//    and a summary expands to its files;
//  - its title's Restart Session shows the real modal ("Restart" / "Cancel"); Restart says "Session restarted",
//    empties the view and clears the cells' run counters ([n]).
// Screenshots in both themes: session-view-<theme>.png (notebook + view), restart-confirm-<theme>.png.
import path from 'node:path';
import { log, step } from './log.mjs';
import { writeNotebook } from './workspace.mjs';
import { activeNotebook, focusNotebook, focusWorkbench, openFile, runCommand, setTheme } from './workbench.mjs';

const NOTEBOOK = 'ui-session.vsumnb';
const SHOT_VIEWPORT = { width: 1280, height: 860 };

/** Before the workbench opens: Quick Open lists the files that were there when the window opened. */
export function prepareSessionUi(workspace) {
  writeNotebook(path.join(workspace, NOTEBOOK), [
    '# Restart and state\n\nRun All, then look at the **vsum Session** view in the Explorer.',
    'load: mmcv-test.mp4',
    'embed: {model: histogram}',
    'summarize: {method: [kmeans, tt02], seed: 1, ratio: 0.3}',
  ]);
}

export async function runSessionChecks({ page, resultsDir }) {
  const shot = (name) => page.screenshot({ path: path.join(resultsDir, name) });
  await page.setViewportSize(SHOT_VIEWPORT);
  // The first-run checks end in the light theme.
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') await step('session: switch to the dark theme', 60_000, () => setTheme(page, 'dark'));
    await step(`session (${theme}): Run All fills the vsum Session view`, 240_000, async () => {
      await openFile(page, NOTEBOOK);
      await focusNotebook(page);
      await runCommand(page, 'Notebook: Run All');
      await palette(page, 'Focus on vsum Session View');
      const view = sessionPane(page);
      await view.waitFor({ state: 'visible', timeout: 30_000 });
      // Room for the view: the workspace's folder pane collapsed.
      const folders = page.locator('.pane-header[aria-expanded="true"]', { hasText: /^workspace/i });
      if (await folders.count()) await folders.first().click();
      const rows = await waitForRows(page, (r) => r.some((t) => t.startsWith('Summaries')), 200_000);
      for (const want of [
        /^Videos\s*1 video/,
        /^mmcv-test\.mp4\s*168 frames · .* · 294×240 · \d+ KB/,
        /^Embeddings\s*histogram-/,
      ]) {
        if (!rows.some((t) => want.test(t)))
          throw new Error(`no row matching ${want} in the view: ${rows.join(' | ')}`);
      }
      // A summary expands to its files, each with its size.
      const run = view.locator('.monaco-list-row', { hasText: 'mmcv-test · tt02' }).first();
      await run.scrollIntoViewIfNeeded();
      await run.locator('.monaco-tl-twistie').click({ force: true, timeout: 10_000 });
      const files = await waitForRows(
        page,
        (r) => r.some((t) => /mmcv-test\.tt02\.summary\.mp4\s*\d+(\.\d)? KB/.test(t)),
        20_000,
      );
      await focusWorkbench(page);
      await page.waitForTimeout(400);
      await shot(`session-view-${theme}.png`);
      log(`  vsum Session view: ${files.length} rows — ${files.slice(0, 6).join(' | ')} …`);
    });

    await step(`session (${theme}): Restart Session asks, then clears the view and the counters`, 90_000, async () => {
      // Other notebooks stay open in pooled editors: read the counters of the shown one only.
      await activeNotebook(page);
      const orders = await executionOrders(page);
      if (!orders.some((o) => /\[\d+\]/.test(o))) throw new Error(`no run counters before the restart: ${orders}`);
      const header = sessionPane(page).locator('.pane-header');
      await header.hover();
      await header.locator('.action-label[aria-label*="Restart Session"]').click();
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'Restart the vsum session of ui-session.vsumnb?' });
      await dialog.waitFor({ state: 'visible', timeout: 15_000 });
      const buttons = (await dialog.locator('.monaco-button').allInnerTexts()).map((t) => t.trim());
      if (!buttons.includes('Restart') || !buttons.includes('Cancel'))
        throw new Error(`the restart dialog offers ${buttons.join(', ')}, not Restart and Cancel`);
      await page.waitForTimeout(300);
      await shot(`restart-confirm-${theme}.png`);
      await dialog.locator('.monaco-button', { hasText: 'Restart' }).first().click();
      await page
        .locator('.notifications-toasts', { hasText: 'Session restarted' })
        .waitFor({ state: 'visible', timeout: 20_000 });
      await sessionPane(page)
        .locator('.welcome-view-content', { hasText: 'once a cell runs' })
        .waitFor({ state: 'visible', timeout: 20_000 });
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('.notebook-editor[data-vsum-active="1"] .execution-count-label')].every(
            (e) => !/\[\d+\]/.test(e.textContent || ''),
          ),
        undefined,
        { timeout: 20_000 },
      );
      log(
        `  restart: the dialog offered ${buttons.join(' / ')}; "Session restarted"; counters ${orders.join(' ')} → none`,
      );
      await page.keyboard.press('Escape');
    });
  }
  // Leave the Explorer as found: the checks after these look for files in the folder pane collapsed above.
  const collapsed = page.locator('.pane-header[aria-expanded="false"]', { hasText: /^workspace/i });
  if (await collapsed.count()) await collapsed.first().click();
}

function sessionPane(page) {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: /vsum Session/i }) });
}

/** The texts of the view's rows once `ok(rows)` holds. */
async function waitForRows(page, ok, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    // A row's label and description are adjacent spans: innerText may run them together.
    const rows = (await sessionPane(page).locator('.monaco-list-row').allInnerTexts()).map((t) =>
      t.replace(/\s+/g, ' ').trim(),
    );
    if (ok(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`the vsum Session view shows: ${rows.join(' | ') || 'nothing'}`);
    await page.waitForTimeout(500);
  }
}

/** The execution counters the shown notebook's cells display. */
async function executionOrders(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.notebook-editor[data-vsum-active="1"] .execution-count-label')]
      .map((e) => (e.textContent || '').trim())
      .filter(Boolean),
  );
}

/** Runs a palette command by the first row whose label contains `label` (the view's focus command's category varies). */
async function palette(page, label) {
  for (let i = 0; i < 6; i++) {
    await focusWorkbench(page);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('>' + label);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    if (
      await row.waitFor({ state: 'visible', timeout: 4000 }).then(
        () => true,
        () => false,
      )
    ) {
      await row.click();
      return;
    }
    await page.keyboard.press('Escape');
    await page.waitForTimeout(750);
  }
  throw new Error(`the command "${label}" never appeared in the command palette`);
}
