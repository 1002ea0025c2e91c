/**
 * The model manager: turns `--model k600|PATH` (+ variant) into a verified file on disk and its sha256, and
 * derives (once, cached next to it) the embedding / attention graphs from it.
 *  - k600: <cache>/models/onnx-community/timesformer-base-finetuned-k600/<file>, downloaded on first use; a
 *    sidecar `<file>.json` records url, size, sha256 and the mtime at which the hash was taken. Later loads check
 *    the size, and re-hash when the file changed since (a different mtime) — a mismatch is a clear error.
 *    A file dropped in by hand (offline machines) is accepted and recorded on first use.
 *  - PATH: any local .onnx, hashed on first use in this process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import { resolveCacheDir, scratchDir, tryCacheWrite } from './cache-dir';
import { downloadFile, sha256File, type DownloadProgress } from './download';
import {
  HUB_REPO,
  K600_GEOMETRY,
  VARIANT_FILES,
  VARIANT_SIZES_MB,
  variantPath,
  variantUrl,
  type ModelVariant,
} from './hub';
import type { DerivedFrom } from './session';
import { deriveTimesformerModel, type Inspection } from './surgery';
import { defaultVariantFor } from './variant-choice';

export interface ResolvedModel {
  /** The classification graph as downloaded / given. */
  path: string;
  sha256: string;
  size: number;
  source: 'hub' | 'local';
  variant?: ModelVariant;
  url?: string;
  /** Short human name: `k600-fp32` or the file name. */
  label: string;
}

export interface ModelRecord {
  repo?: string;
  variant?: ModelVariant;
  url?: string;
  size: number;
  sha256: string;
  /** True when the hash matched one the server published. */
  shaVerified: boolean;
  mtimeMs: number;
  recordedAt: string;
  source: 'download' | 'dropped-in';
}

export interface EnsureModelOptions {
  /** `k600` (default) or a path to a local .onnx. */
  model?: string;
  variant?: ModelVariant;
  cacheDir?: string;
  /** Download when missing (default true). */
  download?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  log?: (message: string) => void;
  /** Re-hash even when the file looks untouched. */
  verify?: boolean;
}

const recordPath = (file: string) => `${file}.json`;
const localHashes = new Map<string, string>();

export function isHubModel(model: string | undefined): boolean {
  return model === undefined || model === 'k600';
}

async function readRecord(file: string): Promise<ModelRecord | undefined> {
  try {
    return JSON.parse(await fs.promises.readFile(recordPath(file), 'utf8')) as ModelRecord;
  } catch {
    return undefined;
  }
}

export async function ensureModel(opts: EnsureModelOptions = {}): Promise<ResolvedModel> {
  if (!isHubModel(opts.model)) return localModel(opts.model!, opts.signal);
  const variant = opts.variant ?? defaultVariantFor().variant;
  const cacheDir = resolveCacheDir({ cacheDir: opts.cacheDir });
  const file = variantPath(cacheDir, variant);
  const url = variantUrl(variant);
  const label = `k600-${variant}`;
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (stat) {
    const rec = await readRecord(file);
    if (rec && rec.size !== stat.size)
      throw new VsumError(
        'BAD_FILE',
        `${file} has ${stat.size} bytes but ${rec.size} were downloaded: the model file was truncated or replaced. Delete it (and ${recordPath(file)}) and run \`vsum model download --variant ${variant}\`.`,
        { file },
      );
    if (rec && rec.mtimeMs === stat.mtimeMs && !opts.verify)
      return { path: file, sha256: rec.sha256, size: stat.size, source: 'hub', variant, url, label };
    opts.log?.(`verifying ${file} (sha256)…`);
    const sha = await sha256File(file, opts.signal);
    if (rec && rec.sha256 !== sha)
      throw new VsumError(
        'BAD_FILE',
        `${file} is corrupt: its sha256 is ${sha}, but ${rec.sha256} was recorded when it was downloaded. Delete it and run \`vsum model download --variant ${variant}\`.`,
        { file },
      );
    const record: ModelRecord = rec
      ? { ...rec, mtimeMs: stat.mtimeMs }
      : {
          repo: HUB_REPO,
          variant,
          url,
          size: stat.size,
          sha256: sha,
          shaVerified: false,
          mtimeMs: stat.mtimeMs,
          recordedAt: new Date().toISOString(),
          source: 'dropped-in',
        };
    await writeFileAtomic(recordPath(file), JSON.stringify(record, null, 1));
    return { path: file, sha256: sha, size: stat.size, source: 'hub', variant, url, label };
  }
  if (opts.download === false)
    throw new VsumError(
      'MODEL',
      `The TimeSformer model (${variant}) is not downloaded yet: run \`vsum model download --variant ${variant}\`, or download ${url} and put it at ${file}, or pass --model /path/to/model.onnx.`,
      { file },
    );
  return downloadVariant(variant, { ...opts, cacheDir });
}

export async function downloadVariant(variant: ModelVariant, opts: EnsureModelOptions = {}): Promise<ResolvedModel> {
  const cacheDir = resolveCacheDir({ cacheDir: opts.cacheDir });
  const file = variantPath(cacheDir, variant);
  const url = variantUrl(variant);
  opts.log?.(`downloading ${url} (≈${VARIANT_SIZES_MB[variant]} MB) to ${file}`);
  const r = await downloadFile(url, file, {
    signal: opts.signal,
    onProgress: opts.onProgress,
    what: `the TimeSformer model (${variant}, ${VARIANT_FILES[variant]})`,
  });
  const stat = await fs.promises.stat(file);
  const record: ModelRecord = {
    repo: HUB_REPO,
    variant,
    url,
    size: r.size,
    sha256: r.sha256,
    shaVerified: r.shaVerified,
    mtimeMs: stat.mtimeMs,
    recordedAt: new Date().toISOString(),
    source: 'download',
  };
  await writeFileAtomic(recordPath(file), JSON.stringify(record, null, 1));
  return { path: file, sha256: r.sha256, size: r.size, source: 'hub', variant, url, label: `k600-${variant}` };
}

