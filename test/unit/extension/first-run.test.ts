/**
 * The pure parts of the first run: the new notebook's load cell, the edits the "Choose …" lenses and the model
 * choice make to a cell, the quick fixes of the schema's diagnostics, which data a cell names, the model
 * availability check (against real local HTTP servers and this machine's real network), the choices offered, and
 * the editor's wording of core's CLI-worded errors (the real messages, and every such sentence in src/core).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { checkModelAvailability, needsModelChoice, formatModelSize } from '../../../src/core/model/availability';
import { downloadFile } from '../../../src/core/model/download';
import { variantPath, VARIANT_SIZES_MB } from '../../../src/core/model/hub';
import { ensureModel } from '../../../src/core/model/model-store';
import { VsumError } from '../../../src/core/errors';
import { applyCellEdit, setOptionEdit, withOption } from '../../../src/notebook/cell-edit';
import { parseStageCell } from '../../../src/notebook/parse';
import { loadCellSource, newNotebookCells, NO_VIDEO_YET } from '../../../src/notebook/templates';
import {
  cellDataPaths,
  cellPathFor,
  datasetOptions,
  missingDataPaths,
} from '../../../src/extension/first-run/data-paths';
import { editorWording } from '../../../src/extension/first-run/editor-wording';
import {
  cellModel,
  choiceButtons,
  choicesMarkdown,
  modelChoices,
  unavailableMessage,
} from '../../../src/extension/first-run/model-choice';
import { tempDir } from '../../helpers/fixtures';

const REPO = path.resolve(__dirname, '..', '..', '..');

// ---- the new notebook's load cell

test('a new notebook for a picked video has it in its load cell; without one, a clear placeholder', () => {
  const withVideo = newNotebookCells('clips/My Video ü.mp4').filter((c) => c.kind === 'stage');
  assert.equal(parseStageCell(withVideo[0].source).stage?.options.video, 'clips/My Video ü.mp4');
  const without = newNotebookCells().filter((c) => c.kind === 'stage');
  const load = without[0].source;
  assert.ok(load.startsWith(NO_VIDEO_YET), 'the placeholder says what to do');
  assert.doesNotMatch(load, /\.mp4/, 'no made-up path');
  const p = parseStageCell(load);
  assert.deepEqual(p.diagnostics, [], 'the placeholder cell is valid (its run says what to give)');
  assert.deepEqual(p.stage, { name: 'load', options: {} });
  // Choosing a video replaces the placeholder (the comment goes with it).
  assert.equal(withOption(load, 'video', 'clips/a b.mp4'), 'load: clips/a b.mp4');
  assert.equal(withOption(load, 'video', 'yes'), 'load: "yes"');
  assert.equal(loadCellSource('x.mp4'), 'load: x.mp4');
});

// ---- cell edits

test('setting an option keeps the cell as written: shorthand, flow map, block map, added keys', () => {
  const cases: Array<[string, string, string, string]> = [
    ['load: x.mp4', 'video', 'y.mp4', 'load: y.mp4'],
    ['load: x.mp4', 'gt', 'GT', 'load: {video: x.mp4, gt: GT}'],
    ['load: {dir: data/summe/videos, gt: data/summe/GT}', 'dir', '/d/v', 'load: {dir: /d/v, gt: data/summe/GT}'],
    ['load: {dir: d}', 'gt', 'g', 'load: {dir: d, gt: g}'],
    ['load:\n  dir: d\n  limit: 2\n', 'gt', 'g', 'load:\n  dir: d\n  limit: 2\n  gt: g\n'],
    ['load:\n  dir: d  # the videos\n  limit: 2', 'dir', 'e', 'load:\n  dir: e  # the videos\n  limit: 2'],
    ['embed:', 'model', 'histogram', 'embed: histogram'],
    ['embed: {model: k600, batch: 4}', 'model', 'histogram', 'embed: {model: histogram, batch: 4}'],
    ['attention: {clip: 12}', 'model', 'models/m.onnx', 'attention: {clip: 12, model: models/m.onnx}'],
    [
      'evaluate: {gt: data/x.h5, scores: results/result.h5, runs: 100}',
      'scores',
      'r/ü 1.h5',
      'evaluate: {gt: data/x.h5, scores: "r/ü 1.h5", runs: 100}',
    ],
  ];
  for (const [text, key, value, want] of cases) {
    const e = setOptionEdit(text, key, value);
    assert.ok(e, text);
    const got = applyCellEdit(text, e);
    assert.equal(got, want, `${JSON.stringify(text)} + ${key}`);
    const parsed = parseStageCell(got);
    assert.deepEqual(parsed.diagnostics, [], got);
    assert.equal(parsed.stage?.options[key], value, got);
  }
  assert.equal(setOptionEdit('load: [a, b]', 'video', 'x'), undefined, 'not a stage map: no edit');
  assert.equal(setOptionEdit('load: {a', 'video', 'x'), undefined, 'broken YAML: no edit');
});

// ---- quick fixes

test('each fixable diagnostic has a fix that makes the cell valid', () => {
  const cases: Array<[string, string, string]> = [
    ['sumarize: {method: kmeans}', 'summarize', 'Change to "summarize"'],
    ['summarize: {methd: kmeans}', 'method', 'Change to "method"'],
    ['summarize: {method: kmean}', 'kmeans', 'Change to "kmeans"'],
    ['summarize: {method: [kmeans, tt3]}', 'tt01', 'Change to "tt01"'],
    ['summarize: {ratio: 3}', '1', 'Use the bound 1'],
    ['evaluate: {runs: 0}', '1', 'Use the bound 1'],
    ['evaluate: {runs: 20000}', '10000', 'Use the bound 10000'],
    ['summarize:\n  method: "kmean"', '"kmeans"', 'Change to "kmeans"'],
  ];
  for (const [text, replacement, title] of cases) {
    const d = parseStageCell(text).diagnostics;
    assert.equal(d.length, 1, text);
    assert.deepEqual(d[0].fix, { title, text: replacement }, text);
    const fixed = applyCellEdit(text, { start: d[0].start, end: d[0].end, newText: d[0].fix!.text });
    assert.deepEqual(parseStageCell(fixed).diagnostics, [], `${text} → ${fixed}`);
  }
  // Nothing to suggest: no fix (rather than a wrong one).
  for (const text of ['summarize: {ratio: -1}', 'frobnicate: {x: 1}', 'summarize: {zzzzzz: 1}'])
    assert.equal(parseStageCell(text).diagnostics[0].fix, undefined, text);
  assert.match(parseStageCell('summarize: {method: kmean}').diagnostics[0].message, /did you mean "kmeans"/);
});

// ---- data paths

test('which data a cell names, what is missing, and how a picked path is written', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'data', 'summe', 'videos'), { recursive: true });
  const load = 'load: {dir: data/summe/videos, gt: data/summe/GT}';
  assert.deepEqual(
    cellDataPaths(load).map((d) => [d.option, d.kind, d.value]),
    [
      ['dir', 'folder', 'data/summe/videos'],
      ['gt', 'folder', 'data/summe/GT'],
    ],
  );
  assert.deepEqual(
    missingDataPaths(load, dir).map((d) => d.option),
    ['gt'],
  );
  assert.deepEqual(
    cellDataPaths(loadCellSource()).map((d) => [d.option, d.value]),
    [['video', undefined]],
    'a load cell without a video still offers one',
  );
  const ev = 'evaluate: {gt: data/eccv16_dataset_summe_google_pool5.h5, scores: results/result.h5}';
  assert.deepEqual(
    missingDataPaths(ev, dir).map((d) => [d.option, d.kind]),
    [
      ['gt', 'file'],
      ['scores', 'file'],
    ],
  );
  assert.deepEqual(missingDataPaths('summarize: {method: kmeans, out: nowhere}', dir), [], 'outputs are not data');
  assert.equal(cellPathFor(dir, path.join(dir, 'clips', 'a.mp4')), 'clips/a.mp4');
  assert.equal(cellPathFor(dir, '/elsewhere/a.mp4'), '/elsewhere/a.mp4');
  // A picked SumMe root fills both options.
  const root = path.join(dir, 'SumMe');
  fs.mkdirSync(path.join(root, 'videos'), { recursive: true });
  fs.mkdirSync(path.join(root, 'GT'));
  assert.deepEqual(datasetOptions(root, 'dir'), { dir: path.join(root, 'videos'), gt: path.join(root, 'GT') });
  assert.deepEqual(datasetOptions(path.join(root, 'videos'), 'dir'), { dir: path.join(root, 'videos') });
});

test('the shipped notebooks say what data they need, and every data path they name is one a lens offers', () => {
  for (const name of ['summe-evaluation.vsumnb', 'attention-visualisation.vsumnb', 'eccv16-evaluation.vsumnb']) {
    const nb = JSON.parse(fs.readFileSync(path.join(REPO, 'notebooks', name), 'utf8')) as {
      cells: Array<{ kind: string; source: string }>;
    };
    assert.match(nb.cells[0].source, /\*\*Data\.\*\*/, `${name}: a Data paragraph`);
    const empty = tempDir();
    const missing = nb.cells.filter((c) => c.kind === 'stage').flatMap((c) => missingDataPaths(c.source, empty));
    assert.ok(missing.length >= 1, `${name}: in an empty folder its data is missing`);
  }
});

