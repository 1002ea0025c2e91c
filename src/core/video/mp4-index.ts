/**
 * The frame count an MP4/MOV (ISO-BMFF) file's index states for its first video track: the sample count of that
 * track's `stsz` (or `stz2`) box. probe() counts the frames it can actually read; a file whose index promises more
 * was cut after its index was written (a faststart file not fully downloaded), which a count alone cannot tell.
 * ffprobe reported this number as nb_frames; ffmpeg does not print it, and vsum ships no ffprobe, so the few boxes
 * on the way are read here (box layout: ISO/IEC 14496-12 §4.2, §8.4.3 `hdlr`, §8.7.3 `stsz`/`stz2`).
 */
import fs from 'node:fs';

interface Box {
  type: string;
  /** Offset of the payload (after the header). */
  start: number;
  /** Offset just past the box. */
  end: number;
}

const HEADER = 16;

function readAt(fd: number, pos: number, n: number): Buffer {
  const b = Buffer.alloc(n);
  const got = fs.readSync(fd, b, 0, n, pos);
  return b.subarray(0, got);
}

/** The boxes directly inside [start, end); stops at the first malformed header. */
function children(fd: number, start: number, end: number): Box[] {
  const out: Box[] = [];
  let pos = start;
  while (pos + 8 <= end) {
    const h = readAt(fd, pos, HEADER);
    if (h.length < 8) break;
    let size = h.readUInt32BE(0);
    const type = h.toString('latin1', 4, 8);
    let header = 8;
    if (size === 1) {
      if (h.length < 16) break;
      size = Number(h.readBigUInt64BE(8));
      header = 16;
    } else if (size === 0) size = end - pos;
    if (size < header || pos + size > end) break;
    out.push({ type, start: pos + header, end: pos + size });
    pos += size;
  }
  return out;
}

function child(fd: number, parent: Box, type: string): Box | undefined {
  return children(fd, parent.start, parent.end).find((b) => b.type === type);
}

/** The stated sample count of the first video track, or undefined when the file is not ISO-BMFF or has none. */
export function mp4VideoSampleCount(file: string): number | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const top = children(fd, 0, size);
    if (!top.some((b) => b.type === 'ftyp' || b.type === 'moov')) return undefined;
    const moov = top.find((b) => b.type === 'moov');
    if (!moov) return undefined;
    for (const trak of children(fd, moov.start, moov.end).filter((b) => b.type === 'trak')) {
      const mdia = child(fd, trak, 'mdia');
      const hdlr = mdia && child(fd, mdia, 'hdlr');
      // hdlr payload: version+flags (4), pre_defined (4), handler_type (4).
      if (!hdlr || readAt(fd, hdlr.start + 8, 4).toString('latin1') !== 'vide') continue;
      const minf = child(fd, mdia, 'minf');
      const stbl = minf && child(fd, minf, 'stbl');
      if (!stbl) return undefined;
      const sizes = children(fd, stbl.start, stbl.end).find((b) => b.type === 'stsz' || b.type === 'stz2');
      if (!sizes) return undefined;
      // stsz: version+flags (4), sample_size (4), sample_count (4); stz2: version+flags, reserved+field_size, count.
      const count = readAt(fd, sizes.start + 8, 4);
      return count.length === 4 ? count.readUInt32BE(0) : undefined;
    }
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
