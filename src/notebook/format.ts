/**
 * The .vsumnb file format, independent of the vscode API so it is unit-tested in node.
 *
 * Version 2 (current):
 *   { "vsumNotebook": 2, "metadata": {…}, "cells": [ { "kind": "markdown" | "stage", "language", "source",
 *     "metadata", "execution": { "order", "success", "startTime", "endTime" }, "outputs": [ { "id", "metadata",
 *     "items": [ { "mime", "text" } | { "mime", "base64" } ] } ] } ] }
 * Keys are written in a fixed order (objects inside metadata sorted), so saving the same notebook twice gives the
 * same bytes and diffs stay small. Text items are stored as strings; binary items (envelopes with images/video)
 * as base64, which only the file carries: inside VS Code they are plain bytes again.
 * Version 1 (the first shell, still read): { "vsumNotebook": 1, "cells": [ { "type": "markdown" | "stage",
 *   "source": string[] } ] } — sources as line arrays, no outputs, no metadata.
 */
import os from 'node:os';
import { VsumError } from '../core/errors';
import { isEnvelope, mapEnvelopeMeta } from '../common/envelope';
import { isTextMime, STAGE_LANGUAGE } from '../common/mime';

export const FORMAT_VERSION = 2;

export interface RawOutputItem {
  mime: string;
  data: Uint8Array;
}

export interface RawOutput {
  id?: string;
  metadata?: Record<string, unknown>;
  items: RawOutputItem[];
}

export interface RawExecution {
  order?: number;
  success?: boolean;
  startTime?: number;
  endTime?: number;
}

export interface RawCell {
  kind: 'markdown' | 'stage';
  language: string;
  source: string;
  metadata?: Record<string, unknown>;
  outputs: RawOutput[];
  execution?: RawExecution;
}

export interface RawNotebook {
  metadata: Record<string, unknown>;
  cells: RawCell[];
}

const HOW_TO_FIX =
  'Open it as text (right-click → Open With… → Text Editor) to fix it, or restore it from version control.';

function bad(what: string): VsumError {
  return new VsumError('BAD_FILE', `This .vsumnb notebook cannot be opened: ${what}. ${HOW_TO_FIX}`);
}

/** Bytes of a .vsumnb → notebook. An empty file is a new, empty notebook. Malformed content → VsumError. */
export function parseNotebook(bytes: Uint8Array): RawNotebook {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\uFEFF/, '');
  if (text.trim() === '') return { metadata: {}, cells: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(`it is not valid JSON (${jsonErrorWhere(text, e)})`);
  }
  if (!isObject(json)) throw bad('the top level must be a JSON object with "vsumNotebook" and "cells"');
  const version = json.vsumNotebook;
  if (version === undefined) throw bad('the "vsumNotebook" version field is missing (is this a vsum notebook?)');
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw bad(`"vsumNotebook" must be a positive integer version, got ${JSON.stringify(version)}`);
  if (version > FORMAT_VERSION)
    throw new VsumError(
      'BAD_FILE',
      `This .vsumnb notebook was written by a newer vsum (format ${version}; this vsum reads up to ${FORMAT_VERSION}). Update the vsum extension to open it.`,
    );
  if (!Array.isArray(json.cells)) throw bad('"cells" must be an array');
  return version === 1 ? parseV1(json.cells) : parseV2(json);
}

function parseV1(cells: unknown[]): RawNotebook {
  return {
    metadata: {},
    cells: cells.map((c, i) => {
      if (!isObject(c)) throw bad(`cell ${i + 1} is not an object`);
      const type = c.type;
      if (type !== 'markdown' && type !== 'stage')
        throw bad(`cell ${i + 1} has type ${JSON.stringify(type)}; expected "markdown" or "stage"`);
      const src = c.source;
      const source = Array.isArray(src) ? src.map(String).join('\n') : typeof src === 'string' ? src : '';
      return { kind: type, language: type === 'stage' ? STAGE_LANGUAGE : 'markdown', source, outputs: [] };
    }),
  };
}

function parseV2(json: Record<string, unknown>): RawNotebook {
  const metadata = json.metadata === undefined ? {} : json.metadata;
  if (!isObject(metadata)) throw bad('"metadata" must be an object');
  const cells = (json.cells as unknown[]).map((c, i): RawCell => {
    const where = `cell ${i + 1}`;
    if (!isObject(c)) throw bad(`${where} is not an object`);
    if (c.kind !== 'markdown' && c.kind !== 'stage')
      throw bad(`${where} has kind ${JSON.stringify(c.kind)}; expected "markdown" or "stage"`);
    if (typeof c.source !== 'string') throw bad(`${where} has no "source" string`);
    const language = typeof c.language === 'string' ? c.language : c.kind === 'stage' ? STAGE_LANGUAGE : 'markdown';
    if (c.metadata !== undefined && !isObject(c.metadata)) throw bad(`${where}: "metadata" must be an object`);
    const outputs = c.outputs === undefined ? [] : c.outputs;
    if (!Array.isArray(outputs)) throw bad(`${where}: "outputs" must be an array`);
    const cell: RawCell = {
      kind: c.kind,
      language,
      source: c.source,
      outputs: outputs.map((o, j) => parseOutput(o, `${where}, output ${j + 1}`)),
    };
    if (c.metadata !== undefined) cell.metadata = c.metadata;
    if (c.execution !== undefined) {
      if (!isObject(c.execution)) throw bad(`${where}: "execution" must be an object`);
      const e = c.execution;
      cell.execution = {};
      if (typeof e.order === 'number') cell.execution.order = e.order;
      if (typeof e.success === 'boolean') cell.execution.success = e.success;
      if (typeof e.startTime === 'number') cell.execution.startTime = e.startTime;
      if (typeof e.endTime === 'number') cell.execution.endTime = e.endTime;
    }
    return cell;
  });
  return { metadata, cells };
}