// ---- model availability

let server: http.Server;
let base: string;
let silent: net.Server;
let silentUrl: string;

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/ok.onnx') {
      // Like the Hub: a redirect whose headers carry the size.
      res.writeHead(302, { location: '/cdn/ok.onnx', 'x-linked-size': '487000123' }).end();
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Accepts connections and never answers.
  silent = net.createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/m.onnx`;
});

after(() => {
  server.close();
  silent.close();
});

async function closedPortUrl(): Promise<string> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}/model.onnx`;
}

test('availability: histogram, a cached variant and an existing file are ready without any request', async () => {
  const cacheDir = tempDir();
  assert.deepEqual(await checkModelAvailability({ model: 'histogram' }), { state: 'ready', model: 'histogram' });
  const file = variantPath(cacheDir, 'fp32');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'x');
  const url = await closedPortUrl();
  assert.equal((await checkModelAvailability({ model: 'k600', cacheDir, url })).state, 'ready');
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'm.onnx'), 'x');
  assert.deepEqual(await checkModelAvailability({ model: 'm.onnx', baseDir: dir }), {
    state: 'ready',
    model: 'm.onnx',
    file: path.join(dir, 'm.onnx'),
  });
  const missing = await checkModelAvailability({ model: 'nope.onnx', baseDir: dir });
  assert.equal(missing.state, 'missing-file');
  assert.ok(needsModelChoice(missing));
});

