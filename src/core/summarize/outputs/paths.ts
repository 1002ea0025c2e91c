/** Where one summary's files go: `<stem>.summary.mp4`, `<stem>.frames.txt`, `<stem>.summary.json` in one folder. */
import fs from 'node:fs';
import path from 'node:path';

export interface SummaryPaths {
  video: string;
  frames: string;
  json: string;
}

export function summaryPaths(outDir: string, stem: string): SummaryPaths {
  return {
    video: path.join(outDir, `${stem}.summary.mp4`),
    frames: path.join(outDir, `${stem}.frames.txt`),
    json: path.join(outDir, `${stem}.summary.json`),
  };
}

/** The file name without its last extension ("Air_Force_One.webm" → "Air_Force_One"). */
export function videoStem(video: string): string {
  const base = path.basename(video);
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}

/**
 * A summary is complete when all its files exist; the JSON is written last, so a crash or Ctrl-C mid-way leaves
 * it missing and a resumed batch redoes that video. `withVideo: false` ignores the .mp4 (runs that skip it).
 */
export function isComplete(p: SummaryPaths, withVideo = true): boolean {
  return fs.existsSync(p.json) && fs.existsSync(p.frames) && (!withVideo || fs.existsSync(p.video));
}
