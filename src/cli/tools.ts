import type { Command } from 'commander';
import { resolveFfmpeg, type FfmpegTools } from '../core/video/ffmpeg';

/** The ffmpeg tools for a command, honouring the global --ffmpeg flag. */
export function toolsFor(cmd: Command): Promise<FfmpegTools> {
  const opts = cmd.optsWithGlobals<{ ffmpeg?: string }>();
  return resolveFfmpeg({ ffmpegPath: opts.ffmpeg });
}
