import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  toEvsEntry,
  parseSubmission,
  fitSubmission,
  readSubmission,
  writeSubmission,
  runBoundaries,
} from '../../../src/core/evaluate/submission';
import { VsumError } from '../../../src/core/errors';
import { createRng } from '../../../src/core/random';
import { runPython } from '../../helpers/python';
import { fixture, tempDir } from '../../helpers/fixtures';

// The original evaluation notebook's conversion (timesformer_tt1_json.ipynb) plus its length fix.
const NOTEBOOK = `
import json, sys
out = []
for c in json.load(sys.stdin):
    evaluate_list = [0] * c['n']
    for i in c['idx']:
        evaluate_list[i] = 1
    segments = []
    for i in range(1, len(evaluate_list)):
        if evaluate_list[i] != evaluate_list[i-1]:
            segments.append(i)
    s = evaluate_list
    if c['gt'] is not None and len(s) != c['gt']:
        s = s + [0] * (c['gt'] - len(s)) if len(s) < c['gt'] else s[:c['gt']]
    out.append({'summary': s, 'segment': segments})
print(json.dumps(out))
`;

test('toEvsEntry equals the original notebook conversion (segments before the length fix)', () => {
  const rng = createRng(7);
  const cases: Array<{ n: number; idx: number[]; gt: number | null }> = [];
  for (let k = 0; k < 40; k++) {
    const n = 20 + rng.int(300);
    const idx = rng.sampleSorted(n, rng.int(n));
    if (k % 5 === 0) idx.push(idx[0] ?? 0); // k-means duplicates
    const gt = k % 3 === 0 ? null : n + rng.int(5) - 2;
    cases.push({ n, idx, gt });
  }
  // Selected last frame + truncation: the boundary at the end survives in `segment` (computed first).
  cases.push({ n: 10, idx: [8, 9], gt: 9 }, { n: 10, idx: [9], gt: 12 });
  const ref = runPython<Array<{ summary: number[]; segment: number[] }>>(NOTEBOOK, cases);
  cases.forEach((c, i) => assert.deepEqual(toEvsEntry(c.idx, c.n, c.gt ?? undefined), ref[i], `case ${i}`));
});

test('toEvsEntry rejects indices outside the video', () => {
  assert.throws(
    () => toEvsEntry([3, 10], 10),
    (e: unknown) => e instanceof VsumError && /index 10 is outside the video's 10 frames/.test(e.message),
  );
  assert.throws(() => toEvsEntry([-1], 10), /index -1/);
});

test('the example submission parses; runs boundaries match its segments where the summary changes', () => {
  const file = fixture('real', 'rethinking-evs-example.json');
  const sub = parseSubmission(fs.readFileSync(file, 'utf8'), file);
  assert.equal(Object.keys(sub).length, 25);
  assert.equal(sub['St Maarten Landing'].summary.length, 1751);
  // every summary change happens at one of its segment boundaries (it was built from those segments)
  for (const [video, e] of Object.entries(sub)) {
    const seg = new Set(e.segment);
    for (const b of runBoundaries(e.summary)) assert.ok(seg.has(b), `${video}: change at ${b} not a segment boundary`);
  }
});

test('fitSubmission pads/truncates within 1 %, reports each change, and names missing/bad videos', () => {
  const file = fixture('real', 'rethinking-evs-example.json');
  const sub = parseSubmission(fs.readFileSync(file, 'utf8'), file);
  // The original's known mismatches, reversed: GT lengths that differ by a frame or two.
  const gt = new Map([
    ['Cooking', 1287],
    ['playing_ball', 3119],
    ['Jumps', 950],
  ]);
  const fitted = fitSubmission(sub, gt, file);
  assert.deepEqual(fitted.fits, [
    { video: 'Cooking', from: 1286, to: 1287 },
    { video: 'playing_ball', from: 3120, to: 3119 },
  ]);
  assert.equal(fitted.summaries.get('Cooking')!.length, 1287);
  assert.equal(fitted.summaries.get('Cooking')![1286], 0);
  assert.deepEqual([...fitted.summaries.get('playing_ball')!], sub['playing_ball'].summary.slice(0, 3119));
  assert.equal(fitted.extra.length, 22);
  assert.throws(
    () =>
      fitSubmission(
        sub,
        new Map([
          ['Nope', 100],
          ['Also missing', 3],
        ]),
        file,
      ),
    (e: unknown) => e instanceof VsumError && e.message.includes(file) && /"Nope", "Also missing"/.test(e.message),
  );
  assert.throws(
    () => fitSubmission(sub, new Map([['Jumps', 1000]]), file),
    /video "Jumps": field "summary" has 950 frames but the ground truth has 1000/,
  );
  const empty = { Jumps: { summary: new Array(950).fill(0), segment: [] } };
  assert.throws(
    () => fitSubmission(empty, new Map([['Jumps', 950]]), 'x.json'),
    /x\.json: video "Jumps": field "summary" is empty/,
  );
});

test('parseSubmission: malformed JSON and bad fields name the file, video and field', () => {
  assert.throws(
    () => parseSubmission('{"a": [1,', 'bad.json'),
    (e: unknown) => e instanceof VsumError && /bad\.json is not valid JSON/.test(e.message),
  );
  assert.throws(() => parseSubmission('[1]', 'b.json'), /b\.json: the top level must be an object/);
  assert.throws(
    () => parseSubmission('{"V 1": {"summary": [0, 2], "segment": []}}', 'c.json'),
    /c\.json: video "V 1": field "summary" must hold only 0 and 1, but frame 1 is 2/,
  );
  assert.throws(
    () => parseSubmission('{"V": {"summary": [0, 1]}}', 'd.json'),
    /d\.json: video "V": field "segment" is missing/,
  );
  assert.throws(
    () => parseSubmission('{"V": {"summary": [0, 1], "segment": [1.5]}}', 'e.json'),
    /field "segment" must hold whole frame indices/,
  );
  assert.throws(
    () => parseSubmission('{"V": {"summary": "01", "segment": []}}', 'f.json'),
    /field "summary" must be an array/,
  );
});

test('writeSubmission round-trips through readSubmission', async () => {
  const dir = tempDir();
  try {
    const out = path.join(dir, 'sub.json');
    const sub = { 'St Maarten Landing': toEvsEntry([1, 2, 5], 8, 9), Jumps: toEvsEntry([0], 3) };
    await writeSubmission(out, sub);
    assert.deepEqual(await readSubmission(out), sub);
    await assert.rejects(
      readSubmission(path.join(dir, 'none.json')),
      /Cannot read the submission .*none\.json \(ENOENT\)/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
