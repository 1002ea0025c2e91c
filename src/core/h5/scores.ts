/**
 * Predicted per-step importance scores, as the peers write them: vsumm-reinforce / DR-DSN's results h5
 * (`<key>/score`, beside machine_summary, gtscore, fm) or a JSON object `{"<key>": [scores…]}`.
 */
import fs from 'node:fs';
import { VsumError } from '../errors';
import { naturalCompare, openH5 } from './dataset';
import { isHdf5File } from './detect';
import { loadH5, type H5Dataset, type H5Group } from './h5wasm';

export type StepScores = Map<string, Float64Array | Float32Array>;

/** Read scores from `.json` or an HDF5 file (told by its signature, not its name). */
export async function readStepScores(file: string): Promise<StepScores> {
  let text: string;
  try {
    if (isHdf5File(file)) return await readH5Scores(file);
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof VsumError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new VsumError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'BAD_FILE',
      `Cannot read the scores ${file} (${code ?? (e as Error).message}). Give a results .h5 (<key>/score) or a JSON {"<key>": [scores…]}.`,
      { file, cause: e },
    );
  }
  return parseJsonScores(text, file);
}

export function parseJsonScores(text: string, file: string): StepScores {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new VsumError(
      'BAD_FILE',
      `${file} is neither an HDF5 file nor valid JSON (${(e as Error).message}). Give a results .h5 (<key>/score) or a JSON {"<key>": [scores…]}.`,
      { file, cause: e },
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new VsumError(
      'BAD_FILE',
      `${file}: the top level must be an object {"<key>": [scores…]}, got ${Array.isArray(data) ? 'an array' : data === null ? 'null' : typeof data}.`,
      { file },
    );
  const out: StepScores = new Map();
  for (const [key, raw] of Object.entries(data as Record<string, unknown>)) {
    const list = Array.isArray(raw)
      ? raw
      : raw && typeof raw === 'object'
        ? (raw as { score?: unknown }).score
        : undefined;
    if (!Array.isArray(list))
      throw new VsumError(
        'BAD_FILE',
        `${file}: video "${key}": expected an array of per-step scores (or {"score": […]}), got ${raw === null ? 'null' : typeof raw}.`,
        { file },
      );
    const a = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (typeof x !== 'number' || !Number.isFinite(x))
        throw new VsumError(
          'BAD_FILE',
          `${file}: video "${key}": field "score" item ${i} is ${JSON.stringify(x)}; scores must be finite numbers.`,
          { file },
        );
      a[i] = x;
    }
    out.set(key, a);
  }
  if (out.size === 0) throw new VsumError('BAD_FILE', `${file} holds no videos.`, { file });
  return out;
}

async function readH5Scores(file: string): Promise<StepScores> {
  const m = await loadH5();
  const f = openH5(m, file);
  try {
    const out: StepScores = new Map();
    for (const key of f.keys().sort(naturalCompare)) {
      const g = f.get(key);
      if (!(g instanceof m.Group)) continue;
      const d = (g as H5Group).get('score');
      if (!(d instanceof m.Dataset))
        throw new VsumError(
          'BAD_FILE',
          `${file}: video "${key}" has no dataset "score" (it has ${(g as H5Group).keys().join(', ') || 'nothing'}). A results file holds <key>/score, one importance score per step.`,
          { file },
        );
      const v = (d as H5Dataset).value;
      if (!ArrayBuffer.isView(v) || v instanceof BigInt64Array || v instanceof BigUint64Array)
        throw new VsumError(
          'BAD_FILE',
          `${file}: video "${key}": field "score" must be a vector of numbers, but it holds ${(d as H5Dataset).dtype} data.`,
          { file },
        );
      const a =
        v instanceof Float32Array || v instanceof Float64Array
          ? v
          : Float64Array.from(v as unknown as ArrayLike<number>);
      for (let i = 0; i < a.length; i++)
        if (!Number.isFinite(a[i]))
          throw new VsumError(
            'BAD_FILE',
            `${file}: video "${key}": field "score" item ${i} is ${a[i]}; scores must be finite.`,
            { file },
          );
      out.set(key, a);
    }
    if (out.size === 0)
      throw new VsumError('BAD_FILE', `${file} has no <key>/score groups; it is not a results file.`, { file });
    return out;
  } finally {
    try {
      f.close();
    } catch {
      /* already failed */
    }
  }
}
