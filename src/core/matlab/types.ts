/**
 * MATLAB values as vsum's .mat readers return them (v5 and v7.3 alike). Arrays keep MATLAB's dimensions and
 * column-major element order; numeric data comes in the typed array of the MATLAB class (not of the storage type
 * MATLAB chose to compress it to), like scipy's `loadmat(mat_dtype=True)`.
 */
export type MatNumericClass =
  'double' | 'single' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';

export type MatNumericData =
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

export interface MatNumeric {
  kind: 'numeric';
  /** 'logical' arrays are class uint8 with `logical: true`. */
  class: MatNumericClass;
  logical: boolean;
  dims: number[];
  /** Column-major. */
  real: MatNumericData;
  imag?: MatNumericData;
}

export interface MatChar {
  kind: 'char';
  dims: number[];
  /** One string per row (a 2-D m×n char array gives m strings of n characters), like scipy's chars_as_strings. */
  rows: string[];
}

export interface MatCell {
  kind: 'cell';
  dims: number[];
  /** Column-major. */
  items: MatValue[];
}

export interface MatStruct {
  kind: 'struct';
  dims: number[];
  fields: string[];
  /** One record per element, column-major. */
  elements: Array<Record<string, MatValue>>;
}

export type MatValue = MatNumeric | MatChar | MatCell | MatStruct;

/** Top-level variables by name, in file order. */
export type MatFile = Map<string, MatValue>;

/** Number of elements of an array with these dims. */
export function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
