/**
 * A CMX 3600 edit decision list (`<stem>.summary.edl`): one cut event per summary shot, source in/out on the
 * video's timecode and record in/out on the summary's, non-drop-frame. Reel names are limited to 8 characters in
 * CMX 3600, so every event uses the reel `AX` (the usual "auxiliary source") and names the file in a
 * `* FROM CLIP NAME:` comment, which Premiere, Resolve and Avid read to relink.
 */
import path from 'node:path';
import type { ExportInput } from './summary-shots';
import { smpteTimecode } from './timecode';

export function summaryEdl(input: ExportInput): string {
  const fps = input.source.fps;
  const track = input.source.hasAudio ? 'B' : 'V';
  const lines = [`TITLE: ${input.title.replace(/[\r\n]/g, ' ').slice(0, 70)}`, 'FCM: NON-DROP FRAME', ''];
  input.shots.forEach((s, i) => {
    const recIn = s.summaryStart;
    const recOut = s.summaryStart + (s.end - s.start);
    const tc = [s.start, s.end, recIn, recOut].map((f) => smpteTimecode(f, fps)).join(' ');
    lines.push(`${String(i + 1).padStart(3, '0')}  AX       ${track.padEnd(5)} C        ${tc}`);
    lines.push(`* FROM CLIP NAME: ${path.basename(input.source.path)}`);
    lines.push('');
  });
  return lines.join('\n');
}
