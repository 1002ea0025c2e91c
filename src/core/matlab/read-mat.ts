/**
 * Open any MATLAB MAT-file vsum needs: v5/v7 (SumMe GT, read natively) or v7.3 (HDF5; TVSum) — the version is
 * told by the header, so the caller never has to know.
 */
import fs from 'node:fs';
import { VsumError, throwIfAborted } from '../errors';
import { readMat5 } from './mat5';
import { readMat73 } from './mat73';
import type { MatFile } from './types';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export type MatVersion = 'v5' | 'v7.3';

/** Which reader a file needs, from its first 520 bytes; throws a VsumError naming the file when it is neither. */
export function matVersion(head: Uint8Array, file: string): MatVersion {
  const hdf5At = (o: number) => head.length >= o + 8 && HDF5_SIGNATURE.every((b, i) => head[o + i] === b);
  if (hdf5At(512) || hdf5At(0)) return 'v7.3';
  if (
    head.length >= 128 &&
    (String.fromCharCode(head[126], head[127]) === 'IM' || String.fromCharCode(head[126], head[127]) === 'MI')
  )
    return 'v5';
  if (head.length === 0)
    throw new VsumError('EMPTY_FILE', `${file} is empty (0 bytes). Copy the MATLAB .mat file again.`, { file });
  if (head.length < 128)
    throw new VsumError(
      'TRUNCATED',
      `${file}: only ${head.length} bytes, shorter than the 128-byte MATLAB header. The file is cut short.`,
      { file },
    );
  if (isMat4(head))
    throw new VsumError(
      'BAD_FILE',
      `${file} is a MATLAB Level 4 (v4) MAT-file; vsum reads v5/v7 and v7.3. Re-save it in MATLAB with save(file, '-v7') or in Python with scipy.io.savemat(file, data) (v5 by default).`,
      { file },
    );
  const start = String.fromCharCode(...head.subarray(0, 8)).replace(/[^\x20-\x7e]/g, '?');
  throw new VsumError(
    'BAD_FILE',
    `${file} is not a MATLAB MAT-file (no v5 endian mark "IM"/"MI" at byte 126 and no HDF5 signature; it starts with "${start}"). Give a SumMe GT .mat file or TVSum's ydata-tvsum50.mat.`,
    { file },
  );
}

/** A Level 4 MAT-file starts with a matrix header: type MOPT (M 0–4, O 0, P 0–5, T 0–2), rows, cols, imagf, name. */
function isMat4(head: Uint8Array): boolean {
  if (head.length < 20) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return [true, false].some((le) => {
    const [type, rows, cols, imagf, namlen] = [0, 4, 8, 12, 16].map((o) => view.getInt32(o, le));
    const m = Math.floor(type / 1000);
    const o = Math.floor(type / 100) % 10;
    const p = Math.floor(type / 10) % 10;
    const t = type % 10;
    const ok =
      type >= 0 && m <= 4 && o === 0 && p <= 5 && t <= 2 && rows >= 0 && cols >= 0 && (imagf === 0 || imagf === 1);
    return ok && namlen > 0 && namlen < 64 && head.length >= 20 + namlen && head[20 + namlen - 1] === 0;
  });
}

export async function readMatFile(
  file: string,
  opts: { signal?: AbortSignal; variables?: string[] } = {},
): Promise<MatFile> {
  throwIfAborted(opts.signal, `reading ${file}`);
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new VsumError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'BAD_FILE',
      `Cannot read ${file} (${code ?? (e as Error).message}).`,
      { file, cause: e },
    );
  }
  throwIfAborted(opts.signal, `reading ${file}`);
  const version = matVersion(bytes.subarray(0, 520), file);
  if (version === 'v7.3') return readMat73(file, { variables: opts.variables });
  return readMat5(bytes, file);
}
