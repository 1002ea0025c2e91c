/**
 * The subset of JSON Schema that stage options are written in, and its validator. Each stage declares its
 * options schema (src/core/stages/<name>.ts); registry.ts joins them into the one schema of stage cells that
 * completion, hover, diagnostics and the kernel's validation all read, so the docs a user sees and what runs
 * never disagree. `x-shorthand` says which option a bare scalar sets (`load: videos/Jumps.mp4` ≡
 * `load: {video: videos/Jumps.mp4}`).
 * The subset used: type, enum, minimum, maximum, exclusiveMinimum, properties,
 * additionalProperties: false, items, anyOf (of types), description, default, examples.
 */
export interface SchemaNode {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  description?: string;
  enum?: ReadonlyArray<string | number | boolean>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  properties?: Readonly<Record<string, SchemaNode>>;
  additionalProperties?: false;
  items?: SchemaNode;
  anyOf?: readonly SchemaNode[];
  default?: unknown;
  examples?: readonly unknown[];
  /** Not JSON Schema: the option a bare scalar value sets (vsum extension). */
  'x-shorthand'?: string;
}

/** One problem found by `validate`, with the path of the offending value (keys / indices). */
export interface SchemaError {
  path: Array<string | number>;
  message: string;
  /** True when the problem is the key itself (unknown option), so the squiggle goes under the key. */
  onKey?: boolean;
  /** What the offending key or value could be replaced with (the nearest name, the bound): the quick fix. */
  suggestion?: string | number;
}

/** Validate `value` against the schema subset above. */
export function validate(schema: SchemaNode, value: unknown, path: Array<string | number> = []): SchemaError[] {
  if (schema.anyOf) {
    const results = schema.anyOf.map((s) => validate(s, value, path));
    const ok = results.find((r) => r.length === 0);
    if (ok) return [];
    // Prefer the branch whose type matched (its message is more specific).
    const typed = schema.anyOf.findIndex((s) => typeMatches(s, value));
    if (typed >= 0) return results[typed];
    return [{ path, message: `expected ${schema.anyOf.map(describeType).join(' or ')}, got ${describeValue(value)}` }];
  }
  if (schema.type && !typeMatches(schema, value))
    return [{ path, message: `expected ${describeType(schema)}, got ${describeValue(value)}` }];
  const errors: SchemaError[] = [];
  if (schema.enum && !schema.enum.includes(value as string)) {
    const near = typeof value === 'string' ? closest(value, schema.enum.map(String)) : undefined;
    const allowed = schema.enum.map((e) => JSON.stringify(e)).join(', ');
    errors.push({
      path,
      message: `${describeValue(value)} is not one of ${allowed}${near ? ` (did you mean "${near}"?)` : ''}`,
      suggestion: near,
    });
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) errors.push({ path, message: `expected a finite number, got ${value}` });
    if (schema.minimum !== undefined && value < schema.minimum)
      errors.push({ path, message: `must be ≥ ${schema.minimum}, got ${value}`, suggestion: schema.minimum });
    if (schema.maximum !== undefined && value > schema.maximum)
      errors.push({ path, message: `must be ≤ ${schema.maximum}, got ${value}`, suggestion: schema.maximum });
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
      errors.push({ path, message: `must be > ${schema.exclusiveMinimum}, got ${value}` });
  }
  if (schema.type === 'object' && isPlainObject(value)) {
    const props = schema.properties ?? {};
    for (const [k, v] of Object.entries(value)) {
      const sub = props[k];
      if (!sub) {
        if (schema.additionalProperties === false) {
          const known = Object.keys(props);
          const near = closest(k, known);
          errors.push({
            path: [...path, k],
            onKey: true,
            message: `unknown option "${k}"${near ? ` (did you mean "${near}"?)` : ''}; options: ${known.join(', ')}`,
            suggestion: near,
          });
        }
        continue;
      }
      errors.push(...validate(sub, v, [...path, k]));
    }
  }
  if (schema.type === 'array' && Array.isArray(value) && schema.items) {
    value.forEach((v, i) => errors.push(...validate(schema.items!, v, [...path, i])));
  }
  return errors;
}

function typeMatches(s: SchemaNode, v: unknown): boolean {
  switch (s.type) {
    case undefined:
      return true;
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isPlainObject(v);
  }
}

export function describeType(s: SchemaNode): string {
  if (s.enum) return `one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  if (s.type === 'array' && s.items) return `a list of ${describeType(s.items)}`;
  if (s.type === 'integer') return 'an integer';
  if (s.type === 'object') return 'a mapping of options';
  return s.type ? `a ${s.type}` : 'a value';
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The known name nearest to `s` (edit distance ≤ 2), for "did you mean". */
export function closest(s: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const n of names) {
    const d = editDistance(s.toLowerCase(), n.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
