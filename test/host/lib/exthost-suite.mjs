// Runs the in-host mocha suite (dist/test/integration/index.js, the test-electron style `run()` entry) inside
// code-server's extension host. VS Code's web `payload` URL parameter carries extensionDevelopmentPath and
// extensionTestsPath (the mechanism @vscode/test-web uses); when `run()` settles the workbench calls
// window.codeAutomationExit(code), which we expose to the page.
import fs from 'node:fs';

export function workbenchUrl(server, workspace, payload) {
  const q = new URLSearchParams({ folder: workspace });
  if (payload?.length) q.set('payload', JSON.stringify(payload));
  return `${server.origin}/?${q}`;
}

/** vscode-remote URI of a path on the server (the server is this machine). */
export const remoteUri = (server, p) => `vscode-remote://${server.authority}${p}`;

/**
 * Opens the test URL and waits for the exit code. While it runs, the mirrored mocha log (VSUM_MOCHA_LOG, written
 * by the extension host) is streamed to our stdout.
 */
export async function runSuiteInHost({ browser, server, workspace, extensionPath, testsPath, mochaLog, timeoutMs }) {
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e}`));
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  const url = workbenchUrl(server, workspace, [
    ['extensionDevelopmentPath', remoteUri(server, extensionPath)],
    ['extensionTestsPath', remoteUri(server, testsPath)],
  ]);
  await page.goto(url);

  let printed = 0;
  const pump = () => {
    if (!fs.existsSync(mochaLog)) return;
    const text = fs.readFileSync(mochaLog, 'utf8');
    if (text.length > printed) {
      process.stdout.write(text.slice(printed).replace(/^/gm, '  │ '));
      printed = text.length;
    }
  };
  const timer = setInterval(pump, 250);
  let timeout;
  const timedOut = new Promise((r) => (timeout = setTimeout(() => r('timeout'), timeoutMs)));
  try {
    const code = await Promise.race([exited, timedOut]);
    pump();
    if (code === 'timeout') {
      const tail = consoleLines.slice(-40).join('\n');
      throw new Error(
        `step 'in-host mocha suite' timed out after ${timeoutMs / 1000}s ` +
          `(${printed ? 'the suite started but did not finish' : 'the suite never started: no mocha output'}).\n` +
          `Last browser console lines:\n${tail}`,
      );
    }
    return { code, consoleLines };
  } finally {
    clearInterval(timer);
    clearTimeout(timeout);
    await page.close().catch(() => {});
  }
}
