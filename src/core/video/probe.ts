/**
 * probe(path): what the video is, from ffmpeg alone (vsum ships no ffprobe): the stream information ffmpeg prints
 * for its input, and an exact frame count — the one an MP4/MOV index states (mp4-index.ts; what ffprobe called
 * nb_frames), otherwise the packets counted by stream-copying the video to the null muxer (one packet = one frame
 * for every codec vsum reads; demuxing only, no decoding). Bad inputs become a VsumError naming the file and the fix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../errors';
import { resolveFfmpeg, type FfmpegTools } from './ffmpeg';
import { mp4VideoSampleCount } from './mp4-index';
import { runTool } from './process';
import type { VideoInfo } from './types';

export interface ProbeOptions {
  tools?: FfmpegTools;
  signal?: AbortSignal;
}

const STILL_IMAGE_FORMATS =
  /^(image2|png_pipe|jpeg_pipe|bmp_pipe|webp_pipe|tiff_pipe|ppm_pipe|pgm_pipe|svg_pipe|j2k_pipe|jpegls_pipe|dpx_pipe|exr_pipe|qdraw_pipe|pictor_pipe|psd_pipe|sgi_pipe|sunrast_pipe|xpm_pipe|xwd_pipe|pam_pipe|pbm_pipe|pgmyuv_pipe|pcx_pipe|photocd_pipe|pfm_pipe|gem_pipe|qoi_pipe|hdr_pipe)$/;

/** Check the path exists, is a file and is not empty; the errors every video entry point shares. */
export function assertVideoFile(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    // ffmpeg would read img%03d.png as an image sequence; vsum takes one video file (frame numbers are its own).
    if (/%0?\d*d/.test(path.basename(file)))
      throw new VsumError(
        'BAD_INPUT',
        `${file} looks like an image-sequence pattern; vsum reads one video file, not numbered images. Make a video of them first, e.g. ffmpeg -framerate 25 -i '${file}' -pix_fmt yuv420p video.mp4.`,
        { file },
      );
    throw new VsumError(
      'FILE_NOT_FOUND',
      `Video not found: ${file}. Check the path (relative paths are resolved from the current folder / the notebook's folder).`,
      { file },
    );
  }
  if (st.isDirectory()) throw new VsumError('BAD_INPUT', `${file} is a folder, not a video file.`, { file });
  // A pipe or a device has size 0 but is not an empty file: say what it is (vsum reads a video twice — probe,
  // then decode — and seeks in it, which a stream cannot do).
  if (st.isFIFO())
    throw new VsumError(
      'BAD_INPUT',
      `${file} is a named pipe (FIFO), not a video file: vsum reads a video more than once and seeks in it. Save the stream to a file first.`,
      { file },
    );
  if (st.isCharacterDevice() || st.isBlockDevice() || st.isSocket())
    throw new VsumError(
      'BAD_INPUT',
      `${file} is a ${st.isSocket() ? 'socket' : 'device'}, not a video file. Give the path of a video file (mp4, mov, mkv, webm, avi…).`,
      { file },
    );
  if (st.size === 0)
    throw new VsumError(
      'EMPTY_FILE',
      `${file} is empty (0 bytes): it was not fully written or copied. Re-export or re-download the video.`,
      { file },
    );
}

/** Turn ffmpeg's stderr about an unreadable input into the specific error. */
export function describeReadFailure(file: string, stderr: string): VsumError {
  // "moov atom not found" is also what the mp4 demuxer says of any non-video file named .mp4: only a file that
  // starts like an MP4/MOV (a known box type at byte 4) is a truncated video.
  if (/moov atom not found/i.test(stderr) && !looksLikeIsoMedia(file))
    return new VsumError(
      'NOT_A_VIDEO',
      `${file} is not a video ffmpeg can read (it does not start like an MP4/MOV file although it is named like one). Check the file is a video and not damaged.`,
      { file },
    );
  if (/moov atom not found|Truncat|End of file|partial file|Invalid NAL|corrupt/i.test(stderr))
    return new VsumError(
      'TRUNCATED',
      `${file} is truncated or corrupt (${firstMatch(stderr)}): it was not fully written or downloaded. Re-export or re-download the video.`,
      { file },
    );
  if (
    /Invalid data found when processing input|could not find codec parameters|Unknown format|no such demuxer/i.test(
      stderr,
    )
  )
    return new VsumError(
      'NOT_A_VIDEO',
      `${file} is not a video ffmpeg can read (${firstMatch(stderr)}). vsum reads the formats ffmpeg does (mp4, mov, mkv, webm, avi…); check the file is a video and not damaged.`,
      { file },
    );
  return new VsumError('FFMPEG_FAILED', `ffmpeg could not read ${file}: ${firstMatch(stderr)}`, { file });
}

