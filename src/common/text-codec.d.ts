/**
 * TextEncoder / TextDecoder as both sides of the renderer boundary have them (browsers, and Node's globals): this
 * layer loads neither TypeScript's DOM lib nor Node's types (src/common/tsconfig.json), so it declares the subset.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
