/** Selections and features → score plot payloads (plain data for the score-plot renderer). */
import type { FeatureMatrix } from '../core/features';
import type { Selection } from '../core/summarize/selection';
import type { ScorePlotPayload, ScoreSeries } from '../common/payloads';

/** Per clip: the fraction of its frames that are in the summary. */
export function clipCoverage(sel: Pick<Selection, 'frames' | 'nClips' | 'clipLength' | 'nFrames'>): number[] {
  const cover = new Array<number>(sel.nClips).fill(0);
  const seen = new Set<number>();
  for (const f of sel.frames) {
    if (seen.has(f)) continue;
    seen.add(f);
    const c = Math.floor(f / sel.clipLength);
    if (c < sel.nClips) cover[c] += 1;
  }
  return cover.map((n, c) => n / Math.max(1, Math.min(sel.clipLength, sel.nFrames - c * sel.clipLength)));
}

const finite = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

export function selectionPlot(sel: Selection, fps: number, title: string): ScorePlotPayload {
  const s = sel.scores;
  const series: ScoreSeries[] = [];
  let boundaries: number[];
  let boundaryLabel = 'segment start';
  let threshold: number | undefined;
  if (s.kind === 'ssd') {
    series.push({
      name: s.reference === 'anchor' ? 'SSD to segment anchor' : 'SSD to previous clip',
      y: s.ssd.map(finite) as number[],
      mode: 'lines+markers',
    });
    boundaries = s.segmentStarts.filter((c) => c > 0);
    threshold = s.threshold;
  } else if (s.kind === 'kmeans') {
    series.push({ name: 'distance to centroid', y: s.distance.map(finite) as number[], mode: 'lines+markers' });
    series.push({ name: 'cluster id', y: s.cluster, mode: 'markers', axis: 'y2' });
    boundaries = [...new Set(sel.segments.map((g) => Math.floor(g.start / sel.clipLength)))];
    boundaryLabel = 'chosen clip';
  } else {
    series.push({ name: 'clip score', y: s.clipScore.map(finite) as number[], mode: 'lines' });
    boundaries = s.changePoints.filter((c) => c > 0);
    boundaryLabel = 'KTS change point';
  }
  return {
    kind: 'score-plot',
    title,
    method: sel.method,
    nClips: sel.nClips,
    clipLength: sel.clipLength,
    fps,
    series,
    threshold,
    boundaries,
    boundaryLabel,
    selection: clipCoverage(sel),
  };
}

/** SSD between adjacent clips: what tt01/tt02 thresholds are compared with (helps choosing one). */
export function adjacentSsdPlot(f: FeatureMatrix, clipLength: number, fps: number, title: string): ScorePlotPayload {
  const y: Array<number | null> = [null];
  for (let j = 1; j < f.rows; j++) {
    let s = 0;
    for (let d = 0; d < f.cols; d++) {
      const t = f.data[j * f.cols + d] - f.data[(j - 1) * f.cols + d];
      s += t * t;
    }
    y.push(s);
  }
  return {
    kind: 'score-plot',
    title,
    method: 'embed',
    nClips: f.rows,
    clipLength,
    fps,
    series: [{ name: 'SSD to previous clip', y: y as number[], mode: 'lines+markers' }],
    boundaries: [],
    selection: [],
  };
}
