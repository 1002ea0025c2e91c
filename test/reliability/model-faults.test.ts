/**
 * Model faults through `vsum embed` / `vsum model download` (real CLI): missing, corrupt, truncated and
 * wrong-graph models, an unavailable execution provider, and an offline / interrupted download. Each is one clear
 * line naming the file (or URL and drop path) and the fix; no .npy is written, no temp file, no half-written cache
 * entry; the CLI works after.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO } from '../helpers/fixtures';
import {
  SAMPLE,
  assertCliError,
  assertCliStillWorks,
  assertFiles,
  assertNoChildren,
  cliBundle,
  listFiles,
  runCli,
  startCli,
  workDir,
} from './_helpers';

const TINY = path.join(REPO, 'test', 'models', 'tiny-timesformer.onnx');
let dir: string;
let cache: string;
before(async () => {
  dir = workDir('model faults');
  cache = path.join(dir, 'cache');
  await cliBundle();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function embedFails(model: string, extra: string[], ...patterns: Array<RegExp | string>): Promise<void> {
  const out = path.join(dir, 'features.npy');
  assertCliError(
    await runCli(['embed', SAMPLE, '--out', out, '--model', model, '--cache-dir', cache, ...extra]),
    ...patterns,
  );
  assert.equal(fs.existsSync(out), false, 'no .npy written');
  assertFiles(dir);
  // Only complete derived graphs (each with its record) may be in the cache.
  const derived = listFiles(cache).filter((f) => f.endsWith('.onnx'));
  for (const f of derived) assert.ok(fs.existsSync(path.join(cache, f + '.json')), `derived graph ${f} has its record`);
  await assertNoChildren();
}

test('missing model file', async () => {
  const m = path.join(dir, 'no such model.onnx');
  await embedFails(m, ['--ep', 'cpu'], `Model file ${m} does not exist`, /Pass --model k600/);
});

test('corrupt model (random bytes)', async () => {
  const m = path.join(dir, 'random bytes.onnx');
  fs.writeFileSync(m, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)));
  await embedFails(
    m,
    ['--ep', 'cpu'],
    m,
    /not a readable ONNX model/,
    /truncated or corrupt/,
    /download it again|point --model/,
  );
});

test('truncated model (first half of the tiny model)', async () => {
  const m = path.join(dir, 'half model.onnx');
  const b = fs.readFileSync(TINY);
  fs.writeFileSync(m, b.subarray(0, b.length >> 1));
  await embedFails(m, ['--ep', 'cpu'], m, /not a readable ONNX model/, /truncated or corrupt/);
});

test('wrong-shape model (an ONNX graph that is not a TimeSformer)', async () => {
  const m = path.join(REPO, 'test', 'models', 'not-timesformer.onnx');
  await embedFails(m, ['--ep', 'cpu'], m, /does not look like a TimeSformer/, /vsum model download/);
});

test('unavailable execution provider (--ep cuda without the CUDA libraries)', async (t) => {
  const ort = path.join(
    REPO,
    'node_modules',
    'onnxruntime-node',
    'bin',
    'napi-v6',
    'linux',
    'x64',
    'libonnxruntime_providers_cuda.so',
  );
  if (fs.existsSync(ort))
    return t.skip('CUDA provider libraries are installed here; the unavailable-EP case needs a machine without them');
  await embedFails(
    TINY,
    ['--ep', 'cuda'],
    /The cuda execution provider is not available/,
    /libonnxruntime_providers_cuda\.so/,
    /Use --ep auto .* or --ep cpu/,
  );
});

async function server(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const s = http.createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  };
}

test('offline model download: unreachable server → URL and the path to drop the file into; nothing in the cache', async () => {
  const s = await server(() => undefined);
  const url = s.url;
  await s.close(); // nothing listens there now: connection refused
  const c = path.join(dir, 'offline cache');
  const r = await runCli(['model', 'download', '--variant', 'q4', '--cache-dir', c], {
    env: { VSUM_HF_ENDPOINT: url },
  });
  const drop = path.join(c, 'models', 'onnx-community', 'timesformer-base-finetuned-k600', 'model_q4.onnx');
  assertCliError(
    r,
    `${url}/onnx-community/timesformer-base-finetuned-k600/resolve/main/onnx/model_q4.onnx is unreachable`,
    `copy the file to ${drop}`,
  );
  assert.deepEqual(listFiles(c), []);
  await assertCliStillWorks();
});

test('download cut off mid-file: clear "interrupted, run again to resume" error; no model file under its final name', async () => {
  const s = await server((req, res) => {
    res.writeHead(200, { 'content-length': '400000', 'content-type': 'application/octet-stream' });
    res.write(Buffer.alloc(60_000, 1), () => setTimeout(() => res.destroy(), 50));
  });
  const c = path.join(dir, 'cut cache');
  try {
    // Asynchronously: the server runs in this process.
    const r = await (
      await startCli(['model', 'download', '--variant', 'q4', '--cache-dir', c], { env: { VSUM_HF_ENDPOINT: s.url } })
    ).done;
    assertCliError(r, /model_q4\.onnx/, /interrupted after|ended after/, /Run the same command again to resume/);
  } finally {
    await s.close();
  }
  const files = listFiles(c);
  assert.ok(!files.some((f) => f.endsWith('model_q4.onnx')), `no model under its final name: ${files}`);
  assert.ok(!files.some((f) => f.includes('.vsum-tmp-')), `no temp file: ${files}`);
});
