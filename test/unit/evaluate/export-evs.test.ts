import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildSubmission, parseFrameList, readFrameLists, videoNameOf } from '../../../src/core/evaluate/export-evs';
import { toEvsEntry } from '../../../src/core/evaluate/submission';
import { VsumError } from '../../../src/core/errors';
import { fixture, tempDir } from '../../helpers/fixtures';

test('frame-list names: <video>.txt and the original <video>.mp4.txt', () => {
  assert.equal(videoNameOf('St Maarten Landing.txt'), 'St Maarten Landing');
  assert.equal(videoNameOf('jumps.mp4.txt'), 'jumps');
  assert.equal(videoNameOf('Bike Polo.webm.TXT'), 'Bike Polo');
  assert.deepEqual(parseFrameList('3\n\n 5 \r\n7\n', 'a.txt'), [3, 5, 7]);
  assert.throws(() => parseFrameList('3\n-1\n', 'a.txt'), /a\.txt:2: "-1" is not a frame index/);
});

test('the original k-means summary of Jumps (jumps.mp4.txt) matches GT "Jumps" and converts like the notebook', async () => {
  const dir = tempDir();
  try {
    fs.copyFileSync(fixture('real', 'seed-kmeans-jumps.txt'), path.join(dir, 'jumps.mp4.txt'));
    fs.writeFileSync(path.join(dir, 'extra video.txt'), '1\n');
    const lists = await readFrameLists(dir);
    const frames = lists.get('jumps')!.frames;
    assert.equal(frames.length, 144);
    const res = buildSubmission(lists, new Map([['Jumps', 950]]));
    assert.deepEqual(res.renamed, [{ from: 'jumps', to: 'Jumps' }]);
    assert.deepEqual(res.unmatched, ['extra video']);
    assert.deepEqual(res.fits, []);
    assert.deepEqual(res.submission.Jumps, toEvsEntry(frames, 950));
    assert.equal(
      res.submission.Jumps.summary.reduce((a, b) => a + b, 0),
      144,
    );
    assert.throws(
      () =>
        buildSubmission(
          lists,
          new Map([
            ['Jumps', 950],
            ['Cooking', 1286],
          ]),
        ),
      (e: unknown) => e instanceof VsumError && /No frame list for 1 ground-truth video: "Cooking"/.test(e.message),
    );
    assert.throws(
      () => buildSubmission(lists, new Map([['Jumps', 900]])),
      /frame 9\d\d is past the end|off by more than 1 %/,
    );
    assert.throws(
      () => buildSubmission(lists, new Map([['Jumps', 950]]), new Map([['jumps', 1000]])),
      /video "Jumps" has 1000 frames but the ground truth has 950/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