function looksLikeIsoMedia(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(12);
    fs.readSync(fd, head, 0, 12, 0);
    fs.closeSync(fd);
    return /^(ftyp|moov|mdat|free|wide|skip|pnot|uuid)$/.test(head.toString('latin1', 4, 8));
  } catch {
    return false;
  }
}

function firstMatch(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const line =
    lines.find((l) => /invalid|moov|truncat|error|corrupt|not found/i.test(l)) ??
    lines[lines.length - 1] ??
    'no details';
  // ffmpeg prefixes some lines with the path; drop it so the message names the file once.
  return line
    .replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, '')
    .replace(/^.*?:\s(?=[A-Z])/, '')
    .slice(0, 200);
}

/** One stream of ffmpeg's input dump ("Stream #0:1[0x2](und): Audio: aac …") and its indented lines below. */
interface DumpStream {
  index: number;
  type: string;
  /** The text after "Video: " / "Audio: " …. */
  desc: string;
  /** The stream's Metadata / Side data lines. */
  extra: string[];
}

/** What `ffmpeg -i` prints about input #0 (its "Input #0 …" section of stderr), parsed. */
export interface InputDump {
  formatName: string;
  /** Container duration in seconds (centisecond resolution), when known. */
  duration?: number;
  start?: number;
  streams: DumpStream[];
}

