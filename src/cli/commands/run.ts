/**
 * `vsum run <notebook.vsumnb> [--out executed.vsumnb] [--param name=value …]`: execute a notebook's stage cells
 * headlessly, in order, with the kernel's engine and output builders (as `jupyter nbconvert --execute` /
 * papermill do), and write the notebook with their outputs. `--param` replaces `{{name}}` in cell sources and is
 * recorded in the executed notebook's metadata. The first failing cell stops the run: the notebook is written
 * with every output up to and including that cell's error, and the exit code is 1.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { VsumError } from '../../core/errors';
import { writeFileAtomic } from '../../core/io/atomic';
import { ChildEngine } from '../../notebook/engine/child-engine';
import { inProcessEngine } from '../../notebook/engine/execute';
import { parseNotebook, serializeNotebook, type RawNotebook } from '../../notebook/format';
import { errorOutput } from '../../notebook/outputs';
import { parseStageCell } from '../../notebook/parse';
import { describeError, runStageCell } from '../../notebook/run-cell';
import { cellName, cellRef, Session } from '../../notebook/session';
import type { CliContext } from '../context';
import { UsageError, cacheDirFlag } from '../flags';

/** `name=value` flags → a map; a name is letters, digits, `_` and `-`. */
export function parseParams(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^([A-Za-z_][\w-]*)=(.*)$/s.exec(v);
    if (!m) throw new UsageError(`--param must be name=value, got "${v}"`);
    out[m[1]] = m[2];
  }
  return out;
}

/** `{{name}}` → its value; a placeholder without a value is left for the stage to refuse, named. */
export function applyParams(source: string, params: Record<string, string>): string {
  return source.replace(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g, (all, name: string) =>
    name in params ? params[name] : all,
  );
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('run <notebook>')
    .description(
      "execute a .vsumnb notebook's stage cells in order (headless, as the kernel runs them) and write it with their outputs",
    )
    .option(
      '--out <executed.vsumnb>',
      'where to write the executed notebook (default: <notebook>.executed.vsumnb beside it)',
    )
    .option(
      '--param <name=value>',
      'replace {{name}} in cell sources (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--model <m>', 'model for cells that name none: histogram | k600 | path of an .onnx', 'histogram')
    .option('--ep <ep>', 'execution provider for cells that name none', 'auto')
    .addOption(cacheDirFlag())
    .option('--in-process', 'run the stages in this process instead of an engine process')
    .action(
      async (
        file: string,
        o: { out?: string; param: string[]; model: string; ep: string; cacheDir?: string; inProcess?: boolean },
      ) => {
        const params = parseParams(o.param);
        const src = path.resolve(file);
        let bytes: Uint8Array;
        try {
          bytes = fs.readFileSync(src);
        } catch (e) {
          throw new VsumError(
            'FILE_NOT_FOUND',
            `Cannot read the notebook ${file} (${(e as NodeJS.ErrnoException).code ?? e}).`,
            { file: src, cause: e },
          );
        }
        const nb: RawNotebook = parseNotebook(bytes);
        const out = path.resolve(o.out ?? src.replace(/(\.vsumnb)?$/, '.executed.vsumnb'));
        const notebookDir = path.dirname(src);
        const session = new Session();
        const engine = o.inProcess ? inProcessEngine : new ChildEngine({ log: ctx.note });
        const settings = {
          model: o.model,
          executionProvider: o.ep,
          cacheDirectory: o.cacheDir,
          ffmpegPath: program.opts<{ ffmpeg?: string }>().ffmpeg,
        };
        nb.metadata = {
          ...nb.metadata,
          vsum: { ...(nb.metadata.vsum as object | undefined), ...(Object.keys(params).length ? { params } : {}) },
        };
        // Named in messages as the executed notebook shows them: by the order they ran in (set as they run).
        const cells = nb.cells.map((c, index) => {
          const source = applyParams(c.source, params);
          return cellRef(
            `cell-${index}`,
            index,
            source,
            c.kind === 'stage' ? parseStageCell(source).stage?.name : undefined,
          );
        });
        let order = 0;
        let failed: number | undefined;
        try {
          for (const [index, cell] of nb.cells.entries()) {
            if (cell.kind !== 'stage') continue;
            cell.source = applyParams(cell.source, params);
            const progress = ctx.progress();
            const startTime = Date.now();
            cells[index].order = ++order;
            const name = cellName(cells[index]);
            try {
              const reply = await runStageCell(cell.source, {
                session,
                engine,
                notebookDir,
                cellId: `cell-${index}`,
                index,
                cells,
                settings,
                signal: ctx.signal,
                progress: (message, fraction) => progress?.({ message: `${name}: ${message}`, fraction }),
                log: () => undefined,
              });
              cell.outputs = reply.outputs;
              cell.execution = { order, success: true, startTime, endTime: Date.now() };
              ctx.clearProgress();
              ctx.note(`vsum run: ${name} done in ${((Date.now() - startTime) / 1000).toFixed(2)} s`);
            } catch (e) {
              ctx.clearProgress();
              const message = describeError(e, ctx.signal.aborted);
              cell.outputs = [errorOutput(message)];
              cell.execution = { order, success: false, startTime, endTime: Date.now() };
              failed = index;
              process.stderr.write(`vsum run: ${name} failed: ${message}\n`);
              break;
            }
          }
        } finally {
          if (engine instanceof ChildEngine) engine.dispose();
        }
        await writeFileAtomic(out, serializeNotebook(nb));
        ctx.out(
          `${out}: ${order - (failed === undefined ? 0 : 1)} of ${cells.filter((c) => nb.cells[c.index].kind === 'stage').length} stage cells ran${failed === undefined ? '' : `; ${cellName(cells[failed])} failed`}\n`,
        );
        if (failed !== undefined) process.exitCode = 1;
      },
    );
}
