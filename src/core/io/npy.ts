/**
 * NumPy .npy files (format versions 1.0, 2.0 and 3.0), little-endian float32 / float64 / int64, C or Fortran
 * order on read, C order on write. Feature matrices travel as .npy between vsum, the original Python project
 * and notebooks, so this is tested against files numpy itself writes.
 */
import fs from 'node:fs';
import { VsumError } from '../errors';
import { featureMatrix, type FeatureMatrix } from '../features';
import { writeFileAtomic } from './atomic';

export type NpyDtype = 'f4' | 'f8' | 'i8';
export type NpyData = Float32Array | Float64Array | BigInt64Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const BYTES: Record<NpyDtype, number> = { f4: 4, f8: 8, i8: 8 };

function bad(file: string, what: string): VsumError {
  return new VsumError(
    'BAD_FILE',
    `${file} is not a readable .npy file: ${what}. Save it with numpy.save (float32, shape [clips, dim]).`,
    { file },
  );
}

export function parseNpy(buf: Uint8Array, file = '.npy data'): NpyArray {
  if (buf.length < 10 || MAGIC.some((b, i) => buf[i] !== b))
    throw bad(file, 'it does not start with the \\x93NUMPY magic');
  const major = buf[6];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) throw bad(file, 'the header is cut off');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else throw bad(file, `format version ${major}.${buf[7]} is not supported (1.0, 2.0, 3.0 are)`);
  if (start + headerLen > buf.length) throw bad(file, 'the header is cut off');
  const header = Buffer.from(buf.subarray(start, start + headerLen)).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (/'descr'\s*:\s*\[/.test(header))
    throw new VsumError(
      'BAD_FILE',
      `${file} holds a structured array (named fields: ${/'descr'\s*:\s*(\[[^\]]*\])/.exec(header)?.[1] ?? '[…]'}); vsum reads plain float32 arrays of shape [clips, dim]. Save one field or a plain array with numpy: np.save(path, a[name].astype(np.float32)).`,
      { file },
    );
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw bad(file, `the header "${header.trim()}" lacks descr / fortran_order / shape`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.some((v) => !Number.isInteger(v) || v < 0)) throw bad(file, `bad shape (${shapeText})`);
  const m = /^([<|=>])([fi])(\d)$/.exec(descr);
  const dtype = m ? (`${m[2]}${m[3]}` as NpyDtype) : undefined;
  if (!m || !dtype || !(dtype in BYTES) || m[1] === '>' || (m[1] === '|' && m[3] !== '1'))
    throw new VsumError(
      'BAD_FILE',
      `${file} holds dtype '${descr}'; vsum reads little-endian float32 ('<f4'), float64 ('<f8') or int64 ('<i8'). Convert it with numpy: np.save(path, a.astype(np.float32)).`,
      { file },
    );
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  const need = count * BYTES[dtype];
  if (buf.length - dataStart < need)
    throw bad(
      file,
      `it is truncated: shape (${shape.join(', ')}) needs ${need} bytes of data, found ${buf.length - dataStart}`,
    );
  if (buf.length - dataStart > need)
    throw bad(
      file,
      `it has ${buf.length - dataStart - need} bytes after the data of shape (${shape.join(', ')}) (${need} bytes): the file is damaged or was written by something other than numpy`,
    );
  // Copy into an aligned buffer (the data offset is not always a multiple of 8 for hand-made files).
  const bytes = new Uint8Array(need);
  bytes.set(buf.subarray(dataStart, dataStart + need));
  let data: NpyData =
    dtype === 'f4'
      ? new Float32Array(bytes.buffer)
      : dtype === 'f8'
        ? new Float64Array(bytes.buffer)
        : new BigInt64Array(bytes.buffer);
  if (fortran === 'True' && shape.length >= 2) data = toCOrder(data, shape);
  return { dtype, shape, data };
}

/** Fortran (column-major) → C (row-major) order for any rank. */
function toCOrder(src: NpyData, shape: number[]): NpyData {
  const out = new (src.constructor as new (n: number) => NpyData)(src.length);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  const fStride = shape.map((_, i) => shape.slice(0, i).reduce((a, b) => a * b, 1));
  for (let c = 0; c < src.length; c++) {
    let f = 0;
    for (let i = 0; i < rank; i++) f += idx[i] * fStride[i];
    (out as unknown as unknown[])[c] = (src as unknown as unknown[])[f];
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i] < shape[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

export function readNpy(file: string): NpyArray {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new VsumError('FILE_NOT_FOUND', `${file} does not exist. Check the path of the .npy file.`, {
        file,
        cause: e,
      });
    throw new VsumError('BAD_FILE', `Cannot read ${file} (${code ?? String(e)}).`, { file, cause: e });
  }
  return parseNpy(buf, file);
}

export function encodeNpy(a: NpyArray): Uint8Array {
  const count = a.shape.reduce((x, y) => x * y, 1);
  if (count !== a.data.length)
    throw new RangeError(`npy: shape (${a.shape.join(', ')}) needs ${count} values, got ${a.data.length}`);
  const expected = a.dtype === 'f4' ? Float32Array : a.dtype === 'f8' ? Float64Array : BigInt64Array;
  if (!(a.data instanceof expected)) throw new RangeError(`npy: dtype ${a.dtype} needs a ${expected.name}`);
  const shapeText = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let dict = `{'descr': '<${a.dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let version = 1;
  let pre = 10;
  // Pad with spaces so magic + length + header (ending in \n) is a multiple of 64, as numpy does.
  let total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  if (total - pre > 0xffff) {
    version = 2;
    pre = 12;
    total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  }
  dict = dict + ' '.repeat(total - pre - dict.length - 1) + '\n';
  const out = new Uint8Array(total + a.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, dict.length, true);
  else view.setUint32(8, dict.length, true);
  out.set(Buffer.from(dict, 'latin1'), pre);
  out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), total);
  return out;
}

/** Write atomically (temp file + rename). */
export async function writeNpy(file: string, a: NpyArray): Promise<void> {
  await writeFileAtomic(file, encodeNpy(a));
}

/** A [clips, dim] float32 (or float64, converted) .npy as a FeatureMatrix; anything else is a clear error. */
export function readFeaturesNpy(file: string): FeatureMatrix {
  const a = readNpy(file);
  if (a.dtype === 'i8')
    throw new VsumError(
      'BAD_FILE',
      `${file} holds int64 values; features must be float32 of shape [clips, dim]. Convert with np.save(path, a.astype(np.float32)).`,
      { file },
    );
  if (a.shape.length !== 2)
    throw new VsumError(
      'BAD_FILE',
      `${file} has shape (${a.shape.join(', ')}); features must be 2-D [clips, dim] (one row per clip of 8 frames).`,
      { file },
    );
  const [rows, cols] = a.shape;
  if (rows === 0 || cols === 0)
    throw new VsumError(
      'BAD_INPUT',
      `${file} is empty (shape ${rows}×${cols}): there are no clip features to summarize.`,
      { file },
    );
  const data = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as Float64Array);
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new VsumError(
      'BAD_INPUT',
      `${file} holds ${data[bad]} at row ${Math.floor(bad / cols)}, column ${bad % cols}: features must be finite numbers. Re-create the file (e.g. with vsum embed) from a working model.`,
      { file },
    );
  return featureMatrix(rows, cols, data);
}

export async function writeFeaturesNpy(file: string, m: FeatureMatrix): Promise<void> {
  await writeNpy(file, { dtype: 'f4', shape: [m.rows, m.cols], data: m.data.slice(0, m.rows * m.cols) });
}
