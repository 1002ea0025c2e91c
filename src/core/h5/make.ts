/**
 * `vsum h5 make`: an eccv16-layout dataset (docs/ALGORITHMS.md §eccv16-make) from any folder of videos with vsum's
 * embedders, so the supervised peers can train on TimeSformer (or histogram) features:
 *  - picks every `stride` frames (0, 15, 30, … < n_frames); vsum embeds non-overlapping 8-frame clips, and the
 *    feature of pick p is the embedding of the clip holding frame p (clip ⌊p / 8⌋, the last clip for the tail);
 *  - change_points / n_frame_per_seg: KTS (cpd_auto, vmax 1, up to n_steps − 1 change points, segments bounded
 *    at 2 minutes of video, which only long videos reach) on the step features, as DSNet's make_dataset does:
 *    change points × stride, with 0 and n_frames as ends, tiling the whole video;
 *  - with ground truth (SumMe GT folder / .mat, TVSum .mat; matched by file stem): user_summary (users × n_frames),
 *    gtscore = the mean user importance at the picks, gtsummary = the 15 % keyshot summary of gtscore over those
 *    shots (§eccv16-protocol) at the picks.
 * Resumable and shardable like `batch`: each video becomes a part file `<out>.parts/<key>.h5` plus a `.json`
 * record (video content, embedder, stride, ground truth; written last — the commit marker), reused when the record
 * matches. Keys are video_1 … over the whole sorted folder, so shards agree; whoever finds every part present
 * (the last shard to finish, or a re-run) writes the dataset, atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError, isCancelled, throwIfAborted } from '../errors';
import { videoContentKey } from '../embed/cache';
import type { EmbedderFactoryOptions, EmbedderName } from '../embed/factory';
import { loadGroundTruth, type VideoGroundTruth } from '../evaluate/ground-truth';
import { MAX_LENGTH_MISMATCH } from '../evaluate/submission';
import { writeFileAtomic } from '../io/atomic';
import { requestedIdentity } from '../batch/plan';
import { ALL, shardItems, type Shard } from '../batch/shard';
import { listVideos, VIDEO_EXTENSIONS } from '../batch/videos';
import type { FeatureMatrix } from '../features';
import { kts } from '../summarize/kts';
import { videoStem } from '../summarize/outputs/paths';
import { CLIP_LENGTH, prepareFeatures, type SummarizeProgress } from '../summarize/pipeline';
import type { FfmpegTools } from '../video/ffmpeg';
import { readDataset, type Eccv16Video } from './dataset';
import { keyshotSummary } from './keyshot-summary';
import { writeEccv16, type Eccv16Record } from './write';

/** DSNet's and the eccv16 files' sampling: one step every 15 frames. */
export const DEFAULT_STRIDE = 15;
const PART_FORMAT = 1;

export interface MakeDatasetOptions {
  videosDir: string;
  out: string;
  /** SumMe GT folder / .mat or the TVSum .mat. */
  gt?: string;
  embedder?: EmbedderName;
  embedderOptions?: EmbedderFactoryOptions;
  seedFaithful?: boolean;
  stride?: number;
  shard?: Shard;
  noCache?: boolean;
}

export interface MakeDatasetContext {
  signal?: AbortSignal;
  tools?: FfmpegTools;
  onProgress?: (p: SummarizeProgress) => void;
  log?: (line: string) => void;
}

export interface MakeDatasetReport {
  /** Every video of the folder, with its key. */
  videos: Array<{ key: string; video: string }>;
  made: string[];
  reused: string[];
  failed: Array<{ video: string; error: string }>;
  /** The dataset file, when every part was present. */
  written?: string;
  /** Videos whose part is still missing (another shard's, or failed). */
  missing: string[];
}

/** What a part was made from; a part is reused only when this matches. */
interface PartRecord {
  format: number;
  video: string;
  content: string;
  embedder: string;
  model: string | null;
  stride: number;
  gt: string | null;
}

export function partsDir(out: string): string {
  return `${out}.parts`;
}

function sameRecord(a: PartRecord, b: PartRecord): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function readRecord(file: string): PartRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PartRecord;
  } catch {
    return undefined;
  }
}

/** Picks every `stride` frames below n_frames. */
export function picksOf(nFrames: number, stride: number): Int32Array {
  const picks = new Int32Array(Math.ceil(nFrames / stride));
  for (let i = 0; i < picks.length; i++) picks[i] = i * stride;
  return picks;
}

