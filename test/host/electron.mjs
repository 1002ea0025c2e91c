#!/usr/bin/env node
// `npm run test:electron`: the same in-host suite (dist/test/integration/index.js) in desktop VS Code, which
// @vscode/test-electron downloads (needs internet the first time; cached in .cache/host/vscode-electron/).
// On headless Linux it re-runs itself under `xvfb-run` when that is installed (apt: xvfb).
//
// Environment: VSUM_VSCODE_VERSION (default "stable", or e.g. "1.100.3"), VSUM_TEST_GREP (only matching tests).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareWorkspace } from './lib/workspace.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const version = process.env.VSUM_VSCODE_VERSION || 'stable';

if (
  process.platform === 'linux' &&
  !process.env.DISPLAY &&
  !process.env.WAYLAND_DISPLAY &&
  !process.env.VSUM_UNDER_XVFB
) {
  const xvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).stdout.trim();
  if (xvfb) {
    const r = spawnSync(xvfb, ['-a', process.execPath, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, VSUM_UNDER_XVFB: '1' },
    });
    process.exit(r.status ?? 1);
  }
  console.warn('warning: no DISPLAY and no xvfb-run; desktop VS Code may fail to start (apt-get install xvfb)');
}

const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');
let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({
    version,
    cachePath: path.join(repo, '.cache', 'host', 'vscode-electron'),
    timeout: 30_000,
  });
} catch (e) {
  console.error(
    `\nCOULD NOT DOWNLOAD VS CODE (${version}) for @vscode/test-electron: ${e?.message ?? e}\n` +
      'This launcher needs internet access to update.code.visualstudio.com the first time. On an offline machine use\n' +
      '`npm run test:host`, which runs the same suite in code-server installed from the npm registry.',
  );
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-electron-'));
const workspace = prepareWorkspace(repo, path.join(tmp, 'workspace'));
const resultFile = path.join(tmp, 'mocha-result.json');
let code = 1;
try {
  code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(repo, 'dist', 'test', 'integration', 'index.js'),
    launchArgs: [
      workspace,
      '--user-data-dir',
      path.join(tmp, 'user-data'),
      '--extensions-dir',
      path.join(tmp, 'extensions'),
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-gpu',
    ],
    extensionTestsEnv: {
      VSUM_MOCHA_RESULT: resultFile,
      VSUM_TEST: '1',
      ...(process.env.VSUM_TEST_GREP ? { VSUM_TEST_GREP: process.env.VSUM_TEST_GREP } : {}),
    },
  });
} catch (e) {
  console.error(`test-electron: ${e?.message ?? e}`);
}
if (fs.existsSync(resultFile)) {
  const s = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  console.log(
    `in-host tests: ${s.passes + s.failures + s.pending} run by mocha in VS Code ${version} — ${s.passes} passed, ${s.failures} failed, ${s.pending} pending`,
  );
}
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(code === 0 ? 0 : 1);
