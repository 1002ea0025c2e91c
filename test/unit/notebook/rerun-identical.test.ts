// Issue 16 item 1: a same-seed re-run changes nothing in a cell's outputs except the one explicit `timing` field
// (a top-level key of a JSON item, or of the output's metadata), so a saved notebook's diff stays empty. Every
// stage runs twice through the cell runner (the second time in the same session, from the embedding cache), and
// the outputs are compared byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StageReply } from '../../../src/notebook/engine/engine';
import type { OutputSpec } from '../../../src/notebook/outputs';
import { buildMiniSumme, NotebookRun, SAMPLE, tempNotebookDir, TINY_MODEL } from '../extension/_stage-harness';

const dec = new TextDecoder();

/** The item's bytes with a JSON item's top-level `timing` dropped (everything else must be identical). */
function comparable(mime: string, data: Uint8Array): string {
  const isJson = mime === 'application/json' || mime.endsWith('+json') || mime.startsWith('application/vnd.vsum');
  if (mime.startsWith('text/')) return dec.decode(data);
  if (!isJson) return Buffer.from(data).toString('base64');
  let v: unknown;
  try {
    v = JSON.parse(dec.decode(data));
  } catch {
    return Buffer.from(data).toString('base64'); // a binary envelope (attention): bytes as they are
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) delete (v as Record<string, unknown>).timing;
  return JSON.stringify(v);
}

function withoutTiming(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const { timing: _timing, ...rest } = meta ?? {};
  return rest;
}

function assertSameOutputs(label: string, a: OutputSpec[], b: OutputSpec[]): void {
  assert.equal(b.length, a.length, `${label}: number of outputs`);
  for (const [i, o] of a.entries()) {
    const p = b[i];
    assert.deepEqual(
      p.items.map((x) => x.mime),
      o.items.map((x) => x.mime),
      `${label}: output ${i + 1} mime types`,
    );
    for (const [j, it] of o.items.entries()) {
      const x = comparable(it.mime, it.data);
      const y = comparable(p.items[j].mime, p.items[j].data);
      if (x !== y)
        assert.fail(
          `${label}: output ${i + 1} item ${j + 1} (${it.mime}) changed on a same-seed re-run:\n` +
            `first:  ${x.slice(0, 400)}\nsecond: ${y.slice(0, 400)}`,
        );
    }
    assert.deepEqual(withoutTiming(p.metadata), withoutTiming(o.metadata), `${label}: output ${i + 1} metadata`);
  }
}

/** sha256 of every file the notebook's stages wrote (the media outputs refer to), by path under the notebook. */
function writtenFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.vsum-cache') walk(p);
      } else out.set(path.relative(dir, p), createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

async function runTwice(nb: NotebookRun): Promise<void> {
  const first: StageReply[] = await nb.runAll();
  const files = writtenFiles(nb.dir);
  const second: StageReply[] = await nb.runAll();
  for (const [i, r] of first.entries())
    assertSameOutputs(`cell ${i + 1} \`${nb.cells[i]}\``, r.outputs, second[i].outputs);
  assert.deepEqual(Object.fromEntries(writtenFiles(nb.dir)), Object.fromEntries(files), 'the files outputs refer to');
}

test('single video: load, embed, summarize with every method, shots, script — same outputs on a re-run', async () => {
  const dir = tempNotebookDir();
  fs.mkdirSync(path.join(dir, 'videos'));
  fs.copyFileSync(SAMPLE, path.join(dir, 'videos', 'clip.mp4'));
  await runTwice(
    new NotebookRun(dir, [
      'load: videos/clip.mp4',
      'embed: {model: histogram}',
      'summarize: {method: [kmeans, tt01, tt02], seed: 7, ratio: 0.3}',
      'summarize: {method: kts, seed: 7}',
      'shots: content',
      'script: return results.selection.runs.map(r => r.selection.frames.length)',
    ]),
  );
});

test('a TimeSformer embed and an attention cell: same outputs on a re-run', async () => {
  const dir = tempNotebookDir();
  fs.copyFileSync(SAMPLE, path.join(dir, 'clip.mp4'));
  const model = JSON.stringify(TINY_MODEL);
  await runTwice(
    new NotebookRun(dir, ['load: clip.mp4', `embed: {model: ${model}}`, `attention: {clip: 3, model: ${model}}`], {
      model: TINY_MODEL,
      executionProvider: 'cpu',
      cacheDirectory: path.join(dir, '.vsum-cache'),
    }),
  );
});

test('dataset: export, evaluate with seeded baselines — same outputs on a re-run', async () => {
  const dir = tempNotebookDir();
  buildMiniSumme(path.join(dir, 'data', 'summe'));
  await runTwice(
    new NotebookRun(dir, [
      'load: {dir: data/summe/videos, gt: data/summe/GT}',
      'embed:',
      'summarize: {method: [kmeans, tt01], seed: 3, export: results}',
      'evaluate: {submission: results/*.json, baselines: [random, human], runs: 3, seed: 3}',
    ]),
  );
});