/** Step features: for each pick the row of the clip holding that frame (clips of `clipLength` frames). */
export function stepFeatures(clips: FeatureMatrix, picks: ArrayLike<number>, clipLength = CLIP_LENGTH): Float32Array {
  const d = clips.cols;
  const out = new Float32Array(picks.length * d);
  for (let i = 0; i < picks.length; i++) {
    const c = Math.min(Math.floor(picks[i] / clipLength), clips.rows - 1);
    out.set(clips.data.subarray(c * d, (c + 1) * d), i * d);
  }
  return out;
}

/** DSNet's KTS shots over the steps, in frames: [first, last] inclusive, tiling 0 … n_frames − 1. */
export async function ktsShots(
  features: Float32Array,
  steps: number,
  dim: number,
  nFrames: number,
  stride: number,
  fps: number,
  signal?: AbortSignal,
): Promise<{ changePoints: Int32Array; nFramePerSeg: Int32Array }> {
  const bounds = [0];
  if (steps > 1) {
    const m: FeatureMatrix = { rows: steps, cols: dim, data: features };
    // kts() bounds segments on long inputs by seconds of video (docs/ALGORITHMS.md §kts): steps per second = fps / stride.
    const cp = await kts(m, { vmax: 1, maxCp: steps - 1, rowsPerSecond: fps > 0 ? fps / stride : undefined, signal });
    for (const c of cp.changePoints) bounds.push(c * stride);
  }
  bounds.push(nFrames);
  const shots = bounds.length - 1;
  const changePoints = new Int32Array(shots * 2);
  const nFramePerSeg = new Int32Array(shots);
  for (let s = 0; s < shots; s++) {
    changePoints[2 * s] = bounds[s];
    changePoints[2 * s + 1] = bounds[s + 1] - 1;
    nFramePerSeg[s] = bounds[s + 1] - bounds[s];
  }
  return { changePoints, nFramePerSeg };
}

/** user_summary, gtscore and gtsummary of one video from its ground truth, fitted to the video's frame count. */
export function groundTruthFields(
  gt: VideoGroundTruth,
  nFrames: number,
  picks: Int32Array,
  shots: { changePoints: Int32Array; nFramePerSeg: Int32Array },
  video: string,
): Pick<Eccv16Record, 'userSummary' | 'nUsers' | 'gtscore' | 'gtsummary'> {
  if (Math.abs(gt.nFrames - nFrames) > MAX_LENGTH_MISMATCH * nFrames)
    throw new VsumError(
      'BAD_INPUT',
      `${video} has ${nFrames} frames but its ground truth in ${gt.source} has ${gt.nFrames}: they are not the same video (or not the same frame rate).`,
      { file: video },
    );
  const userSummary = new Float32Array(gt.nUsers * nFrames);
  const n = Math.min(nFrames, gt.nFrames);
  for (let u = 0; u < gt.nUsers; u++)
    for (let i = 0; i < n; i++) userSummary[u * nFrames + i] = gt.userSummaries[u * gt.nFrames + i];
  const gtscore = new Float32Array(picks.length);
  for (let i = 0; i < picks.length; i++) gtscore[i] = picks[i] < gt.nFrames ? gt.gtScore[picks[i]] : 0;
  const { summary } = keyshotSummary({ scores: gtscore, picks, nFrames, ...shots });
  const gtsummary = Float32Array.from(picks, (p) => summary[p]);
  return { userSummary, nUsers: gt.nUsers, gtscore, gtsummary };
}

/** An Eccv16Record from a part file read back. */
function recordOf(v: Eccv16Video): Eccv16Record {
  return {
    key: v.key,
    videoName: v.name ?? v.key,
    nFrames: v.nFrames!,
    features: v.features!,
    featureDim: v.featureDim!,
    picks: v.picks!,
    changePoints: v.changePoints!,
    nFramePerSeg: v.nFramePerSeg!,
    gtscore: v.gtscore,
    gtsummary: v.gtsummary,
    userSummary: v.userSummary ? Float32Array.from(v.userSummary) : undefined,
    nUsers: v.nUsers,
  };
}

