/** `load`: probe a video (or every video of a folder) and show what it is, with a strip of evenly spaced frames. */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../../../core/errors';
import { probe } from '../../../core/video/probe';
import { displayPath, resolveCellPath, type StageContext, type StageResult } from '../context';
import { VIDEO_EXTENSIONS, type LoadedVideo, type VideoSlot } from '../data';
import { markdownOutput, mdEscape, fmtSeconds } from '../../../notebook/outputs';
import { stripOutput } from '../strip';

export interface LoadOptions {
  video?: string;
  dir?: string;
  gt?: string;
  limit?: number;
}

export async function runLoad(o: LoadOptions, ctx: StageContext): Promise<StageResult> {
  if (!o.video && !o.dir) throw new VsumError('BAD_INPUT', 'load: give a video (`load: videos/clip.mp4`) or a folder of videos (`load: {dir: summe/videos}`).');
  if (o.video && o.dir) throw new VsumError('BAD_INPUT', 'load: give either `video` or `dir`, not both.');
  const tools = await ctx.tools();
  let files: string[];
  if (o.video) files = [resolveCellPath(ctx, o.video)];
  else {
    const dir = resolveCellPath(ctx, o.dir!);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new VsumError('FILE_NOT_FOUND', `load: the folder ${o.dir} (${dir}) does not exist. Fix the path (relative to the notebook).`, { file: dir });
    files = fs.readdirSync(dir).filter((f) => VIDEO_EXTENSIONS.includes(path.extname(f).toLowerCase())).sort().map((f) => path.join(dir, f));
    if (o.limit) files = files.slice(0, o.limit);
    if (files.length === 0) throw new VsumError('FILE_NOT_FOUND', `load: no videos (${VIDEO_EXTENSIONS.join(', ')}) in ${o.dir}.`, { file: dir });
  }
  let gt: string | undefined;
  if (o.gt) {
    gt = resolveCellPath(ctx, o.gt);
    if (!fs.existsSync(gt)) throw new VsumError('FILE_NOT_FOUND', `load: the ground truth ${o.gt} (${gt}) does not exist. Fix the path (relative to the notebook).`, { file: gt });
  }
  const videos: LoadedVideo[] = [];
  for (let i = 0; i < files.length; i++) {
    ctx.progress(`probing ${path.basename(files[i])}`, i / files.length);
    const info = await probe(files[i], { tools, signal: ctx.signal });
    videos.push({ path: files[i], name: displayPath(ctx, files[i]), stem: path.basename(files[i], path.extname(files[i])), info });
  }
  const slot: VideoSlot = { videos, gt };
  const rows = videos.map((v) => `| ${mdEscape(v.name)} | ${v.info.frames} | ${v.info.fps.toFixed(2)} | ${fmtSeconds(v.info.duration)} | ${v.info.width}×${v.info.height} | ${mdEscape(v.info.codec)} | ${v.info.hasAudio ? 'yes' : 'no'} |`);
  const table = markdownOutput([
    `**Loaded ${videos.length} video${videos.length === 1 ? '' : 's'}**${gt ? ` · ground truth: ${mdEscape(displayPath(ctx, gt))}` : ''}`,
    '',
    '| video | frames | fps | duration | size | codec | audio |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n'));
  const outputs = [table];
  if (videos.length === 1) {
    const v = videos[0];
    const n = Math.min(12, v.info.frames);
    const frames = Array.from({ length: n }, (_, i) => Math.min(v.info.frames - 1, Math.round(((i + 0.5) * v.info.frames) / n)));
    ctx.progress('thumbnails', 0.9);
    outputs.push(await stripOutput(ctx, v, [...new Set(frames)], new Set(), `Frames of ${v.stem}`));
  }
  return { outputs, gives: new Map([['video', slot]]) };
}
