import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvTable, jsonReport, markdownTable, pyFixed } from '../../../src/core/evaluate/report';
import type { EvaluationResult, RandomBaselineResult } from '../../../src/core/evaluate/types';
import { createRng } from '../../../src/core/random';
import { runPython } from '../../helpers/python';

test("pyFixed formats like Python's '%.2f' (exact ties to even) and '%.3f'", () => {
  const rng = createRng(1);
  const xs = [0.125, 0.375, 2.675, 1.005, 12.125, 12.375, -0.125, -2.5e-3, 0, -0, 99.995, 50.125, 1e-9, 100, 3.14159];
  for (let i = 0; i < 300; i++) xs.push(Math.round(rng.next() * 80000) / 800); // many exact binary ties (k/8)
  for (let i = 0; i < 300; i++) xs.push(rng.next() * 100);
  const ref = runPython<{ two: string[]; three: string[] }>(
    `
import json, sys
xs = json.load(sys.stdin)
print(json.dumps({'two': ['%.2f' % x for x in xs], 'three': ['%.3f' % x for x in xs]}))`,
    xs,
  );
  xs.forEach((x, i) => {
    assert.equal(pyFixed(x), ref.two[i], `${x}`);
    assert.equal(pyFixed(x, 3), ref.three[i], `${x} (3)`);
  });
  assert.equal(pyFixed(NaN), 'nan');
});

const result: EvaluationResult = {
  videos: {
    Air_Force_One: { min: 0.1, avg: 0.2345, max: 0.5, gygliMean: 0.2345, gygliMax: 0.5 },
    'St Maarten | x': { min: 0, avg: 0.05657542597849832, max: 0.23060796645702306, gygliMean: 0.05, gygliMax: 0.23 },
  },
  mean: { min: 0.05, avg: 0.14553771298924917, max: 0.36530398322851154 },
};

test('markdown table: video | min | avg | max ×100 with 2 decimals, then Avg.', () => {
  assert.equal(
    markdownTable(result),
    [
      '| video | min | avg | max |',
      '|---|---:|---:|---:|',
      '| Air_Force_One | 10.00 | 23.45 | 50.00 |',
      '| St Maarten \\| x | 0.00 | 5.66 | 23.06 |',
      '| Avg. | 5.00 | 14.55 | 36.53 |',
      '',
    ].join('\n'),
  );
  const rb: RandomBaselineResult = {
    ...result,
    baseline: 'random',
    segmentation: 'uniform',
    runs: 100,
    seed: 3,
    spread: { min: 0.01, avg: 0.02, max: 0.03 },
  };
  assert.match(markdownTable(rb), /Random summaries, uniform segments, 100 runs \(seed 3\).*avg 2\.00/);
  const tv: EvaluationResult = {
    videos: { a: { min: 0.1, avg: 0.2, max: 0.3, kendall: 0.1234, spearman: NaN } },
    mean: { min: 0.1, avg: 0.2, max: 0.3, kendall: 0.1234, spearman: NaN },
  };
  assert.match(
    markdownTable(tv),
    /\| video \| min \| avg \| max \| kendall \| spearman \|\n.*\n\| a \| 10\.00 \| 20\.00 \| 30\.00 \| 0\.123 \| nan \|/,
  );
  assert.equal(JSON.parse(jsonReport(tv)).videos.a.spearman, null);
});

test('CSV: full precision, quoted names, Avg. row; JSON is the object itself', () => {
  const csv = csvTable(result).split('\n');
  assert.equal(csv[0], 'video,min,avg,max,gygliMean,gygliMax');
  assert.equal(csv[2], 'St Maarten | x,0,0.05657542597849832,0.23060796645702306,0.05,0.23');
  assert.equal(csv[3], `Avg.,0.05,${result.mean.avg},${result.mean.max},,`);
  assert.equal(
    csvTable({ videos: { 'a,"b"': { min: 0, avg: 0, max: 0 } }, mean: { min: 0, avg: 0, max: 0 } }).split('\n')[1],
    '"a,""b""",0,0,0',
  );
  assert.deepEqual(JSON.parse(jsonReport(result)), result);
});
