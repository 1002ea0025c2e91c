/**
 * ffmpeg's `-progress` output (key=value lines, a block every `-stats_period`, ending with `progress=continue` or
 * `progress=end`) → frames written so far. Fed in arbitrary chunks: lines may be split across them.
 */
export class FfmpegProgressParser {
  private rest = '';
  private frame = 0;

  /** Feed a chunk; returns the frame count when a block in it moved it forward, else undefined. */
  feed(chunk: string): number | undefined {
    const text = this.rest + chunk;
    const lines = text.split(/\r?\n/);
    this.rest = lines.pop() ?? '';
    let moved: number | undefined;
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq < 0 || line.slice(0, eq).trim() !== 'frame') continue;
      const n = Number(line.slice(eq + 1).trim());
      if (Number.isInteger(n) && n > this.frame) moved = this.frame = n;
    }
    return moved;
  }

  get frames(): number {
    return this.frame;
  }
}

/** The arguments that make ffmpeg report progress on stdout (and not its human stats line on stderr). */
export const PROGRESS_ARGS = ['-progress', 'pipe:1', '-nostats', '-stats_period', '0.5'] as const;
