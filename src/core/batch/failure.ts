/**
 * `<stem>.failed.json` beside a method's outputs: why the last attempt at that video failed, so `--collect` (maybe
 * on another machine, after every shard ended) can list failures apart from videos never attempted. Removed when
 * the video later succeeds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic';

export interface FailureRecord {
  format: 'vsum-failure/1';
  video: string;
  method: string;
  error: string;
  host: string;
  at: string;
}

export function failurePath(methodDir: string, stem: string): string {
  return path.join(methodDir, `${stem}.failed.json`);
}

export async function recordFailure(file: string, rec: Omit<FailureRecord, 'format'>): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify({ format: 'vsum-failure/1', ...rec }, null, 1) + '\n');
}

export function readFailure(file: string): FailureRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as FailureRecord;
  } catch {
    return undefined;
  }
}

export function clearFailure(file: string): void {
  fs.rmSync(file, { force: true });
}
