/**
 * Text edits that set one option of a stage cell (the "Choose video…" / "Choose folder…" lenses, the model
 * choice of a cell) while keeping the rest of the cell as the user wrote it: the value's own characters are
 * replaced, or the option is added in the cell's style (shorthand, flow `{…}` or block). No vscode here.
 */
import { isMap, isScalar, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { stageSchema } from '../core/stages/registry';
import { NO_VIDEO_YET, yamlString } from './templates';

/** Replace `text.slice(start, end)` with `newText`. */
export interface CellTextEdit {
  start: number;
  end: number;
  newText: string;
}

export function applyCellEdit(text: string, e: CellTextEdit): string {
  return text.slice(0, e.start) + e.newText + text.slice(e.end);
}

/** The edit that makes the cell's stage option `key` equal `value`; undefined when the cell is not a stage map. */
export function setOptionEdit(text: string, key: string, value: string): CellTextEdit | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length || !isMap(doc.contents) || doc.contents.items.length === 0) return undefined;
  const pair = doc.contents.items[0] as Pair<YamlNode, YamlNode | null>;
  if (!isScalar(pair.key)) return undefined;
  const stage = String(pair.key.value);
  const shorthand = stageSchema(stage)?.['x-shorthand'];
  const scalar = yamlString(value);
  const keyEnd = pair.key.range![1];
  const v = pair.value;

  // `load:` (nothing yet): the shorthand when the key is the shorthand option, else a flow map.
  if (v === null || (isScalar(v) && (v.value === null || v.value === '') && v.range![0] === v.range![1])) {
    const colon = text.indexOf(':', keyEnd);
    const lineEnd = lineEndAt(text, colon);
    const newText = key === shorthand ? ` ${scalar}` : ` {${key}: ${scalar}}`;
    return { start: colon + 1, end: lineEnd, newText };
  }
  if (isScalar(v)) {
    const [s, e] = v.range!;
    if (key === shorthand) return { start: s, end: e, newText: scalar };
    // `load: a.mp4` + gt → `load: {video: a.mp4, gt: …}`.
    return { start: s, end: e, newText: `{${shorthand}: ${text.slice(s, e)}, ${key}: ${scalar}}` };
  }
  if (!isMap(v)) return undefined;
  const existing = (v.items as Pair<YamlNode, YamlNode | null>[]).find(
    (p) => isScalar(p.key) && String(p.key.value) === key,
  );
  if (existing?.value && isScalar(existing.value) && existing.value.range![0] < existing.value.range![1]) {
    const [s, e] = existing.value.range!;
    return { start: s, end: e, newText: scalar };
  }
  if (existing) {
    const kEnd = existing.key.range![1];
    const colon = text.indexOf(':', kEnd);
    return { start: colon + 1, end: colon + 1, newText: ` ${scalar}` };
  }
  if (v.flow) {
    // Insert before the closing brace (after the last item).
    const close = v.range![1] - 1;
    const before = text.slice(v.range![0] + 1, close).trim();
    return { start: close, end: close, newText: `${before ? ', ' : ''}${key}: ${scalar}` };
  }
  // Block map: a new line indented like the first option, after the map's last line.
  const first = v.items[0] as Pair<YamlNode, YamlNode | null>;
  const firstStart = first.key.range![0];
  const indent = text.slice(text.lastIndexOf('\n', firstStart - 1) + 1, firstStart);
  const end = lineEndAt(text, v.range![1] - 1);
  return { start: end, end, newText: `\n${indent}${key}: ${scalar}` };
}

/** The option values of a stage cell and where they are: what the data lenses look at. */
export function optionValueRanges(text: string): Map<string, { value: unknown; start: number; end: number }> {
  const out = new Map<string, { value: unknown; start: number; end: number }>();
  const doc = parseDocument(text);
  if (doc.errors.length || !isMap(doc.contents) || doc.contents.items.length === 0) return out;
  const pair = doc.contents.items[0] as Pair<YamlNode, YamlNode | null>;
  if (!isScalar(pair.key)) return out;
  const shorthand = stageSchema(String(pair.key.value))?.['x-shorthand'];
  const v = pair.value;
  if (isScalar(v) && shorthand && v.value !== null) {
    out.set(shorthand, { value: v.value, start: v.range![0], end: v.range![1] });
  } else if (isMap(v)) {
    for (const p of v.items as Pair<YamlNode, YamlNode | null>[]) {
      if (isScalar(p.key) && p.value)
        out.set(String(p.key.value), { value: p.value.toJSON(), start: p.value.range![0], end: p.value.range![1] });
    }
  }
  return out;
}

function lineEndAt(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** The cell's new text with option `key` set to `value` (and the "no video yet" line gone once a video is given). */
export function withOption(text: string, key: string, value: string): string | undefined {
  const e = setOptionEdit(text, key, value);
  if (!e) return undefined;
  const next = applyCellEdit(text, e);
  return next.startsWith(`${NO_VIDEO_YET}\n`) ? next.slice(NO_VIDEO_YET.length + 1) : next;
}
