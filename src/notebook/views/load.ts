/** `load` results → a table of the videos and, for one video, a strip of evenly spaced frames. */
import type { LoadResult } from '../../core/stages/load';
import { displayPath, outputDirFor } from '../../core/stages/stage';
import { fmtSeconds, markdownOutput, mdEscape, type OutputSpec } from '../outputs';
import { stripOutput } from '../strip';
import type { View } from './view';

export const loadView: View<LoadResult> = async (r, io) => {
  const { videos, gt } = r.gives.video;
  const rows = videos.map(
    (v) =>
      `| ${mdEscape(v.name)} | ${v.info.frames} | ${v.info.fps.toFixed(2)} | ${fmtSeconds(v.info.duration)} | ${v.info.width}×${v.info.height} | ${mdEscape(v.info.codec)} | ${v.info.hasAudio ? 'yes' : 'no'} |`,
  );
  const outputs: OutputSpec[] = [
    markdownOutput(
      [
        `**Loaded ${videos.length} video${videos.length === 1 ? '' : 's'}**${gt ? ` · ground truth: ${mdEscape(displayPath(io, gt))}` : ''}`,
        '',
        '| video | frames | fps | duration | size | codec | audio |',
        '|---|---|---|---|---|---|---|',
        ...rows,
      ].join('\n'),
    ),
  ];
  if (videos.length === 1) {
    const v = videos[0];
    const n = Math.min(12, v.info.frames);
    const frames = Array.from({ length: n }, (_, i) =>
      Math.min(v.info.frames - 1, Math.round(((i + 0.5) * v.info.frames) / n)),
    );
    outputs.push(
      await stripOutput(io, v, [...new Set(frames)], new Set(), `Frames of ${v.stem}`, 8, {
        outDir: outputDirFor(io, v.stem),
        label: 'load',
      }),
    );
  }
  return outputs;
};
