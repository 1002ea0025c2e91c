/**
 * Train/test split files for the supervised peers (docs/ALGORITHMS.md §eccv16-splits), deterministic by seed:
 *  - canonical: the dataset's videos shuffled once (seeded), cut into `folds` disjoint test sets of sizes differing
 *    by at most one (5 folds: every video is tested once, 20 % per fold), the rest of the dataset trains;
 *  - augmented: the same test folds; every video of the `--augment` files joins each fold's training set;
 *  - transfer: each fold tests on the whole dataset and trains on every video of the `--transfer` files.
 * Formats: DSNet's YAML (a list of {test_keys, train_keys}, keys `path/video_N` with the h5 path as given, as its
 * make_split.py writes and data_helper reads), and PGL-SUM's JSON (the same list, 4-space indented; keys `video_N`,
 * or `<h5 stem>/video_N` when several files are involved, as VASNet's augmented splits).
 */
import path from 'node:path';
import { stringify } from 'yaml';
import { VsumError } from '../errors';
import { createRng } from '../random';
import { naturalCompare, openH5 } from './dataset';
import { loadH5 } from './h5wasm';

export type SplitFormat = 'dsnet' | 'pgl-sum';
export const SPLIT_FORMATS: readonly SplitFormat[] = ['dsnet', 'pgl-sum'];
export type SplitSetting = 'canonical' | 'augmented' | 'transfer';

export interface Split {
  test_keys: string[];
  train_keys: string[];
}

export interface SplitOptions {
  dataset: string;
  augment?: string[];
  transfer?: string[];
  folds: number;
  seed: number;
  format: SplitFormat;
}

/** The video groups of an h5 file, in natural order. */
export async function videoKeys(file: string): Promise<string[]> {
  const m = await loadH5();
  const f = openH5(m, file);
  try {
    const keys = f
      .keys()
      .filter((k) => f.get(k) instanceof m.Group)
      .sort(naturalCompare);
    if (keys.length === 0)
      throw new VsumError('BAD_FILE', `${file} has no video groups (video_1, video_2, …).`, { file });
    return keys;
  } finally {
    try {
      f.close();
    } catch {
      /* already failed */
    }
  }
}

export function splitSetting(o: Pick<SplitOptions, 'augment' | 'transfer'>): SplitSetting {
  return o.transfer?.length ? 'transfer' : o.augment?.length ? 'augmented' : 'canonical';
}

/** `folds` disjoint test sets of a seeded shuffle of `keys` (sizes differ by at most one). */
export function testFolds(keys: readonly string[], folds: number, seed: number): string[][] {
  if (!Number.isInteger(folds) || folds < 2)
    throw new VsumError('BAD_INPUT', `folds must be a whole number ≥ 2, got ${folds}.`);
  if (folds > keys.length)
    throw new VsumError('BAD_INPUT', `${folds} folds need at least ${folds} videos; the dataset has ${keys.length}.`);
  const order = createRng(seed).shuffle([...keys]);
  const out: string[][] = [];
  let at = 0;
  for (let i = 0; i < folds; i++) {
    const size = Math.floor(keys.length / folds) + (i < keys.length % folds ? 1 : 0);
    out.push(order.slice(at, at + size).sort(naturalCompare));
    at += size;
  }
  return out;
}

/** The split list of the setting the options ask for (canonical, augmented or transfer). */
export async function makeSplits(o: SplitOptions): Promise<{ splits: Split[]; setting: SplitSetting }> {
  const setting = splitSetting(o);
  if (o.augment?.length && o.transfer?.length)
    throw new VsumError(
      'BAD_INPUT',
      'give --augment or --transfer, not both: augmented splits add training videos, transfer splits train on other datasets only.',
    );
  const extraFiles = (setting === 'transfer' ? o.transfer : o.augment) ?? [];
  const many = extraFiles.length > 0;
  const name = (file: string, key: string) =>
    o.format === 'dsnet' ? `${file}/${key}` : many ? `${path.basename(file).replace(/\.h5$/i, '')}/${key}` : key;
  const keys = await videoKeys(o.dataset);
  const extra: string[] = [];
  for (const f of extraFiles) for (const k of await videoKeys(f)) extra.push(name(f, k));
  const all = keys.map((k) => name(o.dataset, k));
  if (setting === 'transfer') {
    if (o.folds < 1 || !Number.isInteger(o.folds))
      throw new VsumError('BAD_INPUT', `folds must be a whole number ≥ 1, got ${o.folds}.`);
    // Every fold the same sets; the training order is shuffled per fold (seeded), as DSNet's make_split does.
    const rng = createRng(o.seed);
    return {
      setting,
      splits: Array.from({ length: o.folds }, () => ({ test_keys: all, train_keys: rng.shuffle([...extra]) })),
    };
  }
  const folds = testFolds(keys, o.folds, o.seed);
  const splits = folds.map((test) => {
    const inTest = new Set(test);
    return {
      test_keys: test.map((k) => name(o.dataset, k)),
      train_keys: [...keys.filter((k) => !inTest.has(k)).map((k) => name(o.dataset, k)), ...extra],
    };
  });
  return { setting, splits };
}

/** The split file's text in `format`. */
export function formatSplits(splits: readonly Split[], format: SplitFormat): string {
  const ordered = splits.map((s) => ({ test_keys: s.test_keys, train_keys: s.train_keys }));
  return format === 'dsnet'
    ? stringify(ordered, { indentSeq: false, lineWidth: 0 })
    : JSON.stringify(ordered, null, 4) + '\n';
}
