/**
 * Writing the eccv16 layout (docs/ALGORITHMS.md §eccv16-dataset) through h5wasm, atomically: the file is built
 * under a temp name beside the target and renamed, so a crash or cancel never leaves a half-written dataset.
 * Integer fields are int32 (every peer casts them with .astype(np.int32)), scores float32, video_name a string.
 */
import { withTempFile } from '../io/atomic';
import { loadH5, type H5Group } from './h5wasm';

/** One video group, as `vsum h5 make` writes it. */
export interface Eccv16Record {
  key: string;
  videoName: string;
  nFrames: number;
  /** n_steps × featureDim, row-major. */
  features: Float32Array;
  featureDim: number;
  picks: Int32Array;
  /** shots × 2 row-major, [first, last] inclusive. */
  changePoints: Int32Array;
  nFramePerSeg: Int32Array;
  /** With ground truth. */
  gtscore?: Float32Array;
  gtsummary?: Float32Array;
  /** users × n_frames, 0/1. */
  userSummary?: Float32Array;
  nUsers?: number;
}

function writeGroup(g: H5Group, r: Eccv16Record): void {
  const n = r.picks.length;
  g.create_dataset({ name: 'features', data: r.features, shape: [n, r.featureDim] });
  g.create_dataset({ name: 'picks', data: r.picks, shape: [n] });
  g.create_dataset({ name: 'n_frames', data: new Int32Array([r.nFrames]), shape: [] });
  g.create_dataset({ name: 'n_steps', data: new Int32Array([n]), shape: [] });
  g.create_dataset({ name: 'change_points', data: r.changePoints, shape: [r.changePoints.length / 2, 2] });
  g.create_dataset({ name: 'n_frame_per_seg', data: r.nFramePerSeg, shape: [r.nFramePerSeg.length] });
  g.create_dataset({ name: 'video_name', data: r.videoName });
  if (r.gtscore) g.create_dataset({ name: 'gtscore', data: r.gtscore, shape: [n] });
  if (r.gtsummary) g.create_dataset({ name: 'gtsummary', data: r.gtsummary, shape: [n] });
  if (r.userSummary) g.create_dataset({ name: 'user_summary', data: r.userSummary, shape: [r.nUsers!, r.nFrames] });
}

/** Write `records` (one group each, in order) to `file`, replacing it atomically. */
export async function writeEccv16(file: string, records: readonly Eccv16Record[]): Promise<void> {
  const m = await loadH5();
  await withTempFile(file, async (tmp) => {
    const f = new m.File(tmp, 'w');
    try {
      for (const r of records) writeGroup(f.create_group(r.key), r);
    } finally {
      f.close();
    }
  });
}