test('availability: not cached — downloadable when the server answers, unreachable when it does not', async () => {
  const cacheDir = tempDir();
  const ok = await checkModelAvailability({ model: 'k600', cacheDir, url: `${base}/ok.onnx` });
  assert.equal(ok.state, 'downloadable');
  assert.equal(ok.state === 'downloadable' && ok.bytes, 487000123, 'the size from the redirect');
  assert.ok(!needsModelChoice(ok), 'a model that downloads by itself needs no choice');

  const gone = await checkModelAvailability({ model: 'k600', cacheDir, url: `${base}/missing.onnx` });
  assert.equal(gone.state, 'unreachable');
  assert.equal(gone.state === 'unreachable' && gone.why, 'HTTP 404');

  const refused = await checkModelAvailability({ model: 'k600', cacheDir, url: await closedPortUrl() });
  assert.equal(refused.state, 'unreachable');
  assert.match(refused.state === 'unreachable' ? refused.why : '', /ECONNREFUSED/);
  assert.equal(refused.state === 'unreachable' && refused.bytes, VARIANT_SIZES_MB.fp32 * 1e6, 'the listed size');
  assert.ok(needsModelChoice(refused));

  const t0 = Date.now();
  const hung = await checkModelAvailability({ model: 'k600', cacheDir, url: silentUrl, timeoutMs: 300 });
  assert.equal(hung.state, 'unreachable');
  assert.match(hung.state === 'unreachable' ? hung.why : '', /no answer within 0\.3 s/);
  assert.ok(Date.now() - t0 < 5000, 'the check gives up quickly');
});

test('availability of the real Hub from this machine: either way it is answered, quickly', async () => {
  const a = await checkModelAvailability({ model: 'k600', cacheDir: tempDir() });
  assert.ok(a.state === 'unreachable' || a.state === 'downloadable', a.state);
  if (a.state === 'downloadable') assert.ok(Math.abs(a.bytes - 487e6) < 50e6, `${a.bytes} bytes`);
  else assert.ok(a.why.length > 0 && a.url.includes('timesformer-base-finetuned-k600'));
});

// ---- the choices

