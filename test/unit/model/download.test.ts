/**
 * The model download against a real local HTTP server (127.0.0.1) serving the tiny model with Range support:
 * resume after an interrupted transfer, sha256 verification (X-Linked-Etag like the Hub), corrupt transfer,
 * offline, 404, and the model manager's records on later loads.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { downloadFile, type DownloadProgress } from '../../../src/core/model/download';
import { ensureModel, downloadVariant } from '../../../src/core/model/model-store';
import { variantPath, variantUrl, HUB_REPO, VARIANT_FILES, VARIANT_SIZES_MB } from '../../../src/core/model/hub';
import { resolveCacheDir } from '../../../src/core/model/cache-dir';
import { VsumError } from '../../../src/core/errors';
import { spawn } from 'node:child_process';
import { tempDir } from '../../helpers/fixtures';
import { TINY } from './_tiny';
import { ensureBuiltCli } from '../../helpers/cli';

const body = fs.readFileSync(TINY);
const sha = crypto.createHash('sha256').update(body).digest('hex');
let server: http.Server;
let base: string;
const requests: Array<{ url: string; range?: string }> = [];
/** Per-path behaviour switches the tests flip. */
const mode = { cutAfter: 0, corrupt: false, ignoreRange: false };

before(async () => {
  server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', range: req.headers.range });
    const url = req.url ?? '';
    if (!url.endsWith('.onnx')) {
      res.writeHead(404).end('not found');
      return;
    }
    // Like the Hub: /<repo>/resolve/main/onnx/<file> redirects to a CDN URL that serves the bytes.
    if (url.includes('/resolve/') && !url.startsWith('/cdn')) {
      res
        .writeHead(302, { Location: `/cdn${url}`, 'X-Linked-Etag': `"${sha}"`, 'X-Linked-Size': String(body.length) })
        .end();
      return;
    }
    let data = mode.corrupt ? Buffer.from(body.map((b, i) => (i === 1234 ? b ^ 0xff : b))) : body;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      ETag: url.startsWith('/cdn/x/') ? `"${sha}"` : '"cdn-etag-1"',
      'Accept-Ranges': 'bytes',
    };
    if (m && !mode.ignoreRange) {
      const start = Number(m[1]);
      if (start >= data.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${data.length}` }).end();
        return;
      }
      headers['Content-Range'] = `bytes ${start}-${data.length - 1}/${data.length}`;
      data = data.subarray(start);
      res.writeHead(206, { ...headers, 'Content-Length': String(data.length) });
    } else res.writeHead(200, { ...headers, 'Content-Length': String(data.length) });
    if (mode.cutAfter > 0) {
      // Send part of the body, then drop the connection (a network failure mid-transfer).
      res.write(data.subarray(0, mode.cutAfter), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(data);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('the Hub URLs are exactly onnx-community/timesformer-base-finetuned-k600/resolve/main/onnx/<file>', () => {
  const env = {} as NodeJS.ProcessEnv;
  assert.equal(
    variantUrl('fp32', env),
    'https://huggingface.co/onnx-community/timesformer-base-finetuned-k600/resolve/main/onnx/model.onnx',
  );
  assert.equal(
    variantUrl('fp16', env),
    'https://huggingface.co/onnx-community/timesformer-base-finetuned-k600/resolve/main/onnx/model_fp16.onnx',
  );
  assert.equal(
    variantUrl('int8', env),
    'https://huggingface.co/onnx-community/timesformer-base-finetuned-k600/resolve/main/onnx/model_int8.onnx',
  );
  assert.equal(
    variantUrl('quantized', env),
    'https://huggingface.co/onnx-community/timesformer-base-finetuned-k600/resolve/main/onnx/model_quantized.onnx',
  );
  assert.equal(
    variantUrl('q4', env),
    'https://huggingface.co/onnx-community/timesformer-base-finetuned-k600/resolve/main/onnx/model_q4.onnx',
  );
  assert.equal(
    resolveCacheDir({ env: { VSUM_CACHE: '/a', XDG_CACHE_HOME: '/x' } as NodeJS.ProcessEnv, cacheDir: '/g' }),
    '/a',
  );
  assert.equal(resolveCacheDir({ env: { XDG_CACHE_HOME: '/x' } as NodeJS.ProcessEnv, cacheDir: '/g' }), '/g');
  assert.equal(resolveCacheDir({ env: { XDG_CACHE_HOME: '/x' } as NodeJS.ProcessEnv }), path.join('/x', 'vsum'));
  assert.equal(variantPath('/c', 'int8'), path.join('/c', 'models', ...HUB_REPO.split('/'), 'model_int8.onnx'));
  // Every file of the published onnx/ folder, with its size.
  assert.deepEqual(Object.values(VARIANT_FILES).sort(), [
    'model.onnx',
    'model_bnb4.onnx',
    'model_fp16.onnx',
    'model_int8.onnx',
    'model_q4.onnx',
    'model_q4f16.onnx',
    'model_quantized.onnx',
    'model_uint8.onnx',
  ]);
  assert.deepEqual(VARIANT_SIZES_MB, {
    fp32: 487,
    fp16: 244,
    q4f16: 71.1,
    int8: 123,
    uint8: 123,
    quantized: 123,
    q4: 81.4,
    bnb4: 73.9,
  });
});

test('an interrupted download resumes with a Range request and the result is verified (sha256)', async () => {
  const dir = tempDir('vsum-dl-');
  const dest = path.join(dir, 'm', 'model.onnx');
  const url = `${base}/${HUB_REPO}/resolve/main/onnx/model.onnx`;
  requests.length = 0;
  mode.cutAfter = 100_000;
  await assert.rejects(downloadFile(url, dest), (e: unknown) => {
    assert.ok(e instanceof VsumError);
    assert.equal(e.code, 'OFFLINE');
    assert.match(e.message, /interrupted after 0\.1 MB/);
    assert.match(e.message, /again to resume/);
    return true;
  });
  assert.ok(!fs.existsSync(dest), 'no model file after an interrupted download');
  assert.equal(fs.statSync(`${dest}.part`).size, 100_000, 'the partial bytes are kept for resuming');
  mode.cutAfter = 0;
  const progress: DownloadProgress[] = [];
  const r = await downloadFile(url, dest, { onProgress: (p) => progress.push(p) });
  assert.equal(r.resumedFrom, 100_000);
  assert.equal(r.sha256, sha);
  assert.ok(r.shaVerified);
  assert.deepEqual(fs.readFileSync(dest), body);
  assert.ok(!fs.existsSync(`${dest}.part`) && !fs.existsSync(`${dest}.part.json`), 'part files removed');
  const ranged = requests.filter((q) => q.url.startsWith('/cdn'));
  assert.equal(ranged.at(-1)?.range, 'bytes=100000-', 'the second transfer asked for the rest only');
  const last = progress.at(-1)!;
  assert.equal(last.bytes, body.length);
  assert.equal(last.total, body.length);
  assert.equal(last.percent, 100);
  assert.ok(last.mbPerSecond >= 0 && Number.isFinite(last.mbPerSecond));
  assert.equal(last.etaSeconds, 0);
});

test('a server that ignores Range restarts cleanly; a complete part (416) is accepted', async () => {
  const dir = tempDir('vsum-dl-');
  const dest = path.join(dir, 'model.onnx');
  const url = `${base}/cdn/x/model.onnx`;
  mode.cutAfter = 50_000;
  await assert.rejects(downloadFile(url, dest));
  mode.cutAfter = 0;
  mode.ignoreRange = true;
  try {
    const r = await downloadFile(url, dest);
    assert.equal(r.resumedFrom, 0);
    assert.equal(r.sha256, sha);
  } finally {
    mode.ignoreRange = false;
  }
  // A part that already holds every byte (the rename was interrupted): 416 → hash it and finish.
  const dest2 = path.join(dir, 'model2.onnx');
  fs.writeFileSync(`${dest2}.part`, body);
  fs.writeFileSync(`${dest2}.part.json`, JSON.stringify({ url, sha256: sha, total: body.length }));
  const r2 = await downloadFile(url, dest2);
  assert.equal(r2.sha256, sha);
  assert.equal(r2.resumedFrom, body.length);
});

test('a corrupt transfer fails the sha256 check: clear error, nothing kept', async () => {
  const dir = tempDir('vsum-dl-');
  const dest = path.join(dir, 'model.onnx');
  mode.corrupt = true;
  try {
    await assert.rejects(downloadFile(`${base}/${HUB_REPO}/resolve/main/onnx/model.onnx`, dest), (e: unknown) => {
      assert.ok(e instanceof VsumError);
      assert.equal(e.code, 'BAD_FILE');
      assert.match(e.message, new RegExp(`server says ${sha}`));
      return true;
    });
  } finally {
    mode.corrupt = false;
  }
  assert.deepEqual(fs.readdirSync(dir), [], 'no model, no part, no temp file');
});

test('offline (connection refused) and HTTP 404: the message has the exact URL and where to drop the file', async () => {
  // A port that was just free: nothing listens there.
  const port = await new Promise<number>((r) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => r(p));
    });
  });
  const dir = tempDir('vsum-offline-');
  const prev = process.env.VSUM_HF_ENDPOINT;
  process.env.VSUM_HF_ENDPOINT = `http://127.0.0.1:${port}`;
  try {
    const url = variantUrl('int8');
    const drop = variantPath(dir, 'int8');
    await assert.rejects(ensureModel({ variant: 'int8', cacheDir: dir }), (e: unknown) => {
      assert.ok(e instanceof VsumError);
      assert.equal(e.code, 'OFFLINE');
      assert.ok(e.message.includes(url), e.message);
      assert.ok(e.message.includes(drop), e.message);
      assert.match(e.message, /ECONNREFUSED/);
      return true;
    });
    assert.ok(!fs.existsSync(drop));
    process.env.VSUM_HF_ENDPOINT = base;
    await assert.rejects(
      downloadFile(`${base}/missing/model.bin`, path.join(dir, 'x.onnx')),
      (e: unknown) =>
        e instanceof VsumError && /HTTP 404/.test(e.message) && e.message.includes(`${base}/missing/model.bin`),
    );
    // Not downloaded and downloads not allowed: say how to get it.
    await assert.rejects(
      ensureModel({ variant: 'q4', cacheDir: dir, download: false }),
      (e: unknown) =>
        e instanceof VsumError &&
        e.code === 'MODEL' &&
        /vsum model download --variant q4/.test(e.message) &&
        e.message.includes(variantPath(dir, 'q4')),
    );
  } finally {
    if (prev === undefined) delete process.env.VSUM_HF_ENDPOINT;
    else process.env.VSUM_HF_ENDPOINT = prev;
  }
});

test('model manager: download records size + sha256; later loads verify; a truncated or altered file is refused; a dropped-in file is accepted', async () => {
  const dir = tempDir('vsum-store-');
  const prev = process.env.VSUM_HF_ENDPOINT;
  process.env.VSUM_HF_ENDPOINT = base;
  try {
    const m = await downloadVariant('fp16', { cacheDir: dir });
    assert.equal(m.sha256, sha);
    assert.equal(m.path, variantPath(dir, 'fp16'));
    const rec = JSON.parse(fs.readFileSync(`${m.path}.json`, 'utf8'));
    assert.equal(rec.size, body.length);
    assert.equal(rec.sha256, sha);
    assert.equal(rec.shaVerified, true);
    assert.equal(rec.url, variantUrl('fp16'));
    const again = await ensureModel({ variant: 'fp16', cacheDir: dir });
    assert.equal(again.sha256, sha);
    // Same size, different bytes (mtime changes): re-hashed and refused.
    const altered = Buffer.from(body);
    altered[500] ^= 1;
    fs.writeFileSync(m.path, altered);
    await assert.rejects(
      ensureModel({ variant: 'fp16', cacheDir: dir }),
      (e: unknown) =>
        e instanceof VsumError && e.code === 'BAD_FILE' && /is corrupt/.test(e.message) && e.message.includes(m.path),
    );
    fs.writeFileSync(m.path, body.subarray(0, 1000));
    await assert.rejects(
      ensureModel({ variant: 'fp16', cacheDir: dir }),
      (e: unknown) => e instanceof VsumError && e.code === 'BAD_FILE' && /truncated/.test(e.message),
    );
    // Offline machine: the user copies the file into place by hand → accepted and recorded.
    const drop = variantPath(dir, 'int8');
    fs.mkdirSync(path.dirname(drop), { recursive: true });
    fs.copyFileSync(TINY, drop);
    const d = await ensureModel({ variant: 'int8', cacheDir: dir, download: false });
    assert.equal(d.sha256, sha);
    assert.equal(JSON.parse(fs.readFileSync(`${drop}.json`, 'utf8')).source, 'dropped-in');
  } finally {
    if (prev === undefined) delete process.env.VSUM_HF_ENDPOINT;
    else process.env.VSUM_HF_ENDPOINT = prev;
  }
});

test('cancelling a download keeps the partial file for resuming and throws CANCELLED', async () => {
  const dir = tempDir('vsum-dl-');
  const dest = path.join(dir, 'model.onnx');
  const ac = new AbortController();
  mode.cutAfter = 0;
  // Abort on the first progress report.
  await assert.rejects(
    downloadFile(`${base}/cdn/y/model.onnx`, dest, { signal: ac.signal, onProgress: () => ac.abort() }),
    (e: unknown) => e instanceof VsumError && e.code === 'CANCELLED',
  );
  assert.ok(!fs.existsSync(dest));
});

test('vsum model download / info against the local server: progress on stderr, resume, verified re-run, JSON info', async () => {
  const cli = ensureBuiltCli();
  const dir = tempDir('vsum-cli-dl-');
  const env = { ...process.env, VSUM_CACHE: dir, VSUM_HF_ENDPOINT: base };
  // Async spawn: the server lives in this process, so the child must not block our event loop.
  const vsum = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const c = spawn(process.execPath, [cli, ...args], { env });
      let stdout = '',
        stderr = '';
      c.stdout.on('data', (d) => (stdout += d));
      c.stderr.on('data', (d) => (stderr += d));
      c.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  mode.cutAfter = 200_000;
  const cut = await vsum(['model', 'download', '--variant', 'int8']);
  mode.cutAfter = 0;
  assert.equal(cut.status, 1);
  assert.match(cut.stderr, /interrupted after 0\.2 MB.*again to resume/);
  const ok = await vsum(['model', 'download', '--variant', 'int8']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(ok.stdout.includes(variantPath(dir, 'int8')));
  assert.match(ok.stdout, new RegExp(`sha256 ${sha}`));
  assert.match(ok.stderr, /100\.0%.*MB\/s.*resumed at 0\.2 MB/);
  const again = await vsum(['model', 'download', '--variant', 'int8']);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /already downloaded, verified/);
  const info = await vsum(['model', 'info', '--json']);
  assert.equal(info.status, 0, info.stderr);
  const j = JSON.parse(info.stdout);
  assert.equal(j.cacheDir, dir);
  const int8 = j.variants.find((v: { variant: string }) => v.variant === 'int8');
  assert.equal(int8.present, true);
  assert.equal(int8.sha256, sha);
  assert.equal(j.variants.find((v: { variant: string }) => v.variant === 'fp32').present, false);
  assert.ok(j.providers.some((p: { ep: string; available: boolean }) => p.ep === 'cpu' && p.available));
  assert.equal((await vsum(['model', 'download', '--variant', 'int4'])).status, 2);
});

test('one downloader per file: a live lock holder is reported, a stale lock is taken over', async () => {
  const dir = tempDir('vsum-lock-');
  const dest = path.join(dir, 'model.onnx');
  fs.writeFileSync(`${dest}.lock`, String(process.ppid)); // a live process that is not us
  await assert.rejects(
    downloadFile(`${base}/cdn/z/model.onnx`, dest),
    (e: unknown) => e instanceof VsumError && new RegExp(`pid ${process.ppid}\\) is downloading`).test(e.message),
  );
  fs.writeFileSync(`${dest}.lock`, '999999999'); // no such process
  const r = await downloadFile(`${base}/cdn/z/model.onnx`, dest);
  assert.equal(r.sha256, sha);
  assert.ok(!fs.existsSync(`${dest}.lock`), 'the lock is released');
});

test('a partial file from an older version of the file (different server hash) is discarded, not continued', async () => {
  const dir = tempDir('vsum-dl-');
  const dest = path.join(dir, 'model.onnx');
  const url = `${base}/${HUB_REPO}/resolve/main/onnx/model.onnx`;
  fs.writeFileSync(`${dest}.part`, Buffer.alloc(5000, 7)); // bytes of a file that no longer exists
  fs.writeFileSync(`${dest}.part.json`, JSON.stringify({ url, sha256: 'f'.repeat(64), total: 5000 }));
  const r = await downloadFile(url, dest);
  assert.equal(r.resumedFrom, 0);
  assert.equal(r.sha256, sha);
  assert.deepEqual(fs.readFileSync(dest), body);
});
