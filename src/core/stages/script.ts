/**
 * `script`: a JavaScript function body over the session's results as plain, frozen data (`results`), for ad-hoc
 * analysis. Its return value is shown as JSON. It cannot change the session.
 */
import { VsumError } from '../errors';
import type { Stage } from './stage';

const schema = {
  description:
    "JavaScript over the session's results as plain read-only data (`results`); the value it returns is shown.",
  'x-shorthand': 'code',
  type: 'object',
  additionalProperties: false,
  properties: {
    code: {
      type: 'string',
      description: 'A function body; `results` holds video, features (shape only), selection and evaluation.',
    },
  },
} as const;

export interface ScriptResult {
  gives: Record<string, never>;
  /** The returned value as JSON text (`undefined` when it returned nothing). */
  json: string;
}

export const scriptStage: Stage<typeof schema, ScriptResult> = {
  name: 'script',
  schema,
  needs: [],
  reads: 'all',
  gives: [],
  invalidates: [],
  async run(o, io) {
    if (!o.code || !o.code.trim())
      throw new VsumError(
        'BAD_INPUT',
        'script: write a function body, e.g. `script: return results.selection.runs.length`.',
      );
    const results = deepFreeze(plain(io.inputs));
    let fn: (results: unknown) => unknown;
    try {
      fn = new Function('results', `"use strict";\n${o.code}`) as typeof fn;
    } catch (e) {
      throw new VsumError('BAD_INPUT', `script: the code does not parse: ${(e as Error).message}`);
    }
    let value: unknown;
    try {
      value = await fn(results);
    } catch (e) {
      throw new VsumError('BAD_INPUT', `script: the code threw: ${(e as Error)?.message ?? String(e)}`);
    }
    return { gives: {}, json: value === undefined ? 'undefined' : (JSON.stringify(value, null, 2) ?? 'null') };
  },
};

/** Session values as plain JSON-able data: typed arrays become shapes (features can be megabytes). */
export function plain(v: unknown, depth = 0): unknown {
  if (depth > 12) return null;
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? Number(v) : v;
  if (ArrayBuffer.isView(v)) return { typedArray: v.constructor.name, length: (v as Float32Array).length };
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x, depth + 1)]));
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = plain(x, depth + 1);
  return out;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
