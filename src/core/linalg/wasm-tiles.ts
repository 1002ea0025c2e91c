/**
 * Hand-assembled WebAssembly SIMD kernels for the 4 × 4 tiles (no wasm toolchain needed; about 800 bytes):
 *
 *   dot(a, b, d, out, os) and sqdist(a, b, d, out, os) — byte offsets into the imported memory "m"."mem":
 *     a:   4 rows of d float64 each, row-major (row stride 8d bytes)
 *     b:   a "panel" of 4 columns interleaved by t: b[t·4 + c] = column c's value t
 *     out: receives the 4 × 4 sums at out + i·os + 8c
 *   for t in 0 … d − 1: acc[i][c] += a_i[t] · b_c[t]  (dot)  or  += (a_i[t] − b_c[t])²  (sqdist),
 *   as f64x2 pairs over c (columns c, c + 1 in one register).
 *
 * The vectors run across columns, never across t, so every entry is still one sequential sum of separately rounded
 * products (f64x2.mul then f64x2.add; no fused multiply-add in wasm SIMD): bit-identical to dotTiles /
 * sqDistTiles and to a plain loop, about twice as fast as the JS tile in V8 (8 vector multiply-adds and 4 splats per t instead of
 * 16 scalar multiply-adds and 8 bounds-checked loads).
 */

const leb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
};
const localGet = (i: number) => [0x20, ...leb(i)];
const localSet = (i: number) => [0x21, ...leb(i)];
const localTee = (i: number) => [0x22, ...leb(i)];
const i32Const = (v: number) => [0x41, ...leb(v)];
const I32_ADD = [0x6a], I32_SHL = [0x74], I32_LT_U = [0x49];
const F64_LOAD = [0x2b, 3, 0]; // align 2³, offset 0
const V128_LOAD = (offset: number) => [0xfd, 0x00, 3, ...leb(offset)];
const V128_STORE = (offset: number) => [0xfd, 0x0b, 3, ...leb(offset)];
const F64X2_SPLAT = [0xfd, 0x14], F64X2_ADD = [0xfd, 0xf0, 0x01], F64X2_SUB = [0xfd, 0xf1, 0x01], F64X2_MUL = [0xfd, 0xf2, 0x01];
const LOOP = [0x03, 0x40], BR_IF_0 = [0x0d, 0], END = [0x0b];
const I32 = 0x7f, V128 = 0x7b;

// Locals: params a (row 0 pointer), b (panel pointer), d, out, os; then row pointers 1–3, the panel end,
// 8 accumulators (row i, column pair q at ACC + 2i + q), 4 splatted a values, 2 panel vectors, a difference.
const A = 0, B = 1, D = 2, OUT = 3, OS = 4, P1 = 5, P2 = 6, P3 = 7, PEND = 8, ACC = 9, X = 17, Y = 21, V = 23;

function tileBody(kind: 'dot' | 'sqdist'): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((p) => code.push(...p));
  emit(localGet(A), localGet(D), i32Const(3), I32_SHL, I32_ADD, localSet(P1)); // p1 = a + 8d
  emit(localGet(P1), localGet(D), i32Const(3), I32_SHL, I32_ADD, localSet(P2));
  emit(localGet(P2), localGet(D), i32Const(3), I32_SHL, I32_ADD, localSet(P3));
  emit(localGet(B), localGet(D), i32Const(5), I32_SHL, I32_ADD, localSet(PEND)); // end = b + 32d
  emit(LOOP); // do { … } while (b < end)   (d ≥ 1)
  emit(localGet(B), V128_LOAD(0), localSet(Y), localGet(B), V128_LOAD(16), localSet(Y + 1));
  [A, P1, P2, P3].forEach((p, i) => emit(localGet(p), F64_LOAD, F64X2_SPLAT, localSet(X + i)));
  for (let i = 0; i < 4; i++) {
    for (let q = 0; q < 2; q++) {
      if (kind === 'dot') emit(localGet(ACC + 2 * i + q), localGet(X + i), localGet(Y + q), F64X2_MUL, F64X2_ADD, localSet(ACC + 2 * i + q));
      // v = a − b; acc += v · v
      else emit(localGet(ACC + 2 * i + q), localGet(X + i), localGet(Y + q), F64X2_SUB, localTee(V), localGet(V), F64X2_MUL, F64X2_ADD, localSet(ACC + 2 * i + q));
    }
  }
  [A, P1, P2, P3].forEach((p) => emit(localGet(p), i32Const(8), I32_ADD, localSet(p)));
  emit(localGet(B), i32Const(32), I32_ADD, localSet(B));
  emit(localGet(B), localGet(PEND), I32_LT_U, BR_IF_0, END);
  for (let i = 0; i < 4; i++)
    emit(localGet(OUT), localGet(ACC + 2 * i), V128_STORE(0), localGet(OUT), localGet(ACC + 2 * i + 1), V128_STORE(16), localGet(OUT), localGet(OS), I32_ADD, localSet(OUT));
  emit(END);
  return [2, 4, I32, 15, V128, ...code]; // local declarations: 4 × i32, 15 × v128
}

/** The module: imports a shared memory "m"."mem" (1 page … 4 GiB), exports `dot` and `sqdist`. */
export function tileModuleBytes(): Uint8Array<ArrayBuffer> {
  const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length), ...bytes];
  const name = (s: string) => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];
  const bodies = [tileBody('dot'), tileBody('sqdist')].flatMap((b) => [...leb(b.length), ...b]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]), // type 0: (i32 × 5) → ()
    ...section(2, [1, ...name('m'), ...name('mem'), 0x02, 0x03, 1, ...leb(65536)]), // shared memory, min 1, max 65536
    ...section(3, [2, 0, 0]), // functions 0 and 1 have type 0
    ...section(7, [2, ...name('dot'), 0x00, 0, ...name('sqdist'), 0x00, 1]), // exports
    ...section(10, [2, ...bodies]),
  ]);
}

/**
 * The whole 4 × 4 tiles of one part (tile q of rows → part q % parts, like dotTiles) through `tile` (the module's
 * dot or sqdist; `lower` for dot only); a at aOff,
 * the column panels at pOff (panel of columns j … j + 3 at pOff + 8dj), out (nA × nB) at outOff, all in bytes.
 * Sent as source text to the linalg workers: keep it self-contained.
 */
export function wasmDotPart(tile: (a: number, b: number, d: number, out: number, os: number) => void, aOff: number, pOff: number, outOff: number, nA: number, nB: number, d: number, lower: boolean, part: number, parts: number): void {
  const nA4 = nA - (nA % 4);
  const nB4 = nB - (nB % 4);
  for (let j0 = 0; j0 < nB4; j0 += 32) {
    const j1 = Math.min(nB4, j0 + 32);
    for (let i = lower ? j0 : 0; i < nA4; i += 4) {
      if ((i >> 2) % parts !== part) continue;
      for (let j = j0; j < j1 && (!lower || j <= i); j += 4) tile(aOff + i * d * 8, pOff + j * d * 8, d, outOff + (i * nB + j) * 8, nB * 8);
    }
  }
}
