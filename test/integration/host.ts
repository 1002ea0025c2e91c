// Small helpers for the in-host suites (test/integration/*.test.ts). They run inside VS Code's extension host,
// started by test/host/run.mjs (code-server) or test/host/electron.mjs (@vscode/test-electron); both open a
// fresh temporary workspace folder holding a copy of media/sample/.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

/** The repository root: this bundle lives in <repo>/dist/test/integration/. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
};
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/** The extension under test, activated (in extensionTestsPath mode nothing has activated it yet). */
export async function activateVsum(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  await ext.activate();
  return ext;
}

/** The workspace folder the launcher opened (a temp dir). */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the host was started without a workspace folder');
  return folder.uri.fsPath;
}

/** Polls `probe` until it returns a truthy value; the error names `what` was awaited. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
