/**
 * An ffmpeg concat-demuxer script (`<stem>.concat.txt`) that rebuilds the summary from the source, frame exact:
 *   ffmpeg -f concat -safe 0 -segment_time_metadata 1 -i <stem>.concat.txt \
 *     -vf select=concatdec_select -af aselect=concatdec_select,aresample=async=1 out.mp4
 * (the demuxer starts each file at the keyframe before its inpoint; `concatdec_select` drops the frames outside
 * [inpoint, outpoint), so a plain `-c copy` is only keyframe-accurate). In/out points are a shot's first frame
 * and one past its last, in seconds; the source is named relative to the list, which the demuxer resolves it
 * against.
 */
import path from 'node:path';
import type { ExportInput } from './summary-shots';

function quote(p: string): string {
  return `'${p.replace(/'/g, "'\\''")}'`;
}

export function summaryConcat(input: ExportInput, listFile: string): string {
  const fps = input.source.fps;
  const rel = path.relative(path.dirname(listFile), input.source.path).split(path.sep).join('/');
  const lines = ['ffconcat version 1.0'];
  for (const s of input.shots) {
    lines.push(`file ${quote(rel)}`, `inpoint ${(s.start / fps).toFixed(6)}`, `outpoint ${(s.end / fps).toFixed(6)}`);
  }
  return lines.join('\n') + '\n';
}
