/**
 * Completion and hover for stage cells, computed from the stage schema and plain text (no vscode), so the
 * language features in src/extension/language.ts are thin and these are unit-tested.
 */
import { STAGE_NAMES, STAGE_SCHEMA, stageSchema } from '../../core/stages/registry';
import type { SchemaNode } from '../../core/stages/schema';

export interface CompletionEntry {
  label: string;
  kind: 'stage' | 'option' | 'value';
  /** Text to insert (may be a snippet with ${1} placeholders when `snippet`). */
  insert: string;
  snippet?: boolean;
  documentation: string;
}

/** Which stage the cell holds (its first top-level key), if any. */
export function stageOf(text: string): string | undefined {
  const m = /^([A-Za-z_][\w-]*)\s*:/m.exec(text);
  return m ? m[1] : undefined;
}

export function completionsAt(text: string, offset: number): CompletionEntry[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const linePrefix = text.slice(lineStart, offset);
  const stage = stageOf(text);
  const stageNode = stage ? stageSchema(stage) : undefined;
  const atTopLevel = !/^\s/.test(linePrefix) && !linePrefix.includes(':');

  if (atTopLevel && (!stage || text.slice(0, lineStart).trim() === '')) {
    return STAGE_NAMES.map((name) => {
      const s = stageSchema(name)!;
      return { label: name, kind: 'stage', insert: `${name}: `, documentation: docOfStage(name, s) };
    });
  }
  if (!stageNode) return [];

  // After "key:" (in block or flow style) → values of that option.
  const valueMatch = /([A-Za-z_]\w*)\s*:\s*(?:\[\s*(?:[\w.-]+\s*,\s*)*)?[\w.-]*$/.exec(linePrefix);
  if (valueMatch) {
    const key = valueMatch[1];
    const opt = key === stage ? shorthandOption(stageNode) : stageNode.properties?.[key];
    if (opt) {
      const values = enumValues(opt);
      if (values.length)
        return values.map((v) => ({
          label: String(v),
          kind: 'value',
          insert: String(v),
          documentation: opt.description ?? '',
        }));
      if (key !== stage) return [];
    }
    if (key === stage && !/\{[^}]*$/.test(linePrefix)) return [];
  }
  // Inside the stage's options (indented line or inside `{ … }`) → option names not used yet.
  const inFlow = /\{[^}]*$/.test(text.slice(0, offset));
  if (/^\s+[\w]*$/.test(linePrefix) || inFlow) {
    const used = new Set([...text.matchAll(/([A-Za-z_]\w*)\s*:/g)].map((m) => m[1]));
    return Object.entries(stageNode.properties ?? {})
      .filter(([k]) => !used.has(k))
      .map(([k, s]) => ({ label: k, kind: 'option', insert: `${k}: `, documentation: docOfOption(k, s) }));
  }
  return [];
}

/** Markdown hover for the word at `offset`: a stage name or an option of the cell's stage. */
export function hoverAt(text: string, offset: number): { markdown: string; start: number; end: number } | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && /[\w]/.test(text[start - 1])) start--;
  while (end < text.length && /[\w]/.test(text[end])) end++;
  if (start === end) return undefined;
  const word = text.slice(start, end);
  const isKey = /^\s*:/.test(text.slice(end));
  if (!isKey) return undefined;
  const stage = stageOf(text);
  const s = stageSchema(word);
  if (s && word === stage) return { markdown: docOfStage(word, s), start, end };
  const stageNode = stage ? stageSchema(stage) : undefined;
  const opt = stageNode?.properties?.[word];
  if (opt) return { markdown: docOfOption(word, opt), start, end };
  return undefined;
}

function shorthandOption(stageNode: SchemaNode): SchemaNode | undefined {
  const key = stageNode['x-shorthand'];
  return key ? stageNode.properties?.[key] : undefined;
}

function enumValues(s: SchemaNode): Array<string | number | boolean> {
  return [...new Set(enumValuesAll(s))];
}

function enumValuesAll(s: SchemaNode): Array<string | number | boolean> {
  if (s.enum) return [...s.enum];
  if (s.type === 'boolean') return [true, false];
  if (s.anyOf) return s.anyOf.flatMap(enumValuesAll);
  if (s.items) return enumValuesAll(s.items);
  if (s.examples) return s.examples.filter((e): e is string => typeof e === 'string');
  return [];
}

export function docOfStage(name: string, s: SchemaNode): string {
  const opts = Object.entries(s.properties ?? {})
    .map(([k, o]) => `- \`${k}\` — ${o.description ?? ''}`)
    .join('\n');
  const short = s['x-shorthand'] ? `\n\nShorthand: \`${name}: <${s['x-shorthand']}>\`.` : '';
  return `**${name}** — ${s.description ?? ''}${short}\n\n${opts}`;
}

export function docOfOption(name: string, s: SchemaNode): string {
  const values = enumValues(s);
  const def = s.default !== undefined ? `\n\nDefault: \`${JSON.stringify(s.default)}\`.` : '';
  const vals =
    values.length && (s.enum || s.anyOf || s.items) ? `\n\nValues: ${values.map((v) => `\`${v}\``).join(', ')}.` : '';
  return `**${name}** — ${s.description ?? ''}${vals}${def}`;
}

export { STAGE_SCHEMA };
