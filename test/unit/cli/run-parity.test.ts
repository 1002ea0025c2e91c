// One stage, four entry points: `vsum summarize`, `vsum run`, the kernel's runner (stage harness) and the cells
// "Summarize Video" composes give byte-identical frames.txt, summary.json and summary video, per method, with
// defaults and with explicit options. And `vsum run` on a failing notebook: outputs up to the error, exit 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuiltCli, runBuiltCli } from '../../helpers/cli';
import { parseNotebook, serializeNotebook } from '../../../src/notebook/format';
import { stage, summarizeNotebookCells } from '../../../src/notebook/templates';
import { NotebookRun, SAMPLE } from '../extension/_stage-harness';

ensureBuiltCli();

const CASES: Array<{ method: string; flags: string[]; cell: string }> = [
  { method: 'kmeans', flags: [], cell: '' },
  {
    method: 'kmeans',
    flags: ['--ratio', '0.3', '--seed', '7', '--restarts', '2'],
    cell: ', ratio: 0.3, seed: 7, restarts: 2',
  },
  { method: 'tt01', flags: [], cell: '' },
  {
    method: 'tt01',
    flags: ['--threshold', 'small', '--seed', '3', '--ratio', '0.4'],
    cell: ', threshold: small, seed: 3, ratio: 0.4',
  },
  { method: 'tt02', flags: [], cell: '' },
  { method: 'tt02', flags: ['--threshold', '0.2', '--seed-faithful'], cell: ', threshold: 0.2, seedFaithful: true' },
  { method: 'kts', flags: [], cell: '' },
  { method: 'kts', flags: ['--max-seg-len', '3'], cell: ', maxSegmentLength: 3' },
  {
    method: 'kts',
    flags: ['--max-seg-len', '2', '--vmax', '0.5', '--ratio', '0.3'],
    cell: ', maxSegmentLength: 2, vmax: 0.5, ratio: 0.3',
  },
];

function writeNotebook(file: string, sources: string[]): void {
  fs.writeFileSync(file, serializeNotebook({ metadata: {}, cells: sources.map(stage) }));
}

const files = (dir: string, stem: string) =>
  ['frames.txt', 'summary.json', 'summary.mp4'].map((ext) => fs.readFileSync(path.join(dir, `${stem}.${ext}`)));

