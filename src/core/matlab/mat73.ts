/**
 * MATLAB v7.3 MAT-file reader (TVSum's ydata-tvsum50.mat): an HDF5 file behind a 512-byte MATLAB userblock, read
 * through h5wasm (the HDF5 C library compiled to WebAssembly). MATLAB's conventions, which this maps back to the
 * same MatValue shapes the v5 reader returns:
 *  - every dataset/group carries MATLAB_class; HDF5 shapes are MATLAB dims reversed (so the flat C-order data is
 *    MATLAB's column-major order as is);
 *  - char = uint16 code units; logical = uint8; empty arrays (MATLAB_empty = 1) store their dims as data;
 *  - cell = dataset of object references into /#refs#;
 *  - scalar struct = group whose members are the fields; struct ARRAY = group whose fields are reference datasets
 *    without a MATLAB_class (one reference per element).
 */
import { VsumError } from '../errors';
import { loadH5, type H5, type H5Dataset, type H5File, type H5Group } from '../h5/h5wasm';
import type { MatFile, MatNumericClass, MatNumericData, MatValue } from './types';

const NUMERIC: Record<string, MatNumericClass> = {
  double: 'double',
  single: 'single',
  int8: 'int8',
  uint8: 'uint8',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  int64: 'int64',
  uint64: 'uint64',
};
const CTOR: Record<MatNumericClass, { new (n: number): MatNumericData }> = {
  double: Float64Array,
  single: Float32Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

/** Read the variables of a v7.3 MAT-file (all, or only `variables`). */
export async function readMat73(file: string, opts: { variables?: string[] } = {}): Promise<MatFile> {
  const m = await loadH5();
  let f: H5File;
  try {
    f = new m.File(file, 'r');
  } catch (e) {
    throw new VsumError(
      'BAD_FILE',
      `${file}: cannot open it as a MATLAB v7.3 (HDF5) file (${(e as Error).message ?? e}). The file is damaged or cut short; get it again.`,
      { file, cause: e },
    );
  }
  try {
    return readAll(m, f, file, opts.variables);
  } catch (e) {
    if (e instanceof VsumError) throw e;
    throw new VsumError(
      'BAD_FILE',
      `${file}: cannot read it as a MATLAB v7.3 (HDF5) file (${(e as Error).message ?? e}). The file is damaged or cut short; get it again.`,
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

function readAll(m: H5, f: H5File, file: string, variables?: string[]): MatFile {
  const out: MatFile = new Map();
  const present = f.keys().filter((k) => k !== '#refs#' && k !== '#subsystem#');
  for (const name of variables ?? present) {
    const ent = f.get(name);
    if (!ent)
      throw new VsumError('BAD_FILE', `${file}: has no variable "${name}" (it has ${present.join(', ') || 'none'}).`, {
        file,
      });
    out.set(name, convert(m, f, ent, file, name));
  }
  return out;
}

function attr(ent: H5Dataset | H5Group, name: string): unknown {
  const a = ent.attrs[name];
  return a ? a.value : undefined;
}

function classOf(ent: H5Dataset | H5Group): string | undefined {
  const c = attr(ent, 'MATLAB_class');
  return typeof c === 'string' ? c : c instanceof Uint8Array ? new TextDecoder().decode(c) : undefined;
}

function convert(m: H5, f: H5File, ent: unknown, file: string, where: string): MatValue {
  const bad = (what: string): never => {
    throw new VsumError('BAD_FILE', `${file}: ${where} ${what}.`, { file });
  };
  if (ent instanceof m.Group) {
    const g = ent as H5Group;
    const fieldAttr = attr(g, 'MATLAB_fields');
    const fields = Array.isArray(fieldAttr)
      ? fieldAttr.map((x) => (Array.isArray(x) ? x.join('') : String(x)))
      : g.keys();
    const first = fields.length ? g.get(fields[0]) : null;
    if (first instanceof m.Dataset && isReference(first as H5Dataset) && classOf(first as H5Dataset) === undefined) {
      // struct array: one reference per element in each field
      const shape = (first as H5Dataset).shape ?? [];
      const dims = [...shape].reverse();
      const n = shape.reduce((a, b) => a * b, 1);
      const refs: Record<string, unknown[]> = {};
      for (const k of fields) {
        const ds = g.get(k);
        if (!(ds instanceof m.Dataset) || !isReference(ds as H5Dataset))
          bad(`field "${k}" of the struct array is not a reference dataset`);
        refs[k] = (ds as H5Dataset).value as unknown[];
      }
      const elements: Array<Record<string, MatValue>> = [];
      for (let i = 0; i < n; i++) {
        const rec: Record<string, MatValue> = {};
        for (const k of fields)
          rec[k] = convert(m, f, f.dereference(refs[k][i] as never), file, `${where}(${i + 1}).${k}`);
        elements.push(rec);
      }
      return { kind: 'struct', dims: dims.length ? dims : [1, 1], fields, elements };
    }
    const rec: Record<string, MatValue> = {};
    for (const k of fields) rec[k] = convert(m, f, g.get(k), file, `${where}.${k}`);
    return { kind: 'struct', dims: [1, 1], fields, elements: [rec] };
  }
  if (!(ent instanceof m.Dataset)) return bad('is neither a dataset nor a group (a broken link?)');
  const ds = ent as H5Dataset;
  const cls = classOf(ds) ?? bad('has no MATLAB_class attribute, so it was not written by MATLAB');
  const shape = ds.shape ?? [];
  if (Number(attr(ds, 'MATLAB_empty') ?? 0)) {
    const dims = Array.from(ds.value as ArrayLike<number | bigint>, Number);
    if (cls === 'char') return { kind: 'char', dims, rows: [] };
    if (cls === 'cell') return { kind: 'cell', dims, items: [] };
    if (cls === 'struct') return { kind: 'struct', dims, fields: [], elements: [] };
    const c = NUMERIC[cls === 'logical' ? 'uint8' : cls] ?? bad(`has MATLAB class "${cls}", which vsum does not read`);
    return { kind: 'numeric', class: c, logical: cls === 'logical', dims, real: new CTOR[c](0) };
  }
  const dims = shape.length === 1 ? [shape[0], 1] : [...shape].reverse();
  if (cls === 'cell') {
    const refs = ds.value as unknown[];
    return {
      kind: 'cell',
      dims,
      items: refs.map((r, i) => convert(m, f, f.dereference(r as never), file, `${where}{${i + 1}}`)),
    };
  }
  if (cls === 'char') {
    const codes = ds.value as ArrayLike<number>;
    const rows: string[] = [];
    const rowsN = dims[0];
    const cols = rowsN ? codes.length / rowsN : 0;
    for (let i = 0; i < rowsN; i++) {
      let s = '';
      for (let j = 0; j < cols; j++) s += String.fromCharCode(codes[i + j * rowsN]);
      rows.push(s);
    }
    return { kind: 'char', dims, rows };
  }
  const c =
    NUMERIC[cls === 'logical' ? 'uint8' : cls] ??
    bad(`has MATLAB class "${cls}", which vsum does not read (numeric, logical, char, cell and struct only)`);
  const v = ds.value;
  if (!ArrayBuffer.isView(v)) bad(`holds ${ds.dtype} data (complex or compound), which vsum does not read`);
  const Ctor = CTOR[c];
  const raw = v as unknown as MatNumericData;
  let real: MatNumericData;
  if (raw.constructor === Ctor) real = raw;
  else {
    real = new Ctor(raw.length);
    const big = real instanceof BigInt64Array || real instanceof BigUint64Array;
    for (let i = 0; i < raw.length; i++)
      (real as unknown as Array<number | bigint>)[i] = big ? BigInt(raw[i] as number) : Number(raw[i]);
  }
  return { kind: 'numeric', class: c, logical: cls === 'logical', dims, real };
}

function isReference(ds: H5Dataset): boolean {
  const t = ds.metadata as unknown as { type?: number; ref_type?: string };
  return t.ref_type === 'object' || t.type === 7;
}
