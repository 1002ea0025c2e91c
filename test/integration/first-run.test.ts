// The first run in a real VS Code: New Notebook's video, the "Choose video…" lens and command, the shipped
// notebooks' offer to pick their data, quick fixes, and the k600 model found unavailable for real (this host has
// no network) — in a cell (an error with the ways out as links), in Summarize Video (asked before anything else)
// and in the status bar. The dialogs are replaced through the extension's one test seam (testing.setUi); the
// commands, lenses, code actions and kernel are the ones a user gets.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { checkModelAvailability } from '../../src/core/model/availability';
import type { SummarizeVideoResult } from '../../src/extension/commands/summarize-video';
import type { PickOptions } from '../../src/extension/first-run/ui';
import { NO_VIDEO_YET } from '../../src/notebook/templates';
import { waitFor, workspaceDir } from './host';
import { closeAllEditors, errorText, items, openNotebook, runCells, vsumApi, writeNotebook } from './notebook-helpers';

const sample = () => vscode.Uri.file(path.join(workspaceDir(), 'mmcv-test.mp4'));
const markdownOf = (cell: vscode.NotebookCell) =>
  items(cell, 'text/markdown')
    .map((b) => new TextDecoder().decode(b))
    .join('\n');

async function lensTitles(cell: vscode.NotebookCell): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
    'vscode.executeCodeLensProvider',
    cell.document.uri,
  );
  return lenses.map((l) => l.command?.title ?? '');
}

suite('vsum first run: a notebook that starts with a video', () => {
  teardown(async () => (await vsumApi()).testing.setUi(undefined));
  suiteTeardown(closeAllEditors);

  test('New Notebook on a video (the Explorer menu) writes its path into the load cell', async () => {
    const doc = (await vscode.commands.executeCommand('vsum.newNotebook', sample())) as vscode.NotebookDocument;
    assert.equal(doc.cellAt(1).document.getText(), 'load: mmcv-test.mp4', 'relative to the (workspace) folder');
  });

  test('New Notebook asks for a video; cancelled, the load cell says what to do and the lens picks it', async function () {
    this.timeout(60_000);
    const api = await vsumApi();
    const asked: PickOptions[] = [];
    api.testing.setUi({
      pickFile: async (o) => {
        asked.push(o);
        return undefined;
      },
    });
    const doc = (await vscode.commands.executeCommand('vsum.newNotebook')) as vscode.NotebookDocument;
    assert.equal(asked.length, 1, 'the open dialog was shown once');
    assert.ok(asked[0].filters?.Videos.includes('mp4'), 'for videos');
    const load = doc.cellAt(1);
    assert.ok(load.document.getText().startsWith(NO_VIDEO_YET), load.document.getText());
    assert.ok((await lensTitles(load)).includes('Choose video…'), 'the lens is above it');

    await runCells(doc, 1);
    assert.equal(load.executionSummary?.success, false);
    assert.match(errorText(load), /^No video chosen yet/);
    assert.match(markdownOf(load), /\*\*Choose video…\*\* above this cell/);

    // The link's command with a picked video: the placeholder is replaced, and the cell runs.
    api.testing.setUi({ pickFile: async () => sample() });
    const text = await vscode.commands.executeCommand('vsum.chooseData', {
      cell: load.document.uri.toString(),
      option: 'video',
    });
    assert.equal(text, 'load: mmcv-test.mp4');
    assert.equal(load.document.getText(), 'load: mmcv-test.mp4');
    await runCells(doc, 1);
    assert.equal(load.executionSummary?.success, true, errorText(load));
  });

  test('a load cell whose video is not there: a lens and an error naming it, both offering a pick', async function () {
    this.timeout(60_000);
    const api = await vsumApi();
    const doc = await openNotebook(writeNotebook('first-run-missing.vsumnb', ['load: {video: gone/clip.mp4}']));
    const cell = doc.cellAt(0);
    assert.deepEqual(await lensTitles(cell), ['$(warning) gone/clip.mp4 not found · Choose video…']);
    await runCells(doc, 0);
    assert.match(errorText(cell), /The video gone\/clip\.mp4 was not found \(looked for .*gone\/clip\.mp4\)/);
    api.testing.setUi({ pickFile: async () => sample() });
    await vscode.commands.executeCommand('vsum.chooseData', { cell: cell.document.uri.toString(), option: 'video' });
    assert.equal(cell.document.getText(), 'load: {video: mmcv-test.mp4}');
    assert.deepEqual(await lensTitles(cell), ['Choose video…']);
  });
});

