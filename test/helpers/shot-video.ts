/** A generated video with hard cuts at known frames (lavfi sources concatenated), cached in the temp dir. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FfmpegTools } from '../../src/core/video/ffmpeg';

/** Each part lasts `seconds` at 25 fps, so the true cuts are at multiples of 25·seconds frames. */
const SOURCES = [
  'testsrc2=size=320x240:rate=25',
  'smptebars=size=320x240:rate=25',
  'mandelbrot=size=320x240:rate=25',
  'color=c=0x2040a0:size=320x240:rate=25,noise=alls=30:allf=t',
  'rgbtestsrc=size=320x240:rate=25',
];

export function hardCutVideo(tools: FfmpegTools, seconds = 2): { file: string; cuts: number[] } {
  const file = path.join(os.tmpdir(), `vsum-hardcuts-${SOURCES.length}x${seconds}s.mp4`);
  const cuts = SOURCES.slice(1).map((_, i) => (i + 1) * 25 * seconds);
  if (fs.existsSync(file)) return { file, cuts };
  const inputs = SOURCES.flatMap((s) => ['-f', 'lavfi', '-t', String(seconds), '-i', s]);
  const concat =
    SOURCES.map((_, i) => `[${i}:v]format=yuv420p,setsar=1[v${i}]`).join(';') +
    ';' +
    SOURCES.map((_, i) => `[v${i}]`).join('') +
    `concat=n=${SOURCES.length}:v=1:a=0[out]`;
  const tmp = `${file}.partial.mp4`;
  execFileSync(tools.ffmpeg, [
    '-v',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    concat,
    '-map',
    '[out]',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    tmp,
  ]);
  fs.renameSync(tmp, file);
  return { file, cuts };
}
