/**
 * What each output kind carries. The kernel builds these from core results; the renderers only draw them.
 * Paths in payloads are for display and are relative to the notebook (never the author's absolute paths).
 * Blob fields are indices into the envelope's blobs (see envelope.ts).
 */

/**
 * A file an output refers to instead of embedding it: `path` relative to the notebook (absolute only for an
 * untitled notebook's scratch files), loaded by the renderer through the kernel (see messages.ts).
 */
export interface MediaRef {
  path: string;
  mime: string;
  bytes: number;
}

/** Thumbnails packed back to back in one file: [offset, length] of each (JPEG) in it. */
export interface ThumbPack {
  file: MediaRef;
  ranges: Array<[number, number]>;
}

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
    /** Index of the thumbnail image in the envelope's blobs, or in `pack.ranges`. */
    blob: number;
  }>;
  /** The thumbnails' file (the `frameStripRef` kind); absent in envelopes, which carry them as blobs. */
  pack?: ThumbPack;
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
  /** Seconds the stage took (envelopes; the `summaryPlayerRef` kind keeps it in `timing`). */
  processingSeconds?: number;
  /** The one field that changes on a same-seed re-run, kept apart from everything else. */
  timing?: { processingSeconds: number };
  /** The summary video file (the `summaryPlayerRef` kind). */
  summaryFile?: MediaRef;
  /** The source video file, for "play the source at the selected segments". */
  sourceFile?: MediaRef;
  /** A small JPEG of the summary's first frame (data: URL), shown before the video loads or when it is gone. */
  poster?: string;
  selectedFrames: number;
  totalFrames: number;
  /** Selected runs in source time, seconds [start, end): what "play the source at the selected segments" plays. */
  segments: Array<{ start: number; end: number }>;
  /**
   * The summary's frames as runs of consecutive source frames [first, last] (inclusive), in summary order: a seek
   * to source frame f lands on f's own position in the summary. Absent in notebooks written before it existed.
   */
  runs?: Array<[number, number]>;
  /** Blob index of the summary video (video/mp4) in an envelope; -1 when it is a file. */
  summaryBlob: number;
  /** Blob index of the source video, or -1 when it is not embedded. */
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
