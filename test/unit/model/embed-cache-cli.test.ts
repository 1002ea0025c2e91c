import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  embedVideoCached,
  embeddingCacheKey,
  readCachedEmbedding,
  videoContentKey,
} from '../../../src/core/embed/cache';
import { createTimesformerEmbedder, timesformerSpec } from '../../../src/core/embed/timesformer';
import { readNpy } from '../../../src/core/io/npy';
import { VsumError } from '../../../src/core/errors';
import { resolveFfmpeg, type FfmpegTools } from '../../../src/core/video/ffmpeg';
import { decodeFrames } from '../../../src/core/video/decode';
import { clipsOf } from '../../../src/core/video/clips';
import { tempDir } from '../../helpers/fixtures';
import { makeVideo } from '../../helpers/video';
import { ensureBuiltCli, runBuiltCli } from '../../helpers/cli';
import { TINY, TINY_CONFIG, maxAbsDiff } from './_tiny';

let tools: FfmpegTools;
let dir: string;
let video: string;

before(async () => {
  tools = await resolveFfmpeg();
  dir = tempDir('vsum-embed-cache-');
  video = makeVideo(tools, path.join(dir, 'v.mp4'), 'testsrc2=s=120x90:r=25:d=3.4', [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
  ]);
  ensureBuiltCli();
});

function vsum(args: string[], cache = path.join(dir, 'cli-cache')) {
  return runBuiltCli(args, { VSUM_CACHE: cache });
}

test('a re-run on the same video, model and mode comes from the cache and does no inference; mode, model or video change the key', async () => {
  const cacheDir = path.join(dir, 'c1');
  let created = 0;
  const spec = async (seedFaithful: boolean) => {
    const s = await timesformerSpec({ model: TINY, ep: 'cpu', batch: 3, cacheDir, seedFaithful });
    return {
      ...s,
      create: async () => {
        created++;
        return s.create();
      },
    };
  };
  const first = await embedVideoCached(video, await spec(false), { tools, cacheDir });
  assert.equal(first.cached, false);
  assert.equal(created, 1);
  assert.equal(first.features.rows, Math.floor(85 / 8));
  assert.equal(first.features.cols, TINY_CONFIG.hidden_size);
  const second = await embedVideoCached(video, await spec(false), { tools, cacheDir });
  assert.equal(second.cached, true);
  assert.equal(created, 1, 'no embedder was created: no inference');
  assert.deepEqual(second.features.data, first.features.data);
  assert.equal(second.info.frames, first.info.frames);
  const seed = await embedVideoCached(video, await spec(true), { tools, cacheDir });
  assert.equal(seed.cached, false, 'the preprocessing mode is part of the key');
  assert.notEqual(seed.cacheKey, first.cacheKey);
  assert.ok(maxAbsDiff(seed.features.data, first.features.data) > 1e-3);
  const copy = path.join(dir, 'copy.mp4');
  fs.copyFileSync(video, copy);
  assert.equal(await videoContentKey(copy), await videoContentKey(video), 'keyed by content, not path');
  const other = makeVideo(tools, path.join(dir, 'other.mp4'), 'testsrc2=s=120x90:r=25:d=3.44', [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
  ]);
  assert.notEqual(await videoContentKey(other), await videoContentKey(video));
  const parts = { videoKey: 'v', embedderId: 'e', modelHash: 'm', partial: 'drop' as const };
  assert.notEqual(embeddingCacheKey(parts), embeddingCacheKey({ ...parts, modelHash: 'm2' }));
  assert.notEqual(embeddingCacheKey(parts), embeddingCacheKey({ ...parts, partial: 'pad' }));
  // Only complete entries, no temp files.
  const files = fs.readdirSync(path.join(cacheDir, 'embeddings'));
  assert.deepEqual(
    files.filter((f) => f.includes('vsum-tmp')),
    [],
  );
  assert.equal(files.filter((f) => f.endsWith('.json')).length, 2);
});

test('the pipelined embedding equals embedding the decoded clips directly (same frames, same model)', async () => {
  const e = await createTimesformerEmbedder({ model: TINY, ep: 'cpu', batch: 4, cacheDir: path.join(dir, 'c2') });
  try {
    const viaCache = await embedVideoCached(
      video,
      {
        embedderId: e.id,
        modelHash: 'x',
        create: async () =>
          createTimesformerEmbedder({ model: TINY, ep: 'cpu', batch: 4, cacheDir: path.join(dir, 'c2') }),
      },
      { tools, noCache: true },
    );
    const clips = [];
    for await (const c of clipsOf(decodeFrames(video, e.frameFormat, { tools }), 8, 'drop')) clips.push(c);
    const direct = await e.embedBatch(clips);
    assert.ok(maxAbsDiff(viaCache.features.data, direct) < 1e-5);
    assert.equal(fs.existsSync(path.join(dir, 'c2', 'embeddings')), false, '--no-cache writes nothing');
  } finally {
    await e.dispose();
  }
});

