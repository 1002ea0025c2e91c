/**
 * MATLAB Level 5 MAT-file reader (the format of SumMe's GT/*.mat): numeric arrays of every class (real and
 * complex), logical, char (UTF-8/16/32 and 8/16-bit storage), cell, struct and object arrays, miCOMPRESSED
 * (zlib) elements, little- and big-endian files. Sparse arrays and function handles are refused with a clear
 * error (SumMe/TVSum never use them).
 *
 * Layout (MathWorks "MAT-File Format", v5): a 128-byte header (text, subsystem offset, version 0x0100, endian
 * indicator "IM"/"MI"), then data elements tag(type, nbytes) + data. Sub-elements of a matrix are padded to 8
 * bytes; "small" elements pack nbytes ≤ 4 into the tag. Top-level elements are read without padding, as scipy
 * does (compressed elements have no padding at all).
 */
import zlib from 'node:zlib';
import { VsumError } from '../errors';
import type { MatFile, MatNumeric, MatNumericClass, MatNumericData, MatValue } from './types';
import { numel } from './types';

const MI = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  SINGLE: 7,
  DOUBLE: 9,
  INT64: 12,
  UINT64: 13,
  MATRIX: 14,
  COMPRESSED: 15,
  UTF8: 16,
  UTF16: 17,
  UTF32: 18,
} as const;

type TypedCtor = {
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): MatNumericData;
  BYTES_PER_ELEMENT: number;
};
const MI_ARRAY: Record<number, TypedCtor> = {
  [MI.INT8]: Int8Array,
  [MI.UINT8]: Uint8Array,
  [MI.INT16]: Int16Array,
  [MI.UINT16]: Uint16Array,
  [MI.INT32]: Int32Array,
  [MI.UINT32]: Uint32Array,
  [MI.SINGLE]: Float32Array,
  [MI.DOUBLE]: Float64Array,
  [MI.INT64]: BigInt64Array,
  [MI.UINT64]: BigUint64Array,
  [MI.UTF8]: Uint8Array,
  [MI.UTF16]: Uint16Array,
  [MI.UTF32]: Uint32Array,
};

/** mxCLASS id → MATLAB class name and the typed array it is returned in. */
const MX_NUMERIC: Record<number, [MatNumericClass, TypedCtor]> = {
  6: ['double', Float64Array],
  7: ['single', Float32Array],
  8: ['int8', Int8Array],
  9: ['uint8', Uint8Array],
  10: ['int16', Int16Array],
  11: ['uint16', Uint16Array],
  12: ['int32', Int32Array],
  13: ['uint32', Uint32Array],
  14: ['int64', BigInt64Array],
  15: ['uint64', BigUint64Array],
};
const MX = { CELL: 1, STRUCT: 2, OBJECT: 3, CHAR: 4, SPARSE: 5, FUNCTION: 16, OPAQUE: 17 } as const;
const MX_NAMES: Record<number, string> = { 5: 'sparse', 16: 'function handle', 17: 'opaque (MATLAB object)' };

interface Element {
  type: number;
  start: number;
  nbytes: number;
  /** Offset of the next element. */
  next: number;
}

class Reader {
  readonly le: boolean;
  constructor(
    readonly file: string,
    le: boolean,
  ) {
    this.le = le;
  }

  fail(what: string, code: 'TRUNCATED' | 'BAD_FILE' = 'BAD_FILE'): never {
    const hint =
      code === 'TRUNCATED'
        ? 'The file is cut short (incomplete download or copy); get it again.'
        : 'The file is damaged or not a MATLAB file.';
    throw new VsumError(code, `${this.file}: ${what}. ${hint}`, { file: this.file });
  }

