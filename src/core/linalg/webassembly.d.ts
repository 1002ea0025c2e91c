/**
 * The part of the WebAssembly JavaScript API that the tiles (parallel-tiles.ts) use. Node has it built in, but
 * TypeScript declares it only in its DOM lib, which the core layer does not load (src/core/tsconfig.json).
 */
declare namespace WebAssembly {
  type Bytes = ArrayBufferView | ArrayBuffer;
  type Imports = Record<string, Record<string, unknown>>;
  class Module {
    constructor(bytes: Bytes);
  }
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
  }
  function validate(bytes: Bytes): boolean;
}