async function localModel(model: string, signal?: AbortSignal): Promise<ResolvedModel> {
  const file = path.resolve(model);
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat)
    throw new VsumError(
      'FILE_NOT_FOUND',
      `Model file ${file} does not exist. Pass --model k600 (downloads the published model) or the path of a TimeSformer .onnx file.`,
      { file },
    );
  if (!stat.isFile())
    throw new VsumError('BAD_FILE', `Model path ${file} is not a file. Pass the path of a TimeSformer .onnx file.`, {
      file,
    });
  if (stat.size === 0)
    throw new VsumError('BAD_FILE', `Model file ${file} is empty. Download it again or pass another .onnx file.`, {
      file,
    });
  const key = `${file}:${stat.size}:${stat.mtimeMs}`;
  let sha = localHashes.get(key);
  if (!sha) {
    sha = await sha256File(file, signal);
    localHashes.set(key, sha);
  }
  return { path: file, sha256: sha, size: stat.size, source: 'local', label: path.basename(file) };
}

/** Bump when the surgery changes what it writes, so stale derived graphs are rebuilt. */
const SURGERY_VERSION = 3;

export interface DerivedModel {
  path: string;
  inspection: Inspection;
  attention: boolean;
}

interface DerivedRecord {
  sourceSha256: string;
  surgeryVersion: number;
  inspection: Inspection;
}

/**
 * The embedding (or embedding + attention) graph derived from `model`, cached next to a downloaded model, or in
 * <cache>/derived/ for a local file (vsum does not write beside the user's files).
 */
export async function ensureDerived(
  model: ResolvedModel,
  opts: { attention: boolean; cacheDir?: string; log?: (m: string) => void },
): Promise<DerivedModel> {
  const kind = opts.attention ? 'attention' : 'embed';
  const out =
    model.source === 'hub'
      ? model.path.replace(/\.onnx$/, '') + `.vsum-${kind}.onnx`
      : path.join(
          resolveCacheDir({ cacheDir: opts.cacheDir }),
          'derived',
          `${path.basename(model.path, '.onnx')}-${model.sha256.slice(0, 16)}.vsum-${kind}.onnx`,
        );
  const rec: DerivedRecord | undefined = await fs.promises.readFile(recordPath(out), 'utf8').then(
    (s) => JSON.parse(s) as DerivedRecord,
    () => undefined,
  );
  if (rec && rec.sourceSha256 === model.sha256 && rec.surgeryVersion === SURGERY_VERSION && fs.existsSync(out)) {
    assertHubGeometry(model, rec.inspection);
    return { path: out, inspection: rec.inspection, attention: opts.attention };
  }
  opts.log?.(`deriving the ${kind} graph from ${model.path}`);
  const bytes = await fs.promises.readFile(model.path);
  const derived = deriveTimesformerModel(bytes, { attention: opts.attention, file: model.path });
  assertHubGeometry(model, derived.inspection);
  const record: DerivedRecord = {
    sourceSha256: model.sha256,
    surgeryVersion: SURGERY_VERSION,
    inspection: derived.inspection,
  };
  const stored = await tryCacheWrite(
    path.dirname(out),
    async () => {
      await fs.promises.mkdir(path.dirname(out), { recursive: true });
      await writeFileAtomic(out, derived.bytes);
      await writeFileAtomic(recordPath(out), JSON.stringify(record, null, 1));
    },
    opts.log,
  );
  // A read-only cache: the session still needs the graph as a file, so it goes to a scratch folder for this run.
  const used = stored ? out : path.join(scratchDir(), path.basename(out));
  if (!stored) await writeFileAtomic(used, derived.bytes);
  return { path: used, inspection: derived.inspection, attention: opts.attention };
}

/** What a session on a derived graph needs to explain a load error by its cause (see session.ts). */
export function derivedFrom(model: ResolvedModel, derived: DerivedModel): DerivedFrom {
  const hub = model.source === 'hub';
  return {
    source: hub ? `${HUB_REPO} (${path.basename(model.path)})` : model.path,
    variant: model.variant,
    inspectArgs: hub ? `k600 --variant ${model.variant ?? 'fp32'}` : JSON.stringify(model.path),
    added: derived.inspection.added ?? [],
  };
}

/** Another TimeSformer (or any graph the surgery accepts) saved under a k600 variant's name is not k600. */
function assertHubGeometry(model: ResolvedModel, inspection: Inspection): void {
  if (model.source !== 'hub') return;
  const g = inspection.geometry;
  const wrong = (Object.keys(K600_GEOMETRY) as Array<keyof typeof K600_GEOMETRY>).filter(
    (k) => g[k] !== K600_GEOMETRY[k],
  );
  if (wrong.length)
    throw new VsumError(
      'BAD_FILE',
      `${model.path} is not the k600 model: its ${wrong.map((k) => `${k} is ${g[k]} (k600: ${K600_GEOMETRY[k]})`).join(', ')}. Delete it (and ${recordPath(model.path)}) and run \`vsum model download${model.variant ? ` --variant ${model.variant}` : ''}\`, or pass this file with --model PATH.`,
      { file: model.path },
    );
}
