/** Runs stage cells in node the way the kernel does (same runner, real ffmpeg, real embedders). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StageSettings } from '../../../src/core/stages/stage';
import type { StageEngine, StageReply } from '../../../src/notebook/engine/engine';
import { inProcessEngine } from '../../../src/notebook/engine/execute';
import { runStageCell, type CellRunContext } from '../../../src/notebook/run-cell';
import { cellRef, Session, type CellRef } from '../../../src/notebook/session';
import { parseStageCell } from '../../../src/notebook/parse';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const SAMPLE = path.join(REPO, 'media', 'sample', 'mmcv-test.mp4');
export const MINI_GT = path.join(__dirname, 'fixtures', 'summe-mini', 'GT');
export const TINY_MODEL = path.join(REPO, 'test', 'models', 'tiny-timesformer.onnx');

export function tempNotebookDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-nb-'));
}

export class NotebookRun {
  readonly session = new Session();
  readonly progress: string[] = [];
  constructor(
    readonly dir: string,
    readonly cells: string[],
    // A cache of its own per run: embeddings cached by one test never answer another.
    readonly settings: StageSettings = {
      model: 'histogram',
      executionProvider: 'cpu',
      cacheDirectory: path.join(dir, '.vsum-cache'),
    },
    readonly engine: StageEngine = inProcessEngine,
  ) {}

  /** The execution order each cell shows (given when it starts, as VS Code does, whether it then fails or not). */
  readonly orders = new Map<number, number>();
  private order = 0;

  refs(): CellRef[] {
    return this.cells.map((c, i) => cellRef(`cell-${i}`, i, c, parseStageCell(c).stage?.name, this.orders.get(i)));
  }

  run(index: number, signal: AbortSignal = new AbortController().signal): Promise<StageReply> {
    const cells = this.refs();
    this.orders.set(index, ++this.order);
    const ctx: CellRunContext = {
      session: this.session,
      engine: this.engine,
      notebookDir: this.dir,
      cellId: `cell-${index}`,
      index,
      cells,
      signal,
      settings: this.settings,
      progress: (m, f) => this.progress.push(`${m}${f !== undefined ? ` ${f.toFixed(2)}` : ''}`),
      log: () => undefined,
    };
    return runStageCell(this.cells[index], ctx);
  }

  async runAll(): Promise<StageReply[]> {
    const out: StageReply[] = [];
    for (let i = 0; i < this.cells.length; i++) out.push(await this.run(i));
    return out;
  }
}

/** A dataset folder like SumMe's (videos/ + GT/) built from the sample video and the mini GT. */
export function buildMiniSumme(root: string): { videos: string; gt: string } {
  const videos = path.join(root, 'videos');
  const gt = path.join(root, 'GT');
  fs.mkdirSync(videos, { recursive: true });
  fs.mkdirSync(gt, { recursive: true });
  for (const f of fs.readdirSync(MINI_GT)) {
    fs.copyFileSync(path.join(MINI_GT, f), path.join(gt, f));
    fs.copyFileSync(SAMPLE, path.join(videos, f.replace(/\.mat$/, '.mp4')));
  }
  return { videos, gt };
}