export async function makeDataset(o: MakeDatasetOptions, ctx: MakeDatasetContext = {}): Promise<MakeDatasetReport> {
  const stride = o.stride ?? DEFAULT_STRIDE;
  if (!Number.isInteger(stride) || stride < 1)
    throw new VsumError('BAD_INPUT', `the stride must be a whole number of frames ≥ 1, got ${stride}.`);
  const all = listVideos(o.videosDir);
  if (all.length === 0)
    throw new VsumError('FILE_NOT_FOUND', `No videos (${VIDEO_EXTENSIONS.join(' ')}) in ${o.videosDir}.`, {
      file: o.videosDir,
    });
  const videos = all.map((video, i) => ({ key: `video_${i + 1}`, video }));
  const mine = shardItems(videos, o.shard ?? ALL);
  const identity = await requestedIdentity(
    { embedder: o.embedder ?? 'histogram', embedderOptions: o.embedderOptions, seedFaithful: o.seedFaithful },
    ctx.signal,
  );
  const gt = o.gt ? await loadGroundTruth(o.gt, { signal: ctx.signal }) : undefined;
  const gtByName = new Map(gt?.videos.map((v) => [v.name, v]));
  const dir = partsDir(o.out);
  await fs.promises.mkdir(dir, { recursive: true });
  const report: MakeDatasetReport = { videos, made: [], reused: [], failed: [], missing: [] };
  const expected = async (video: string): Promise<PartRecord> => ({
    format: PART_FORMAT,
    video: path.basename(video),
    content: await videoContentKey(video, ctx.signal),
    embedder: identity.embedder,
    model: identity.model,
    stride,
    gt: o.gt ? path.resolve(o.gt) : null,
  });
  for (const [i, { key, video }] of mine.entries()) {
    throwIfAborted(ctx.signal, 'making the dataset');
    const tag = `[${i + 1}/${mine.length}] ${path.basename(video)} → ${key}`;
    const part = path.join(dir, `${key}.h5`),
      rec = path.join(dir, `${key}.json`);
    try {
      const want = await expected(video);
      const have = readRecord(rec);
      if (have && sameRecord(have, want) && fs.existsSync(part)) {
        report.reused.push(key);
        ctx.log?.(`${tag}: done before, reused`);
        continue;
      }
      fs.rmSync(rec, { force: true });
      const vgt = gt ? gtByName.get(videoStem(video)) : undefined;
      if (gt && !vgt)
        throw new VsumError(
          'BAD_INPUT',
          `${o.gt} has no ground truth for "${videoStem(video)}" (it has ${gt.videos.length} videos, e.g. ${gt.videos
            .slice(0, 3)
            .map((v) => JSON.stringify(v.name))
            .join(', ')}); video files must be named after their ground truth.`,
          { file: o.gt },
        );
      const prep = await prepareFeatures(
        video,
        {
          embedder: o.embedder ?? 'histogram',
          embedderOptions: o.embedderOptions,
          seedFaithful: o.seedFaithful,
          noCache: o.noCache,
        },
        ctx,
      );
      const nFrames = prep.info.frames;
      const picks = picksOf(nFrames, stride);
      const features = stepFeatures(prep.features, picks, prep.clipLength);
      const shots = await ktsShots(
        features,
        picks.length,
        prep.features.cols,
        nFrames,
        stride,
        prep.info.fps,
        ctx.signal,
      );
      const record: Eccv16Record = {
        key,
        videoName: videoStem(video),
        nFrames,
        features,
        featureDim: prep.features.cols,
        picks,
        ...shots,
        ...(vgt && groundTruthFields(vgt, nFrames, picks, shots, video)),
      };
      if (vgt && vgt.nFrames !== nFrames)
        ctx.log?.(
          `${tag}: ground truth has ${vgt.nFrames} frames, the video ${nFrames}: user_summary ${vgt.nFrames > nFrames ? 'cut' : 'padded with 0'} to ${nFrames}`,
        );
      await writeEccv16(part, [record]);
      await writeFileAtomic(rec, JSON.stringify(want) + '\n');
      report.made.push(key);
      ctx.log?.(
        `${tag}: ${picks.length} steps × ${record.featureDim}, ${shots.nFramePerSeg.length} shots${vgt ? `, ${vgt.nUsers} users` : ''}`,
      );
    } catch (e) {
      if (isCancelled(e)) throw e;
      report.failed.push({ video: path.basename(video), error: e instanceof Error ? e.message : String(e) });
      ctx.log?.(`${tag}: failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // Assemble when every part is there and current (another shard's parts are checked the same way).
  const ready: Eccv16Record[] = [];
  for (const { key, video } of videos) {
    const part = path.join(dir, `${key}.h5`),
      have = readRecord(path.join(dir, `${key}.json`));
    const current =
      have &&
      have.format === PART_FORMAT &&
      have.video === path.basename(video) &&
      have.stride === stride &&
      have.embedder === identity.embedder &&
      have.model === identity.model &&
      have.gt === (o.gt ? path.resolve(o.gt) : null);
    if (!current || !fs.existsSync(part)) {
      report.missing.push(path.basename(video));
      continue;
    }
    const ds = await readDataset(part, { features: true });
    ready.push(recordOf(ds.videos[0]));
  }
  if (report.missing.length === 0) {
    await writeEccv16(o.out, ready);
    report.written = o.out;
  }
  return report;
}
