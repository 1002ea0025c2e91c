import type { Command } from 'commander';
import { probe } from '../../core/video/probe';
import { describeTools } from '../../core/video/ffmpeg';
import type { CliContext } from '../context';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('probe <video>')
    .description('frame count, fps, duration, size, codec and audio of a video')
    .option('--json', 'print {"frames","fps","duration","width","height","codec","hasAudio"}')
    .action(async (video: string, opts: { json?: boolean }) => {
      const tools = await ctx.tools();
      const info = await probe(video, { tools, signal: ctx.signal });
      if (opts.json) {
        const { frames, fps, duration, width, height, codec, hasAudio } = info;
        ctx.out(JSON.stringify({ frames, fps, duration, width, height, codec, hasAudio }) + '\n');
        return;
      }
      const fr =
        info.fpsRational.den === 1 ? `${info.fpsRational.num}` : `${info.fpsRational.num}/${info.fpsRational.den}`;
      ctx.out(
        `${video}\n  frames    ${info.frames}\n  fps       ${info.fps.toFixed(3)} (${fr}${info.variableFrameRate ? ', variable' : ''})\n  duration  ${info.duration.toFixed(3)} s\n` +
          `  size      ${info.width}×${info.height}${info.rotation ? ` (rotated ${info.rotation}°)` : ''}\n  codec     ${info.codec}\n  audio     ${info.hasAudio ? 'yes' : 'no'}\n  ffmpeg    ${describeTools(tools)}\n`,
      );
    });
}
