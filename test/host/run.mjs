#!/usr/bin/env node
// `npm run test:host` (and the second stage of `npm test`): vsum inside a real VS Code — code-server 4.100.3
// (VS Code 1.100.3, installs from the npm registry) driven by Debian's Chromium through playwright-core.
//
//  1. preflight: Debian packages present (as root: apt-get installs what is missing), code-server cached in
//     .cache/host/code-server-<version>/ (installed on first use, outside the extension's node_modules);
//  2. production build, pack our .vsix with @vscode/vsce (the package script's flags) and install it into a fresh
//     profile in a temp dir;
//  3. start code-server in its own process group on a free 127.0.0.1 port, wait for /healthz;
//  4. run the mocha suite (test/integration) inside the extension host via the web `payload` parameter;
//  5. UI checks in Chromium: open a notebook, Run All, check each renderer's DOM inside the output iframes,
//     screenshot every output kind in the light and dark theme into test-results/host/;
//  6. kill the server's process group; on failure print the server log.
//
// Environment:
//   VSUM_SKIP_HOST=1          skip this stage (it says so loudly)
//   VSUM_HOST_ONLY=suite|ui   run only the in-host mocha suite or only the UI checks
//   VSUM_HOST_EXTENSION=<dir> test this extension folder as a development extension instead of packing a .vsix
//   VSUM_TEST_GREP=<regexp>   only in-host tests whose title matches
//   VSUM_HOST_KEEP=1          keep the temp profile/workspace (its path is printed)
//   VSUM_CHROMIUM=<path>      browser binary (default /usr/bin/chromium)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSuiteInHost, workbenchUrl, remoteUri } from './lib/exthost-suite.mjs';
import { CHROMIUM, CODE_SERVER_VERSION, ensureCodeServer } from './lib/install.mjs';
import { elapsed, log, step } from './lib/log.mjs';
import { packVsix } from './lib/vsix.mjs';
import { installExtension, makeProfile, printServerLog, profileEnv, startServer } from './lib/server.mjs';
import { runUiChecks } from './lib/ui-run.mjs';
import { prepareWorkspace } from './lib/workspace.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheRoot = path.join(repo, '.cache', 'host');
const resultsDir = path.join(repo, 'test-results', 'host');
const only = process.env.VSUM_HOST_ONLY;

if (process.env.VSUM_SKIP_HOST === '1') {
  const bar = '!'.repeat(78);
  console.log(
    `${bar}\n!! HOST STAGE SKIPPED (VSUM_SKIP_HOST=1): the in-host suite and the UI checks in code-server did\n` +
      `!! NOT run. Unset VSUM_SKIP_HOST to run them (npm run test:host).\n${bar}`,
  );
  process.exit(0);
}

