/**
 * What a stage is: one object with its options schema (defaults included), what it needs from earlier stages,
 * what it gives later ones and what replacing that invalidates, and `run`, which returns plain results (no
 * outputs: src/notebook/views turns results into notebook outputs; the CLI prints them). The kernel, `vsum run`,
 * "Summarize Video" and the engine process all run stages through this interface; adding a stage is one file
 * plus a line in registry.ts.
 */
import os from 'node:os';
import path from 'node:path';
import type { FfmpegTools } from '../video/ffmpeg';
import type { SchemaNode } from './schema';
import type { SessionSlot, SlotValues } from './slots';

/** Settings a stage may fall back to (VS Code's vsum.* settings, or the CLI's flags). */
export interface StageSettings {
  ffmpegPath?: string;
  /** `histogram`, `k600` or a path to an .onnx. */
  model: string;
  executionProvider: string;
  cacheDirectory?: string;
  outputDirectory?: string;
  /**
   * Where `vsum-out/` goes when neither a cell's `out` nor outputDirectory says: the notebook's folder by default;
   * the extension's storage for an untitled notebook (nothing lands in the workspace before it is saved).
   */
  outputRoot?: string;
  /** Embed the source video in the player output when it is at most this many bytes (toggle "play source"). */
  maxEmbeddedSourceBytes?: number;
}

/** What a stage reads and where: the session's values it needs, the notebook folder, settings, ffmpeg, a log. */
export interface StageIo {
  inputs: Readonly<Partial<SlotValues>>;
  /** Absolute folder of the notebook: relative paths in options resolve against it. */
  notebookDir: string;
  settings: StageSettings;
  tools(): Promise<FfmpegTools>;
  log(line: string): void;
}

export type StageProgress = (message: string, fraction?: number) => void;

/** An options schema: an object of named options (the subset of JSON Schema in schema.ts). */
export interface OptionsSchema extends SchemaNode {
  type: 'object';
  properties: Record<string, SchemaNode>;
}

/** The value type of one schema node. */
type ValueOf<N> = N extends { enum: readonly (infer E)[] }
  ? E
  : N extends { anyOf: readonly (infer A)[] }
    ? ValueOf<A>
    : N extends { type: 'string' }
      ? string
      : N extends { type: 'number' | 'integer' }
        ? number
        : N extends { type: 'boolean' }
          ? boolean
          : N extends { type: 'array'; items: infer I }
            ? Array<ValueOf<I>>
            : unknown;

type Props<S extends OptionsSchema> = S['properties'];
type WithDefault<S extends OptionsSchema> = {
  [K in keyof Props<S>]: Props<S>[K] extends { default: unknown } ? K : never;
}[keyof Props<S>];

/** The options a stage's `run` gets: typed from the schema, options with a default always present. */
export type OptionsOf<S extends OptionsSchema> = { [K in WithDefault<S>]: ValueOf<Props<S>[K]> } & {
  [K in Exclude<keyof Props<S>, WithDefault<S>>]?: ValueOf<Props<S>[K]>;
};

/** What every stage's run returns beside its own results: the slot values it hands on. */
export interface StageGives {
  gives: Partial<SlotValues>;
}

export interface Stage<S extends OptionsSchema = OptionsSchema, R extends StageGives = StageGives> {
  name: string;
  /** The stage's schema: description, the option a bare scalar sets, options with their defaults. */
  schema: S & { description: string; 'x-shorthand': keyof S['properties'] & string };
  /** Slots that must be in the session; a function when it depends on the options. */
  needs: readonly SessionSlot[] | ((options: OptionsOf<S>) => readonly SessionSlot[]);
  /** Slots read when present (not required); `all` for the whole session (the script stage). */
  reads?: readonly SessionSlot[] | 'all';
  gives: readonly SessionSlot[];
  /** Slots computed from what this stage gives: a new value drops them (a new video drops old features). */
  invalidates: readonly SessionSlot[];
  run(options: OptionsOf<S>, io: StageIo, signal: AbortSignal, progress: StageProgress): Promise<R>;
}

/** Options as given (validated against the schema) with the schema's defaults filled in. */
export function withDefaults<S extends OptionsSchema>(schema: S, options: Record<string, unknown>): OptionsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [k, node] of Object.entries(schema.properties)) if (node.default !== undefined) out[k] = node.default;
  return { ...out, ...options } as OptionsOf<S>;
}

export function needsOf<S extends OptionsSchema>(
  stage: Stage<S, StageGives>,
  options: OptionsOf<S>,
): readonly SessionSlot[] {
  return typeof stage.needs === 'function' ? stage.needs(options) : stage.needs;
}

/** A path from a cell (relative to the notebook; `~` is the home folder) → absolute. */
export function resolveCellPath(io: Pick<StageIo, 'notebookDir'>, p: string): string {
  const t = p.trim();
  if (t === '~' || t.startsWith('~/')) return path.join(os.homedir(), t.slice(1));
  return path.resolve(io.notebookDir, t);
}

/** An absolute path as shown in outputs: relative to the notebook when inside it, else the base name. */
export function displayPath(io: Pick<StageIo, 'notebookDir'>, abs: string): string {
  const rel = path.relative(io.notebookDir, abs);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  const up = rel.split(path.sep);
  // A sibling folder or two up is still meaningful and not machine-specific.
  if (up.filter((s) => s === '..').length <= 2) return up.join('/');
  return path.basename(abs);
}

/** The default output folder of a video's files: `<notebook folder>/vsum-out/<video stem>/`. */
export const OUTPUT_FOLDER = 'vsum-out';

/** Where a stage writes a video's files: the cell's `out`, else the output-directory setting, else vsum-out/<stem>/. */
export function outputDirFor(io: Pick<StageIo, 'notebookDir' | 'settings'>, stem: string, cellOut?: string): string {
  if (cellOut) return resolveCellPath(io, cellOut);
  if (io.settings.outputDirectory) return resolveCellPath(io, io.settings.outputDirectory);
  return path.join(io.settings.outputRoot ?? io.notebookDir, OUTPUT_FOLDER, stem);
}

/**
 * How an output refers to a file it shows: relative to the notebook (forward slashes), so the notebook and its
 * vsum-out/ folder move together; absolute for an untitled notebook's scratch files (it has no folder yet).
 */
export function mediaPath(io: Pick<StageIo, 'notebookDir' | 'settings'>, abs: string): string {
  const root = io.settings.outputRoot;
  const scratch = root !== undefined && path.resolve(root) !== path.resolve(io.notebookDir);
  const rel = path.relative(io.notebookDir, abs);
  if (scratch && rel.startsWith('..')) return abs;
  return path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}
