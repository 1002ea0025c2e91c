// The workspace folder the host opens (a temp dir), holding everything the UI notebook and the in-host suites
// use: the bundled sample video, a two-video SumMe-style mini dataset (copies of the sample + the generated
// ground truth of test/unit/extension/fixtures/summe-mini), the tiny TimeSformer test model, and the UI notebooks
// test/host/ui-*.vsumnb.
import fs from 'node:fs';
import path from 'node:path';

/** The notebooks the UI stage runs, and the output kinds each must show. `readme`: its screenshot is the README's. */
export const UI_NOTEBOOKS = [
  { file: 'ui-summary.vsumnb', kinds: ['frame-strip', 'score-plot', 'summary-player', 'attention'], readme: true },
  { file: 'ui-evaluation.vsumnb', kinds: ['evaluation-table'] },
];

export function prepareWorkspace(repo, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const sample = path.join(repo, 'media', 'sample', 'mmcv-test.mp4');
  copy(sample, path.join(dir, 'mmcv-test.mp4'));
  const gt = path.join(repo, 'test', 'unit', 'extension', 'fixtures', 'summe-mini', 'GT');
  if (fs.existsSync(gt)) {
    for (const f of fs.readdirSync(gt).filter((f) => f.endsWith('.mat'))) {
      copy(path.join(gt, f), path.join(dir, 'summe', 'GT', f));
      copy(sample, path.join(dir, 'summe', 'videos', f.replace(/\.mat$/, '.mp4')));
    }
  }
  const model = path.join(repo, 'test', 'models', 'tiny-timesformer.onnx');
  if (fs.existsSync(model)) copy(model, path.join(dir, 'models', 'tiny-timesformer.onnx'));
  for (const nb of UI_NOTEBOOKS) copy(path.join(repo, 'test', 'host', nb.file), path.join(dir, nb.file));
  return dir;
}

/** Writes a .vsumnb of the given cells: a cell starting with `#` is markdown, any other a stage. */
export function writeNotebook(file, cells) {
  const raw = cells.map((source) =>
    source.startsWith('#')
      ? { kind: 'markdown', language: 'markdown', source, outputs: [] }
      : { kind: 'stage', language: 'vsum', source, outputs: [] },
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ vsumNotebook: 2, metadata: {}, cells: raw }, null, 1) + '\n');
}

/** Copies a (read-only in the repo) file as a writable file. */
function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  fs.chmodSync(to, 0o644);
}
