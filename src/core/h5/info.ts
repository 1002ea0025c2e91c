/**
 * `vsum h5 info`: what an eccv16-layout file holds, per video — the key, video_name, n_frames, n_steps, feature
 * width, users, shots and which of the layout's fields are present (a missing gtsummary / n_steps / video_name is
 * normal: DSNet's own files have neither of the first two, and only SumMe has names).
 */
import { ECCV16_FIELDS, type Eccv16Dataset } from './dataset';

export interface H5VideoInfo {
  key: string;
  name?: string;
  nFrames?: number;
  nSteps?: number;
  featureDim?: number;
  users?: number;
  shots?: number;
  /** Present fields, layout ones first. */
  fields: string[];
  /** Layout fields this video lacks. */
  missing: string[];
}

export interface H5Info {
  file: string;
  videos: H5VideoInfo[];
}

export function datasetInfo(ds: Eccv16Dataset): H5Info {
  return {
    file: ds.file,
    videos: ds.videos.map((v) => ({
      key: v.key,
      ...(v.name !== undefined && { name: v.name }),
      ...(v.nFrames !== undefined && { nFrames: v.nFrames }),
      ...(v.nSteps !== undefined && { nSteps: v.nSteps }),
      ...(v.featureDim !== undefined && { featureDim: v.featureDim }),
      ...(v.nUsers !== undefined && { users: v.nUsers }),
      ...(v.changePoints !== undefined && { shots: v.changePoints.length / 2 }),
      fields: v.fields,
      missing: ECCV16_FIELDS.filter((f) => !v.fields.includes(f)),
    })),
  };
}

/** A markdown table, one row per video, then the fields every video lacks. */
export function infoTable(info: H5Info): string {
  const cell = (x: string | number | undefined) => (x === undefined ? '—' : String(x).replace(/\|/g, '\\|'));
  const lines = [
    `${info.file}: ${info.videos.length} video${info.videos.length === 1 ? '' : 's'}`,
    '',
    '| key | name | n_frames | n_steps | D | users | shots | missing |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const v of info.videos)
    lines.push(
      `| ${v.key} | ${cell(v.name)} | ${cell(v.nFrames)} | ${cell(v.nSteps)} | ${cell(v.featureDim)} | ${cell(v.users)} | ${cell(v.shots)} | ${v.missing.join(', ') || '—'} |`,
    );
  return lines.join('\n') + '\n';
}
