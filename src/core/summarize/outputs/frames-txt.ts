/** The original project's frame list: one selected frame index per line (trailing newline). */
import { writeFileAtomic } from '../../io/atomic';

export function formatFramesTxt(frames: readonly number[]): string {
  return frames.map((f) => `${f}\n`).join('');
}

export async function writeFramesTxt(file: string, frames: readonly number[]): Promise<void> {
  await writeFileAtomic(file, formatFramesTxt(frames));
}
