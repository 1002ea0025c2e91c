/**
 * The mime types of vsum's notebook outputs, shared by the kernel (src/extension) and the renderers (webview/).
 * Videos and thumbnails are files referred to by a path relative to the notebook (the `…+json` kinds), loaded
 * by the renderers through messages; notebooks saved before that carry them in a binary envelope (envelope.ts),
 * which the renderers still draw. The others are plain JSON.
 */
export const MIME = {
  frameStrip: 'application/vnd.vsum.frame-strip',
  /** Frame strip whose thumbnails live in a file beside the notebook (JSON; what the kernel writes now). */
  frameStripRef: 'application/vnd.vsum.frame-strip+json',
  scorePlot: 'application/vnd.vsum.score-plot+json',
  summaryPlayer: 'application/vnd.vsum.summary-player',
  /** Summary player whose videos are files referred to by path, with a small embedded poster (JSON). */
  summaryPlayerRef: 'application/vnd.vsum.summary-player+json',
  attention: 'application/vnd.vsum.attention',
  evaluationTable: 'application/vnd.vsum.evaluation-table+json',
  /** Progress of a running stage (a small JSON item replaced as the stage advances). */
  progress: 'application/vnd.vsum.progress+json',
} as const;

export type VsumMime = (typeof MIME)[keyof typeof MIME];

/** Renderer ids as contributed in package.json (`notebookRenderer[].id`), one per output kind. */
export const RENDERER_ID = {
  frameStrip: 'vsum-frame-strip',
  scorePlot: 'vsum-score-plot',
  summaryPlayer: 'vsum-summary-player',
  attention: 'vsum-attention',
  evaluationTable: 'vsum-evaluation-table',
  progress: 'vsum-progress',
} as const;

/** Mime types whose data is a binary envelope rather than UTF-8 text. */
export const BINARY_MIMES: ReadonlySet<string> = new Set([MIME.frameStrip, MIME.summaryPlayer, MIME.attention]);

/** Whether an output item's bytes are text (stored as a string in the .vsumnb) or binary (stored as base64). */
export function isTextMime(mime: string): boolean {
  if (BINARY_MIMES.has(mime)) return false;
  if (mime.startsWith('image/') && mime !== 'image/svg+xml') return false;
  if (mime.startsWith('video/') || mime.startsWith('audio/')) return false;
  if (mime === 'application/octet-stream') return false;
  return true;
}

export const NOTEBOOK_TYPE = 'vsum-notebook';
export const STAGE_LANGUAGE = 'vsum';
export const CONTROLLER_ID = 'vsum-kernel';
