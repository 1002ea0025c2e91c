/**
 * Resumable HTTP download: bytes go to `<dest>.part` (kept when interrupted, so the next call resumes with an HTTP
 * Range request), the whole file is hashed (sha256) as it arrives, checked against the server's hash when it
 * sends one (the Hugging Face Hub sends the LFS sha256 as X-Linked-Etag), and only then renamed to `dest`.
 * A reader never sees a half-written model.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CancelledError, VsumError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import { isProcessAlive } from '../pid';

export interface DownloadProgress {
  /** Bytes of the file on disk so far (including what a previous run left). */
  bytes: number;
  total?: number;
  /** 0–100 when the size is known. */
  percent?: number;
  /** Transfer rate of this run, MB/s (1 MB = 10⁶ bytes). */
  mbPerSecond: number;
  /** Seconds left at the current rate, when the size is known. */
  etaSeconds?: number;
  /** Where this run started (> 0 when it resumed a partial file). */
  resumedFrom: number;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Known sha256 (hex); else the server's X-Linked-Etag / ETag when it is a sha256. */
  expectedSha256?: string;
  /** What the file is, for messages ("the TimeSformer model (fp32)"). */
  what?: string;
  /** Where a user without internet should put the file (defaults to dest). */
  dropPath?: string;
}

export interface DownloadResult {
  path: string;
  url: string;
  size: number;
  sha256: string;
  /** True when the hash was compared with one the server (or caller) provided. */
  shaVerified: boolean;
  resumedFrom: number;
}

interface PartInfo {
  url: string;
  sha256?: string;
  total?: number;
}

const SHA_RE = /^[0-9a-f]{64}$/;

function serverSha(res: Response): string | undefined {
  for (const h of ['x-linked-etag', 'etag']) {
    const v = res.headers.get(h)?.replace(/^W\//, '').replace(/"/g, '').toLowerCase();
    if (v && SHA_RE.test(v)) return v;
  }
  return undefined;
}

function offlineHint(url: string, dropPath: string): string {
  return `On a machine without internet access, download ${url} elsewhere and copy the file to ${dropPath} (or pass --model /path/to/model.onnx).`;
}

async function hashFile(file: string, hash: crypto.Hash, signal?: AbortSignal): Promise<void> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 22, signal })) hash.update(chunk as Buffer);
}

export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const h = crypto.createHash('sha256');
  try {
    await hashFile(file, h, signal);
  } catch (e) {
    if (signal?.aborted) throw new CancelledError(`hashing ${file}`);
    throw e;
  }
  return h.digest('hex');
}

/**
 * One downloader per destination across processes (the extension and a CLI may both want the model): a lock file
 * holding the owner's pid; a lock whose process is gone is taken over.
 */
async function acquireLock(lock: string, what: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await fs.promises.open(lock, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => fs.promises.rm(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(await fs.promises.readFile(lock, 'utf8').catch(() => ''));
      if (owner > 0 && owner !== process.pid && isProcessAlive(owner))
        throw new VsumError(
          'MODEL',
          `Another vsum process (pid ${owner}) is downloading ${what} right now; wait for it to finish (or stop it) and run this again.`,
          { file: lock },
        );
      await fs.promises.rm(lock, { force: true });
    }
  }
  throw new VsumError('MODEL', `Cannot lock ${lock} to download ${what}; remove it and try again.`, { file: lock });
}

export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const what = opts.what ?? path.basename(dest);
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const release = await acquireLock(`${dest}.lock`, what);
  try {
    return await downloadUnlocked(url, dest, what, opts);
  } finally {
    await release();
  }
}

