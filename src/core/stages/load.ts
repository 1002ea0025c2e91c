/** `load`: probe a video (or every video of a folder) for the stages after it. */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../errors';
import { probe } from '../video/probe';
import { VIDEO_EXTENSIONS } from '../video/types';
import type { LoadedVideo, VideoSlot } from './slots';
import { displayPath, resolveCellPath, type Stage } from './stage';

const schema = {
  description: 'Load a video (or a folder of videos for a dataset run). Paths are relative to the notebook.',
  'x-shorthand': 'video',
  type: 'object',
  additionalProperties: false,
  properties: {
    video: {
      type: 'string',
      description: 'A video file (mp4, mov, mkv, webm, avi), relative to the notebook.',
      examples: ['videos/Jumps.mp4'],
    },
    dir: {
      type: 'string',
      description: 'A folder of videos: every video in it is loaded (a dataset run, e.g. SumMe `videos/`).',
      examples: ['summe/videos'],
    },
    gt: {
      type: 'string',
      description:
        'Ground truth for the dataset: a SumMe `GT/` folder of `<video>.mat` files. Lengths of exported summaries are fitted to it.',
      examples: ['summe/GT'],
    },
    limit: { type: 'integer', minimum: 1, description: 'Load at most this many videos of `dir` (alphabetical order).' },
  },
} as const;

export interface LoadResult {
  gives: { video: VideoSlot };
}

export const loadStage: Stage<typeof schema, LoadResult> = {
  name: 'load',
  schema,
  needs: [],
  gives: ['video'],
  invalidates: ['features', 'selection', 'attention'],
  async run(o, io, signal, progress) {
    if (!o.video && !o.dir)
      throw new VsumError(
        'BAD_INPUT',
        'load: give a video (`load: videos/clip.mp4`) or a folder of videos (`load: {dir: summe/videos}`).',
      );
    if (o.video && o.dir) throw new VsumError('BAD_INPUT', 'load: give either `video` or `dir`, not both.');
    const tools = await io.tools();
    let files: string[];
    if (o.video) files = [resolveCellPath(io, o.video)];
    else {
      const dir = resolveCellPath(io, o.dir!);
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
        throw new VsumError(
          'FILE_NOT_FOUND',
          `load: the folder ${o.dir} (${dir}) does not exist. Fix the path (relative to the notebook).`,
          { file: dir },
        );
      files = fs
        .readdirSync(dir)
        .filter((f) => VIDEO_EXTENSIONS.includes(path.extname(f).toLowerCase()))
        .sort()
        .map((f) => path.join(dir, f));
      if (o.limit) files = files.slice(0, o.limit);
      if (files.length === 0)
        throw new VsumError('FILE_NOT_FOUND', `load: no videos (${VIDEO_EXTENSIONS.join(', ')}) in ${o.dir}.`, {
          file: dir,
        });
    }
    let gt: string | undefined;
    if (o.gt) {
      gt = resolveCellPath(io, o.gt);
      if (!fs.existsSync(gt))
        throw new VsumError(
          'FILE_NOT_FOUND',
          `load: the ground truth ${o.gt} (${gt}) does not exist. Fix the path (relative to the notebook).`,
          { file: gt },
        );
    }
    const videos: LoadedVideo[] = [];
    for (let i = 0; i < files.length; i++) {
      progress(`probing ${path.basename(files[i])}`, i / files.length);
      const info = await probe(files[i], { tools, signal });
      videos.push({
        path: files[i],
        name: displayPath(io, files[i]),
        stem: path.basename(files[i], path.extname(files[i])),
        info,
      });
    }
    return { gives: { video: { videos, gt } } };
  },
};
