import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSummarizer } from '../../../src/core/summarize/methods';
import { SUMMARY_METHODS } from '../../../src/core/summarize/selection';
import { featureMatrix } from '../../../src/core/features';
import { VsumError } from '../../../src/core/errors';
import { sceneFeatures } from './_features';

const isVsum = (code: string, re: RegExp) => (e: unknown) =>
  e instanceof VsumError && e.code === code && re.test(e.message);

test('every method rejects empty features, NaN rows, bad ratios, < 8 frames and foreign features with a clear VsumError', async () => {
  const good = sceneFeatures(20, 8, 1);
  for (const method of SUMMARY_METHODS) {
    const s = createSummarizer(method);
    await assert.rejects(
      s.summarize({ features: featureMatrix(0, 8), nFrames: 160 }),
      isVsum('BAD_INPUT', /empty/),
      method,
    );
    const nan = featureMatrix(20, 8, good.data.slice());
    nan.data[5 * 8 + 3] = NaN;
    await assert.rejects(s.summarize({ features: nan, nFrames: 160 }), isVsum('BAD_INPUT', /row 5 .*NaN/), method);
    const inf = featureMatrix(20, 8, good.data.slice());
    inf.data[19 * 8] = Infinity;
    await assert.rejects(s.summarize({ features: inf, nFrames: 160 }), isVsum('BAD_INPUT', /row 19/), method);
    for (const ratio of [0, -0.1, 1.01, NaN]) {
      await assert.rejects(
        createSummarizer(method, { ratio }).summarize({ features: good, nFrames: 160 }),
        isVsum('BAD_INPUT', /ratio must be in \(0, 1\]/),
        `${method} ratio ${ratio}`,
      );
    }
    await assert.rejects(
      s.summarize({ features: featureMatrix(1, 8, new Float32Array(8).fill(1)), nFrames: 7 }),
      isVsum('TOO_SHORT', /7 frame.*at least 8/),
      method,
    );
    await assert.rejects(
      s.summarize({ features: good, nFrames: 400 }),
      isVsum('BAD_INPUT', /20 rows but a 400-frame video has 50 clips/),
      method,
    );
    // ratio = 1 is allowed.
    const all = await createSummarizer(method, { ratio: 1 }).summarize({ features: good, nFrames: 160 });
    assert.ok(all.frames.length > 0);
  }
  assert.throws(() => createSummarizer('tt01', { threshold: -1 }), VsumError);
  assert.throws(() => createSummarizer('tt02', { threshold: NaN }), VsumError);
  await assert.rejects(
    createSummarizer('kmeans', { seed: -3 }).summarize({ features: good, nFrames: 160 }),
    isVsum('BAD_INPUT', /seed/),
  );
});

test('a cancelled signal stops every method with CANCELLED', async () => {
  const ac = new AbortController();
  ac.abort();
  const f = sceneFeatures(2048, 4, 2);
  for (const method of SUMMARY_METHODS) {
    await assert.rejects(
      createSummarizer(method).summarize({ features: f, nFrames: 2048 * 8, signal: ac.signal }),
      (e: unknown) => e instanceof VsumError && e.code === 'CANCELLED',
      method,
    );
  }
});

test('selections are plain JSON (round-trip unchanged)', async () => {
  const f = sceneFeatures(60, 16, 9);
  for (const method of SUMMARY_METHODS) {
    const sel = await createSummarizer(method).summarize({ features: f, nFrames: 485 });
    assert.deepEqual(JSON.parse(JSON.stringify(sel)), sel, method);
    assert.ok(sel.frames.every((x) => Number.isInteger(x) && x >= 0 && x < 485));
  }
});
