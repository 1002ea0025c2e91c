/**
 * `shots` results → per video a score plot (the per-frame content score, the threshold, a boundary at each cut)
 * and a markdown table of the shots. Long videos' curves are max-pooled to at most MAX_POINTS points, so every
 * peak (a cut) stays visible and the notebook stays small.
 */
import type { ShotsResult, VideoShots } from '../../core/stages/shots';
import { SHOT_DEFAULTS } from '../../core/shots/detector';
import { markdownOutput, mdEscape, scorePlotOutput, type OutputSpec } from '../outputs';
import type { View } from './view';

const MAX_POINTS = 4000;
const TABLE_ROWS = 50;

function pooled(scores: number[]): { x: number[]; y: number[] } {
  const step = Math.max(1, Math.ceil(scores.length / MAX_POINTS));
  const x: number[] = [];
  const y: number[] = [];
  for (let a = 0; a < scores.length; a += step) {
    let best = a;
    for (let f = a + 1; f < Math.min(scores.length, a + step); f++) if (scores[f] > scores[best]) best = f;
    x.push(best);
    y.push(Math.round(scores[best] * 1000) / 1000);
  }
  return { x, y };
}

function table(v: VideoShots): string {
  const t = (f: number) => (f / v.fps).toFixed(2);
  const rows = v.shots.slice(0, TABLE_ROWS).map(([a, b], i) => `| ${i + 1} | ${a} | ${b} | ${t(a)} | ${t(b)} |`);
  const more = v.shots.length > TABLE_ROWS ? `\n\n… and ${v.shots.length - TABLE_ROWS} more shots.` : '';
  return `**${mdEscape(v.stem)}**: ${v.shots.length} shots\n\n| shot | start frame | end frame (excl.) | start s | end s |\n|---|---|---|---|---|\n${rows.join('\n')}${more}`;
}

export const shotsView: View<ShotsResult> = async (r) => {
  const out: OutputSpec[] = [];
  for (const v of r.videos) {
    if (v.scores) {
      const { x, y } = pooled(v.scores);
      out.push(
        scorePlotOutput({
          kind: 'score-plot',
          title: `${r.detector} shots of ${v.stem}`,
          method: `shots-${r.detector}`,
          nClips: v.frames,
          clipLength: 1,
          fps: v.fps,
          series: [{ name: 'content score', x, y, mode: 'lines' }],
          threshold: r.detector === 'content' ? (v.params.threshold ?? SHOT_DEFAULTS.contentThreshold) : undefined,
          boundaries: v.cuts,
          boundaryLabel: 'cut',
          selection: [],
        }),
      );
    }
    out.push(markdownOutput(table(v)));
  }
  return out;
};
