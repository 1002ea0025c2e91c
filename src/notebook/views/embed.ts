/** `embed` results → a table of the embedded videos and, for one video, the SSD between adjacent clips. */
import type { EmbedResult } from '../../core/stages/embed';
import { markdownOutput, mdEscape, scorePlotOutput, withTiming } from '../outputs';
import { adjacentSsdPlot } from '../plots';
import type { View } from './view';

export const embedView: View<EmbedResult> = async (r) => {
  const { embedderId, items } = r.gives.features;
  const md = [
    `**Embedded ${items.length} video${items.length === 1 ? '' : 's'}** with \`${embedderId.replace(/`/g, '')}\``,
    '',
    '| video | clips | dim | clip length |',
    '|---|---|---|---|',
    ...items.map(
      (it) => `| ${mdEscape(it.video.name)} | ${it.features.rows} | ${it.features.cols} | ${it.clipLength} |`,
    ),
  ].join('\n');
  // How long it took and how much came from the cache live in the timing field, apart from the table, so a
  // re-run (from the cache) leaves the output unchanged; VS Code shows the cell's duration anyway.
  const outputs = [withTiming(markdownOutput(md), { seconds: r.seconds, fromCache: r.fromCache })];
  if (items.length === 1 && items[0].features.rows > 1) {
    const it = items[0];
    outputs.push(
      scorePlotOutput(
        adjacentSsdPlot(
          it.features,
          it.clipLength,
          it.video.info.fps,
          `SSD between adjacent clips of ${it.video.stem}`,
        ),
      ),
    );
  }
  return outputs;
};