test('damaged cache entries are misses, never wrong results; a cancelled run writes no entry', async () => {
  const cacheDir = path.join(dir, 'c3');
  const s = await timesformerSpec({ model: TINY, ep: 'cpu', cacheDir });
  const r = await embedVideoCached(video, s, { tools, cacheDir });
  const npy = path.join(cacheDir, 'embeddings', `${r.cacheKey}.npy`);
  const json = path.join(cacheDir, 'embeddings', `${r.cacheKey}.json`);
  fs.writeFileSync(npy, fs.readFileSync(npy).subarray(0, 200)); // truncated data
  assert.equal(await readCachedEmbedding(cacheDir, r.cacheKey), undefined);
  fs.rmSync(json); // data without its commit marker
  assert.equal(await readCachedEmbedding(cacheDir, r.cacheKey), undefined);
  const again = await embedVideoCached(video, s, { tools, cacheDir });
  assert.equal(again.cached, false);
  assert.deepEqual(again.features.data, r.features.data);
  // Cancel on the first progress report: CANCELLED, and the cache has no entry for it.
  const cancelDir = path.join(dir, 'c4');
  const ac = new AbortController();
  await assert.rejects(
    embedVideoCached(video, await timesformerSpec({ model: TINY, ep: 'cpu', cacheDir: cancelDir, batch: 1 }), {
      tools,
      cacheDir: cancelDir,
      signal: ac.signal,
      onProgress: () => ac.abort(),
    }),
    (e: unknown) => e instanceof VsumError && e.code === 'CANCELLED',
  );
  const left = fs.existsSync(path.join(cancelDir, 'embeddings'))
    ? fs.readdirSync(path.join(cancelDir, 'embeddings'))
    : [];
  assert.deepEqual(left, []);
});

test('vsum embed: .npy [clips, dim] + .json with mode, model hash and provider; the re-run is served from the cache', () => {
  const out = path.join(dir, 'f.npy');
  const r = vsum(['embed', video, '--out', out, '--model', TINY, '--batch', '3', '-q']);
  assert.equal(r.status, 0, r.stderr);
  const a = readNpy(out);
  assert.deepEqual(a.shape, [10, TINY_CONFIG.hidden_size]);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'f.json'), 'utf8'));
  assert.equal(meta.preprocessing, 'default');
  assert.equal(meta.executionProvider, 'cpu');
  assert.equal(meta.fromCache, false);
  assert.match(meta.model.sha256, /^[0-9a-f]{64}$/);
  assert.ok(meta.embedder.includes('default'));
  const again = vsum(['embed', video, '--out', path.join(dir, 'g.npy'), '--model', TINY, '-q']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /from the cache, no inference/);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'g.npy')), fs.readFileSync(out));
  const seed = vsum(['embed', video, '--out', path.join(dir, 's.npy'), '--model', TINY, '--seed-faithful', '-q']);
  assert.equal(seed.status, 0, seed.stderr);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 's.json'), 'utf8')).preprocessing, 'seed-faithful');
});

test('vsum embed errors: unavailable EP, missing model, missing video, bad flags — exit codes and messages, no output files', () => {
  const out = path.join(dir, 'err.npy');
  const ep = vsum(['embed', video, '--out', out, '--model', TINY, '--ep', 'dml'], path.join(dir, 'err-cache'));
  assert.equal(ep.status, 1);
  assert.match(ep.stderr, /The dml execution provider is not available/);
  const missing = vsum(['embed', video, '--out', out, '--model', path.join(dir, 'nope.onnx')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.onnx does not exist/);
  const noVideo = vsum(['embed', path.join(dir, 'none.mp4'), '--out', out, '--model', TINY]);
  assert.equal(noVideo.status, 1);
  assert.match(noVideo.stderr, /none\.mp4/);
  assert.equal(vsum(['embed', video, '--out', out, '--model', TINY, '--batch', '0']).status, 2);
  assert.equal(vsum(['embed', video, '--out', out, '--model', TINY, '--ep', 'tpu']).status, 2);
  assert.equal(vsum(['embed', video, '--out', path.join(dir, 'f.txt'), '--model', TINY]).status, 2);
  assert.ok(!fs.existsSync(out) && !fs.existsSync(path.join(dir, 'err.json')));
});
