/**
 * video → clip embeddings, pipelined: while the embedder works on one batch (onnxruntime runs it on its own
 * threads), the decoder keeps streaming and the next batch is assembled. At most two batches of frames are in
 * memory, so memory is flat in the video's length; only the features (clips × dim floats) grow.
 */
import { throwIfAborted, VsumError } from '../errors';
import { featureMatrix, type FeatureMatrix } from '../features';
import { clipsOf } from '../video/clips';
import { decodeFrames } from '../video/decode';
import { withFrameCount } from '../video/frame-count';
import { resolveFfmpeg, type FfmpegTools } from '../video/ffmpeg';
import { probe } from '../video/probe';
import type { Clip, VideoInfo } from '../video/types';
import type { Embedder } from './embedder';

export interface EmbedProgress {
  clipsDone: number;
  clipsTotal: number;
  framesDecoded: number;
}

export interface EmbedVideoOptions {
  tools?: FfmpegTools;
  signal?: AbortSignal;
  info?: VideoInfo;
  /** What to do with the last n mod clipLength frames: drop (original) or pad (repeat the last frame). */
  partial?: 'drop' | 'pad';
  onProgress?: (p: EmbedProgress) => void;
}

export interface EmbeddedVideo {
  features: FeatureMatrix;
  /** The probed info, with `frames` the decoded count (and `containerFrames` set) when the two differ. */
  info: VideoInfo;
  clipLength: number;
  embedderId: string;
  /** Frames covered by the clips (n_clips · clipLength, or info.frames when the last clip is padded). */
  framesCovered: number;
}

export async function embedVideo(
  file: string,
  embedder: Embedder,
  opts: EmbedVideoOptions = {},
): Promise<EmbeddedVideo> {
  const tools = opts.tools ?? (await resolveFfmpeg());
  const info = opts.info ?? (await probe(file, { tools, signal: opts.signal }));
  const partial = opts.partial ?? 'drop';
  const L = embedder.clipLength;
  const clipsTotal = partial === 'pad' ? Math.ceil(info.frames / L) : Math.floor(info.frames / L);
  if (clipsTotal === 0)
    throw new VsumError(
      'TOO_SHORT',
      `${file} has ${info.frames} frame(s); embedding needs at least ${L} (one clip of ${L} frames)${partial === 'drop' && info.frames > 0 ? ', or --partial pad' : ''}. Use a longer video.`,
      { file },
    );
  const parts: Float32Array[] = [];
  let clipsDone = 0;
  let framesDecoded = 0;
  let inFlight: Promise<void> | undefined;
  let failure: unknown;

  const submit = (batch: Clip[]) => {
    inFlight = embedder.embedBatch(batch, opts.signal).then(
      (out) => {
        const bad = firstNonFinite(out);
        if (bad >= 0) {
          failure = nonFiniteError(out[bad], embedder, file, clipsDone + Math.floor(bad / embedder.dim));
          return;
        }
        parts.push(out);
        clipsDone += batch.length;
        opts.onProgress?.({ clipsDone, clipsTotal, framesDecoded });
      },
      (e) => {
        failure = e;
      },
    );
  };

  let batch: Clip[] = [];
  const frames = decodeFrames(file, embedder.frameFormat, { tools, signal: opts.signal, expectFrames: info.frames });
  try {
    for await (const clip of clipsOf(
      countFrames(frames, (n) => {
        framesDecoded = n;
      }),
      L,
      partial,
    )) {
      if (failure) throw failure;
      batch.push(clip);
      if (batch.length === embedder.batchSize) {
        if (inFlight) await inFlight; // keep one batch in flight while the next is decoded
        if (failure) throw failure;
        submit(batch);
        batch = [];
      }
    }
    if (inFlight) await inFlight;
    if (failure) throw failure;
    if (batch.length) {
      submit(batch);
      await inFlight;
      if (failure) throw failure;
    }
  } finally {
    // Stop the decoder (kills ffmpeg) if we leave early, and never leave a batch running unobserved.
    await frames.return(undefined);
    if (inFlight) await inFlight;
  }
  throwIfAborted(opts.signal, `embedding ${file}`);
  if (clipsDone === 0)
    throw new VsumError(
      'TOO_SHORT',
      `${file}: ${info.containerFrames ?? info.frames} frames according to the container, but only ${framesDecoded} could be decoded, fewer than one clip of ${L} frames. Re-export the video (e.g. ffmpeg -i in -c:v libx264 out.mp4).`,
      { file },
    );
  // The decoder is the truth about how many frames exist; the container's count can be off (edit lists).
  const decodedInfo = withFrameCount(info, framesDecoded);
  const data = new Float32Array(clipsDone * embedder.dim);
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  return {
    features: featureMatrix(clipsDone, embedder.dim, data),
    info: decodedInfo,
    clipLength: L,
    embedderId: embedder.id,
    framesCovered: partial === 'pad' ? Math.min(decodedInfo.frames, clipsDone * L) : clipsDone * L,
  };
}

async function* countFrames<T>(src: AsyncIterable<T>, onCount: (n: number) => void): AsyncGenerator<T> {
  let n = 0;
  for await (const x of src) {
    onCount(++n);
    yield x;
  }
}

function firstNonFinite(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

/**
 * NaN/Inf in an embedding (e.g. a model with broken weights) would silently become an all-NaN summary and be
 * cached; it is refused at the first bad batch, naming the model and the clip.
 */
function nonFiniteError(value: number, embedder: Embedder, file: string, clip: number): VsumError {
  return new VsumError(
    'MODEL',
    `The embedder ${embedder.id} produced ${value} in the embedding of clip ${clip} of ${file}: the model's weights or its export are broken (nothing was cached). Re-download the model, or check the .onnx file.`,
    { file },
  );
}
