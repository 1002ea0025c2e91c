/** Frame strip output for a video: thumbnails at given frames, selected ones highlighted. */
import type { FrameStripMeta } from '../common/payloads';
import type { LoadedVideo } from '../core/stages/slots';
import { extractThumbnails } from '../core/video/thumbnails';
import { frameStripOutput, type OutputSpec } from './outputs';
import type { ViewIo } from './views/view';

export async function stripOutput(io: ViewIo, v: LoadedVideo, frames: number[], selected: ReadonlySet<number>, title: string, clipLength = 8): Promise<OutputSpec> {
  const tools = await io.tools();
  const thumbs = await extractThumbnails(v.path, frames, { tools, signal: io.signal, info: v.info, width: 160, format: 'jpeg' });
  const meta: FrameStripMeta = {
    kind: 'frame-strip',
    title,
    video: v.name,
    fps: v.info.fps,
    totalFrames: v.info.frames,
    thumbs: thumbs.map((t, i) => ({ frame: t.index, time: t.time, clip: Math.floor(t.index / clipLength), selected: selected.has(t.index), blob: i })),
  };
  return frameStripOutput(meta, thumbs.map((t) => ({ mime: t.mime, bytes: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) })));
}
