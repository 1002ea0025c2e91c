import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellName, cellRef, missingInputMessage, Session, type CellRef } from '../../../src/notebook/session';

const cells: CellRef[] = [
  { id: 'md', index: 0 },
  { id: 'load', index: 1, stage: 'load', order: 6, firstLine: 'load: videos/a.mp4' },
  { id: 'embed', index: 2, stage: 'embed', firstLine: 'embed: {model: histogram}' },
  { id: 'sum', index: 3, stage: 'summarize', order: 2 },
  { id: 'sum2', index: 4, stage: 'summarize' },
];

test('missing input names the nearest cell above that provides it, as the cell shows itself', () => {
  assert.equal(
    missingInputMessage('summarize', 'features', cells, 3),
    'The `summarize` stage needs clip embeddings: run the cell `embed: {model: histogram}` first.',
    'no execution order shown: named by its first line',
  );
  assert.equal(
    missingInputMessage('embed', 'video', cells, 2),
    'The `embed` stage needs a loaded video: run cell [6] (`load`) first.',
    'by the execution order it shows, not its position (2nd)',
  );
  assert.match(
    missingInputMessage('embed', 'video', cells, 0),
    /no cell above it gives one: add a `load` cell above this one/,
  );
});

test('cellRef takes the first non-blank line, shortened; cellName prefers the order shown', () => {
  const long = `summarize: {method: kmeans, ratio: 0.15, seed: 1234, select: shots, exports: [csv, vtt]}`;
  const r = cellRef('c', 4, `\n  \n${long}\n# more`, 'summarize');
  assert.equal(r.firstLine!.length, 60);
  assert.ok(r.firstLine!.endsWith('…') && long.startsWith(r.firstLine!.slice(0, -1)));
  assert.equal(cellName(r), `the cell \`${r.firstLine}\``);
  assert.equal(cellName({ ...r, order: 3 }), 'cell [3] (`summarize`)');
  assert.equal(cellName(cellRef('c', 0, 'script: return `x`', 'script')), "the cell `script: return 'x'`");
  assert.equal(cellName(cellRef('c', 0, '', undefined)), 'the empty cell');
});

test('re-running an upstream cell makes the cells that read its old result stale, transitively through slots', () => {
  const s = new Session();
  s.commit('load', new Map(), new Map([['video', 'v1']]));
  s.commit('embed', s.snapshot(['video']), new Map([['features', 'f1']]));
  s.commit('sum', s.snapshot(['features']), new Map([['selection', 's1']]));
  assert.deepEqual(s.staleCells(), []);
  // Re-run embed: summarize read the old features.
  s.commit('embed', s.snapshot(['video']), new Map([['features', 'f2']]));
  assert.deepEqual(s.staleCells(), ['sum']);
  assert.equal(s.has('selection'), false, 'a selection computed from replaced features is no longer an input');
  // Re-run load: embed is stale, and features/selection computed from the old video are dropped.
  s.commit('load', new Map(), new Map([['video', 'v2']]));
  assert.deepEqual(s.staleCells().sort(), ['embed', 'sum']);
  assert.equal(s.has('features'), false);
  assert.equal(s.has('selection'), false);
  // Running embed again clears its staleness.
  s.commit('embed', s.snapshot(['video']), new Map([['features', 'f3']]));
  assert.deepEqual(s.staleCells(), ['sum']);
});

test('restart clears everything', () => {
  const s = new Session();
  s.commit('load', new Map(), new Map([['video', 'v1']]));
  s.clear();
  assert.equal(s.has('video'), false);
  assert.deepEqual(s.staleCells(), []);
  assert.equal(s.ran.size, 0);
});