let server = null;
let browser = null;
let profile = null;
let failed = false;
try {
  log(`vsum host tests: code-server ${CODE_SERVER_VERSION}, Chromium ${CHROMIUM}`);
  const bin = await step('install code-server (cached)', 15 * 60_000, async () => ensureCodeServer(cacheRoot));
  // The production build, as `npm run package` ships it (the in-host suite bundles are built alongside).
  await step('build (node esbuild.mjs --production --tests)', 120_000, async () => {
    const r = spawnSync(process.execPath, ['esbuild.mjs', '--production', '--tests'], { cwd: repo, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`esbuild failed:\n${r.stdout}\n${r.stderr}`);
  });
  const testsPath = path.join(repo, 'dist', 'test', 'integration', 'index.js');
  if (!fs.existsSync(testsPath)) throw new Error(`${testsPath} was not built (is test/integration/index.ts there?)`);

  profile = makeProfile();
  fs.rmSync(resultsDir, { recursive: true, force: true });
  fs.mkdirSync(resultsDir, { recursive: true });
  const workspace = prepareWorkspace(repo, profile.workspace);

  // The extension under test: our packed .vsix installed into the profile, or a folder given explicitly, or
  // (while packing is not possible) the repository itself as a development extension.
  let extensionPath = process.env.VSUM_HOST_EXTENSION ? path.resolve(process.env.VSUM_HOST_EXTENSION) : null;
  let devMode = Boolean(extensionPath);
  if (!extensionPath) {
    const vsix = await step('pack the .vsix (vsce)', 180_000, async () => packVsix(repo, profile));
    if (vsix) {
      const dirs = await step('install the .vsix into the fresh profile', 120_000, async () =>
        installExtension(bin, profile, vsix),
      );
      extensionPath = dirs.find((d) => path.basename(d).startsWith('vsum.vsum-')) ?? dirs[0];
      log(`installed: ${extensionPath}`);
    } else {
      extensionPath = repo;
      devMode = true;
    }
  }
  if (devMode) log(`extension under test: ${extensionPath} (development extension, not a packed .vsix)`);

  const mochaLog = path.join(profile.logs, 'mocha.log');
  const mochaResult = path.join(profile.logs, 'mocha-result.json');
  server = await step('start code-server and wait for /healthz', 60_000, async () =>
    startServer(bin, profile, { env: { VSUM_MOCHA_LOG: mochaLog, VSUM_MOCHA_RESULT: mochaResult, VSUM_TEST: '1' } }),
  );
  log(`code-server on ${server.origin} (process group ${server.pid}), profile ${profile.root}`);

  const { chromium } = await import('playwright-core');
  browser = await step('launch Chromium', 60_000, async () =>
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env: profileEnv(profile),
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
    }),
  );

  if (only !== 'ui') {
    log("in-host mocha suite (inside code-server's extension host):");
    const { code } = await runSuiteInHost({
      browser,
      server,
      workspace,
      extensionPath,
      testsPath,
      mochaLog,
      timeoutMs: 8 * 60_000,
    });
    const summary = fs.existsSync(mochaResult) ? JSON.parse(fs.readFileSync(mochaResult, 'utf8')) : null;
    if (summary) {
      log(
        `in-host tests: ${summary.passes + summary.failures + summary.pending} run by mocha — ${summary.passes} passed, ` +
          `${summary.failures} failed, ${summary.pending} pending (files: ${summary.files.join(', ')})`,
      );
    } else {
      log('in-host tests: mocha wrote no result file (the suite did not load — see the log above)');
    }
    fs.copyFileSync(mochaLog, path.join(resultsDir, 'mocha.log'));
    if (code !== 0 || !summary || summary.failures > 0)
      throw new Error(`the in-host mocha suite failed (exit code ${code})`);
    if (summary.passes === 0) throw new Error('the in-host mocha suite ran no passing test');
  }

  if (only !== 'suite') {
    const payload = devMode ? [['extensionDevelopmentPath', remoteUri(server, extensionPath)]] : undefined;
    await runUiChecks({
      browser,
      server,
      profile,
      workspace,
      url: workbenchUrl(server, workspace, payload),
      resultsDir,
    });
  }
  log(`host stage passed in ${elapsed()}; screenshots in ${path.relative(repo, resultsDir)}/`);
} catch (e) {
  failed = true;
  console.error(`\nHOST STAGE FAILED: ${e?.message ?? e}`);
  if (e?.cause?.stack && process.env.VSUM_HOST_DEBUG) console.error(e.cause.stack);
  printServerLog(server);
  if (profile) printExtensionHostLogs(profile);
} finally {
  await browser?.close().catch(() => {});
  if (server) await server.stop();
  if (profile) {
    if (failed || process.env.VSUM_HOST_KEEP === '1') log(`profile kept for inspection: ${profile.root}`);
    else fs.rmSync(profile.root, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);

/** The extension host's own log holds activation errors and uncaught exceptions of our extension. */
function printExtensionHostLogs(p) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (/exthost\.log$/i.test(e.name)) found.push(f);
    }
  };
  const logs = path.join(p.userData, 'logs');
  if (fs.existsSync(logs)) walk(logs);
  for (const f of found) {
    const lines = fs
      .readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => /error|warn|vsum/i.test(l))
      .slice(-60);
    if (lines.length) console.error(`----- ${path.relative(p.root, f)} (errors/warnings) -----\n${lines.join('\n')}`);
  }
}
