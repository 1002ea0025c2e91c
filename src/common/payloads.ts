/**
 * What each output kind carries. The kernel builds these from core results; the renderers only draw them.
 * Paths in payloads are for display and are relative to the notebook (never the author's absolute paths).
 * Blob fields are indices into the envelope's blobs (see envelope.ts).
 */

/** Frame strip: thumbnails of frames or clips with timestamps; selected ones highlighted. */
export interface FrameStripMeta {
  kind: 'frame-strip';
  title: string;
  /** Display name of the source video (relative path). */
  video: string;
  fps: number;
  totalFrames: number;
  thumbs: Array<{
    /** Frame index in the source video. */
    frame: number;
    /** Seconds from the start of the source. */
    time: number;
    /** Clip the frame belongs to (frame / clipLength). */
    clip: number;
    selected: boolean;
    /** Index of the thumbnail image in the envelope's blobs. */
    blob: number;
  }>;
}

/** One plotted series of the score plot (per clip unless `x` is given). */
export interface ScoreSeries {
  name: string;
  y: number[];
  x?: number[];
  mode: 'lines' | 'markers' | 'lines+markers';
  /** Secondary y axis (e.g. cluster ids beside distances). */
  axis?: 'y' | 'y2';
}

export interface ScorePlotPayload {
  kind: 'score-plot';
  title: string;
  method: string;
  nClips: number;
  clipLength: number;
  fps: number;
  series: ScoreSeries[];
  /** SSD threshold line (tt01 / tt02). */
  threshold?: number;
  /** Clip indices where a segment starts (SSD segments or KTS change points). */
  boundaries: number[];
  boundaryLabel?: string;
  /** Per clip: fraction of its frames that are in the summary (0…1), drawn as a band. */
  selection: number[];
}

/** Summary player: the summary video and the Gradio app's fields. */
export interface SummaryPlayerMeta {
  kind: 'summary-player';
  title: string;
  method: string;
  summaryName: string;
  sourceName: string;
  inputDuration: number;
  outputDuration: number;
  fps: number;
  width: number;
  height: number;
  /** Seconds the stage took. */
  processingSeconds: number;
  selectedFrames: number;
  totalFrames: number;
  /** Selected runs in source time, seconds [start, end). */
  segments: Array<{ start: number; end: number }>;
  /** Blob index of the summary video (video/mp4). */
  summaryBlob: number;
  /** Blob index of the source video, or -1 when it is too large to embed (the toggle then says so). */
  sourceBlob: number;
}

/** Attention view: the clip's frames and the rollout maps to overlay. */
export interface AttentionMeta {
  kind: 'attention';
  title: string;
  video: string;
  clip: number;
  frames: number[];
  /** Blob index per frame (image/png or image/jpeg). */
  frameBlobs: number[];
  /** Side of the square patch grid (14 for TimeSformer at 224). */
  grid: number;
  /** Blob index of the space-time rollout, float32 [grid·grid, nFrames] row-major, max-normalised. */
  spaceTimeBlob: number;
  /** Blob index of the spatial-only rollout, same layout; -1 when not computed. */
  spaceOnlyBlob: number;
  /** Embedder / model id that produced the attention. */
  model: string;
}

export interface FScores {
  min: number;
  avg: number;
  max: number;
  /** eccv16 results: Kendall τ-b / Spearman ρ of the per-step scores against gtscore. */
  kendall?: number;
  spearman?: number;
}

/** Evaluation table: per-video F of one or more methods, their means, and baselines beside them. F in 0…1. */
export interface EvaluationPayload {
  kind: 'evaluation-table';
  title: string;
  dataset: string;
  methods: string[];
  videos: Array<{ name: string; scores: Record<string, FScores> }>;
  mean: Record<string, FScores>;
  baselines: Array<{ name: string; scores: FScores; note?: string }>;
  /** Notes such as length fixes ("Cooking: 1287 → 1286"). */
  notes: string[];
}

/** Progress of a running stage. */
export interface ProgressPayload {
  kind: 'progress';
  stage: string;
  message: string;
  /** 0…1, or undefined when unknown. */
  fraction?: number;
  elapsedMs: number;
}
