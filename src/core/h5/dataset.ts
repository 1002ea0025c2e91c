/**
 * The eccv16 dataset layout that DR-DSN, DSNet, PGL-SUM, CA-SUM, VASNet and MSVA all read
 * (`eccv16_dataset_{summe,tvsum,ovp,youtube}_google_pool5.h5`): one group per video (`video_1`, `video_2`, …) holding
 * features (n_steps × D float32), picks (frame of each step), n_frames, n_steps, gtscore, gtsummary, user_summary
 * (users × n_frames 0/1), change_points (shots × 2, [first, last] inclusive), n_frame_per_seg and video_name.
 * Every published variant is read: DSNet's own files lack gtsummary and n_steps, only SumMe has video_name, and
 * integer fields come as int32, int64 or float64. What a use needs is checked by `requireFields`, so `h5 info`
 * can describe a partial file while `evaluate` refuses one with an error naming the file, the video and the field
 * (docs/ALGORITHMS.md §eccv16-dataset).
 */
import fs from 'node:fs';
import { VsumError } from '../errors';
import { isHdf5File } from './detect';
import { loadH5, type H5, type H5Dataset, type H5File, type H5Group } from './h5wasm';

/** The per-video fields of the layout, in the order `h5 info` lists them. */
export const ECCV16_FIELDS = [
  'features',
  'picks',
  'n_frames',
  'n_steps',
  'gtscore',
  'gtsummary',
  'user_summary',
  'change_points',
  'n_frame_per_seg',
  'video_name',
] as const;
export type Eccv16Field = (typeof ECCV16_FIELDS)[number];

export interface Eccv16Video {
  /** The group name, e.g. `video_1`. */
  key: string;
  /** `video_name` where present (SumMe, files made by DSNet's make_dataset or `vsum h5 make`). */
  name?: string;
  /** Fields present in the group (known ones in ECCV16_FIELDS order, then any others). */
  fields: string[];
  nFrames?: number;
  /** `n_steps` where present, else the number of picks / feature rows. */
  nSteps?: number;
  /** Feature width D (from the dataset's shape; the values are read only when asked for). */
  featureDim?: number;
  /** n_steps × D, row-major; only with `{ features: true }`. */
  features?: Float32Array;
  picks?: Int32Array;
  gtscore?: Float32Array;
  gtsummary?: Float32Array;
  /** users × userFrames, 0/1 (a value > 0 counts as selected, as every peer's evaluation does). */
  userSummary?: Uint8Array;
  nUsers?: number;
  /** Columns of user_summary (n_frames in the published files). */
  userFrames?: number;
  /** shots × 2, row-major [first, last] inclusive. */
  changePoints?: Int32Array;
  nFramePerSeg?: Int32Array;
}

export interface Eccv16Dataset {
  file: string;
  /** In natural key order (video_1, video_2, …, video_10). */
  videos: Eccv16Video[];
}

export interface ReadDatasetOptions {
  /** Read the feature matrices too (default false: only their shape). */
  features?: boolean;
}

/** `video_2` before `video_10`: numeric runs compared as numbers. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function fail(file: string, where: string, what: string): never {
  throw new VsumError('BAD_FILE', `${file}: ${where} ${what}`, { file });
}

/** Read every video group of an eccv16-layout file. */
export async function readDataset(file: string, opts: ReadDatasetOptions = {}): Promise<Eccv16Dataset> {
  if (!fs.existsSync(file))
    throw new VsumError(
      'FILE_NOT_FOUND',
      `${file} does not exist. Give an eccv16-format dataset .h5 (e.g. eccv16_dataset_summe_google_pool5.h5).`,
      { file },
    );
  const m = await loadH5();
  const f = openH5(m, file);
  try {
    const keys = f.keys().sort(naturalCompare);
    if (keys.length === 0)
      fail(file, 'the file', 'has no video groups; an eccv16 dataset holds one group per video (video_1, video_2, …).');
    const videos = keys.map((k) => readVideo(m, f, file, k, opts));
    return { file, videos };
  } catch (e) {
    if (e instanceof VsumError) throw e;
    throw new VsumError(
      'BAD_FILE',
      `${file}: cannot read it as an HDF5 dataset (${(e as Error).message ?? e}). The file is damaged or cut short; get it again.`,
      { file, cause: e },
    );
  } finally {
    try {
      f.close();
    } catch {
      /* already failed */
    }
  }
}