function parseOutput(o: unknown, where: string): RawOutput {
  if (!isObject(o)) throw bad(`${where} is not an object`);
  if (!Array.isArray(o.items)) throw bad(`${where} has no "items" array`);
  const out: RawOutput = {
    items: o.items.map((it, k) => {
      const w = `${where}, item ${k + 1}`;
      if (!isObject(it) || typeof it.mime !== 'string') throw bad(`${w} has no "mime"`);
      if (typeof it.text === 'string') return { mime: it.mime, data: new TextEncoder().encode(it.text) };
      if (typeof it.base64 === 'string') {
        if (!/^[A-Za-z0-9+/=\s]*$/.test(it.base64))
          throw bad(`${w} ("${it.mime}") has a "base64" field that is not base64`);
        return { mime: it.mime, data: new Uint8Array(Buffer.from(it.base64, 'base64')) };
      }
      throw bad(`${w} ("${it.mime}") has neither "text" nor "base64"`);
    }),
  };
  if (typeof o.id === 'string') out.id = o.id;
  if (o.metadata !== undefined) {
    if (!isObject(o.metadata)) throw bad(`${where}: "metadata" must be an object`);
    out.metadata = o.metadata;
  }
  return out;
}

export interface SerializeOptions {
  /** Absolute path prefixes to replace in text outputs (the home folder by default → "~"). */
  scrub?: Array<{ prefix: string; replacement: string }>;
}

/** Notebook → bytes (version 2), stable key order, 1-space indent like .ipynb. */
export function serializeNotebook(nb: RawNotebook, opts: SerializeOptions = {}): Uint8Array {
  const scrub = opts.scrub ?? defaultScrub();
  const file = {
    vsumNotebook: FORMAT_VERSION,
    metadata: sortKeys(nb.metadata ?? {}),
    cells: nb.cells.map((c) => {
      const cell: Record<string, unknown> = { kind: c.kind, language: c.language, source: c.source };
      if (c.metadata && Object.keys(c.metadata).length) cell.metadata = sortKeys(c.metadata);
      if (c.execution && Object.keys(c.execution).length) {
        const e: Record<string, unknown> = {};
        for (const k of ['order', 'success', 'startTime', 'endTime'] as const)
          if (c.execution[k] !== undefined) e[k] = c.execution[k];
        cell.execution = e;
      }
      if (c.kind === 'stage' || c.outputs.length) {
        cell.outputs = c.outputs.map((o) => {
          const out: Record<string, unknown> = {};
          if (o.id) out.id = o.id;
          if (o.metadata && Object.keys(o.metadata).length) out.metadata = sortKeys(o.metadata);
          out.items = o.items.map((it) => serializeItem(it, scrub));
          return out;
        });
      }
      return cell;
    }),
  };
  return new TextEncoder().encode(JSON.stringify(file, null, 1) + '\n');
}

function serializeItem(it: RawOutputItem, scrub: NonNullable<SerializeOptions['scrub']>): Record<string, string> {
  if (isTextMime(it.mime)) {
    const text = new TextDecoder().decode(it.data);
    return { mime: it.mime, text: scrubText(text, scrub) };
  }
  let data = it.data;
  if (isEnvelope(data) && scrub.length) {
    try {
      data = mapEnvelopeMeta<unknown>(data, (m) => JSON.parse(scrubText(JSON.stringify(m), scrub)));
    } catch {
      // Not a well-formed envelope: keep the bytes as they are.
    }
  }
  return { mime: it.mime, base64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
}

function defaultScrub(): Array<{ prefix: string; replacement: string }> {
  const home = os.homedir();
  return home && home.length > 1 ? [{ prefix: home, replacement: '~' }] : [];
}

function scrubText(text: string, scrub: Array<{ prefix: string; replacement: string }>): string {
  let t = text;
  for (const s of scrub) {
    if (!s.prefix) continue;
    t = t.split(s.prefix).join(s.replacement);
    // The same path as it appears inside JSON strings on Windows (escaped backslashes).
    if (s.prefix.includes('\\')) t = t.split(s.prefix.replace(/\\/g, '\\\\')).join(s.replacement);
  }
  return t;
}

/** A copy with object keys sorted at every depth (arrays keep their order). */
export function sortKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeys) as unknown as T;
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = sortKeys(v[k]);
    return out as T;
  }
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonErrorWhere(text: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(msg);
  if (!m) return msg;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `line ${line}, column ${col}: ${msg.replace(/ in JSON at position \d+.*$/, '')}`;
}
