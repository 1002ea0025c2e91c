import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isRendererMessage } from '../../../src/common/messages';
import { EXPORT_FORMATS } from '../../../src/core/exports/exports';
import { exportWrittenSummary, summaryJsonOf } from '../../../src/core/exports/from-summary';
import { summarizeVideo } from '../../../src/core/summarize/pipeline';
import { fixture, tempDir } from '../../helpers/fixtures';

const SAMPLE = fixture('real', 'mmcv-test.mp4');

test("exports of a written summary (the player's Export…) equal the ones --export writes", async () => {
  const dir = tempDir();
  const a = await summarizeVideo(SAMPLE, { method: 'kts', outDir: path.join(dir, 'a'), exports: EXPORT_FORMATS });
  const b = await summarizeVideo(SAMPLE, { method: 'kts', outDir: path.join(dir, 'b'), exports: [] });
  const files = await exportWrittenSummary(b.paths.video, SAMPLE, EXPORT_FORMATS);
  assert.equal(files.length, EXPORT_FORMATS.length);
  for (const [i, f] of files.entries()) {
    const expected = fs.readFileSync(a.exports[i], 'utf8');
    // The concat list names the source relative to its own folder: the same from a/ and b/.
    assert.equal(fs.readFileSync(f, 'utf8'), expected, path.basename(f));
  }
});

test('a missing or broken summary JSON is named; only summary videos are accepted', async () => {
  const dir = tempDir();
  assert.throws(() => summaryJsonOf(path.join(dir, 'clip.mp4')), /not a vsum summary video/);
  const video = path.join(dir, 'x.summary.mp4');
  await assert.rejects(exportWrittenSummary(video, SAMPLE, ['csv']), /x\.summary\.json: it is missing/);
  fs.writeFileSync(path.join(dir, 'x.summary.json'), '{"frames": ');
  await assert.rejects(exportWrittenSummary(video, SAMPLE, ['csv']), /not valid JSON/);
});

test('the export message is typed', () => {
  assert.ok(isRendererMessage({ type: 'export', summary: 'a.summary.mp4', source: 'a.mp4' }));
  assert.ok(isRendererMessage({ type: 'export', summary: 'a.summary.mp4' }));
  assert.ok(!isRendererMessage({ type: 'export', summary: '' }));
  assert.ok(!isRendererMessage({ type: 'export', summary: 'a', source: 3 }));
});
