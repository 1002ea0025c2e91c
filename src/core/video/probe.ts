/**
 * probe(path): what the video is, via ffprobe's JSON. The frame count is exact: the container's nb_frames when it
 * states one, otherwise ffprobe counts the packets of the video stream (one packet = one frame for every codec
 * vsum reads). Bad inputs become a VsumError naming the file and the fix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../errors';
import { resolveFfmpeg, type FfmpegTools } from './ffmpeg';
import { runTool } from './process';
import type { VideoInfo } from './types';

export interface ProbeOptions {
  tools?: FfmpegTools;
  signal?: AbortSignal;
}

interface FfStream {
  codec_type?: string;
  start_time?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  nb_frames?: string;
  nb_read_packets?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ rotation?: number }>;
  disposition?: { attached_pic?: number };
}
interface FfProbe {
  streams?: FfStream[];
  format?: { format_name?: string; duration?: string; start_time?: string };
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

/** Turn ffprobe/ffmpeg stderr about an unreadable input into the specific error. */
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
  // ffprobe prefixes lines with the path; drop it so the message names the file once.
  return line
    .replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, '')
    .replace(/^.*?:\s(?=[A-Z])/, '')
    .slice(0, 200);
}

function rational(s: string | undefined): { num: number; den: number } | undefined {
  if (!s) return undefined;
  const [a, b] = s.split('/').map(Number);
  if (!Number.isFinite(a) || !Number.isFinite(b) || a <= 0 || b <= 0) return undefined;
  return { num: a, den: b };
}

export async function probe(file: string, opts: ProbeOptions = {}): Promise<VideoInfo> {
  assertVideoFile(file);
  const tools = opts.tools ?? (await resolveFfmpeg());
  const describe = (stderr: string) => describeReadFailure(file, stderr);
  const { stdout } = await runTool(
    tools.ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', file],
    { signal: opts.signal, what: `probing ${file}`, describe },
  );
  const info = JSON.parse(stdout.toString('utf8')) as FfProbe;
  const streams = info.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const hasAudio = streams.some((s) => s.codec_type === 'audio');
  if (!video) {
    if (hasAudio)
      throw new VsumError('NO_VIDEO_STREAM', `${file} has no video stream (it is audio only). Choose a video file.`, {
        file,
      });
    throw new VsumError('NO_VIDEO_STREAM', `${file} has no video stream. Choose a video file.`, { file });
  }
  const formatName = info.format?.format_name ?? '';
  if (STILL_IMAGE_FORMATS.test(formatName))
    throw new VsumError(
      'NOT_A_VIDEO',
      `${file} is a still image (${formatName.replace(/_pipe$/, '')}), not a video. vsum summarizes videos (mp4, mov, mkv, webm, avi…).`,
      { file },
    );

  let frames = Number(video.nb_frames);
  if (!Number.isFinite(frames) || frames <= 0) {
    const counted = await runTool(
      tools.ffprobe,
      [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-count_packets',
        '-show_entries',
        'stream=nb_read_packets',
        '-print_format',
        'json',
        '--',
        file,
      ],
      { signal: opts.signal, what: `counting frames of ${file}`, describe },
    );
    const s = (JSON.parse(counted.stdout.toString('utf8')) as FfProbe).streams?.[0];
    frames = Number(s?.nb_read_packets);
  }
  if (!Number.isFinite(frames) || frames <= 0)
    throw new VsumError(
      'TRUNCATED',
      `${file} has a video stream but no frames could be read: it is truncated or corrupt. Re-export or re-download the video.`,
      { file },
    );

  const avg = rational(video.avg_frame_rate);
  const r = rational(video.r_frame_rate);
  const fpsRational = avg ?? r ?? { num: 25, den: 1 };
  const duration = Number(info.format?.duration ?? video.duration ?? frames / (fpsRational.num / fpsRational.den));
  const tagRotate = Number(video.tags?.rotate);
  const sideRotation = video.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  const rotation = Number.isFinite(tagRotate) ? tagRotate : typeof sideRotation === 'number' ? -sideRotation : 0;
  return {
    path: file,
    frames,
    fpsRational,
    fps: fpsRational.num / fpsRational.den,
    duration: Number.isFinite(duration) ? duration : frames / (fpsRational.num / fpsRational.den),
    width: video.width ?? 0,
    height: video.height ?? 0,
    startTime: Number(video.start_time ?? info.format?.start_time ?? 0) || 0,
    rotation: ((Math.round(rotation) % 360) + 360) % 360,
    codec: video.codec_name ?? 'unknown',
    hasAudio,
    variableFrameRate: !!(avg && r && Math.abs(avg.num / avg.den - r.num / r.den) > 1e-3),
  };
}

/** Display size after rotation (what decoders deliver). */
export function displaySize(info: VideoInfo): { width: number; height: number } {
  return info.rotation === 90 || info.rotation === 270
    ? { width: info.height, height: info.width }
    : { width: info.width, height: info.height };
}