suite('vsum first run: the shipped notebooks offer their data', () => {
  teardown(async () => (await vsumApi()).testing.setUi(undefined));
  suiteTeardown(closeAllEditors);

  test('SumMe: "Choose folder…" on the dataset root fills the videos and ground-truth folders', async function () {
    this.timeout(60_000);
    const api = await vsumApi();
    const offers: string[] = [];
    api.testing.setUi({
      offer: async (message, labels) => {
        offers.push(message);
        return labels[0];
      },
      pickFolder: async () => vscode.Uri.file(path.join(workspaceDir(), 'summe')),
    });
    await vscode.commands.executeCommand('vsum.openSummeNotebook');
    const nb = vscode.window.activeNotebookEditor!.notebook;
    const load = nb.getCells().find((c) => c.document.getText().startsWith('load:'))!;
    await waitFor('the load cell to point at the picked dataset', () =>
      load.document.getText() === 'load: {dir: summe/videos, gt: summe/GT}' ? true : undefined,
    );
    assert.equal(offers.length, 1, 'one offer: both folders came from one pick');
    assert.match(offers[0], /needs the folder of videos data\/summe\/videos/);
    const intro = nb.cellAt(0).document.getText();
    assert.match(intro, /\*\*Data\.\*\*/, 'the notebook says what it needs');
  });

  test('attention and eccv16: the offer names the video, the dataset file and the results file', async function () {
    this.timeout(60_000);
    const api = await vsumApi();
    const offers: Array<{ message: string; labels: string[] }> = [];
    let picks = 0;
    api.testing.setUi({
      offer: async (message, labels) => {
        offers.push({ message, labels });
        return labels[0];
      },
      pickFile: async () => (picks++ === 0 ? sample() : undefined),
    });
    await vscode.commands.executeCommand('vsum.openAttentionNotebook');
    const att = vscode.window.activeNotebookEditor!.notebook;
    const load = att.getCells().find((c) => c.document.getText().startsWith('load:'))!;
    await waitFor('the attention notebook to load the picked video', () =>
      load.document.getText() === 'load: mmcv-test.mp4' ? true : undefined,
    );
    assert.deepEqual(offers[0].labels, ['Choose video…']);
    await vscode.commands.executeCommand('vsum.openEccv16Notebook');
    await waitFor('the eccv16 offer', () => (offers.length >= 2 ? true : undefined));
    assert.match(offers[1].message, /dataset file data\/eccv16_dataset_summe_google_pool5\.h5/);
    assert.deepEqual(offers[1].labels, ['Choose file…']);
  });
});

suite('vsum first run: quick fixes for what the schema finds', () => {
  suiteTeardown(closeAllEditors);

  test('an unknown option becomes the suggestion, an out-of-range value the bound', async () => {
    const doc = await openNotebook(writeNotebook('first-run-fixes.vsumnb', ['summarize: {methd: kmeans, ratio: 3}']));
    const cell = doc.cellAt(0);
    const fixes = async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        cell.document.uri,
        new vscode.Range(0, 0, 0, cell.document.getText().length),
      );
      return all.filter((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value);
    };
    const found = await waitFor('the quick fixes', async () => ((await fixes()).length >= 2 ? fixes() : undefined));
    assert.deepEqual(found.map((a) => a.title).sort(), ['Change to "method"', 'Use the bound 1']);
    for (const title of ['Change to "method"', 'Use the bound 1']) {
      const a = (await fixes()).find((x) => x.title === title)!;
      assert.ok(await vscode.workspace.applyEdit(a.edit!), title);
    }
    assert.equal(cell.document.getText(), 'summarize: {method: kmeans, ratio: 1}');
    await waitFor('the squiggles to go', () =>
      vscode.languages.getDiagnostics(cell.document.uri).length === 0 ? true : undefined,
    );
  });
});

