import type { Command } from 'commander';
import { SHOT_DEFAULTS, SHOT_DETECTORS, type ShotDetectorName } from '../../core/shots/detector';
import { detectShots } from '../../core/shots/detect-shots';
import type { CliContext } from '../context';
import { choiceOption, numberOption } from '../flags';

interface ShotsFlags {
  detector: string;
  threshold?: string;
  minSceneLen?: string;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('shots <video>')
    .description("shot boundaries: PySceneDetect's content or adaptive rule, or KTS on clip embeddings")
    .option('--detector <name>', `${SHOT_DETECTORS.join(' | ')}`, 'content')
    .option(
      '--threshold <t>',
      `content: score threshold (default ${SHOT_DEFAULTS.contentThreshold}); adaptive: ratio threshold (default ${SHOT_DEFAULTS.adaptiveThreshold})`,
    )
    .option('--min-scene-len <n>', `frames a shot lasts at least (default ${SHOT_DEFAULTS.minSceneLength})`)
    .option(
      '--json',
      'print {"cuts": [first frame of each shot after the first], "shots": [[start, end_exclusive], …]}',
    )
    .action(async (video: string, flags: ShotsFlags) => {
      const detector = choiceOption<ShotDetectorName>('--detector', flags.detector, SHOT_DETECTORS);
      const threshold =
        flags.threshold === undefined
          ? undefined
          : numberOption('--threshold', flags.threshold, { min: Number.MIN_VALUE });
      const minSceneLength =
        flags.minSceneLen === undefined
          ? undefined
          : numberOption('--min-scene-len', flags.minSceneLen, { integer: true, min: 0 });
      const progress = ctx.progress();
      const r = await detectShots(video, {
        detector,
        threshold,
        minSceneLength,
        tools: await ctx.tools(),
        signal: ctx.signal,
        onProgress:
          progress &&
          ((done, total) =>
            progress({ message: `shots: frame ${done} of ${total}`, fraction: total ? done / total : undefined })),
      });
      ctx.clearProgress();
      if (flags.json) {
        ctx.out(JSON.stringify({ cuts: r.cuts, shots: r.shots }) + '\n');
        return;
      }
      const fmt = (f: number) => (f / r.fps).toFixed(2).padStart(9);
      const params = Object.entries(r.params)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const lines = [
        `${video}: ${r.shots.length} shots (${detector}: ${params})`,
        '  shot      start       end   frames',
      ];
      r.shots.forEach(([a, b], i) =>
        lines.push(`  ${String(i + 1).padStart(4)} ${fmt(a)} s ${fmt(b)} s ${String(b - a).padStart(8)}`),
      );
      ctx.out(lines.join('\n') + '\n');
    });
}
