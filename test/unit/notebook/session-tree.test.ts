// The "vsum Session" view's nodes (src/notebook/session-tree.ts) from sessions the real stages filled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fmtBytes, sessionTree, type SessionNode } from '../../../src/notebook/session-tree';
import { Session } from '../../../src/notebook/session';
import { buildMiniSumme, NotebookRun, SAMPLE, tempNotebookDir, TINY_MODEL } from '../extension/_stage-harness';

const byLabel = (nodes: SessionNode[], label: string) => {
  const n = nodes.find((x) => x.label === label);
  assert.ok(n, `a "${label}" node among ${nodes.map((x) => x.label).join(', ')}`);
  return n;
};

test('fmtBytes', () => {
  assert.equal(fmtBytes(0), '0 B');
  assert.equal(fmtBytes(1023), '1023 B');
  assert.equal(fmtBytes(1536), '1.5 KB');
  assert.equal(fmtBytes(26_880), '26 KB');
  assert.equal(fmtBytes(3.2 * 1024 ** 3), '3.2 GB');
});

test('an empty session has no nodes', () => {
  assert.deepEqual(sessionTree(new Session(), []), []);
});

test('one video: videos, embeddings, summaries with their files, attention — sizes and what each opens', async () => {
  const dir = tempNotebookDir();
  fs.copyFileSync(SAMPLE, path.join(dir, 'clip.mp4'));
  const nb = new NotebookRun(
    dir,
    [
      'load: clip.mp4',
      'embed: {model: histogram}',
      'summarize: {method: [kmeans, tt02], seed: 1, ratio: 0.3}',
      `attention: {clip: 3, model: ${JSON.stringify(TINY_MODEL)}, spaceOnly: true}`,
    ],
    { model: 'histogram', executionProvider: 'cpu', cacheDirectory: path.join(dir, '.vsum-cache') },
  );
  await nb.runAll();
  const nodes = sessionTree(nb.session, nb.refs());
  assert.deepEqual(
    nodes.map((n) => n.label),
    ['Videos', 'Embeddings', 'Summaries', 'Attention'],
    'pipeline order; no evaluation was run',
  );

  const videos = byLabel(nodes, 'Videos');
  assert.equal(videos.description, '1 video');
  assert.match(videos.tooltip!, /from cell \[1\] \(`load`\)/, 'the producing cell, as it shows itself');
  assert.deepEqual(videos.open, { kind: 'cell', cellId: 'cell-0' });
  const v = byLabel(videos.children!, 'clip.mp4');
  assert.equal(v.description, `168 frames · 6.78 s · 294×240 · ${fmtBytes(fs.statSync(SAMPLE).size)}`);
  assert.deepEqual(v.open, { kind: 'file', path: path.join(dir, 'clip.mp4') });

  const emb = byLabel(nodes, 'Embeddings');
  assert.match(emb.description!, /^histogram-.* · 26 KB$/, '21 clips × 320 float32 = 26,880 bytes');
  assert.equal(byLabel(emb.children!, 'clip').description, '21 clips × 320 · 26 KB');
  assert.deepEqual(emb.open, { kind: 'cell', cellId: 'cell-1' });

  const sums = byLabel(nodes, 'Summaries');
  assert.equal(sums.description, '2 summaries · kmeans, tt02');
  for (const m of ['kmeans', 'tt02']) {
    const run = byLabel(sums.children!, `clip · ${m}`);
    const frames = nb.session
      .get<{ runs: { method: string; selection: { frames: number[] } }[] }>('selection')!
      .runs.find((r) => r.method === m)!.selection.frames.length;
    assert.match(run.description!, new RegExp(`^${frames} / 168 frames · \\d+ segments? · \\d\\.\\d\\d s$`));
    assert.equal(run.open?.kind, 'file', 'a summary opens its video');
    assert.deepEqual(
      run.children!.map((c) => c.label),
      [`clip.${m}.summary.mp4`, `clip.${m}.frames.txt`, `clip.${m}.summary.json`],
    );
    for (const f of run.children!) {
      assert.equal(f.open?.kind, 'file');
      const p = (f.open as { path: string }).path;
      assert.ok(fs.existsSync(p), `${p} exists`);
      assert.equal(f.description, fmtBytes(fs.statSync(p).size));
    }
  }

  const att = byLabel(nodes, 'Attention');
  assert.equal(att.description, 'clip 3 of clip.mp4');
  assert.deepEqual(
    att.children!.map((c) => [c.label, c.description]),
    [
      ['space-time rollout', 'frames 24–31 · 3×3 patches · 576 B'],
      ['space-only rollout', 'frames 24–31 · 3×3 patches · 576 B'],
    ],
    '3×3×8 float32 per map, both maps counted',
  );
  assert.deepEqual(att.open, { kind: 'cell', cellId: 'cell-3' });

  // A file deleted behind the session's back is shown as missing, not an error.
  const json = (byLabel(sums.children!, 'clip · tt02').children!.at(-1)!.open as { path: string }).path;
  fs.rmSync(json);
  const again = byLabel(byLabel(sessionTree(nb.session, nb.refs()), 'Summaries').children!, 'clip · tt02');
  assert.equal(again.children!.at(-1)!.description, 'missing');

  // Re-running load drops what was computed from the old video: the tree follows the session.
  await nb.run(0);
  assert.deepEqual(
    sessionTree(nb.session, nb.refs()).map((n) => n.label),
    ['Videos'],
  );
});

test('a dataset: exported rethinking-evs files and the evaluation with its baselines', async () => {
  const dir = tempNotebookDir();
  buildMiniSumme(path.join(dir, 'data', 'summe'));
  const nb = new NotebookRun(dir, [
    'load: {dir: data/summe/videos, gt: data/summe/GT}',
    'embed:',
    'summarize: {method: [kmeans, tt01], seed: 1, export: results}',
    'evaluate: {submission: results/*.json, baselines: [random], runs: 3, seed: 1}',
  ]);
  await nb.runAll();
  const nodes = sessionTree(nb.session, nb.refs());
  const videos = byLabel(nodes, 'Videos');
  assert.equal(videos.description, '2 videos');
  const gt = byLabel(videos.children!, 'ground truth');
  assert.deepEqual(gt.open, { kind: 'file', path: path.join(dir, 'data', 'summe', 'GT') });
  const sums = byLabel(nodes, 'Summaries');
  assert.equal(sums.description, '4 summaries · kmeans, tt01');
  for (const m of ['kmeans', 'tt01']) {
    const evs = byLabel(sums.children!, `rethinking-evs JSON (${m})`);
    assert.deepEqual(evs.open, { kind: 'file', path: path.join(dir, 'results', `${m}.json`) });
  }
  const ev = byLabel(nodes, 'Evaluation');
  assert.match(ev.description!, /· 2 methods × 2 videos$/);
  assert.deepEqual(
    ev.children!.map((c) => c.label),
    ['kmeans', 'tt01', 'random'],
  );
  for (const c of ev.children!) assert.match(c.description!, /^F avg \d+\.\d\d/);
  assert.match(ev.tooltip!, /from cell \[4\] \(`evaluate`\)/);
});