suite('vsum first run: the k600 model, unavailable for real (no network)', function () {
  let offline = false;
  suiteSetup(async function () {
    // The default (k600), whatever another suite left in the workspace settings.
    await vscode.workspace.getConfiguration('vsum').update('model', undefined, vscode.ConfigurationTarget.Workspace);
    const cacheDir = vscode.workspace.getConfiguration('vsum').get<string>('cacheDirectory') || undefined;
    const a = await checkModelAvailability({ model: 'k600', cacheDir });
    offline = a.state === 'unreachable';
    if (!offline) {
      // Reachable (or cached) here: the model-unavailable path cannot be shown without faking the network.
      console.log(`  skipped: the k600 model is ${a.state} from this host`);
      this.skip();
    }
  });
  teardown(async () => (await vsumApi()).testing.setUi(undefined));
  suiteTeardown(closeAllEditors);

  test('an embed cell stops before running, with the ways out as buttons; the status bar says so', async function () {
    this.timeout(90_000);
    const api = await vsumApi();
    assert.equal(vscode.workspace.getConfiguration('vsum').get('model'), 'k600', 'the default setting');
    const doc = await openNotebook(writeNotebook('first-run-model.vsumnb', ['load: mmcv-test.mp4', 'embed:']));
    await runCells(doc, 0, 2);
    const embed = doc.cellAt(1);
    assert.equal(embed.executionSummary?.success, false);
    const msg = errorText(embed);
    assert.match(msg, /k600 model \(fp32\) is not downloaded yet and cannot be downloaded now/);
    assert.doesNotMatch(msg, /--model|vsum model/, 'editor wording, no CLI flags');
    // The ways out: buttons in the cell's status bar (read from the output's metadata, which they are built
    // from); the markdown names them and links the settings through the one command outputs may run.
    const buttons = embed.outputs.flatMap(
      (o) => (o.metadata?.vsumModelChoices as Array<{ label: string; command: string }> | undefined) ?? [],
    );
    assert.deepEqual(
      buttons.map((b) => b.command),
      ['vsum.downloadModel', 'vsum.useHistogramEmbedder', 'vsum.chooseModelFile', 'vsum.openModelSettings'],
    );
    assert.match(buttons[0].label, /^Download \(\d+ MB\)$/);
    const md = markdownOf(embed);
    assert.match(md, /\[Open settings\]\(command:workbench\.action\.openSettings\?/);
    assert.match(md, /Use the offline histogram embedder/);
    assert.match(api.testing.modelStatus() ?? '', /k600 unavailable/);

    // The histogram link rewrites this cell (the setting stays), and the cell then runs.
    await vscode.commands.executeCommand('vsum.useHistogramEmbedder', { cell: embed.document.uri.toString() });
    assert.equal(embed.document.getText(), 'embed: histogram');
    assert.equal(vscode.workspace.getConfiguration('vsum').get('model'), 'k600');
    await runCells(doc, 1);
    assert.equal(embed.executionSummary?.success, true, errorText(embed));
  });

  test('attention offers no histogram embedder (it has no attention)', async function () {
    this.timeout(60_000);
    const doc = await openNotebook(
      writeNotebook('first-run-attention.vsumnb', ['load: mmcv-test.mp4', 'attention: {clip: 1}']),
    );
    await runCells(doc, 0, 2);
    const md = markdownOf(doc.cellAt(1));
    assert.match(md, /Download \(\d+ MB\)/);
    assert.doesNotMatch(md, /histogram/);
  });

  test('Summarize Video asks about the model first, and goes on with the histogram embedder', async function () {
    this.timeout(180_000);
    const api = await vsumApi();
    const asked: Array<{ message: string; labels: string[] }> = [];
    // Dismissed: nothing else is asked (no method or ratio question is waiting), the command just ends.
    api.testing.setUi({
      choose: async (message, _detail, labels) => {
        asked.push({ message, labels });
        return undefined;
      },
    });
    const none = await vscode.commands.executeCommand('vsum.summarizeVideo', sample());
    assert.equal(none, undefined);
    assert.equal(asked.length, 1);
    assert.deepEqual(asked[0].labels.slice(1), [
      'Use the offline histogram embedder',
      'Choose an .onnx file…',
      'Open settings',
    ]);
    assert.match(asked[0].labels[0], /^Download \(\d+ MB\)$/);
    assert.match(asked[0].message, /cannot be downloaded now/);

    api.testing.setUi({ choose: async (_m, _d, labels) => labels[1] });
    const r = (await vscode.commands.executeCommand('vsum.summarizeVideo', sample(), {
      method: 'kmeans',
      ratio: 0.3,
      open: false,
    })) as SummarizeVideoResult;
    assert.ok(r?.summaryVideo && fs.existsSync(r.summaryVideo), 'the summary was written');
    const text = fs.readFileSync(r.notebook.fsPath, 'utf8');
    assert.ok(text.includes('"embed: {model: histogram}"'), 'the notebook records the embedder used');
  });
});
