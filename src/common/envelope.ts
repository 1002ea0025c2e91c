/**
 * A tiny binary container for outputs that carry pictures or video: a JSON header plus raw blobs, so a 20 MB
 * summary video is 20 MB of output item bytes instead of 27 MB of base64 in a JSON string.
 *
 * Layout: "VSUM" | u32le version (1) | u32le header byte length | header (UTF-8 JSON) | blob bytes back to back.
 * The header is `{ meta, blobs: [{ mime, length }] }`; blob i starts where blob i-1 ended.
 */
export interface Blob0 {
  mime: string;
  bytes: Uint8Array;
}

export interface Envelope<M> {
  meta: M;
  blobs: Blob0[];
}

const MAGIC = [0x56, 0x53, 0x55, 0x4d]; // "VSUM"
const VERSION = 1;

export function packEnvelope<M>(meta: M, blobs: Blob0[] = []): Uint8Array {
  const header = new TextEncoder().encode(
    JSON.stringify({ meta, blobs: blobs.map((b) => ({ mime: b.mime, length: b.bytes.byteLength })) }),
  );
  const total = 12 + header.byteLength + blobs.reduce((n, b) => n + b.bytes.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, VERSION, true);
  dv.setUint32(8, header.byteLength, true);
  out.set(header, 12);
  let at = 12 + header.byteLength;
  for (const b of blobs) {
    out.set(b.bytes, at);
    at += b.bytes.byteLength;
  }
  return out;
}

export function isEnvelope(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 12 && MAGIC.every((m, i) => bytes[i] === m);
}

/** Parse an envelope; blobs are views into `bytes` (no copy). Throws a plain Error naming what is wrong. */
export function unpackEnvelope<M>(bytes: Uint8Array): Envelope<M> {
  if (!isEnvelope(bytes)) throw new Error('vsum output: not a vsum binary envelope (bad magic)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== VERSION)
    throw new Error(`vsum output: envelope version ${version} is not supported (expected ${VERSION})`);
  const headerLen = dv.getUint32(8, true);
  if (12 + headerLen > bytes.byteLength) throw new Error('vsum output: envelope header is truncated');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLen))) as {
    meta: M;
    blobs: Array<{ mime: string; length: number }>;
  };
  const blobs: Blob0[] = [];
  let at = 12 + headerLen;
  for (const b of header.blobs ?? []) {
    if (at + b.length > bytes.byteLength) throw new Error('vsum output: envelope blob is truncated');
    blobs.push({ mime: b.mime, bytes: bytes.subarray(at, at + b.length) });
    at += b.length;
  }
  return { meta: header.meta, blobs };
}

/** Replace the meta of an envelope, keeping its blobs (used to scrub absolute paths on save). */
export function mapEnvelopeMeta<M>(bytes: Uint8Array, f: (meta: M) => M): Uint8Array {
  const env = unpackEnvelope<M>(bytes);
  return packEnvelope(f(env.meta), env.blobs);
}