test('vsum summarize, vsum run, the kernel and the Summarize Video cells give byte-identical outputs per method', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-parity-'));
  fs.copyFileSync(SAMPLE, path.join(root, 'clip.mp4'));
  const cells = [
    'load: clip.mp4',
    'embed: {model: histogram}',
    ...CASES.map((c, i) => `summarize: {method: ${c.method}, out: run-${i}${c.cell}}`),
  ];
  // seed-faithful also changes the embedding (frames dropped, not padded): its own load/embed pair.
  const faithful = CASES.findIndex((c) => c.flags.includes('--seed-faithful'));
  const nbFile = path.join(root, 'parity.vsumnb');
  writeNotebook(nbFile, [
    ...cells.slice(0, 2 + faithful),
    'embed: {model: histogram, seedFaithful: true}',
    cells[2 + faithful],
    'embed: {model: histogram}',
    ...cells.slice(3 + faithful),
  ]);
  const run = runBuiltCli(['run', nbFile, '-q']);
  assert.equal(run.status, 0, run.stderr);

  const kernelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-parity-kernel-'));
  fs.copyFileSync(SAMPLE, path.join(kernelDir, 'clip.mp4'));
  const kernel = new NotebookRun(
    kernelDir,
    parseNotebook(fs.readFileSync(nbFile)).cells.map((c) => c.source),
  );
  await kernel.runAll();

  for (const [i, c] of CASES.entries()) {
    const cliDir = path.join(root, `cli-${i}`);
    const r = runBuiltCli([
      'summarize',
      path.join(root, 'clip.mp4'),
      '--method',
      c.method,
      '--out',
      cliDir,
      '--stem',
      `clip.${c.method}`,
      '-q',
      ...c.flags,
    ]);
    assert.equal(r.status, 0, `${c.method} ${c.flags.join(' ')}: ${r.stderr}`);
    const cli = files(cliDir, `clip.${c.method}`);
    const viaRun = files(path.join(root, `run-${i}`), `clip.${c.method}`);
    const viaKernel = files(path.join(kernelDir, `run-${i}`), `clip.${c.method}`);
    for (const [k, name] of ['frames.txt', 'summary.json', 'summary.mp4'].entries()) {
      assert.ok(cli[k].equals(viaRun[k]), `${c.method} ${c.flags.join(' ')}: ${name} of vsum run = vsum summarize`);
      assert.ok(
        cli[k].equals(viaKernel[k]),
        `${c.method} ${c.flags.join(' ')}: ${name} of the kernel = vsum summarize`,
      );
    }
    const json = JSON.parse(cli[1].toString());
    assert.ok(json.frames.length > 0);
    if (c.method !== 'kts')
      assert.equal(
        json.seed,
        c.flags.includes('--seed') ? Number(c.flags[c.flags.indexOf('--seed') + 1]) : 1234,
        'one default seed',
      );
  }

  // "Summarize Video" composes these cells; run by the kernel they give the CLI's defaults, for every method.
  for (const [i, c] of CASES.entries()) {
    if (c.flags.length) continue;
    const svDir = fs.mkdtempSync(path.join(os.tmpdir(), `vsum-parity-sv-${c.method}-`));
    fs.copyFileSync(SAMPLE, path.join(svDir, 'clip.mp4'));
    const sv = summarizeNotebookCells({ video: 'clip.mp4', method: c.method, model: 'histogram' }, 'clip.mp4')
      .filter((x) => x.kind === 'stage')
      .map((x) => x.source);
    await new NotebookRun(svDir, sv).runAll();
    // A notebook's outputs go to <notebook folder>/vsum-out/<video stem>/ by default.
    const svFiles = files(path.join(svDir, 'vsum-out', 'clip'), `clip.${c.method}`);
    const cliDefaults = files(path.join(root, `cli-${i}`), `clip.${c.method}`);
    for (const [k, name] of ['frames.txt', 'summary.json', 'summary.mp4'].entries())
      assert.ok(
        svFiles[k].equals(cliDefaults[k]),
        `${c.method}: Summarize Video cells = vsum summarize defaults (${name})`,
      );
  }
});

test('vsum run stops at the first failing cell, writes the outputs up to its error and exits 1; --param fills {{name}}', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-run-fail-'));
  fs.copyFileSync(SAMPLE, path.join(root, 'clip.mp4'));
  const nb = path.join(root, 'nb.vsumnb');
  writeNotebook(nb, [
    'load: {{video}}',
    'embed: {model: histogram}',
    'summarize: {method: tt03}',
    'summarize: {method: kmeans}',
  ]);
  const out = path.join(root, 'executed.vsumnb');
  const r = runBuiltCli(['run', nb, '--out', out, '--param', 'video=clip.mp4']);
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    /cell \[3\] failed: This cell is not a valid stage/,
    'named by the order the executed notebook shows',
  );
  const ran = parseNotebook(fs.readFileSync(out));
  assert.deepEqual(ran.metadata.vsum, { params: { video: 'clip.mp4' } });
  assert.equal(ran.cells[0].source, 'load: clip.mp4');
  assert.deepEqual(
    ran.cells.map((c) => c.execution?.success),
    [true, true, false, undefined],
  );
  assert.ok(ran.cells[0].outputs.length > 0 && ran.cells[1].outputs.length > 0);
  assert.equal(ran.cells[2].outputs[0].items[0].mime, 'application/vnd.code.notebook.error');
  assert.deepEqual(ran.cells[3].outputs, []);
  assert.equal(runBuiltCli(['run', nb, '--param', 'novalue']).status, 2);
});
