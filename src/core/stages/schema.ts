/**
 * The one JSON schema of stage cells. Completion, hover and diagnostics all read it, and the kernel validates a
 * cell with it before running, so the docs a user sees and what runs never disagree.
 * Each stage is `name: <shorthand scalar>` or `name: { options }`; `shorthand` says which option a bare scalar
 * sets (`load: videos/Jumps.mp4` ≡ `load: {video: videos/Jumps.mp4}`).
 * The subset of JSON Schema used: type, enum, minimum, maximum, exclusiveMinimum, properties,
 * additionalProperties: false, items, anyOf (of types), description, default, examples.
 */
export interface SchemaNode {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  description?: string;
  enum?: Array<string | number | boolean>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: false;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  default?: unknown;
  examples?: unknown[];
  /** Not JSON Schema: the option a bare scalar value sets (vsum extension). */
  'x-shorthand'?: string;
  /** Not JSON Schema: what the stage needs from earlier cells and what it gives later ones. */
  'x-needs'?: SessionSlot[];
  'x-gives'?: SessionSlot[];
}

/** What stages pass on to later stages through the notebook's session. */
export type SessionSlot = 'video' | 'features' | 'selection' | 'evaluation' | 'attention';

export const SLOT_LABEL: Record<SessionSlot, string> = {
  video: 'a loaded video',
  features: 'clip embeddings',
  selection: 'a summary selection',
  evaluation: 'evaluation results',
  attention: 'an attention rollout',
};

const METHODS = ['kmeans', 'tt01', 'tt02', 'kts'];

export const STAGE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'vsum stage cell',
  description: 'A stage cell holds one stage: its name and its options, in YAML.',
  type: 'object',
  additionalProperties: false,
  properties: {
    load: {
      description: 'Load a video (or a folder of videos for a dataset run). Paths are relative to the notebook.',
      'x-shorthand': 'video',
      'x-gives': ['video'],
      type: 'object',
      additionalProperties: false,
      properties: {
        video: { type: 'string', description: 'A video file (mp4, mov, mkv, webm, avi), relative to the notebook.', examples: ['videos/Jumps.mp4'] },
        dir: { type: 'string', description: 'A folder of videos: every video in it is loaded (a dataset run, e.g. SumMe `videos/`).', examples: ['summe/videos'] },
        gt: { type: 'string', description: 'Ground truth for the dataset: a SumMe `GT/` folder of `<video>.mat` files. Lengths of exported summaries are fitted to it.', examples: ['summe/GT'] },
        limit: { type: 'integer', minimum: 1, description: 'Load at most this many videos of `dir` (alphabetical order).' },
      },
    },
    embed: {
      description: 'Embed every 8-frame clip of the loaded video(s): one feature vector per clip.',
      'x-shorthand': 'model',
      'x-needs': ['video'],
      'x-gives': ['features'],
      type: 'object',
      additionalProperties: false,
      properties: {
        model: {
          type: 'string',
          description: '`histogram` (colour histogram, no model, offline), `k600` (TimeSformer k600 via onnxruntime; downloaded once), or a path to an .onnx file. Default: the `vsum.model` setting.',
          examples: ['histogram', 'k600'],
        },
        ep: { type: 'string', enum: ['auto', 'cpu', 'cuda', 'webgpu', 'dml', 'coreml'], description: 'onnxruntime execution provider. Default: the `vsum.executionProvider` setting.' },
        batch: { type: 'integer', minimum: 1, maximum: 256, description: 'Clips per inference call.' },
        seedFaithful: { type: 'boolean', description: "Preprocess exactly like the original (BGR, squashed to 224, VideoMAE mean/std)." },
      },
    },
    summarize: {
      description: 'Pick keyshots from the clip embeddings and write the summary (video, frame list, JSON).',
      'x-shorthand': 'method',
      'x-needs': ['features'],
      'x-gives': ['selection'],
      type: 'object',
      additionalProperties: false,
      properties: {
        method: {
          description: '`kmeans` (nearest clip per cluster), `tt01` (SSD to the segment anchor), `tt02` (SSD to the previous clip), `kts` (kernel temporal segmentation + knapsack). A list runs several.',
          anyOf: [
            { type: 'string', enum: METHODS },
            { type: 'array', items: { type: 'string', enum: METHODS } },
          ],
          default: 'kmeans',
        },
        ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.15, description: 'Fraction of the video kept (0 < ratio ≤ 1).' },
        threshold: {
          description: 'SSD threshold for tt01/tt02: a number, or `small` / `average` / `large` — 100 / 400 / 800 with TimeSformer (the Gradio app\'s presets), 0.125 / 0.5 / 1 with the histogram embedder. Default: `average` of the embedder\'s scale.',
          anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'string', enum: ['small', 'average', 'large'] }],
          default: 'average',
        },
        seed: { type: 'integer', minimum: 0, default: 1, description: 'Seed of k-means initialisation and tt01/tt02 frame sampling.' },
        seedFaithful: { type: 'boolean', default: false, description: "Reproduce the original's quirks (duplicate k-means clips kept, Python round)." },
        out: { type: 'string', description: 'Output folder for the summary files, relative to the notebook. Default: the `vsum.outputDirectory` setting, else beside the video.' },
        video: { type: 'boolean', default: true, description: 'Write the H.264 summary video (and show the player).' },
        export: { type: 'string', description: 'Folder to write the rethinking-evs JSON into, one `<method>.json` per method, lengths fitted to the ground truth of `load.gt`.', examples: ['results'] },
      },
    },
    evaluate: {
      description: 'Evaluate summaries against SumMe ground truth (rethinking-evs protocol): per-video F min/avg/max, dataset mean, baselines.',
      'x-shorthand': 'submission',
      'x-gives': ['evaluation'],
      type: 'object',
      additionalProperties: false,
      properties: {
        gt: { type: 'string', description: 'SumMe `GT/` folder of `<video>.mat` files. Default: `gt` of the load stage.', examples: ['summe/GT'] },
        submission: {
          description: 'rethinking-evs JSON file(s) to evaluate. Default: the summaries of this notebook\'s summarize stage.',
          anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
          examples: ['results/tt01.json'],
        },
        baselines: { type: 'array', items: { type: 'string', enum: ['random', 'human'] }, description: 'Baselines shown beside the methods: `random` (random scores + knapsack on the submission\'s segments) and `human` (leave-one-out bound).' },
        runs: { type: 'integer', minimum: 1, maximum: 10000, default: 100, description: 'Runs of the random baseline.' },
        seed: { type: 'integer', minimum: 0, default: 1, description: 'Seed of the random baseline.' },
      },
    },
    attention: {
      description: 'Attention rollout of one clip (TimeSformer): space-time and space-only maps over the 8 frames.',
      'x-shorthand': 'clip',
      'x-needs': ['video'],
      'x-gives': ['attention'],
      type: 'object',
      additionalProperties: false,
      properties: {
        clip: { type: 'integer', minimum: 0, description: 'Clip index (0-based; clip i = frames 8i … 8i+7).' },
        model: { type: 'string', description: '`k600` or a path to a TimeSformer .onnx. Default: the `vsum.model` setting.' },
        spaceOnly: { type: 'boolean', default: true, description: 'Also compute the spatial-only rollout.' },
      },
    },
    script: {
      description: 'JavaScript over the session\'s results as plain read-only data (`results`); the value it returns is shown.',
      'x-shorthand': 'code',
      type: 'object',
      additionalProperties: false,
      properties: {
        code: { type: 'string', description: 'A function body; `results` holds video, features (shape only), selection and evaluation.' },
      },
    },
  },
} as const satisfies SchemaNode & { $schema: string; title: string };