/** Open an HDF5 file for reading, with an error that names it. */
export function openH5(m: H5, file: string): H5File {
  // Checked first: h5wasm "opens" a non-HDF5 file, prints HDF5-DIAG noise and fails later with a vague message.
  if (!isHdf5File(file))
    throw new VsumError(
      'BAD_FILE',
      `${file}: cannot open it as an HDF5 file (no HDF5 signature at its start). Give an eccv16-format .h5 (e.g. eccv16_dataset_summe_google_pool5.h5) or one written by \`vsum h5 make\`.`,
      { file },
    );
  try {
    return new m.File(file, 'r');
  } catch (e) {
    throw new VsumError(
      'BAD_FILE',
      `${file}: cannot open it as an HDF5 file (${(e as Error).message ?? e}). Give an eccv16-format .h5 (e.g. eccv16_dataset_summe_google_pool5.h5) or one written by \`vsum h5 make\`.`,
      { file, cause: e },
    );
  }
}

function readVideo(m: H5, f: H5File, file: string, key: string, opts: ReadDatasetOptions): Eccv16Video {
  const g = f.get(key);
  if (!(g instanceof m.Group))
    fail(
      file,
      `"${key}"`,
      'is not a group; an eccv16 dataset holds one group per video (video_1, video_2, …) and nothing else at the top level.',
    );
  const grp = g as H5Group;
  const present = grp.keys();
  const known = ECCV16_FIELDS.filter((k) => present.includes(k));
  const v: Eccv16Video = {
    key,
    fields: [...known, ...present.filter((k) => !(ECCV16_FIELDS as readonly string[]).includes(k)).sort()],
  };
  const ds = (field: string): H5Dataset | undefined => {
    if (!present.includes(field)) return undefined;
    const d = grp.get(field);
    if (!(d instanceof m.Dataset)) fail(file, `video "${key}": field "${field}"`, 'is not a dataset.');
    return d as H5Dataset;
  };
  const where = (field: string) => `video "${key}": field "${field}"`;

  const nf = ds('n_frames');
  if (nf) v.nFrames = scalarInt(nf, file, where('n_frames'), 1);
  const ns = ds('n_steps');
  if (ns) v.nSteps = scalarInt(ns, file, where('n_steps'), 0);
  const name = ds('video_name');
  if (name) v.name = stringValue(name, file, where('video_name'));

  const feats = ds('features');
  if (feats) {
    const shape = feats.shape ?? [];
    if (shape.length !== 2) fail(file, where('features'), `must be n_steps × D, but its shape is ${fmtShape(shape)}.`);
    v.featureDim = shape[1];
    v.nSteps ??= shape[0];
    if (opts.features) v.features = floatArray(feats, file, where('features'));
  }
  const picks = ds('picks');
  if (picks) {
    v.picks = intArray(picks, file, where('picks'), 1);
    v.nSteps ??= v.picks.length;
  }
  const gs = ds('gtscore');
  if (gs) v.gtscore = floatArray(gs, file, where('gtscore'), 1);
  const gsum = ds('gtsummary');
  if (gsum) v.gtsummary = floatArray(gsum, file, where('gtsummary'), 1);
  const us = ds('user_summary');
  if (us) {
    const shape = us.shape ?? [];
    if (shape.length !== 2)
      fail(file, where('user_summary'), `must be users × n_frames, but its shape is ${fmtShape(shape)}.`);
    const raw = floatArray(us, file, where('user_summary'));
    const sel = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) sel[i] = raw[i] > 0 ? 1 : 0;
    [v.nUsers, v.userFrames] = shape;
    v.userSummary = sel;
  }
  const cps = ds('change_points');
  if (cps) {
    const shape = cps.shape ?? [];
    if (shape.length !== 2 || shape[1] !== 2)
      fail(
        file,
        where('change_points'),
        `must be shots × 2 ([first, last] frame of each shot), but its shape is ${fmtShape(shape)}.`,
      );
    v.changePoints = intArray(cps, file, where('change_points'));
  }
  const nfps = ds('n_frame_per_seg');
  if (nfps) v.nFramePerSeg = intArray(nfps, file, where('n_frame_per_seg'), 1);
  return v;
}

function fmtShape(shape: number[]): string {
  return shape.length ? shape.join('×') : 'a scalar';
}

function numbersOf(d: H5Dataset, file: string, where: string): ArrayLike<number | bigint> {
  const v = d.value;
  if (typeof v === 'number' || typeof v === 'bigint') return [v];
  if (typeof v === 'boolean') return [Number(v)];
  if (!ArrayBuffer.isView(v)) fail(file, where, `must be numeric, but it holds ${d.dtype} data.`);
  return v as unknown as ArrayLike<number | bigint>;
}

function checkRank(d: H5Dataset, file: string, where: string, rank?: number): void {
  if (rank === undefined) return;
  const shape = d.shape ?? [];
  // A (n, 1) column is read as a vector, as numpy code indexing it with [...] effectively does.
  const rankOf = shape.filter((s, i) => !(i > 0 && s === 1)).length;
  if (rankOf > rank) fail(file, where, `must be a vector, but its shape is ${fmtShape(shape)}.`);
}

