/**
 * memory: peak RSS of the real CLI (`node dist/cli.js summarize … --method tt01`, histogram embedder, summary video
 * written) on a generated 10-minute and a 60-minute video (160×120, 25 fps). The node process's own peak comes
 * from getrusage at its exit (bench/lib/max-rss.cjs preloaded); /usr/bin/time adds the largest process of the tree
 * (ffmpeg children included) when it is installed. Goal: < 600 MB and flat in length (60-min peak ≤ 1.25× the
 * 10-min peak).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, REPO, generatedVideo, tmpPath } from '../lib/inputs';
import { pending, runRow, stats } from '../lib/row';
import { resolveFfmpeg } from '../../src/core/video/ffmpeg';

const MINUTES = (process.env.BENCH_MEMORY_MINUTES ?? '10,60').split(',').map(Number);

runRow('memory', 'memory (peak RSS)', '< 600 MB, flat in length', MINUTES.map((m) => `${m} min`).join(' and ') + ' generated videos, 160×120 25 fps; `vsum summarize --method tt01` (histogram embedder, summary video written)', async (r) => {
  const cli = path.join(REPO, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) pending('dist/cli.js is not built (npm run bench builds it)');
  const tools = await resolveFfmpeg();
  const peaks: number[] = [];
  const trees: number[] = [];
  const walls: number[] = [];
  const featureMB: number[] = [];
  const hasTime = fs.existsSync('/usr/bin/time');
  for (const min of MINUTES) {
    const video = generatedVideo(tools.ffmpeg, `memory-${min}min`, `testsrc=s=160x120:r=25:d=${min * 60}`, ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '250']);
    const out = tmpPath(`memory-out-${min}`, '.keep').replace(/\.keep$/, '');
    fs.rmSync(out, { recursive: true, force: true });
    const rssFile = tmpPath(`memory-${min}.rss`);
    fs.rmSync(rssFile, { force: true });
    const timeFile = tmpPath(`memory-${min}.time`);
    const nodeArgs = ['--require', path.join(BENCH_DIR, 'lib', 'max-rss.cjs'), cli, '-q', 'summarize', video, '--method', 'tt01', '--out', out];
    const t0 = Date.now();
    const res = hasTime
      ? spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, process.execPath, ...nodeArgs], { env: { ...process.env, BENCH_RSS_FILE: rssFile }, encoding: 'utf8' })
      : spawnSync(process.execPath, nodeArgs, { env: { ...process.env, BENCH_RSS_FILE: rssFile }, encoding: 'utf8' });
    walls.push((Date.now() - t0) / 1000);
    if (res.status !== 0) throw new Error(`vsum summarize failed on the ${min}-min video (exit ${res.status}): ${res.stderr}`);
    const peak = Number(fs.readFileSync(rssFile, 'utf8')) / 2 ** 20;
    peaks.push(peak);
    r.figures[`${min} min: node peak RSS (MB)`] = Math.round(peak);
    if (hasTime) {
      const tree = Number(fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024;
      trees.push(tree);
      r.figures[`${min} min: largest process in the tree (MB)`] = Math.round(tree);
    }
    r.figures[`${min} min: wall (s)`] = Math.round(walls[walls.length - 1]);
    const json = JSON.parse(fs.readFileSync(path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.summary.json'))!), 'utf8'));
    r.figures[`${min} min: frames`] = json.nFrames ?? '?';
    // The one thing that must grow with length: the clip features (histogram: 320 float32 per clip).
    if (typeof json.nClips === 'number') featureMB.push((json.nClips * 320 * 4) / 2 ** 20);
    fs.rmSync(out, { recursive: true, force: true });
  }
  r.ours = stats('wall time per video', walls);
  const worst = Math.max(...peaks, ...trees);
  const flat = peaks.length < 2 || peaks[peaks.length - 1] <= 1.25 * peaks[0];
  r.checks.push({ name: '< 600 MB', ok: worst < 600, detail: `${Math.round(worst)} MB at most` });
  r.checks.push({ name: 'flat in length', ok: flat, detail: peaks.map((p) => `${Math.round(p)} MB`).join(' → ') });
  r.goalMet = worst < 600 && flat;
  const frames = MINUTES.map((m) => m * 60 * 25);
  const perFrameKB = peaks.length >= 2 ? ((peaks[peaks.length - 1] - peaks[0]) * 1024) / (frames[frames.length - 1] - frames[0]) : 0;
  if (peaks.length >= 2) r.figures['growth per extra frame (KB)'] = perFrameKB;
  if (!r.goalMet)
    r.missed = !flat
      ? { reason: `the peak grows by ${Math.round(peaks[peaks.length - 1] - peaks[0])} MB from ${MINUTES[0]} to ${MINUTES[MINUTES.length - 1]} min, ${perFrameKB.toFixed(2)} KB per extra frame — far less than one decoded 64×64 frame (12 KB), so no frames are kept; ${featureMB.length >= 2 ? `the clip features alone grow from ${featureMB[0].toFixed(1)} to ${featureMB[featureMB.length - 1].toFixed(1)} MB, and ` : ''}the rest is per-clip scores, the selection, its JSON and GC heap headroom`, next: 'keep per-clip scores as typed arrays and stream them into the summary JSON; check a heap snapshot of the 60-min run' }
      : { reason: 'the peak is above 600 MB', next: 'find what is kept per frame/clip (heap snapshot of the 60-min run)' };
});
