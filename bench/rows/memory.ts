/**
 * memory: peak RSS of the whole process tree (test/helpers/tree-rss.ts: /proc sampled every 50 ms, ffmpeg children
 * included, plus the node process's own getrusage peak) for every method — kmeans, tt01, tt02, kts, default and
 * --seed-faithful — on the clips of generated 10-, 60- and 120-minute 30 fps videos (testsrc2 32×32), through the
 * real CLI: `vsum summarize V --features F.npy --method M [--seed-faithful] --no-video`, with F = shot-like 32-d
 * features for exactly that video's clips (so the figure is the summarizer's memory, not an embedder's); plus the
 * end-to-end run (decode + histogram embedder + tt01 + summary video) on each video. k-means default runs with
 * --restarts 1 here (restarts run one after another and keep one result, so memory does not depend on their number;
 * five cost minutes of k-means++ at 120 min). Goal: < 1 GB and ≤ 0.1 KB of growth per extra frame (10 → 120 min).
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO, generatedVideo, tmpPath } from '../lib/inputs';
import { shotFeatures } from '../lib/features';
import { pending, runRow, stats } from '../lib/row';
import { resolveFfmpeg } from '../../src/core/video/ffmpeg';
import { writeFeaturesNpy } from '../../src/core/io/npy';
import { runNodeMeasured } from '../../test/helpers/tree-rss';

const MINUTES = (process.env.BENCH_MEMORY_MINUTES ?? '10,60,120').split(',').map(Number);
const FPS = 30;
const MB = 2 ** 20;
const CASES: Array<[string, string[]]> = [
  ['kmeans', ['--restarts', '1']],
  ['kmeans', ['--seed-faithful']],
  ['tt01', []],
  ['tt01', ['--seed-faithful']],
  ['tt02', []],
  ['tt02', ['--seed-faithful']],
  ['kts', []],
  ['kts', ['--seed-faithful']],
];

runRow(
  'memory',
  'memory (peak RSS of the process tree)',
  '< 1 GB, ≤ 0.1 KB/frame',
  `${MINUTES.map((m) => `${m}`).join(', ')}-min generated videos, 32×32 30 fps; every method and mode on their clips (--features, 32-d) + end-to-end tt01 (histogram embedder, summary video)`,
  async (r) => {
    const cli = path.join(REPO, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) pending('dist/cli.js is not built (npm run bench builds it)');
    const tools = await resolveFfmpeg();
    const worstPerLength: number[] = [];
    const walls: number[] = [];
    for (const min of MINUTES) {
      const video = generatedVideo(
        tools.ffmpeg,
        `memory-${min}min-32`,
        `testsrc2=size=32x32:rate=${FPS}:d=${min * 60}`,
        ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '300'],
      );
      const clips = (min * 60 * FPS) / 8;
      const npy = tmpPath(`memory-${min}min-clips.npy`);
      if (!fs.existsSync(npy))
        await writeFeaturesNpy(npy, shotFeatures(min, clips, 32, { shots: Math.round(clips / 40), noise: 0.3 }));
      let worst = 0;
      const runs: Array<[string, string[]]> = [
        ...CASES.map(
          ([m, x]) =>
            [
              `${m}${x.includes('--seed-faithful') ? ' sf' : ''}`,
              ['--features', npy, '--method', m, ...x, '--threshold', '0.5', '--no-video'],
            ] as [string, string[]],
        ),
        ['end-to-end tt01', ['--method', 'tt01']],
      ];
      for (const [label, args] of runs) {
        const out = tmpPath(`memory-out-${min}-${label.replace(/\W+/g, '-')}`, 'x').replace(/x$/, '');
        fs.rmSync(out, { recursive: true, force: true });
        const res = await runNodeMeasured([cli, '-q', 'summarize', video, ...args, '--out', out]);
        if (res.code !== 0)
          throw new Error(`${label} on the ${min}-min video failed (exit ${res.code}): ${res.stderr}`);
        const peak = Math.max(res.peakTree ?? 0, res.peakSelf ?? 0) / MB;
        worst = Math.max(worst, peak);
        walls.push(res.seconds);
        r.figures[`${min} min · ${label}: peak tree RSS (MB) / wall (s)`] =
          `${Math.round(peak)} / ${res.seconds.toFixed(0)}`;
        fs.rmSync(out, { recursive: true, force: true });
      }
      worstPerLength.push(worst);
      r.figures[`${min} min: worst peak (MB)`] = Math.round(worst);
    }
    r.ours = stats('wall time per run', walls);
    const worst = Math.max(...worstPerLength);
    const frames = MINUTES.map((m) => m * 60 * FPS);
    const perFrameKB =
      MINUTES.length >= 2
        ? ((worstPerLength[worstPerLength.length - 1] - worstPerLength[0]) * 1024) /
          (frames[frames.length - 1] - frames[0])
        : 0;
    r.figures['growth per extra frame, worst method (KB)'] = Number(perFrameKB.toFixed(3));
    r.checks.push({ name: '< 1 GB', ok: worst < 1024, detail: `${Math.round(worst)} MB at most` });
    r.checks.push({
      name: '≤ 0.1 KB/frame',
      ok: perFrameKB <= 0.1,
      detail: `${worstPerLength.map((p) => `${Math.round(p)} MB`).join(' → ')}`,
    });
    r.goalMet = worst < 1024 && perFrameKB <= 0.1;
    if (!r.goalMet)
      r.missed =
        worst >= 1024
          ? { reason: `a run peaked at ${Math.round(worst)} MB`, next: 'heap snapshot of that run' }
          : {
              reason: `the worst method grows ${perFrameKB.toFixed(2)} KB per extra frame: what must grow is per-clip data (features, the float64 copy k-means and KTS work on, KTS's n × 450 scatter band: 3.6 KB per clip = 0.45 KB per frame)`,
              next: 'KTS band in float32 where the change points allow; k-means on float32 rows',
            };
  },
);