test('the choices: download with its size, the histogram embedder (not for attention), a file, the settings', async () => {
  const a = await checkModelAvailability({ model: 'k600', cacheDir: tempDir(), url: await closedPortUrl() });
  assert.deepEqual(
    modelChoices(a).map((c) => c.label),
    ['Download (487 MB)', 'Use the offline histogram embedder', 'Choose an .onnx file…', 'Open settings'],
  );
  assert.deepEqual(
    modelChoices(a, { attention: true }).map((c) => c.id),
    ['download', 'onnx', 'settings'],
  );
  const missing = await checkModelAvailability({ model: 'gone.onnx', baseDir: tempDir() });
  assert.deepEqual(
    modelChoices(missing).map((c) => c.id),
    ['histogram', 'onnx', 'settings'],
    'no download for a missing file of the user',
  );
  const { message, detail } = unavailableMessage(a);
  assert.match(
    message,
    /not downloaded yet and cannot be downloaded now: 127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\)/,
  );
  assert.match(detail, /histogram embedder needs no model/);
  assert.doesNotMatch(message + detail, /--\w/, 'no CLI flags');
  // Buttons (the cell status bar runs any command) carry the cell; the markdown links only the allow-listed
  // settings command, since VS Code does not follow other command links from notebook outputs.
  const cell = 'vscode-notebook-cell:/nb#c1';
  assert.deepEqual(
    choiceButtons(modelChoices(a), a, cell).map((b) => [b.label, b.command, b.args]),
    [
      ['Download (487 MB)', 'vsum.downloadModel', ['fp32']],
      ['Use the offline histogram embedder', 'vsum.useHistogramEmbedder', [{ cell }]],
      ['Choose an .onnx file…', 'vsum.chooseModelFile', [{ cell }]],
      ['Open settings', 'vsum.openModelSettings', []],
    ],
  );
  const md = choicesMarkdown(modelChoices(a));
  const links = [...md.matchAll(/\[([^\]]+)\]\(command:([\w.]+)\?([^)]*)\)/g)];
  assert.deepEqual(
    links.map((l) => [l[1], l[2], JSON.parse(decodeURIComponent(l[3]))]),
    [['Open settings', 'workbench.action.openSettings', ['vsum.model']]],
  );
  for (const c of modelChoices(a)) assert.ok(md.includes(c.label), c.label);
  assert.equal(formatModelSize(71.1e6), '71 MB');
});

test('which model a cell runs with', () => {
  assert.deepEqual(cellModel('embed', {}, 'k600'), { model: 'k600', fromCell: false, attention: false });
  assert.deepEqual(cellModel('embed', { model: 'histogram' }, 'k600'), {
    model: 'histogram',
    fromCell: true,
    attention: false,
  });
  assert.deepEqual(cellModel('attention', {}, 'histogram'), { model: 'k600', fromCell: false, attention: true });
  assert.equal(cellModel('summarize', {}, 'k600'), undefined);
});

// ---- editor wording

test("core's real model errors reach the editor without CLI flags", async () => {
  const dir = tempDir();
  const messages: string[] = [];
  const offline = await downloadFile(await closedPortUrl(), path.join(dir, 'm.onnx'), { what: 'the model' }).catch(
    (e: VsumError) => e.message,
  );
  messages.push(String(offline));
  for (const opts of [{ download: false, cacheDir: dir }, { model: path.join(dir, 'none.onnx') }]) {
    const m = await ensureModel(opts).then(
      () => '',
      (e: VsumError) => e.message,
    );
    messages.push(m);
  }
  for (const m of messages) {
    assert.match(m, /--model|vsum model download/, `the CLI wording is there to begin with: ${m}`);
    const w = editorWording(m);
    assert.doesNotMatch(w, /--[a-z]/, w);
    assert.doesNotMatch(w, /`vsum model/, w);
    assert.match(w, /model` option|vsum\.model|Download Model/, w);
  }
});

test("every sentence in src/core naming a cell option's flag is reworded for the editor", () => {
  const flagged: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts'))
        for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
          if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue;
          // The line as its message reads: innermost `${…}` first, a conditional part dropped, a value as a word.
          let text = line.replace(/\\`/g, '`');
          for (let prev = ''; prev !== text;) {
            prev = text;
            text = text.replace(/\$\{([^{}]*)\}/g, (_, inner: string) => (inner.includes('?') ? '' : 'fp32'));
          }
          if (/--(model|ratio|max-cp|max-seg-len|seed-faithful|clip|ep)\b|vsum model download/.test(text))
            flagged.push(text);
        }
    }
  };
  walk(path.join(REPO, 'src', 'core'));
  assert.ok(flagged.length >= 8, `found ${flagged.length} messages`);
  for (const s of flagged) {
    const w = editorWording(s);
    assert.doesNotMatch(w, /--(model|ratio|max-cp|max-seg-len|seed-faithful|clip|ep)\b|vsum model download/, w);
  }
  assert.equal(editorWording('Raise --ratio to at least 0.25.'), 'Raise `ratio` to at least 0.25.');
  assert.equal(editorWording('Pass --ratio 0.15 or more.'), 'Pass `ratio: 0.15` or more.');
});
