/**
 * Frame strip output for a video: thumbnails at given frames, selected ones highlighted. The thumbnails go into
 * one file, `<outDir>/<stem>.<label>.thumbs` (JPEGs back to back), which the output refers to: the notebook
 * stays small, and a re-run rewrites the same file while the output's JSON stays the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FrameStripMeta } from '../common/payloads';
import { writeFileAtomic } from '../core/io/atomic';
import type { LoadedVideo } from '../core/stages/slots';
import { mediaPath } from '../core/stages/stage';
import { extractThumbnails } from '../core/video/thumbnails';
import { frameStripOutput, type OutputSpec } from './outputs';
import type { ViewIo } from './views/view';

export async function stripOutput(
  io: ViewIo,
  v: LoadedVideo,
  frames: number[],
  selected: ReadonlySet<number>,
  title: string,
  clipLength: number,
  pack: { outDir: string; label: string },
): Promise<OutputSpec> {
  const tools = await io.tools();
  const thumbs = await extractThumbnails(v.path, frames, {
    tools,
    signal: io.signal,
    info: v.info,
    width: 160,
    format: 'jpeg',
    onProgress: (done, total) => io.progress?.(`thumbnails: ${done}/${total}`, done / total),
  });
  const file = path.join(pack.outDir, `${v.stem}.${pack.label}.thumbs`);
  fs.mkdirSync(pack.outDir, { recursive: true });
  const bytes = Buffer.concat(thumbs.map((t) => t.data));
  await writeFileAtomic(file, bytes);
  const ranges: Array<[number, number]> = [];
  let at = 0;
  for (const t of thumbs) {
    ranges.push([at, t.data.byteLength]);
    at += t.data.byteLength;
  }
  const meta: FrameStripMeta = {
    kind: 'frame-strip',
    title,
    video: v.name,
    fps: v.info.fps,
    totalFrames: v.info.frames,
    thumbs: thumbs.map((t, i) => ({
      frame: t.index,
      time: t.time,
      clip: Math.floor(t.index / clipLength),
      selected: selected.has(t.index),
      blob: i,
    })),
    pack: {
      file: { path: mediaPath(io, file), mime: thumbs[0]?.mime ?? 'image/jpeg', bytes: bytes.byteLength },
      ranges,
    },
  };
  return frameStripOutput(meta);
}