  u32(b: Uint8Array, off: number): number {
    return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off, this.le);
  }

  element(b: Uint8Array, pos: number, end: number, padded: boolean, where: string): Element {
    if (pos + 8 > end)
      this.fail(
        `${where}: the data element at byte ${pos} is truncated (needs 8 bytes for its tag, ${end - pos} left)`,
        'TRUNCATED',
      );
    const first = this.u32(b, pos);
    if (first >>> 16 !== 0) {
      const nbytes = first >>> 16;
      if (nbytes > 4) this.fail(`${where}: the small data element at byte ${pos} claims ${nbytes} bytes (at most 4)`);
      return { type: first & 0xffff, start: pos + 4, nbytes, next: pos + 8 };
    }
    const nbytes = this.u32(b, pos + 4);
    const start = pos + 8;
    if (start + nbytes > end)
      this.fail(
        `${where}: the data element at byte ${pos} needs ${nbytes} bytes but only ${end - start} are left`,
        'TRUNCATED',
      );
    return { type: first, start, nbytes, next: start + (padded ? (nbytes + 7) & ~7 : nbytes) };
  }

  /** The element's data as a typed array of its storage type (copied, byte order fixed). */
  typed(b: Uint8Array, el: Element, where: string): MatNumericData {
    const Ctor = MI_ARRAY[el.type];
    if (!Ctor) this.fail(`${where}: unexpected data type ${el.type}`);
    const size = Ctor.BYTES_PER_ELEMENT;
    if (el.nbytes % size !== 0) this.fail(`${where}: ${el.nbytes} bytes is not a whole number of ${size}-byte values`);
    const copy = new Uint8Array(el.nbytes); // a real copy (Buffer#slice would share the pooled memory), aligned
    copy.set(b.subarray(el.start, el.start + el.nbytes));
    if (!this.le && size > 1) swapBytes(copy, size);
    return new Ctor(copy.buffer, 0, el.nbytes / size);
  }

  matrix(b: Uint8Array, el: Element, where: string): { name: string; value: MatValue } {
    if (el.type !== MI.MATRIX) this.fail(`${where}: expected a matrix element (type 14), found type ${el.type}`);
    const end = el.start + el.nbytes;
    if (el.nbytes === 0) return { name: '', value: emptyDouble() };
    const flagsEl = this.element(b, el.start, end, true, where);
    const flags = this.u32(b, flagsEl.start);
    const mx = flags & 0xff;
    const complex = (flags & 0x800) !== 0;
    const logical = (flags & 0x200) !== 0;
    const dimsEl = this.element(b, flagsEl.next, end, true, where);
    const dims = Array.from(this.typed(b, dimsEl, `${where}: dimensions`) as Int32Array);
    const nameEl = this.element(b, dimsEl.next, end, true, where);
    const name = latin1(b.subarray(nameEl.start, nameEl.start + nameEl.nbytes));
    const here = name ? `${where === 'file' ? '' : `${where} → `}variable "${name}"` : where;
    const n = numel(dims);
    let pos = nameEl.next;

    const numeric = MX_NUMERIC[mx];
    if (numeric) {
      const [cls, Ctor] = numeric;
      const reEl = this.element(b, pos, end, true, here);
      const real = this.convert(this.typed(b, reEl, here), Ctor, n, here);
      const value: MatNumeric = { kind: 'numeric', class: cls, logical, dims, real };
      if (complex) {
        const imEl = this.element(b, reEl.next, end, true, here);
        value.imag = this.convert(this.typed(b, imEl, `${here} (imaginary part)`), Ctor, n, here);
      }
      return { name, value };
    }
    if (mx === MX.CHAR) {
      const dEl = this.element(b, pos, end, true, here);
      return { name, value: { kind: 'char', dims, rows: charRows(this.chars(b, dEl, n, here), dims) } };
    }
    if (mx === MX.CELL) {
      const items: MatValue[] = [];
      for (let i = 0; i < n; i++) {
        const sub = this.element(b, pos, end, true, here);
        items.push(this.matrix(b, sub, `${here} {${i + 1}}`).value);
        pos = sub.next;
      }
      return { name, value: { kind: 'cell', dims, items } };
    }
    if (mx === MX.STRUCT || mx === MX.OBJECT) {
      if (mx === MX.OBJECT) pos = this.element(b, pos, end, true, here).next; // class name
      const lenEl = this.element(b, pos, end, true, here);
      const nameLen = Number((this.typed(b, lenEl, here) as Int32Array)[0]);
      const namesEl = this.element(b, lenEl.next, end, true, here);
      const fields: string[] = [];
      if (nameLen > 0)
        for (let o = 0; o + nameLen <= namesEl.nbytes; o += nameLen)
          fields.push(latin1(b.subarray(namesEl.start + o, namesEl.start + o + nameLen)));
      pos = namesEl.next;
      const elements: Array<Record<string, MatValue>> = [];
      for (let i = 0; i < n; i++) {
        const rec: Record<string, MatValue> = {};
        for (const f of fields) {
          const sub = this.element(b, pos, end, true, here);
          rec[f] = this.matrix(b, sub, `${here}.${f}`).value;
          pos = sub.next;
        }
        elements.push(rec);
      }
      return { name, value: { kind: 'struct', dims, fields, elements } };
    }
    const what = MX_NAMES[mx];
    throw new VsumError(
      'BAD_FILE',
      `${this.file}: ${here} is a ${what ?? `class ${mx}`} array, which vsum does not read. Save it as a full numeric, char, cell or struct array.`,
      { file: this.file },
    );
  }

  convert(src: MatNumericData, Ctor: TypedCtor, n: number, where: string): MatNumericData {
    if (src.length !== n) this.fail(`${where}: has ${src.length} values but its dimensions say ${n}`);
    if (src.constructor === Ctor) return src;
    const out = new Ctor(new ArrayBuffer(n * Ctor.BYTES_PER_ELEMENT));
    const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
    const srcBig = src instanceof BigInt64Array || src instanceof BigUint64Array;
    for (let i = 0; i < n; i++) {
      const v = src[i];
      (out as unknown as Array<number | bigint>)[i] = big ? (srcBig ? v : BigInt(v as number)) : Number(v);
    }
    return out;
  }

  chars(b: Uint8Array, el: Element, n: number, where: string): string[] {
    let text: string[];
    if (el.type === MI.UTF8)
      text = Array.from(new TextDecoder('utf-8').decode(b.subarray(el.start, el.start + el.nbytes)));
    else {
      const codes = this.typed(b, el, where);
      text = Array.from(codes as ArrayLike<number>, (c) => String.fromCharCode(Number(c)));
      if (el.type === MI.UTF32) text = Array.from(codes as ArrayLike<number>, (c) => String.fromCodePoint(Number(c)));
    }
    if (text.length !== n) this.fail(`${where}: has ${text.length} characters but its dimensions say ${n}`);
    return text;
  }
}

