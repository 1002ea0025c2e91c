// What the summary player must show: the duration of the summary video the kernel actually wrote, measured
// with ffprobe on the file (so the check compares the rendered <video> against the real output, not against
// the payload the renderer was given).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// ffprobe from Debian's ffmpeg package, a test-time reference only (vsum ships no ffprobe).
function ffprobeBin() {
  return 'ffprobe';
}

/** Newest .mp4 written into the workspace at or after `since` (ms since the epoch). */
function newestVideo(dir, since) {
  let best = null;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (/\.mp4$/i.test(e.name)) {
        const m = fs.statSync(f).mtimeMs;
        if (m >= since && (!best || m > best.m)) best = { f, m };
      }
    }
  };
  walk(dir);
  return best?.f ?? null;
}

export async function expectedSummary(workspace, since) {
  const file = process.env.VSUM_HOST_SUMMARY_VIDEO || newestVideo(workspace, since);
  if (!file) return { summaryDuration: null, durationTolerance: 0.1, summaryFile: null };
  const r = spawnSync(
    ffprobeBin(),
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=duration,avg_frame_rate', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`ffprobe ${file} failed: ${r.stderr}`);
  const s = JSON.parse(r.stdout).streams?.[0] ?? {};
  const [n, d] = String(s.avg_frame_rate ?? '25/1')
    .split('/')
    .map(Number);
  const fps = n && d ? n / d : 25;
  return { summaryDuration: Number(s.duration), durationTolerance: Math.max(0.1, 2 / fps), summaryFile: file };
}
