/**
 * Which options of a stage cell name data on disk (a video, a dataset folder, a results file), whether that data
 * is there, and how a picked path is written back: what the "Choose video…" / "Choose folder…" lenses and the
 * shipped notebooks' offer to pick their data need. No vscode here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VIDEO_EXTENSIONS } from '../../core/video/types';
import { optionValueRanges } from '../../notebook/cell-edit';
import { stageOf } from '../stages/assist';

export type DataKind = 'video' | 'folder' | 'file';

export interface DataPath {
  option: string;
  kind: DataKind;
  /** What it is, for the lens and the dialog title ("the SumMe ground-truth folder"). */
  what: string;
  filters?: Record<string, string[]>;
  /** The path as written in the cell (undefined when the option is not there yet). */
  value?: string;
  start?: number;
  end?: number;
}

const VIDEO_FILTERS = { Videos: VIDEO_EXTENSIONS.map((e) => e.slice(1)) };

/** The data options of each stage; evaluate's `gt` is a file or a folder, told by its name. */
function dataOption(stage: string, option: string, value: string | undefined): Omit<DataPath, 'option'> | undefined {
  if (stage === 'load' && option === 'video') return { kind: 'video', what: 'video', filters: VIDEO_FILTERS };
  if (stage === 'load' && option === 'dir') return { kind: 'folder', what: 'folder of videos' };
  if (stage === 'load' && option === 'gt') return { kind: 'folder', what: 'ground-truth folder (SumMe GT/)' };
  if (stage === 'evaluate' && option === 'gt')
    return value && /\.(h5|hdf5|mat)$/i.test(value)
      ? { kind: 'file', what: 'dataset file', filters: { 'Ground truth': ['h5', 'hdf5', 'mat'] } }
      : { kind: 'folder', what: 'ground-truth folder' };
  if (stage === 'evaluate' && option === 'scores')
    return { kind: 'file', what: 'results file', filters: { Results: ['h5', 'hdf5', 'json'] } };
  return undefined;
}

/** The data paths a cell names. A `load` cell always has one: its video, unless it loads a folder. */
export function cellDataPaths(text: string): DataPath[] {
  const stage = stageOf(text);
  if (!stage) return [];
  const values = optionValueRanges(text);
  const out: DataPath[] = [];
  for (const [option, v] of values) {
    if (typeof v.value !== 'string') continue;
    const d = dataOption(stage, option, v.value);
    if (d) out.push({ option, ...d, value: v.value, start: v.start, end: v.end });
  }
  if (stage === 'load' && !values.has('video') && !values.has('dir'))
    out.unshift({ option: 'video', ...dataOption('load', 'video', undefined)! });
  return out;
}

/** Absolute path of a cell path (relative to the notebook's folder, `~` for home). */
export function resolveDataPath(notebookDir: string, p: string): string {
  const t = p.trim();
  if (t === '~' || t.startsWith('~/')) return path.join(process.env.HOME ?? '', t.slice(1));
  return path.resolve(notebookDir, t);
}

/** The data paths that are named but not there. */
export function missingDataPaths(text: string, notebookDir: string, exists = fs.existsSync): DataPath[] {
  return cellDataPaths(text).filter((d) => d.value !== undefined && !exists(resolveDataPath(notebookDir, d.value)));
}

/** How a picked path goes into a cell: relative to the notebook (forward slashes) when inside its folder. */
export function cellPathFor(notebookDir: string, picked: string): string {
  const rel = path.relative(notebookDir, picked);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return picked;
}

/**
 * A picked dataset root holding `videos/` and `GT/` (the SumMe layout) fills both options of a `load {dir, gt}`
 * cell; otherwise the folder is the option asked for.
 */
export function datasetOptions(picked: string, option: string, isDir = isDirectory): Record<string, string> {
  const videos = path.join(picked, 'videos');
  const gt = path.join(picked, 'GT');
  if ((option === 'dir' || option === 'gt') && isDir(videos) && isDir(gt)) return { dir: videos, gt };
  return { [option]: picked };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
