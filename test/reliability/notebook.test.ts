/**
 * Faults at the notebook level, through the kernel's own stage runner (the same code the NotebookController calls,
 * run in node by test/unit/extension/_stage-harness.ts): two notebooks running at once, a bad video in a `load`
 * cell (clear error, then the same notebook works once the file is fixed), and a hostile file name that must reach
 * the outputs as inert data (markdown fallbacks escaped, renderer payloads plain strings).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { NotebookRun, SAMPLE, tempNotebookDir } from '../unit/extension/_stage-harness';
import { assertFiles, assertNoChildren, isVsumError } from './_helpers';

const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function notebook(video: string, name: string, methods = '[kmeans, tt02]'): NotebookRun {
  const dir = tempNotebookDir();
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'videos'));
  fs.copyFileSync(video, path.join(dir, 'videos', name));
  return new NotebookRun(dir, [`load: ${JSON.stringify(`videos/${name}`)}`, 'embed: {model: histogram}', `summarize: {method: ${methods}, seed: 7, ratio: 0.3}`]);
}

const framesOf = (nb: NotebookRun, stem: string, m: string) => fs.readFileSync(path.join(nb.dir, 'videos', `${stem}.${m}.frames.txt`), 'utf8');

test('two notebooks running all their cells at once give the same results as one at a time', async () => {
  const a1 = notebook(SAMPLE, 'a.mp4');
  await a1.runAll();
  const b1 = notebook(SAMPLE, 'b.mp4', '[tt01, kts]');
  await b1.runAll();
  const a2 = notebook(SAMPLE, 'a.mp4');
  const b2 = notebook(SAMPLE, 'b.mp4', '[tt01, kts]');
  await Promise.all([a2.runAll(), b2.runAll()]);
  for (const m of ['kmeans', 'tt02']) assert.equal(framesOf(a2, 'a', m), framesOf(a1, 'a', m), m);
  for (const m of ['tt01', 'kts']) assert.equal(framesOf(b2, 'b', m), framesOf(b1, 'b', m), m);
  assertFiles(path.join(a2.dir, 'videos'));
  assertFiles(path.join(b2.dir, 'videos'));
  await assertNoChildren();
});

test('a corrupt video in a load cell: clear error naming it; after fixing the file the same notebook runs', async () => {
  const nb = notebook(SAMPLE, 'clip.mp4');
  const file = path.join(nb.dir, 'videos', 'clip.mp4');
  fs.writeFileSync(file, fs.readFileSync(SAMPLE).subarray(0, 150_000));
  await assert.rejects(nb.run(0), isVsumError('TRUNCATED', 'clip.mp4', /truncated or corrupt/, /Re-export or re-download/));
  await assert.rejects(nb.run(1), /run cell 1 \(`load`\) first/);
  await assertNoChildren();
  fs.copyFileSync(SAMPLE, file);
  const [load, , sum] = await nb.runAll();
  assert.ok(load.outputs.length > 0 && sum.outputs.length > 0);
  assertFiles(path.join(nb.dir, 'videos'), ['clip.kmeans.frames.txt', 'clip.kmeans.summary.json', 'clip.kmeans.summary.mp4', 'clip.mp4', 'clip.tt02.frames.txt', 'clip.tt02.summary.json', 'clip.tt02.summary.mp4']);
});

test('a file named <script>…: the name reaches outputs as inert data, escaped in markdown fallbacks', async () => {
  const name = `x <script>alert(1)<script> <img src=x onerror=alert(2)> [l](javascript:alert(3)).mp4`;
  const nb = notebook(SAMPLE, name, '[tt01]');
  const results = await nb.runAll();
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
  await assertNoChildren();
});
