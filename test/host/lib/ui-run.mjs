// The UI stage: open each UI notebook in the workbench, Run All, check every renderer's DOM, and take
// screenshots of each output kind and of the README notebook in the light and dark theme.
import fs from 'node:fs';
import path from 'node:path';
import { log, step } from './log.mjs';
import { checkOutput, OUTPUT_KINDS, outputThemeIs, screenshotOutput } from './ui-checks.mjs';
import { expectedSummary } from './summary-file.mjs';
import { prepareHostUi, runHostUiChecks } from './ui-hostui.mjs';
import {
  activeNotebook,
  focusNotebook,
  openFile,
  revealInNotebook,
  runCommand,
  scrollNotebook,
  setTheme,
  waitForWorkbench,
} from './workbench.mjs';
import { UI_NOTEBOOKS } from './workspace.mjs';
import { runFirstRunChecks } from './ui-firstrun.mjs';
import { prepareSessionUi, runSessionChecks } from './ui-session.mjs';

// The notebook renders only the outputs of cells in (or near) the viewport, and scrolling it from outside is
// unreliable, so the checks run in a viewport tall enough for a whole UI notebook; the README screenshots are
// taken at a normal size afterwards.
const CHECK_VIEWPORT = { width: 1280, height: 3000 };
const SHOT_VIEWPORT = { width: 1280, height: 860 };
// How long the kernel may take to produce an output after Run All (the whole pipeline runs in that time).
const RUN_TIMEOUT_MS = 240_000;
const RECHECK_TIMEOUT_MS = 45_000;

export async function runUiChecks({ browser, workspace, url, resultsDir }) {
  prepareHostUi(workspace);
  prepareSessionUi(workspace);
  const page = await browser.newPage({ viewport: CHECK_VIEWPORT });
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e}`));
  try {
    await step('load the workbench', 120_000, async () => {
      await page.goto(url);
      await waitForWorkbench(page);
    });
    // More room for the notebook (and the README screenshots).
    await step('close the side bar', 30_000, async () => runCommand(page, 'View: Close Primary Side Bar'));

    let expect = null;
    for (const theme of ['light', 'dark']) {
      const firstPass = theme === 'light';
      if (!firstPass) {
        await step('switch to the dark theme', 60_000, async () => {
          await setTheme(page, 'dark');
          const deadline = Date.now() + 30_000;
          while (!(await outputThemeIs(page, 'vscode-dark'))) {
            if (Date.now() > deadline) throw new Error('the output webview never switched to vscode-dark');
            await page.waitForTimeout(200);
          }
        });
      }
      for (const nb of UI_NOTEBOOKS) {
        await step(`open ${nb.file} (${theme})`, 90_000, async () => {
          await openFile(page, nb.file);
          if (firstPass)
            await focusNotebook(page); // Run All needs the notebook editor focused
          else await activeNotebook(page);
        });
        const runStarted = Date.now() - 1000; // mtime granularity
        if (firstPass)
          await step(`${nb.file}: Notebook: Run All`, 90_000, async () => runCommand(page, 'Notebook: Run All'));
        await page.setViewportSize(CHECK_VIEWPORT);
        await scrollNotebook(page, -1e6);
        for (const kind of nb.kinds) {
          const spec = OUTPUT_KINDS.find((k) => k.kind === kind);
          const wait = firstPass ? RUN_TIMEOUT_MS : RECHECK_TIMEOUT_MS;
          const found = await step(`UI check (${theme}): ${spec.what}`, wait + 30_000, async () => {
            if (spec.kind === 'summary-player' && !expect) {
              // Once the player shows a loaded video the kernel has written the summary file: measure it, then
              // compare the player's duration against it.
              await checkOutput(page, spec, { summaryDuration: null }, wait);
              expect = await expectedSummary(workspace, runStarted);
              if (expect.summaryDuration == null) throw new Error('the run wrote no summary .mp4 into the workspace');
              log(
                `  summary video ${path.relative(workspace, expect.summaryFile)}: ${expect.summaryDuration.toFixed(3)}s (ffprobe)`,
              );
            }
            return checkOutput(page, spec, expect ?? {}, wait);
          });
          log(`  ${spec.kind}: ${found.result.detail}`);
          await step(`screenshot ${spec.kind} (${theme})`, 30_000, async () =>
            screenshotOutput(page, found.frame, spec.kind, path.join(resultsDir, `${spec.kind}-${theme}.png`)),
          );
        }
        if (nb.readme) {
          await step(`screenshot ${nb.file} (${theme})`, 30_000, async () => {
            await page.setViewportSize(SHOT_VIEWPORT);
            await scrollNotebook(page, -1e6);
            await page.waitForFunction(
              () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))),
            );
            await page.screenshot({ path: path.join(resultsDir, `notebook-${theme}.png`) });
            // And the summary itself: the summarize cell (its source above its strip), player and plot.
            const strip = await lastOutput(page, 'frame-strip');
            if (strip) {
              await revealInNotebook(page, strip, { margin: 70, align: 'top' });
              await page.screenshot({ path: path.join(resultsDir, `notebook-summary-${theme}.png`) });
            }
          });
        }
      }
    }
    await runFirstRunChecks({ page, workspace, resultsDir });
    await runSessionChecks({ page, workspace, resultsDir });
    await runHostUiChecks({ page, workspace, resultsDir });
  } catch (e) {
    await page.screenshot({ path: path.join(resultsDir, 'failure.png') }).catch(() => {});
    const outputs = await outputText(page);
    throw new Error(
      `${e.message}\n  screenshot: ${path.join(resultsDir, 'failure.png')}` +
        (outputs ? `\n  text of the notebook outputs (end):\n${outputs.replace(/^/gm, '    ')}` : ''),
      { cause: e },
    );
  } finally {
    fs.writeFileSync(path.join(resultsDir, 'browser-console.log'), consoleLines.join('\n') + '\n');
    await page.close().catch(() => {});
  }
}

/** The end of what the output webview shows (error outputs included), for failure messages. */
async function outputText(page) {
  for (const f of page.frames()) {
    const t = await f
      .evaluate(() => (document.querySelector('#container') ? document.body.innerText : null))
      .catch(() => null);
    if (t && t.trim()) return t.trim().slice(-2000);
  }
  return null;
}

/** The last rendered output of `kind` in the visible notebook's output frames. */
async function lastOutput(page, kind) {
  let last = null;
  for (const f of page.frames()) {
    const all = await f.$$(`.vsum-out[data-kind="${kind}"]`).catch(() => []);
    for (const h of all) if (await h.isVisible().catch(() => false)) last = h;
  }
  return last;
}
