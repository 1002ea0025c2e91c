/**
 * Finds ffmpeg (the only tool vsum runs; probing uses it too, see probe.ts). Order (first hit wins), and the answer says which one ran:
 *   1. an explicit path: the `vsum.ffmpegPath` setting or the CLI's `--ffmpeg` flag (`option`)
 *   2. the VSUM_FFMPEG environment variable (`env`)
 *   3. `ffmpeg` on PATH (`path`)
 *   4. the static binary shipped in the npm package @ffmpeg-installer/ffmpeg (`bundled`), so a machine with only
 *      Node works.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../errors';
import { runTool } from './process';

export type FfmpegSource = 'option' | 'env' | 'path' | 'bundled';

export interface FfmpegTools {
  ffmpeg: string;
  source: FfmpegSource;
  /** First line of `ffmpeg -version`. */
  version: string;
  /** `-fps_mode` exists (ffmpeg ≥ 5.1); older builds take `-vsync`. */
  fpsModeFlag: '-fps_mode' | '-vsync';
}

export interface ResolveOptions {
  /** From the setting or the --ffmpeg flag. */
  ffmpegPath?: string;
  env?: NodeJS.ProcessEnv;
}

const exe = process.platform === 'win32' ? '.exe' : '';
const resolved = new Map<string, Promise<FfmpegTools>>();

export function resolveFfmpeg(opts: ResolveOptions = {}): Promise<FfmpegTools> {
  const env = opts.env ?? process.env;
  const key = JSON.stringify([opts.ffmpegPath ?? '', env.VSUM_FFMPEG ?? '', env.PATH ?? '']);
  let p = resolved.get(key);
  if (!p) {
    p = doResolve(opts.ffmpegPath, env);
    resolved.set(key, p);
    p.catch(() => resolved.delete(key));
  }
  return p;
}

async function doResolve(explicit: string | undefined, env: NodeJS.ProcessEnv): Promise<FfmpegTools> {
  let ffmpeg: string | undefined;
  let source: FfmpegSource | undefined;
  if (explicit && explicit.trim()) {
    const p = explicit.trim();
    if (!isExecutable(p))
      throw new VsumError(
        'FFMPEG_NOT_FOUND',
        `ffmpeg not found at ${p} (from the vsum.ffmpegPath setting / --ffmpeg flag). Fix the path, or clear it to use ffmpeg on PATH or the bundled one.`,
        { file: p },
      );
    ffmpeg = p;
    source = 'option';
  } else if (env.VSUM_FFMPEG) {
    if (!isExecutable(env.VSUM_FFMPEG))
      throw new VsumError(
        'FFMPEG_NOT_FOUND',
        `ffmpeg not found at ${env.VSUM_FFMPEG} (from VSUM_FFMPEG). Fix the variable or unset it.`,
        { file: env.VSUM_FFMPEG },
      );
    ffmpeg = env.VSUM_FFMPEG;
    source = 'env';
  } else {
    const onPath = which('ffmpeg', env);
    if (onPath) {
      ffmpeg = onPath;
      source = 'path';
    } else {
      const b = bundled();
      if (b) {
        ffmpeg = b;
        source = 'bundled';
      }
    }
  }
  if (!ffmpeg || !source)
    throw new VsumError(
      'FFMPEG_NOT_FOUND',
      'ffmpeg was not found: no vsum.ffmpegPath setting / --ffmpeg flag, no VSUM_FFMPEG, no ffmpeg on PATH, and the bundled @ffmpeg-installer/ffmpeg is not installed. Install ffmpeg (e.g. `apt-get install ffmpeg`) or run `npm install` in vsum.',
    );

  const origin = {
    option: 'the vsum.ffmpegPath setting / --ffmpeg flag',
    env: 'VSUM_FFMPEG',
    path: 'PATH',
    bundled: 'the bundled @ffmpeg-installer/ffmpeg',
  }[source];
  const { stdout } = await runTool(ffmpeg, ['-hide_banner', '-version'], { what: 'ffmpeg -version' }).catch(
    (e: unknown) => {
      throw new VsumError(
        'FFMPEG_NOT_FOUND',
        `${ffmpeg} (from ${origin}) does not work as ffmpeg: \`${ffmpeg} -version\` failed (${e instanceof Error ? e.message : String(e)}). Point vsum at a real ffmpeg (vsum.ffmpegPath / --ffmpeg / VSUM_FFMPEG), or clear the setting to use the one on PATH or the bundled one.`,
        { file: ffmpeg, cause: e },
      );
    },
  );
  const version = stdout.toString('utf8').split('\n')[0].trim();
  if (!/ffmpeg version/i.test(version))
    throw new VsumError(
      'FFMPEG_NOT_FOUND',
      `${ffmpeg} (from ${origin}) does not look like ffmpeg (\`-version\` printed "${version.slice(0, 80)}"). Point vsum at a real ffmpeg (vsum.ffmpegPath / --ffmpeg / VSUM_FFMPEG).`,
      { file: ffmpeg },
    );
  // Feature-test rather than parse version strings (static builds are named N-xxxxx-g<hash>).
  const fpsModeFlag = await runTool(
    ffmpeg,
    [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=s=16x16:d=0.04',
      '-fps_mode',
      'passthrough',
      '-f',
      'null',
      '-',
    ],
    { what: 'ffmpeg feature test' },
  ).then(
    () => '-fps_mode' as const,
    () => '-vsync' as const,
  );
  return { ffmpeg, source, version, fpsModeFlag };
}

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function which(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const d of dirs) {
    const p = path.join(d, name + exe);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

/** The binary inside the npm installer package, made executable if its (blocked) postinstall did not run. */
function bundled(): string | undefined {
  try {
    // A literal require, so the bundler and the lint rule see exactly which external package is loaded.
    const p: string = require('@ffmpeg-installer/ffmpeg').path;
    if (!fs.existsSync(p)) return undefined;
    if (!isExecutable(p) && process.platform !== 'win32') {
      try {
        fs.chmodSync(p, 0o755);
      } catch {
        return undefined;
      }
    }
    return p;
  } catch {
    return undefined;
  }
}

/** A one-line description for logs and reports: "ffmpeg 5.1.9 (PATH: /usr/bin/ffmpeg)". */
export function describeTools(t: FfmpegTools): string {
  const label = { option: 'setting/flag', env: 'VSUM_FFMPEG', path: 'PATH', bundled: 'bundled npm package' }[t.source];
  const v = t.version.replace(/^ffmpeg version\s+/, '').split(' ')[0];
  return `ffmpeg ${v} (${label}: ${t.ffmpeg})`;
}
