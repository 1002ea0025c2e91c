/**
 * Groups a frame stream into clips of `length` consecutive frames while streaming (clip i = frames
 * length·i … length·i + length − 1, non-overlapping). `partial`: `drop` discards the last n mod length frames
 * (the original's behaviour); `pad` keeps them as a last clip filled up by repeating its final frame.
 */
import type { Clip, Frame } from './types';

export async function* clipsOf(
  frames: AsyncIterable<Frame>,
  length = 8,
  partial: 'drop' | 'pad' = 'drop',
): AsyncGenerator<Clip> {
  if (!(Number.isInteger(length) && length > 0))
    throw new RangeError(`clip length must be a positive integer, got ${length}`);
  let buf: Uint8Array[] = [];
  let clipIndex = 0;
  let first = 0;
  for await (const f of frames) {
    if (buf.length === 0) first = f.index;
    buf.push(f.data);
    if (buf.length === length) {
      yield { index: clipIndex++, firstFrame: first, frames: buf, validFrames: length };
      buf = [];
    }
  }
  if (buf.length > 0 && partial === 'pad') {
    const valid = buf.length;
    while (buf.length < length) buf.push(buf[buf.length - 1]);
    yield { index: clipIndex, firstFrame: first, frames: buf, validFrames: valid };
  }
}