/** Parse a whole v5 MAT-file. `file` names it in errors. */
export function readMat5(bytes: Uint8Array, file: string): MatFile {
  if (bytes.length < 128)
    throw new VsumError(
      bytes.length === 0 ? 'EMPTY_FILE' : 'TRUNCATED',
      `${file}: only ${bytes.length} bytes, shorter than the 128-byte MATLAB header. The file is empty or cut short.`,
      { file },
    );
  const endian = String.fromCharCode(bytes[126], bytes[127]);
  if (endian !== 'IM' && endian !== 'MI') {
    const head = String.fromCharCode(...bytes.subarray(0, 8)).replace(/[^\x20-\x7e]/g, '?');
    throw new VsumError(
      'BAD_FILE',
      `${file} is not a MATLAB v5/v7 MAT-file (no "IM"/"MI" endian mark at byte 126; it starts with "${head}"). Give the SumMe GT .mat file (or TVSum's ydata-tvsum50.mat).`,
      { file },
    );
  }
  const r = new Reader(file, endian === 'IM');
  const version = new DataView(bytes.buffer, bytes.byteOffset).getUint16(124, r.le);
  if (version !== 0x0100)
    r.fail(`unsupported MAT-file version 0x${version.toString(16)} in the header (expected 0x0100)`);
  const out: MatFile = new Map();
  let pos = 128;
  let index = 0;
  while (pos + 8 <= bytes.length) {
    index++;
    const where = `variable #${index}`;
    const el = r.element(bytes, pos, bytes.length, false, where);
    pos = el.next;
    let buf = bytes;
    let mat = el;
    if (el.type === MI.COMPRESSED) {
      try {
        buf = zlib.inflateSync(bytes.subarray(el.start, el.start + el.nbytes));
      } catch (e) {
        throw new VsumError(
          'TRUNCATED',
          `${file}: ${where} is a compressed element that does not inflate (${(e as Error).message}). The file is cut short or damaged; get it again.`,
          { file, cause: e },
        );
      }
      mat = r.element(buf, 0, buf.length, false, where);
    }
    const { name, value } = r.matrix(buf, mat, where);
    out.set(name, value);
  }
  return out;
}

function emptyDouble(): MatNumeric {
  return { kind: 'numeric', class: 'double', logical: false, dims: [0, 0], real: new Float64Array(0) };
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size)
    for (let j = 0, k = size - 1; j < k; j++, k--) {
      const t = b[i + j];
      b[i + j] = b[i + k];
      b[i + k] = t;
    }
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length && b[i] !== 0; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** m×n… char data (column-major) → m strings. */
function charRows(chars: string[], dims: number[]): string[] {
  const m = dims[0] ?? 0;
  if (chars.length === 0 || m === 0) return [];
  const cols = chars.length / m;
  const rows: string[] = [];
  for (let i = 0; i < m; i++) {
    let s = '';
    for (let j = 0; j < cols; j++) s += chars[i + j * m];
    rows.push(s);
  }
  return rows;
}
