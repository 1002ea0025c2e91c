// #16 items 7 and 9 through the extension API: where a notebook's files land (vsum-out/<stem>/ beside a saved
// notebook, the extension's storage for an untitled one, temp files excluded from the Explorer), failed cells as
// VS Code's error item, and a re-run of a histogram embed served by the embedding cache (no ffmpeg decode).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { MIME, NOTEBOOK_TYPE } from '../../src/common/mime';
import type { SummaryPlayerMeta } from '../../src/common/payloads';
import { waitFor, workspaceDir } from './host';
import {
  closeAllEditors,
  errorText,
  items,
  json,
  openNotebook,
  runCells,
  vsumApi,
  writeNotebook,
} from './notebook-helpers';

const ERROR_MIME = 'application/vnd.code.notebook.error';

/** The "vsum" log channel's file (VS Code writes a log channel to <extension log folder>/<name>.log). */
async function logText(): Promise<string> {
  const api = await vsumApi();
  const file = path.join(api.logUri.fsPath, 'vsum.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** Log lines written after `before` (the text read earlier), once the channel has flushed `marker`. */
async function logSince(before: string, marker: RegExp): Promise<string> {
  return waitFor(`"${marker.source}" in the vsum log`, async () => {
    const now = (await logText()).slice(before.length);
    return marker.test(now) ? now : undefined;
  });
}

suite('vsum outputs: where files land, errors, cached re-runs (#16 items 7, 9)', () => {
  suiteTeardown(closeAllEditors);

  test('a saved notebook writes into <notebook folder>/vsum-out/<video stem>/, nothing beside the video', async function () {
    this.timeout(180_000);
    await vsumApi();
    fs.mkdirSync(path.join(workspaceDir(), 'placed'), { recursive: true });
    // Other suites write beside the sample on purpose (Summarize Video does): only what this run adds counts.
    const besideBefore = new Set(fs.readdirSync(workspaceDir()));
    const doc = await openNotebook(
      writeNotebook(path.join('placed', 'places.vsumnb'), [
        'load: ../mmcv-test.mp4',
        'embed: {model: histogram}',
        'summarize: {method: tt02, seed: 1}',
      ]),
    );
    await runCells(doc, 0, 3, 170_000);
    assert.equal(doc.cellAt(2).executionSummary?.success, true, errorText(doc.cellAt(2)));
    const dir = path.join(workspaceDir(), 'placed', 'vsum-out', 'mmcv-test');
    const written = fs.readdirSync(dir).sort();
    for (const f of ['mmcv-test.tt02.summary.mp4', 'mmcv-test.tt02.summary.json', 'mmcv-test.tt02.frames.txt'])
      assert.ok(written.includes(f), `${f} in placed/vsum-out/mmcv-test/ (found ${written.join(', ')})`);
    assert.deepEqual(
      written.filter((f) => f.includes('vsum-tmp')),
      [],
      'no temp file left behind',
    );
    const beside = fs
      .readdirSync(workspaceDir())
      .filter((f) => !besideBefore.has(f) && /\.(summary|frames|chapters)\./.test(f));
    assert.deepEqual(beside, [], 'nothing written beside the video');
    const player = json<SummaryPlayerMeta>(items(doc.cellAt(2), MIME.summaryPlayerRef)[0]);
    assert.equal(player.summaryFile?.path, 'vsum-out/mmcv-test/mmcv-test.tt02.summary.mp4');
  });

  test("an untitled notebook writes into the extension's storage, not the workspace", async function () {
    this.timeout(180_000);
    await vsumApi();
    const video = path.join(workspaceDir(), 'mmcv-test.mp4');
    const before = new Set(fs.readdirSync(workspaceDir()));
    const data = new vscode.NotebookData(
      [`load: ${JSON.stringify(video)}`, 'embed: {model: histogram}', 'summarize: {method: kmeans, seed: 1}'].map(
        (s) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, s, 'vsum'),
      ),
    );
    const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
    assert.equal(doc.isUntitled, true);
    await vscode.window.showNotebookDocument(doc);
    await runCells(doc, 0, 3, 170_000);
    assert.equal(doc.cellAt(2).executionSummary?.success, true, errorText(doc.cellAt(2)));
    const player = json<SummaryPlayerMeta>(items(doc.cellAt(2), MIME.summaryPlayerRef)[0]);
    const file = player.summaryFile!.path;
    assert.ok(path.isAbsolute(file), `an untitled notebook refers to its scratch file by an absolute path (${file})`);
    assert.match(file, /untitled-notebooks[\\/]vsum-out[\\/]mmcv-test[\\/]mmcv-test\.kmeans\.summary\.mp4$/);
    assert.ok(!file.startsWith(workspaceDir()), `${file} is outside the workspace`);
    assert.ok(fs.statSync(file).size > 0);
    const added = fs.readdirSync(workspaceDir()).filter((f) => !before.has(f));
    assert.deepEqual(added, [], 'the workspace folder is unchanged');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test("temp files are excluded from the Explorer by the extension's files.exclude default", () => {
    const exclude = vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude') ?? {};
    assert.equal(exclude['**/.*.vsum-tmp-*'], true, `files.exclude: ${JSON.stringify(exclude)}`);
  });

  test('a failed cell is a notebook error item (name and message, no stack)', async function () {
    this.timeout(60_000);
    await vsumApi();
    const doc = await openNotebook(writeNotebook('failing.vsumnb', ['load: missing-video.mp4']));
    await runCells(doc, 0);
    const cell = doc.cellAt(0);
    assert.equal(cell.executionSummary?.success, false);
    // The error item first; a missing path also gets one markdown line pointing at the lens that picks it.
    const mimes = cell.outputs.map((o) => o.items.map((i) => i.mime));
    assert.deepEqual(mimes[0], [ERROR_MIME], JSON.stringify(mimes));
    assert.ok(
      mimes.slice(1).every((m) => m.length === 1 && m[0] === 'text/markdown'),
      `only markdown after the error: ${JSON.stringify(mimes)}`,
    );
    const err = json<{ name: string; message: string; stack?: string }>(items(cell, ERROR_MIME)[0]);
    assert.equal(err.name, 'vsum');
    assert.match(err.message, /missing-video\.mp4/);
    assert.ok(!err.stack, 'no stack');
  });

  test('re-running a histogram embed reads the embedding cache: no ffmpeg decode', async function () {
    this.timeout(120_000);
    await vsumApi();
    const doc = await openNotebook(
      writeNotebook('rerun-embed.vsumnb', ['load: mmcv-test.mp4', 'embed: {model: histogram}']),
    );
    await runCells(doc, 0);
    const first = await logText();
    await runCells(doc, 1);
    // The first run of this embed may already hit the cache (another suite embedded the sample); either way the
    // log proves the engine's ffmpeg commands reach the channel (the load's probe ran just before).
    const firstRun = await logSince(first, /\(`embed`\) done/);
    const second = await logText();
    await runCells(doc, 1);
    assert.equal(doc.cellAt(1).executionSummary?.success, true, errorText(doc.cellAt(1)));
    const rerun = await logSince(second, /\(`embed`\) done/);
    // The cache count is kept in the output's timing metadata (apart from what it shows, so re-runs are identical).
    const timing = doc.cellAt(1).outputs[0].metadata?.timing as { fromCache?: number } | undefined;
    assert.equal(timing?.fromCache, 1, JSON.stringify(doc.cellAt(1).outputs[0].metadata));
    assert.match(rerun, /embed mmcv-test\.mp4: .*\(from the cache\)/);
    assert.doesNotMatch(rerun, /ffmpeg/, `no ffmpeg command during the re-run:\n${rerun}`);
    assert.match(
      first + firstRun,
      /run: \S*ffmpeg/,
      'the log lists the commands the engine runs (the probe is ffmpeg)',
    );
  });
});
