/**
 * Faults at the notebook level, through the kernel's own stage runner (the same code the NotebookController calls,
 * run in node by test/unit/extension/_stage-harness.ts): two notebooks running at once, a bad video in a `load`
 * cell (clear error, then the same notebook works once the file is fixed); one notebook is on a hostile file name that must reach
 * the outputs as inert data (every markdown fallback escapes it).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { NotebookRun, SAMPLE, tempNotebookDir } from '../unit/extension/_stage-harness';
import { assertFiles, assertNoChildren, isVsumError } from './_helpers';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function notebook(video: string, name: string, methods = '[tt02]'): NotebookRun {
  const dir = tempNotebookDir();
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'videos'));
  fs.copyFileSync(video, path.join(dir, 'videos', name));
  return new NotebookRun(dir, [
    `load: ${JSON.stringify(`videos/${name}`)}`,
    'embed: {model: histogram}',
    `summarize: {method: ${methods}, seed: 7, ratio: 0.3}`,
  ]);
}

const framesOf = (nb: NotebookRun, stem: string, m: string) =>
  fs.readFileSync(path.join(nb.dir, 'vsum-out', stem, `${stem}.${m}.frames.txt`), 'utf8');

const HOSTILE = `x <script>alert(1)<script> <img src=x onerror=alert(2)> [l](javascript:alert(3))`;

test('two notebooks at once (one on a file named <script>…) give the same results as one at a time; the name stays inert', async () => {
  const a1 = notebook(SAMPLE, `${HOSTILE}.mp4`);
  const results = await a1.runAll();
  const b1 = notebook(SAMPLE, 'b.mp4', '[kmeans]');
  await b1.runAll();
  const a2 = notebook(SAMPLE, `${HOSTILE}.mp4`);
  const b2 = notebook(SAMPLE, 'b.mp4', '[kmeans]');
  await Promise.all([a2.runAll(), b2.runAll()]);
  assert.equal(framesOf(a2, HOSTILE, 'tt02'), framesOf(a1, HOSTILE, 'tt02'));
  assert.equal(framesOf(b2, 'b', 'kmeans'), framesOf(b1, 'b', 'kmeans'));
  assertFiles(path.join(a2.dir, 'videos'));
  assertFiles(path.join(b2.dir, 'videos'));
  assertFiles(path.join(a2.dir, 'vsum-out', HOSTILE));
  assertFiles(path.join(b2.dir, 'vsum-out', 'b'));
  await assertNoChildren();

  // The hostile name reaches the outputs as data: every markdown fallback escapes it.
  let sawName = false;
  for (const r of results) {
    for (const o of r.outputs) {
      for (const it of o.items) {
        if (it.mime !== 'text/markdown') continue;
        const md = new TextDecoder().decode(it.data);
        // CommonMark: a backslash-escaped \< is a literal character, never a tag; an unescaped < would be HTML.
        assert.doesNotMatch(md, /(^|[^\\])</, `unescaped < from the file name in a markdown fallback: ${md}`);
        assert.doesNotMatch(md, /(^|[^\\])\]\(javascript:/, `a live markdown link from the file name: ${md}`);
        if (md.includes('alert')) sawName = true;
      }
    }
  }
  assert.ok(sawName, 'the (escaped) name is shown in at least one fallback');
});

test('a corrupt video in a load cell: clear error naming it; after fixing the file the same notebook runs', async () => {
  const nb = notebook(SAMPLE, 'clip.mp4');
  const file = path.join(nb.dir, 'videos', 'clip.mp4');
  fs.writeFileSync(file, fs.readFileSync(SAMPLE).subarray(0, 150_000));
  await assert.rejects(
    nb.run(0),
    isVsumError('TRUNCATED', 'clip.mp4', /truncated or corrupt/, /Re-export or re-download/),
  );
  await assert.rejects(nb.run(1), /run cell \[1\] \(`load`\) first/, 'the failed load cell shows [1]');
  await assertNoChildren();
  fs.copyFileSync(SAMPLE, file);
  const [load, , sum] = await nb.runAll();
  assert.ok(load.outputs.length > 0 && sum.outputs.length > 0);
  assertFiles(path.join(nb.dir, 'videos'), ['clip.mp4']);
  assertFiles(path.join(nb.dir, 'vsum-out', 'clip'), [
    'clip.load.thumbs',
    'clip.tt02.chapters.vtt',
    'clip.tt02.frames.txt',
    'clip.tt02.summary.csv',
    'clip.tt02.summary.json',
    'clip.tt02.summary.mp4',
    'clip.tt02.thumbs',
  ]);
});
