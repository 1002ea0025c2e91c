/** Test helpers over the real ffmpeg: reference extraction, generated inputs, PSNR, process-table checks. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FfmpegTools } from '../../src/core/video/ffmpeg';

/** ffmpeg's own extraction of frame `index` (select filter, passthrough timing), resized like our decoder. */
export function extractFrameRaw(tools: FfmpegTools, file: string, index: number, vf: string, pixFmt = 'rgb24'): Buffer {
  return execFileSync(
    tools.ffmpeg,
    [
      '-v',
      'error',
      '-i',
      file,
      '-map',
      '0:v:0',
      tools.fpsModeFlag,
      'passthrough',
      '-vf',
      `select=eq(n\\,${index}),${vf}`,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      pixFmt,
      'pipe:1',
    ],
    { maxBuffer: 1 << 28 },
  );
}

/** All frames of a video as raw rgb24 at its own size. */
export function decodeAllRaw(tools: FfmpegTools, file: string, w: number, h: number): Buffer[] {
  const buf = execFileSync(
    tools.ffmpeg,
    [
      '-v',
      'error',
      '-i',
      file,
      '-map',
      '0:v:0',
      tools.fpsModeFlag,
      'passthrough',
      '-vf',
      `scale=${w}:${h}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { maxBuffer: 1 << 30 },
  );
  const n = w * h * 3;
  const out: Buffer[] = [];
  for (let o = 0; o + n <= buf.length; o += n) out.push(buf.subarray(o, o + n));
  return out;
}

export function psnr(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`psnr: sizes differ ${a.length} vs ${b.length}`);
  let se = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    se += d * d;
  }
  const mse = se / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** Generate a video with ffmpeg's lavfi sources (deterministic). */
export function makeVideo(tools: FfmpegTools, out: string, lavfi: string, extra: string[] = []): string {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  execFileSync(tools.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', lavfi, ...extra, out]);
  return out;
}

/**
 * ffprobe as an independent test-time reference (Debian's ffmpeg package ships it); vsum itself probes with ffmpeg
 * and ships no ffprobe.
 */
export const FFPROBE = 'ffprobe';

/** PIDs of this process's live children whose command is ffmpeg/ffprobe (from the real process table). */
export function ffmpegChildren(): number[] {
  const r = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /ffmpeg|ffprobe/.test(l))
    .map((l) => Number(l.split(/\s+/)[0]));
}

/** Files in dir that look like vsum temp files. */
export function tempFilesIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.includes('.vsum-tmp-'));
}