export type StageName = keyof typeof STAGE_SCHEMA.properties;
export const STAGE_NAMES = Object.keys(STAGE_SCHEMA.properties) as StageName[];

export function stageSchema(name: string): SchemaNode | undefined {
  return (STAGE_SCHEMA.properties as Record<string, SchemaNode>)[name];
}

export function isStageName(name: string): name is StageName {
  return Object.prototype.hasOwnProperty.call(STAGE_SCHEMA.properties, name);
}

/** One problem found by `validate`, with the path of the offending value (keys / indices). */
export interface SchemaError {
  path: Array<string | number>;
  message: string;
  /** True when the problem is the key itself (unknown option), so the squiggle goes under the key. */
  onKey?: boolean;
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
  if (schema.type && !typeMatches(schema, value)) return [{ path, message: `expected ${describeType(schema)}, got ${describeValue(value)}` }];
  const errors: SchemaError[] = [];
  if (schema.enum && !schema.enum.includes(value as string)) {
    errors.push({ path, message: `${describeValue(value)} is not one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) errors.push({ path, message: `expected a finite number, got ${value}` });
    if (schema.minimum !== undefined && value < schema.minimum) errors.push({ path, message: `must be ≥ ${schema.minimum}, got ${value}` });
    if (schema.maximum !== undefined && value > schema.maximum) errors.push({ path, message: `must be ≤ ${schema.maximum}, got ${value}` });
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) errors.push({ path, message: `must be > ${schema.exclusiveMinimum}, got ${value}` });
  }
  if (schema.type === 'object' && isPlainObject(value)) {
    const props = schema.properties ?? {};
    for (const [k, v] of Object.entries(value)) {
      const sub = props[k];
      if (!sub) {
        if (schema.additionalProperties === false) {
          const known = Object.keys(props);
          const near = closest(k, known);
          errors.push({ path: [...path, k], onKey: true, message: `unknown option "${k}"${near ? ` (did you mean "${near}"?)` : ''}; options: ${known.join(', ')}` });
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
