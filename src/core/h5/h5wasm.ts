/**
 * h5wasm (the HDF5 C library compiled to WebAssembly) loaded once, on first use: it is ESM-only and instantiates a
 * wasm module, so nothing pays for it until an HDF5 or MATLAB v7.3 file is actually read or written.
 */
export type H5 = typeof import('h5wasm/node', { with: { 'resolution-mode': 'import' } });
export type H5File = InstanceType<H5['File']>;
export type H5Dataset = InstanceType<H5['Dataset']>;
export type H5Group = InstanceType<H5['Group']>;

let h5: Promise<H5> | undefined;

export function loadH5(): Promise<H5> {
  h5 ??= import('h5wasm/node').then(async (m) => {
    await m.ready;
    return m;
  });
  return h5;
}