async function downloadUnlocked(
  url: string,
  dest: string,
  what: string,
  opts: DownloadOptions,
): Promise<DownloadResult> {
  const dropPath = opts.dropPath ?? dest;
  const part = `${dest}.part`;
  const partInfoPath = `${part}.json`;

  let have = (await fs.promises.stat(part).catch(() => undefined))?.size ?? 0;
  const prevInfo: PartInfo | undefined =
    have > 0
      ? await fs.promises.readFile(partInfoPath, 'utf8').then(
          (s) => JSON.parse(s) as PartInfo,
          () => undefined,
        )
      : undefined;
  if (have > 0 && prevInfo?.url !== url) have = 0; // a part from another URL (or without a record) is not ours to continue

  // The Hub answers /resolve/ with a redirect to its CDN whose headers carry the LFS sha256 (X-Linked-Etag);
  // the CDN's own ETag need not be it. So the first hop is taken by hand to read them.
  let linkedSha: string | undefined;
  const request = async (from: number): Promise<Response> => {
    const headers: Record<string, string> = from > 0 ? { Range: `bytes=${from}-` } : {};
    try {
      let target = url;
      for (let hop = 0; hop < 10; hop++) {
        const res = await fetch(target, { headers, signal: opts.signal, redirect: 'manual' });
        const location = res.headers.get('location');
        if (res.status < 300 || res.status >= 400 || !location) return res;
        linkedSha ??= serverSha(res);
        await res.body?.cancel();
        target = new URL(location, target).toString();
      }
      throw new Error('too many redirects');
    } catch (e) {
      if (opts.signal?.aborted) throw new CancelledError(`downloading ${what}`);
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw new VsumError(
        'OFFLINE',
        `Cannot download ${what}: ${url} is unreachable (${why}). ${offlineHint(url, dropPath)}`,
        { file: dropPath, cause: e },
      );
    }
  };

  let res = await request(have);
  if (res.status === 416 && have > 0) {
    // Range not satisfiable: either we already have everything, or the part is longer than the file.
    const total = Number(res.headers.get('content-range')?.match(/\/(\d+)$/)?.[1]);
    if (!(total === have)) have = 0;
    await res.body?.cancel();
    if (have === 0) res = await request(0);
  }
  if (res.status === 206) {
    const start = Number(res.headers.get('content-range')?.match(/bytes (\d+)-/)?.[1]);
    if (start !== have) {
      await res.body?.cancel();
      have = 0;
      res = await request(0);
    }
  } else if (res.status === 200) {
    have = 0; // the server ignored the Range header: start over
  }
  let complete = res.status === 416;
  if (!complete && res.status !== 200 && res.status !== 206) {
    await res.body?.cancel();
    const hint =
      res.status === 404
        ? 'the file is not on the server (was the repository renamed?)'
        : res.status === 401 || res.status === 403
          ? 'the server refused access'
          : 'the server failed';
    throw new VsumError(
      'OFFLINE',
      `Cannot download ${what}: ${url} answered HTTP ${res.status} — ${hint}. ${offlineHint(url, dropPath)}`,
      { file: dropPath },
    );
  }

  const expected = (opts.expectedSha256 ?? linkedSha ?? serverSha(res) ?? prevInfo?.sha256)?.toLowerCase();
  if (have > 0 && expected && prevInfo?.sha256 && prevInfo.sha256 !== expected) {
    // The file on the server changed since the part was written: start over.
    await res.body?.cancel();
    have = 0;
    res = await request(0);
    complete = false;
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new VsumError(
        'OFFLINE',
        `Cannot download ${what}: ${url} answered HTTP ${res.status} when restarting the download. ${offlineHint(url, dropPath)}`,
        { file: dropPath },
      );
    }
  }
  const length = Number(res.headers.get('content-length'));
  const rangeTotal = Number(res.headers.get('content-range')?.match(/\/(\d+)$/)?.[1]);
  const total = complete
    ? have
    : res.status === 206 && rangeTotal > 0
      ? rangeTotal
      : length > 0
        ? have + length
        : prevInfo?.total;
  await writeFileAtomic(partInfoPath, JSON.stringify({ url, sha256: expected, total } satisfies PartInfo));

  const hash = crypto.createHash('sha256');
  if (have > 0) await hashFile(part, hash, opts.signal);
  const resumedFrom = have;
  let bytes = have;
  const started = Date.now();
  let lastReport = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!opts.onProgress || (!force && now - lastReport < 200)) return;
    lastReport = now;
    const secs = Math.max((now - started) / 1000, 1e-3);
    const mbPerSecond = (bytes - resumedFrom) / 1e6 / secs;
    opts.onProgress({
      bytes,
      total,
      percent: total ? (100 * bytes) / total : undefined,
      mbPerSecond,
      etaSeconds: total && mbPerSecond > 0 ? (total - bytes) / 1e6 / mbPerSecond : undefined,
      resumedFrom,
    });
  };

  if (!complete) {
    const fh = await fs.promises.open(part, have > 0 ? 'a' : 'w');
    try {
      if (!res.body) throw new Error('empty response body');
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        await fh.write(chunk);
        hash.update(chunk);
        bytes += chunk.length;
        report();
      }
      await fh.sync();
    } catch (e) {
      if (opts.signal?.aborted)
        throw new CancelledError(
          `downloading ${what} (${(bytes / 1e6).toFixed(1)} MB kept in ${part}; run again to resume)`,
        );
      throw new VsumError(
        'OFFLINE',
        `The download of ${what} from ${url} was interrupted after ${(bytes / 1e6).toFixed(1)} MB (${(e as Error).message}). Run the same command again to resume from there. ${offlineHint(url, dropPath)}`,
        { file: dropPath, cause: e },
      );
    } finally {
      await fh.close();
    }
  }
  report(true);
  if (total !== undefined && bytes !== total)
    throw new VsumError(
      'OFFLINE',
      `The download of ${what} from ${url} ended after ${bytes} of ${total} bytes. Run the same command again to resume.`,
      { file: dropPath },
    );
  const sha256 = hash.digest('hex');
  if (expected && sha256 !== expected) {
    await fs.promises.rm(part, { force: true });
    await fs.promises.rm(partInfoPath, { force: true });
    throw new VsumError(
      'BAD_FILE',
      `The download of ${what} from ${url} is corrupt: sha256 ${sha256} but the server says ${expected}. The partial file was deleted; run the command again.`,
      { file: dest },
    );
  }
  await fs.promises.rename(part, dest);
  await fs.promises.rm(partInfoPath, { force: true });
  return { path: dest, url, size: bytes, sha256, shaVerified: expected !== undefined, resumedFrom };
}
