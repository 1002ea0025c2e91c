// Smoke suite: the extension is installed in a real VS Code host, activates, registers what its manifest
// contributes, and its notebook type opens. Proves the in-host pipeline end to end.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { activateVsum, EXTENSION_ID, repoRoot, workspaceDir } from './host';

const NOTEBOOK_TYPE = 'vsum-notebook';

interface Manifest {
  contributes?: {
    commands?: { command: string }[];
    notebooks?: { type: string; selector: { filenamePattern: string }[] }[];
    notebookRenderer?: { id: string; entrypoint: string; mimeTypes: string[] }[];
  };
}

suite('activation (smoke)', () => {
  let ext: vscode.Extension<unknown>;
  let manifest: Manifest;

  suiteSetup(async () => {
    ext = await activateVsum();
    manifest = ext.packageJSON as Manifest;
  });

  test('the extension is installed and active', () => {
    assert.equal(ext.id.toLowerCase(), EXTENSION_ID.toLowerCase());
    assert.ok(ext.isActive, 'activate() resolved but the extension is not active');
  });

  test('every contributed command is registered', async () => {
    const contributed = (manifest.contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `commands contributed but not registered: ${missing.join(', ')}`);
  });

  test(`the ${NOTEBOOK_TYPE} notebook type is contributed for *.vsumnb`, () => {
    const nb = manifest.contributes?.notebooks?.find((n) => n.type === NOTEBOOK_TYPE);
    assert.ok(nb, `no contributes.notebooks entry of type ${NOTEBOOK_TYPE}`);
    assert.ok(nb.selector.some((s) => s.filenamePattern.endsWith('.vsumnb')));
  });

  test('every renderer entrypoint ships with the extension', () => {
    const renderers = manifest.contributes?.notebookRenderer ?? [];
    assert.ok(renderers.length > 0, 'package.json contributes no notebook renderers');
    for (const r of renderers) {
      const file = path.join(ext.extensionPath, r.entrypoint);
      assert.ok(
        fs.existsSync(file),
        `renderer ${r.id}: entrypoint ${r.entrypoint} is missing from ${ext.extensionPath}`,
      );
      assert.ok(r.mimeTypes.length > 0, `renderer ${r.id} declares no mime types`);
    }
  });

  test('a new notebook of that type opens in an editor', async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# smoke', 'markdown'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'load: mmcv-test.mp4', 'vsum'),
    ]);
    const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
    const editor = await vscode.window.showNotebookDocument(doc);
    assert.equal(editor.notebook.notebookType, NOTEBOOK_TYPE);
    assert.equal(doc.cellCount, 2);
    assert.equal(doc.cellAt(1).document.languageId, 'vsum');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the shipped notebooks open from disk', async function () {
    const dir = path.join(repoRoot, 'notebooks');
    const shipped = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.vsumnb')) : [];
    if (shipped.length === 0) this.skip();
    for (const f of shipped) {
      const copy = path.join(workspaceDir(), f);
      fs.copyFileSync(path.join(dir, f), copy);
      const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(copy));
      assert.equal(doc.notebookType, NOTEBOOK_TYPE, f);
      assert.ok(doc.cellCount > 0, `${f} opened with no cells`);
    }
  });
});
