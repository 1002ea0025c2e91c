// The UI stage: open the UI-check notebook in the workbench, Run All, check every renderer's DOM, and take
// screenshots of each output kind and of the whole notebook in the light and dark theme.
import fs from 'node:fs';
import path from 'node:path';
import { log, step } from './log.mjs';
import { checkOutput, OUTPUT_KINDS, outputThemeIs, screenshotOutput } from './ui-checks.mjs';
import { expectedSummary } from './summary-file.mjs';
import { focusNotebook, openFile, runCommand, setTheme, waitForWorkbench } from './workbench.mjs';
import { UI_NOTEBOOK } from './workspace.mjs';

// Tall enough that every output of the UI notebook is inside the viewport (the notebook only renders outputs
// of cells in view); the README shots are taken at a normal size afterwards.
const CHECK_VIEWPORT = { width: 1280, height: 2600 };
const SHOT_VIEWPORT = { width: 1280, height: 860 };

export async function runUiChecks({ browser, profile, workspace, url, resultsDir }) {
  if (!fs.existsSync(path.join(workspace, UI_NOTEBOOK))) throw new Error(`the UI notebook ${UI_NOTEBOOK} is missing from the workspace`);
  const page = await browser.newPage({ viewport: CHECK_VIEWPORT });
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e}`));
  try {
    await step('load the workbench', 120_000, async () => {
      await page.goto(url);
      await waitForWorkbench(page);
    });
    await step(`open ${UI_NOTEBOOK}`, 90_000, async () => {
      await openFile(page, UI_NOTEBOOK);
      await focusNotebook(page);
    });
    const runStarted = Date.now() - 1000; // mtime granularity
    await step('Notebook: Run All', 90_000, async () => runCommand(page, 'Notebook: Run All'));

    let expect = null;
    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') {
        await step('switch to the dark theme', 60_000, async () => {
          await setTheme(page, 'dark');
          const deadline = Date.now() + 30_000;
          while (!(await outputThemeIs(page, 'vscode-dark'))) {
            if (Date.now() > deadline) throw new Error('the output webview never switched to vscode-dark');
            await page.waitForTimeout(200);
          }
        });
      }
      await page.setViewportSize(CHECK_VIEWPORT);
      for (const spec of OUTPUT_KINDS) {
        // The first check waits for the kernel to run the pipeline; later ones find their output already there.
        const found = await step(`UI check (${theme}): ${spec.what}`, theme === 'light' ? 300_000 : 60_000, async () => {
          const wait = theme === 'light' ? 295_000 : 55_000;
          if (spec.kind === 'summary-player' && !expect) {
            // Once the player shows a loaded video the kernel has written the summary file: measure it, then
            // compare the player's duration against it.
            await checkOutput(page, spec, { summaryDuration: null }, wait);
            expect = await expectedSummary(workspace, runStarted);
            if (expect.summaryDuration == null) throw new Error('the run wrote no summary .mp4 into the workspace');
            log(`  summary video ${path.relative(workspace, expect.summaryFile)}: ${expect.summaryDuration.toFixed(3)}s (ffprobe)`);
          }
          return checkOutput(page, spec, expect ?? {}, wait);
        });
        log(`  ${spec.kind}: ${found.result.detail}`);
        await screenshotOutput(found.frame, spec.kind, path.join(resultsDir, `${spec.kind}-${theme}.png`));
      }
      await step(`screenshot the notebook (${theme})`, 30_000, async () => {
        await page.setViewportSize(SHOT_VIEWPORT);
        await page.locator('.notebook-editor:visible').first().waitFor();
        await page.screenshot({ path: path.join(resultsDir, `notebook-${theme}.png`) });
      });
    }
  } catch (e) {
    await page.screenshot({ path: path.join(resultsDir, 'failure.png') }).catch(() => {});
    const outputs = await outputText(page);
    throw new Error(`${e.message}\n  screenshot: ${path.join(resultsDir, 'failure.png')}` +
      (outputs ? `\n  text of the notebook outputs:\n${outputs.replace(/^/gm, '    ')}` : ''), { cause: e });
  } finally {
    fs.writeFileSync(path.join(resultsDir, 'browser-console.log'), consoleLines.join('\n') + '\n');
    await page.close().catch(() => {});
  }
}

/** What the output webview shows (error outputs included), for failure messages. */
async function outputText(page) {
  for (const f of page.frames()) {
    const t = await f.evaluate(() => (document.querySelector('#container') ? document.body.innerText : null)).catch(() => null);
    if (t && t.trim()) return t.trim().slice(0, 2000);
  }
  return null;
}
