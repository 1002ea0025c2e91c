import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStageCell } from '../../../src/notebook/parse';
import { newNotebookCells, summarizeNotebookCells, yamlString } from '../../../src/notebook/templates';

test('paths become YAML scalars that parse back to the same string', () => {
  for (const p of [
    'videos/Jumps.mp4',
    'St Maarten Landing.mp4',
    '../a b/c.mp4',
    'true',
    '123.mp4',
    'a: b.mp4',
    '#x.mp4',
    "it's.mp4",
    '<script>.mp4',
    'ünï cødé.webm',
  ]) {
    const r = parseStageCell(`load: ${yamlString(p)}`);
    assert.deepEqual(r.diagnostics, [], p);
    assert.equal(r.stage?.options.video, p);
  }
});

test('"Summarize video" notebooks and new notebooks hold valid stages only', () => {
  const cells = summarizeNotebookCells(
    { video: 'clips/My Video.mp4', method: 'tt02', threshold: 0.2, model: 'histogram', seed: 3 },
    'My Video.mp4',
  );
  const stages = cells.filter((c) => c.kind === 'stage').map((c) => parseStageCell(c.source));
  assert.deepEqual(
    stages.map((s) => s.stage?.name),
    ['load', 'embed', 'summarize'],
  );
  assert.deepEqual(stages[2].stage?.options, { method: 'tt02', threshold: 0.2, seed: 3 });
  assert.equal(stages[0].stage?.options.video, 'clips/My Video.mp4');
  const km = summarizeNotebookCells(
    { video: 'a.mp4', method: 'kmeans', ratio: 0.3, threshold: 400, model: 'k600' },
    'a.mp4',
  );
  assert.deepEqual(
    parseStageCell(km[3].source).stage?.options,
    { method: 'kmeans', ratio: 0.3, seed: 1234 },
    'no threshold for k-means',
  );
  for (const c of newNotebookCells().filter((c) => c.kind === 'stage'))
    assert.deepEqual(parseStageCell(c.source).diagnostics, [], c.source);
});