function floatArray(d: H5Dataset, file: string, where: string, rank?: number): Float32Array {
  checkRank(d, file, where, rank);
  const raw = numbersOf(d, file, where);
  // float32 is what every peer casts to on load (DSNet: .astype(np.float32)).
  const out = raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>, Number);
  for (let i = 0; i < out.length; i++)
    if (!Number.isFinite(out[i])) fail(file, where, `holds a non-finite value (${out[i]}) at index ${i}.`);
  return out;
}

function intArray(d: H5Dataset, file: string, where: string, rank?: number): Int32Array {
  checkRank(d, file, where, rank);
  const raw = numbersOf(d, file, where);
  const out = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const x = Number(raw[i]);
    if (!Number.isInteger(x) || Math.abs(x) > 2 ** 31 - 1)
      fail(file, where, `must hold whole frame numbers, but item ${i} is ${x}.`);
    out[i] = x;
  }
  return out;
}

function scalarInt(d: H5Dataset, file: string, where: string, min: number): number {
  const raw = numbersOf(d, file, where);
  if (raw.length !== 1) fail(file, where, `must be one number, but it holds ${raw.length}.`);
  const x = Number(raw[0]);
  if (!Number.isInteger(x) || x < min) fail(file, where, `must be a whole number ≥ ${min}, but it is ${x}.`);
  return x;
}

function stringValue(d: H5Dataset, file: string, where: string): string {
  const v = d.value;
  if (typeof v === 'string') return v.replace(/\0+$/, '');
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0].replace(/\0+$/, '');
  if (v instanceof Uint8Array || v instanceof Int8Array) return new TextDecoder().decode(v).replace(/\0+$/, '');
  return fail(file, where, `must be a string (bytes), but it holds ${d.dtype} data.`);
}

/** What `evaluate` needs of every video: the fields, present and consistent, or a VsumError naming the first gap. */
export type Requirement = 'keyshots' | 'users' | 'gtscore' | 'features';

export function requireFields(v: Eccv16Video, file: string, needs: readonly Requirement[]): void {
  const missing = (field: string, why: string): never =>
    fail(
      file,
      `video "${v.key}":`,
      `has no field "${field}", which ${why} (it has ${v.fields.join(', ') || 'nothing'}).`,
    );
  const where = (field: string) => `video "${v.key}": field "${field}"`;
  if (v.nFrames === undefined) missing('n_frames', 'every evaluation needs');
  const n = v.nFrames!;
  if (needs.includes('keyshots')) {
    if (!v.picks) missing('picks', 'spreading per-step scores to frames needs');
    if (!v.changePoints) missing('change_points', 'the keyshot summary needs');
    if (!v.nFramePerSeg) missing('n_frame_per_seg', 'the knapsack needs');
    const picks = v.picks!;
    for (let i = 0; i < picks.length; i++) {
      if (picks[i] < 0 || picks[i] >= n)
        fail(file, where('picks'), `item ${i} is frame ${picks[i]}, outside the video's ${n} frames (n_frames).`);
      if (i > 0 && picks[i] <= picks[i - 1])
        fail(file, where('picks'), `must increase, but item ${i} (${picks[i]}) follows ${picks[i - 1]}.`);
    }
    const cps = v.changePoints!;
    const shots = cps.length / 2;
    for (let s = 0; s < shots; s++) {
      const a = cps[2 * s],
        b = cps[2 * s + 1];
      if (a < 0 || b < a || b >= n)
        fail(
          file,
          where('change_points'),
          `shot ${s} is [${a}, ${b}], which is not a frame range inside the video's ${n} frames ([first, last], inclusive).`,
        );
    }
    if (v.nFramePerSeg!.length !== shots)
      fail(file, where('n_frame_per_seg'), `has ${v.nFramePerSeg!.length} values for ${shots} shots in change_points.`);
    for (let s = 0; s < shots; s++)
      if (v.nFramePerSeg![s] < 1)
        fail(
          file,
          where('n_frame_per_seg'),
          `shot ${s} has ${v.nFramePerSeg![s]} frames; every shot has at least one.`,
        );
  }
  if (needs.includes('users')) {
    if (!v.userSummary) missing('user_summary', 'the F-measure against the users needs');
    if (v.nUsers! < 1 || v.userFrames! < 1)
      fail(file, where('user_summary'), `is ${v.nUsers}×${v.userFrames}; it needs at least one user and one frame.`);
  }
  if (needs.includes('gtscore') && v.gtscore && v.picks && v.gtscore.length !== v.picks.length)
    fail(file, where('gtscore'), `has ${v.gtscore.length} values for ${v.picks.length} picks.`);
  if (needs.includes('features')) {
    if (v.featureDim === undefined) missing('features', 'training and splits need');
  }
}
