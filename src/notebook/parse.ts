/**
 * Stage cell text → { stage name, options } plus diagnostics with character offsets, using the `yaml` package
 * (positions for every node) and the stage schema. No vscode here: the language features and the kernel both
 * call this, and unit tests run it in node.
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type Pair,
} from 'yaml';
import { isStageName, STAGE_NAMES, stageSchema, type StageName } from '../core/stages/registry';
import { closest, isPlainObject, validate } from '../core/stages/schema';

export interface StageDiagnostic {
  message: string;
  severity: 'error' | 'warning';
  /** Character offsets into the cell text. */
  start: number;
  end: number;
  /** The quick fix: replace start…end with `text` (the suggested name, the bound). */
  fix?: { title: string; text: string };
}

export interface ParsedStage {
  name: StageName;
  /** Options with the shorthand expanded (`load: a.mp4` → `{ video: 'a.mp4' }`). */
  options: Record<string, unknown>;
}

export interface StageParse {
  stage?: ParsedStage;
  diagnostics: StageDiagnostic[];
}

export function parseStageCell(text: string): StageParse {
  const diagnostics: StageDiagnostic[] = [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) {
    diagnostics.push({
      message: `YAML: ${firstLine(e.message)}`,
      severity: 'error',
      start: e.pos[0],
      end: Math.max(e.pos[1], e.pos[0] + 1),
    });
  }
  if (diagnostics.length) return { diagnostics };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    diagnostics.push({
      message: `Empty stage cell: write one stage, e.g. \`load: videos/clip.mp4\` (stages: ${STAGE_NAMES.join(', ')}).`,
      severity: 'error',
      start: 0,
      end: Math.max(1, text.length),
    });
    return { diagnostics };
  }
  if (!isMap(root)) {
    const r = rangeOf(root, text);
    diagnostics.push({
      message: `A stage cell is \`stage: options\` (stages: ${STAGE_NAMES.join(', ')}).`,
      severity: 'error',
      ...r,
    });
    return { diagnostics };
  }
  const pairs = root.items as Pair[];
  if (pairs.length === 0) {
    diagnostics.push({
      message: `Empty stage cell: write one stage (${STAGE_NAMES.join(', ')}).`,
      severity: 'error',
      start: 0,
      end: Math.max(1, text.length),
    });
    return { diagnostics };
  }
  const first = pairs[0];
  const keyNode = first.key as YamlNode | null;
  const name = isScalar(keyNode) ? String(keyNode.value) : '';
  if (!isStageName(name)) {
    const near = closest(name, STAGE_NAMES);
    diagnostics.push({
      message: `Unknown stage "${name}"${near ? ` (did you mean "${near}"?)` : ''}. Stages: ${STAGE_NAMES.join(', ')}.`,
      severity: 'error',
      ...rangeOf(keyNode, text),
      ...(near ? { fix: { title: `Change to "${near}"`, text: near } } : {}),
    });
  }
  for (const extra of pairs.slice(1)) {
    diagnostics.push({
      message: 'One stage per cell: put this stage in a cell of its own.',
      severity: 'error',
      ...rangeOf(extra.key as YamlNode, text),
    });
  }
  if (!isStageName(name)) return { diagnostics };

  const schema = stageSchema(name)!;
  const rawValue = (doc.toJS() as Record<string, unknown>)[name];
  let options: Record<string, unknown>;
  let shorthand = false;
  if (rawValue === null || rawValue === undefined) options = {};
  else if (isPlainObject(rawValue)) options = rawValue;
  else {
    options = { [schema['x-shorthand'] as string]: rawValue };
    shorthand = true;
  }
  for (const err of validate(schema, options)) {
    // A shorthand error is reported on the scalar itself.
    const path = shorthand ? [] : err.path;
    const node = nodeAt(doc, [name, ...path], err.onKey);
    const label = shorthand || err.path.length === 0 ? name : err.path.join('.');
    diagnostics.push({
      message: `${name}: ${label === name ? '' : `${label}: `}${err.message}`,
      severity: 'error',
      ...rangeOf(node, text),
      ...(err.suggestion !== undefined ? { fix: fixOf(err.suggestion, node) } : {}),
    });
  }
  return { stage: diagnostics.some((d) => d.severity === 'error') ? undefined : { name, options }, diagnostics };
}

/** The replacement for a key or value, written as the scalar it replaces was (quoted stays quoted). */
function fixOf(suggestion: string | number, node: YamlNode | null): { title: string; text: string } {
  const s = String(suggestion);
  const quote = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
  const text = quote ? (node.type === 'QUOTE_SINGLE' ? `'${s}'` : JSON.stringify(s)) : s;
  return { title: typeof suggestion === 'number' ? `Use the bound ${s}` : `Change to "${s}"`, text };
}

/** The YAML node at `path` (map keys / seq indices); with `onKey` the key node of the last step. */
function nodeAt(doc: Document, path: Array<string | number>, onKey?: boolean): YamlNode | null {
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return node as YamlNode;
      if (onKey && i === path.length - 1) return pair.key as YamlNode;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step] ?? node;
    } else if (isPair(node)) {
      node = node.value;
    } else break;
  }
  return node as YamlNode;
}

function rangeOf(node: YamlNode | null | undefined, text: string): { start: number; end: number } {
  const r = node && (node as { range?: [number, number, number] }).range;
  if (!r) return { start: 0, end: Math.max(1, text.length) };
  return { start: r[0], end: Math.max(r[1], r[0] + 1) };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/** Offset → 0-based line and character (for adapters that need positions). */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
