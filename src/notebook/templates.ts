/** The cells of notebooks vsum creates (new notebook, "Summarize video"). Plain data for format.ts. */
import { STAGE_LANGUAGE } from '../common/mime';
import { DEFAULT_RATIO, DEFAULT_SEED } from '../core/stages/defaults';
import type { RawCell } from './format';

export const md = (source: string): RawCell => ({ kind: 'markdown', language: 'markdown', source, outputs: [] });
export const stage = (source: string): RawCell => ({ kind: 'stage', language: STAGE_LANGUAGE, source, outputs: [] });

/** YAML scalar for a path: quoted when it has characters YAML would read otherwise. */
export function yamlString(s: string): string {
  return /^[\w./~-][\w ./~()-]*$/.test(s) &&
    !/^(true|false|null|yes|no|on|off|~)$/i.test(s) &&
    !/\s$/.test(s) &&
    !/^\d/.test(s)
    ? s
    : JSON.stringify(s);
}

/**
 * The first line of a `load` cell whose video is not chosen yet: `load:` alone is a valid cell whose run says what
 * to give, and the cell's "Choose video…" lens fills it in (and drops this line).
 */
export const NO_VIDEO_YET = '# No video yet: click "Choose video…" above this cell, or write its path after `load:`.';

/** `load: <video>` for a path already relative to the notebook, else the placeholder cell. */
export function loadCellSource(video?: string): string {
  return video ? `load: ${yamlString(video)}` : `${NO_VIDEO_YET}\nload:`;
}

export function newNotebookCells(video?: string): RawCell[] {
  return [
    md(
      '# Video summary\n\nEach code cell is one stage of the pipeline. Run them in order (Run All), or change an option and re-run from there.\nHover a stage or option for its documentation; completion (Ctrl+Space) lists what is allowed.',
    ),
    stage(loadCellSource(video)),
    stage('embed: {model: histogram}'),
    stage(`summarize: {method: kmeans, ratio: ${DEFAULT_RATIO}, seed: ${DEFAULT_SEED}}`),
    md('The SSD methods compare clip embeddings: `tt01` against the segment anchor, `tt02` against the previous clip.'),
    stage(`summarize: {method: tt02, threshold: average, seed: ${DEFAULT_SEED}}`),
  ];
}

export interface SummarizeRequest {
  video: string;
  method: string;
  ratio?: number;
  threshold?: number;
  model: string;
  seed?: number;
}

export function summarizeNotebookCells(r: SummarizeRequest, videoName: string): RawCell[] {
  const opts = [`method: ${r.method}`];
  if (r.ratio !== undefined) opts.push(`ratio: ${r.ratio}`);
  if (r.threshold !== undefined && (r.method === 'tt01' || r.method === 'tt02')) opts.push(`threshold: ${r.threshold}`);
  opts.push(`seed: ${r.seed ?? DEFAULT_SEED}`);
  return [
    md(
      `# Summary of ${videoName.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`)}\n\nMade by **vsum: Summarize Video**. Change an option and re-run the cell (and those below it) to try another summary.`,
    ),
    stage(`load: ${yamlString(r.video)}`),
    stage(`embed: {model: ${yamlString(r.model)}}`),
    stage(`summarize: {${opts.join(', ')}}`),
  ];
}
