/**
 * One notebook's session: the values stages hand on to later stages (slots), which cell produced each, and what
 * each cell read when it last ran — from which staleness follows. Plain data, no vscode, so the kernel's rules
 * (missing inputs, stale downstream cells, restart) are unit-tested in node.
 */
import { giversOf, invalidatedBy, stageNamed } from '../core/stages/registry';
import { SLOT_LABEL, type SessionSlot } from '../core/stages/slots';

interface SlotEntry {
  value: unknown;
  rev: number;
  cellId: string;
}

export interface CellRef {
  /** Stable id of the cell (its document URI in VS Code). */
  id: string;
  /** 0-based position in the notebook (markdown cells included): for ordering only, never shown. */
  index: number;
  /** The stage it holds, when it parses. */
  stage?: string;
  /** The execution order the cell shows ([3]), when it shows one. */
  order?: number;
  /** Its first non-blank line (how a cell that shows no order is named). */
  firstLine?: string;
}

const FIRST_LINE_MAX = 60;

/** A cell's reference from its source: the stage it holds and its first line. */
export function cellRef(id: string, index: number, source: string, stage: string | undefined, order?: number): CellRef {
  const line =
    source
      .split(/\r?\n/)
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  const firstLine = line.length > FIRST_LINE_MAX ? `${line.slice(0, FIRST_LINE_MAX - 1)}…` : line;
  return { id, index, stage, order, firstLine };
}

/**
 * How messages name a cell: by the execution order it shows ("cell [3] (`embed`)"), else by its first line
 * ("the cell `embed: {model: histogram}`") — never by a position the user would have to count.
 */
export function cellName(c: CellRef): string {
  if (c.order !== undefined) return `cell [${c.order}]${c.stage ? ` (\`${c.stage}\`)` : ''}`;
  if (c.firstLine) return `the cell \`${c.firstLine.replace(/`/g, "'")}\``;
  return c.stage ? `the \`${c.stage}\` cell` : 'the empty cell';
}

export class Session {
  private readonly slots = new Map<SessionSlot, SlotEntry>();
  /** cellId → the revisions of the slots it read when it last ran successfully. */
  private readonly reads = new Map<string, Map<SessionSlot, number>>();
  private rev = 0;
  /** Cells that ran successfully, in the order they ran. */
  readonly ran = new Set<string>();

  get<T>(slot: SessionSlot): T | undefined {
    return this.slots.get(slot)?.value as T | undefined;
  }

  has(slot: SessionSlot): boolean {
    return this.slots.has(slot);
  }

  /** Which cell produced the slot's current value. */
  producer(slot: SessionSlot): string | undefined {
    return this.slots.get(slot)?.cellId;
  }

  /**
   * A cell finished: record what it read (before it ran) and what it gives. Slots it gives get a new revision,
   * which makes every cell that read the old revision stale.
   */
  commit(cellId: string, read: ReadonlyMap<SessionSlot, number>, gives: ReadonlyMap<SessionSlot, unknown>): void {
    this.reads.set(cellId, new Map(read));
    for (const [slot, value] of gives) this.slots.set(slot, { value, rev: ++this.rev, cellId });
    // Slots downstream of what changed are no longer valid inputs (e.g. a new video invalidates old features).
    for (const slot of gives.keys())
      for (const down of invalidatedBy(slot)) {
        const e = this.slots.get(down);
        if (e && e.cellId !== cellId) this.slots.delete(down);
      }
    this.ran.add(cellId);
  }

  /** The revisions of the given slots now (what a cell about to run reads). */
  snapshot(slots: readonly SessionSlot[]): Map<SessionSlot, number> {
    const m = new Map<SessionSlot, number>();
    for (const s of slots) {
      const e = this.slots.get(s);
      if (e) m.set(s, e.rev);
    }
    return m;
  }

  /** A cell that ran is stale when a slot it read has since been replaced or removed. */
  isStale(cellId: string): boolean {
    const read = this.reads.get(cellId);
    if (!read) return false;
    for (const [slot, rev] of read) if (this.slots.get(slot)?.rev !== rev) return true;
    return false;
  }

  staleCells(): string[] {
    return [...this.reads.keys()].filter((id) => this.isStale(id));
  }

  /** Forget a cell (deleted from the notebook). */
  forget(cellId: string): void {
    this.reads.delete(cellId);
    this.ran.delete(cellId);
  }

  /** Restart: everything goes. */
  clear(): void {
    this.slots.clear();
    this.reads.clear();
    this.ran.clear();
  }

  /** Plain, read-only view for the `script` stage and for tests. */
  summary(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [slot, e] of this.slots) out[slot] = e.value;
    return out;
  }
}

export function givesOf(stage: string): readonly SessionSlot[] {
  return stageNamed(stage)?.gives ?? [];
}

/**
 * The message for a cell whose input is missing: names the cell to run first (the nearest one above that gives
 * the slot), or says which stage to add.
 */
export function missingInputMessage(
  stage: string,
  slot: SessionSlot,
  cells: readonly CellRef[],
  index: number,
): string {
  const giver = [...cells]
    .filter((c) => c.index < index && c.stage && givesOf(c.stage).includes(slot))
    .sort((a, b) => b.index - a.index)[0];
  const need = `The \`${stage}\` stage needs ${SLOT_LABEL[slot]}`;
  if (giver) return `${need}: run ${cellName(giver)} first.`;
  const which = giversOf(slot)[0] ?? 'load';
  return `${need}, and no cell above it gives one: add a \`${which}\` cell above this one and run it first.`;
}
