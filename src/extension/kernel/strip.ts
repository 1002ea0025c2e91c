/** Frame strip output for a video: thumbnails at given frames, selected ones highlighted. */
import { extractThumbnails } from '../../core/video/thumbnails';
import type { FrameStripMeta } from '../../common/payloads';
import type { StageContext } from './context';
import type { LoadedVideo } from './data';
import { frameStripOutput, type OutputSpec } from '../../notebook/outputs';

export async function stripOutput(ctx: StageContext, v: LoadedVideo, frames: number[], selected: ReadonlySet<number>, title: string, clipLength = 8): Promise<OutputSpec> {
  const tools = await ctx.tools();
  const thumbs = await extractThumbnails(v.path, frames, { tools, signal: ctx.signal, info: v.info, width: 160, format: 'jpeg' });
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