/** Parses the "Input #0" section ffmpeg prints at info level (the same layout in ffmpeg 4.x–7.x). */
export function parseInputDump(stderr: string): InputDump | undefined {
  const lines = stderr.split(/\r?\n/);
  const head = lines.findIndex((l) => /^Input #0, /.test(l));
  if (head < 0) return undefined;
  const formatName = /^Input #0, (.+?), from '/.exec(lines[head])?.[1] ?? '';
  const dump: InputDump = { formatName, streams: [] };
  let current: DumpStream | undefined;
  for (const line of lines.slice(head + 1)) {
    if (/^(Output #|Input #|Stream mapping:|Press \[q\])/.test(line)) break;
    const d = /^\s+Duration: (?:(\d+):(\d+):(\d+(?:\.\d+)?)|N\/A)(?:, start: (-?\d+(?:\.\d+)?))?/.exec(line);
    if (d) {
      if (d[1] !== undefined) dump.duration = Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]);
      if (d[4] !== undefined) dump.start = Number(d[4]);
      continue;
    }
    const s = /^\s+Stream #0:(\d+)[^:]*: (\w+): (.*)$/.exec(line);
    if (s) {
      const index = Number(s[1]);
      // Programs (MPEG-TS) list a stream again under each program: keep the first listing.
      current = dump.streams.some((x) => x.index === index) ? undefined : { index, type: s[2], desc: s[3], extra: [] };
      if (current) dump.streams.push(current);
      continue;
    }
    current?.extra.push(line.trim());
  }
  return dump;
}

/** ffmpeg's print_fps(): how a rate is written in the dump ("25", "29.97", "90k", "0.0500"). */
function printRate(v: number): string {
  const v100 = Math.round(v * 100);
  if (!v100) return v.toFixed(4);
  if (v100 % 100) return v.toFixed(2);
  if (v100 % 100000) return v.toFixed(0);
  return (v / 1000).toFixed(0) + 'k';
}

function gcd(a: number, b: number): number {
  return b ? gcd(b, a % b) : a;
}

/**
 * The rational behind a rate as the dump prints it (rounded to 2 decimals): NTSC rates (n·1000/1001, e.g. 29.97)
 * first, then the smallest denominator that prints the same, so 25 → 25/1, 29.97 → 30000/1001, 12.5 → 25/2.
 */
export function rateFromDump(printed: string | undefined): { num: number; den: number } | undefined {
  if (!printed) return undefined;
  const v = Number(printed.replace(/k$/, '')) * (printed.endsWith('k') ? 1000 : 1);
  if (!Number.isFinite(v) || v <= 0) return undefined;
  const ntsc = Math.round(v * 1.001);
  if (!Number.isInteger(v) && printRate((ntsc * 1000) / 1001) === printed) return { num: ntsc * 1000, den: 1001 };
  for (let den = 1; den <= 1000; den++) {
    const num = Math.round(v * den);
    if (num > 0 && printRate(num / den) === printed) {
      const g = gcd(num, den);
      return { num: num / g, den: den / g };
    }
  }
  return undefined;
}

/**
 * Stream-copy the stream the decoder reads (`0:v:0`) to the null muxer, the progress report on stdout. `-copyinkf`:
 * count non-key frames before the first key frame too (the decoder gets them as well).
 */
const COPY_ARGS = ['-map', '0:v:0', '-c', 'copy', '-copyinkf', '-f', 'null', '-nostats', '-progress', 'pipe:1'];

export async function probe(file: string, opts: ProbeOptions = {}): Promise<VideoInfo> {
  assertVideoFile(file);
  const tools = opts.tools ?? (await resolveFfmpeg());
  // One ffmpeg run: its input dump (stderr, info level) says what the streams are; the copy pass counts the
  // packets, or copies just one when the MP4 index states the count (a cut file keeps its claim, so decoding then
  // says how many frames it really got, as with ffprobe's nb_frames).
  const stated = mp4VideoSampleCount(file);
  const describe = (stderr: string): VsumError => {
    const failed = parseInputDump(stderr);
    // `-map 0:v:0` fails on an input without video: say so rather than "ffmpeg failed".
    if (failed && !failed.streams.some(isPicture)) return noVideo(file, failed);
    return describeReadFailure(file, stderr);
  };
  const { stdout, stderr } = await runTool(
    tools.ffmpeg,
    ['-hide_banner', '-nostdin', '-i', file, ...COPY_ARGS, ...(stated ? ['-frames:v', '1'] : []), '-'],
    { signal: opts.signal, what: `probing ${file}`, describe, maxStderr: 8 * 1024 * 1024 },
  );
  const dump = parseInputDump(stderr);
  if (!dump) throw new VsumError('FFMPEG_FAILED', `ffmpeg printed no stream information for ${file}.`, { file });
  const video = dump.streams.find(isPicture);
  if (!video) throw noVideo(file, dump);
  const formatName = dump.formatName;
  if (STILL_IMAGE_FORMATS.test(formatName))
    throw new VsumError(
      'NOT_A_VIDEO',
      `${file} is a still image (${formatName.replace(/_pipe$/, '')}), not a video. vsum summarizes videos (mp4, mov, mkv, webm, avi…).`,
      { file },
    );

  // -progress ends with a block whose frame= is the total; earlier blocks are partial counts.
  const counts = [...stdout.toString('utf8').matchAll(/^frame=(\d+)$/gm)];
  const frames = stated || Number(counts[counts.length - 1]?.[1]);
  if (!Number.isFinite(frames) || frames <= 0)
    throw new VsumError(
      'TRUNCATED',
      `${file} has a video stream but no frames could be read: it is truncated or corrupt. Re-export or re-download the video.`,
      { file },
    );

  const size = /, (\d+)x(\d+)(?=[\s,]|$)/.exec(video.desc);
  const avg = rateFromDump(/, (\d+(?:\.\d+)?k?) fps\b/.exec(video.desc)?.[1]);
  const r = rateFromDump(/, (\d+(?:\.\d+)?k?) tbr\b/.exec(video.desc)?.[1]);
  const fpsRational = avg ?? r ?? { num: 25, den: 1 };
  const fps = fpsRational.num / fpsRational.den;
  // ffmpeg ≤ 4 shows the legacy "rotate : 90" tag; 5+ only the display matrix ("rotation of -90.00 degrees",
  // counter-clockwise, hence the minus).
  const tagRotate = Number(video.extra.map((l) => /^rotate\s*:\s*(-?\d+)/.exec(l)?.[1]).find((x) => x));
  const matrix = video.extra.map((l) => /rotation of (-?\d+(?:\.\d+)?) degrees/.exec(l)?.[1]).find((x) => x);
  const rotation = Number.isFinite(tagRotate) ? tagRotate : matrix !== undefined ? -Number(matrix) : 0;
  return {
    path: file,
    frames,
    fpsRational,
    fps,
    duration: dump.duration !== undefined && dump.duration > 0 ? dump.duration : frames / fps,
    width: size ? Number(size[1]) : 0,
    height: size ? Number(size[2]) : 0,
    startTime: dump.start ?? 0,
    rotation: ((Math.round(rotation) % 360) + 360) % 360,
    codec: /^(\w+)/.exec(video.desc)?.[1] ?? 'unknown',
    hasAudio: dump.streams.some((s) => s.type === 'Audio'),
    variableFrameRate: !!(avg && r && Math.abs(avg.num / avg.den - r.num / r.den) > 1e-3),
  };
}

/** A video stream that moves (cover art is a video stream too, flagged "(attached pic)"). */
function isPicture(s: DumpStream): boolean {
  return s.type === 'Video' && !/\(attached pic\)/.test(s.desc);
}

function noVideo(file: string, dump: InputDump): VsumError {
  if (dump.streams.some((s) => s.type === 'Audio'))
    return new VsumError('NO_VIDEO_STREAM', `${file} has no video stream (it is audio only). Choose a video file.`, {
      file,
    });
  return new VsumError('NO_VIDEO_STREAM', `${file} has no video stream. Choose a video file.`, { file });
}

/** Display size after rotation (what decoders deliver). */
export function displaySize(info: VideoInfo): { width: number; height: number } {
  return info.rotation === 90 || info.rotation === 270
    ? { width: info.height, height: info.width }
    : { width: info.width, height: info.height };
}
