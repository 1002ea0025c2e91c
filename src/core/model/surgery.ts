/**
 * Graph surgery on a TimeSformer classification export (output `logits`), found by structure, not by names
 * (docs/ALGORITHMS.md §model-derivation):
 *  - `embedding` [batch, hidden]: the input of the classifier head = the CLS token (Gather index 0 on the token
 *    axis) of the final LayerNorm's output — HF's `last_hidden_state[:, 0]`;
 *  - optionally the 2·L attention Softmax outputs, in topological order temporal/spatial per layer:
 *    `temporal_attention_<l>` [batch·P, heads, T, T] and `spatial_attention_<l>` [batch·T, heads, P+1, P+1].
 * Everything the classifier alone needed is pruned. Graphs that do not have this shape are refused with the list
 * of what is missing.
 */
import { onnx } from 'onnx-proto';
import { VsumError } from '../errors';
import { GraphIndex, TensorType, attrInt, attrInts, num, pruneDeadNodes, type Node } from './onnx-graph';

export interface TimesformerGeometry {
  inputName: string;
  /** Element type the graph wants for pixel_values. */
  inputType: 'float32' | 'float16';
  frames: number;
  /** Patch tokens per frame (P); the grid is √P × √P. */
  patches: number;
  grid: number;
  patchSize: number;
  imageSize: number;
  hidden: number;
  /** Encoder layers (from the Softmax pairs; 0 when attention was fused away). */
  layers: number;
}

export interface Inspection {
  geometry: TimesformerGeometry;
  /** Tensor holding the CLS embedding (the classifier's input). */
  embeddingTensor: string;
  /** Softmax output tensors, per layer. */
  temporal: string[];
  spatial: string[];
  /** What the derivation found, for `vsum model inspect`: the tables by initializer name. */
  found: {
    /** The CLS token table [1, 1, D] and the op that reads it (Expand to the batch, in HF's export). */
    clsToken?: { table: string; consumer: string };
    positionTable?: string;
    /** The time table; `resized`: stored [1, D, T] before a Resize (a model traced with another frame count). */
    timeTable?: { name: string; resized: boolean };
    /** Where the frame count came from. */
    framesFrom: 'input' | 'time table';
  };
  /** The nodes the derivation added and the element type each expected to read (filled by deriveTimesformerModel). */
  added?: DerivedNode[];
}

export interface DerivedNode {
  node: string;
  op: string;
  reads: string;
  expects: string;
}

const TYPE_NAMES: Record<number, string> = {
  [TensorType.FLOAT]: 'float32',
  [TensorType.FLOAT16]: 'float16',
  [TensorType.INT64]: 'int64',
  [TensorType.INT32]: 'int32',
  [TensorType.UINT8]: 'uint8',
  [TensorType.INT8]: 'int8',
  [TensorType.BOOL]: 'bool',
  [TensorType.DOUBLE]: 'float64',
};
export const typeName = (t: number): string => TYPE_NAMES[t] ?? `element type ${t}`;

export const EMBEDDING_OUTPUT = 'embedding';
export const temporalOutput = (l: number) => `temporal_attention_${l}`;
export const spatialOutput = (l: number) => `spatial_attention_${l}`;
/** The same maps averaged over heads inside the graph (keepdims: heads axis of size 1) — 1/heads of the data. */
export const temporalMeanOutput = (l: number) => `temporal_attention_mean_${l}`;
export const spatialMeanOutput = (l: number) => `spatial_attention_mean_${l}`;

/** Ops a classifier head may consist of between the CLS vector and `logits` (plain, quantized, fp16). */
const HEAD_OPS = new Set([
  'Gemm',
  'MatMul',
  'Add',
  'MatMulInteger',
  'MatMulNBits',
  'DynamicQuantizeLinear',
  'DequantizeLinear',
  'QuantizeLinear',
  'Cast',
  'Mul',
  'Reshape',
  'Flatten',
  'Identity',
  'Unsqueeze',
  'QGemm',
]);
const LINEAR_OPS = new Set(['Gemm', 'MatMul', 'MatMulInteger', 'MatMulNBits', 'QGemm']);
const FUSED_LN = new Set([
  'LayerNormalization',
  'SimplifiedLayerNormalization',
  'SkipLayerNormalization',
  'SkipSimplifiedLayerNormalization',
]);

function refuse(file: string, problems: string[]): never {
  throw new VsumError(
    'MODEL',
    `${file} does not look like a TimeSformer video classifier (divided space-time attention, CLS token, final LayerNorm, classifier on the CLS token): ${problems.join('; ')}. ` +
      'Use the onnx-community/timesformer-base-finetuned-k600 export (`vsum model download`) or a graph exported the same way from Hugging Face TimesformerForVideoClassification.',
    { file },
  );
}

export function decodeModel(bytes: Uint8Array, file: string): onnx.ModelProto {
  try {
    const m = onnx.ModelProto.decode(bytes);
    if (!m.graph || !m.graph.node?.length) throw new Error('no graph nodes');
    return m;
  } catch (e) {
    throw new VsumError(
      'BAD_FILE',
      `${file} is not a readable ONNX model (${(e as Error).message}); the file is probably truncated or corrupt. Delete it and download it again (\`vsum model download\`) or point --model at a complete .onnx file.`,
      { file, cause: e },
    );
  }
}

/** Hidden size if `name` is the output of a LayerNorm (fused op or the decomposed ReduceMean/Sub/Pow/Sqrt/Div/Mul/Add chain). */
function layerNormHidden(idx: GraphIndex, name: string): number | undefined {
  let p = idx.producer.get(name);
  while (p?.opType === 'Cast') p = idx.producer.get(p.input![0]);
  if (!p) return undefined;
  if (FUSED_LN.has(p.opType ?? '')) return idx.constantDims(p.input![p.opType!.startsWith('Skip') ? 2 : 1])?.at(-1);
  // Decomposed: Add(Mul(Div(Sub(x, ReduceMean x), Sqrt(..)), gamma), beta)
  if (p.opType !== 'Add') return undefined;
  const mulName = p.input!.find((i) => !idx.isConstant(i));
  const mul = mulName ? idx.producer.get(mulName) : undefined;
  if (mul?.opType !== 'Mul') return undefined;
  const gamma = mul.input!.find((i) => idx.isConstant(i));
  const divName = mul.input!.find((i) => !idx.isConstant(i));
  const div = divName ? idx.producer.get(divName) : undefined;
  if (div?.opType !== 'Div') return undefined;
  const sub = idx.producer.get(div.input![0]);
  const sqrt = idx.producer.get(div.input![1]);
  if (sub?.opType !== 'Sub' || sqrt?.opType !== 'Sqrt') return undefined;
  if (idx.producer.get(sub.input![1])?.opType !== 'ReduceMean') return undefined;
  return gamma ? idx.constantDims(gamma)?.at(-1) : undefined;
}

/** Is `node` the selection of token 0 on axis 1 (`x[:, 0]`)? Returns the selected tensor's source. */
function clsSelectionSource(idx: GraphIndex, node: Node): string | undefined {
  if (node.opType === 'Gather') {
    const axis = attrInt(node, 'axis') ?? 0;
    const v = idx.constantValues(node.input![1]);
    const dims = idx.constantDims(node.input![1]);
    if (axis === 1 && v?.length === 1 && v[0] === 0 && dims?.length === 0) return node.input![0];
  }
  if (node.opType === 'Squeeze' || node.opType === 'Reshape') {
    const slice = idx.producer.get(node.input![0]);
    if (slice?.opType === 'Slice') {
      const starts = idx.constantValues(slice.input![1]);
      const ends = idx.constantValues(slice.input![2]);
      const axes = slice.input![3] ? idx.constantValues(slice.input![3]) : undefined;
      if (starts?.[0] === 0 && ends?.[0] === 1 && axes?.[0] === 1) return slice.input![0];
    }
  }
  return undefined;
}

/**
 * `attention`: also require the 2·L Softmax nodes (an export whose attention was fused into one op still gives
 * embeddings, but no maps).
 */
export function inspectTimesformer(
  model: onnx.IModelProto,
  file: string,
  opts: { attention?: boolean } = {},
): Inspection {
  const graph = model.graph!;
  const idx = new GraphIndex(graph);
  const problems: string[] = [];

  const inputs = (graph.input ?? []).filter((i) => !idx.initializers.has(i.name ?? ''));
  const input = inputs.find((i) => i.name === 'pixel_values') ?? inputs[0];
  const inputDims = input?.type?.tensorType?.shape?.dim ?? [];
  if (!input || inputs.length !== 1)
    problems.push(`it has ${inputs.length} inputs, a TimeSformer has one (pixel_values)`);
  else if (inputDims.length !== 5)
    problems.push(
      `its input ${input.name} has rank ${inputDims.length}, expected 5 ([batch, frames, 3, height, width])`,
    );
  const elem = input?.type?.tensorType?.elemType ?? TensorType.FLOAT;
  if (elem !== TensorType.FLOAT && elem !== TensorType.FLOAT16)
    problems.push(`its input is not float (element type ${elem})`);

  // The embedding: walk back from the output through the classifier head to `x[:, 0]` of a LayerNorm output.
  const out = (graph.output ?? []).find((o) => o.name === 'logits') ?? graph.output?.[0];
  let embeddingTensor: string | undefined;
  let hidden: number | undefined;
  if (out?.name) {
    const seen = new Set<string>();
    const queue: Array<{ name: string; linear: boolean; depth: number }> = [
      { name: out.name, linear: false, depth: 0 },
    ];
    while (queue.length && !embeddingTensor) {
      const { name, linear, depth } = queue.shift()!;
      if (seen.has(name) || depth > 12) continue;
      seen.add(name);
      const p = idx.producer.get(name);
      if (!p) continue;
      const src = linear ? clsSelectionSource(idx, p) : undefined;
      if (src !== undefined) {
        const h = layerNormHidden(idx, src);
        if (h !== undefined) {
          embeddingTensor = name;
          hidden = h;
          break;
        }
      }
      if (!HEAD_OPS.has(p.opType ?? '')) continue;
      for (const i of p.input ?? [])
        if (i && !idx.isConstant(i))
          queue.push({ name: i, linear: linear || LINEAR_OPS.has(p.opType ?? ''), depth: depth + 1 });
    }
  }
  if (!embeddingTensor)
    problems.push(
      `no classifier head reads the CLS token (token 0) of a final LayerNorm — its output ${out?.name ?? '(none)'} is not a linear layer on x[:, 0]`,
    );

  // Attention maps: every Softmax, in topological (node) order; divided attention has a temporal and a spatial one per layer.
  const softmaxes = (graph.node ?? []).filter((n) => n.opType === 'Softmax').map((n) => n.output![0]);
  const pairedSoftmaxes = softmaxes.length >= 2 && softmaxes.length % 2 === 0;
  if (!pairedSoftmaxes && (opts.attention || !embeddingTensor))
    problems.push(
      `it has ${softmaxes.length} attention Softmax nodes, divided space-time attention has two per layer${softmaxes.length === 0 && embeddingTensor ? ' (fused attention ops hide the maps; use an unoptimised export for attention)' : ''}`,
    );

  // Geometry from the embedding tables: cls [1, 1, D], position [1, P+1, D], time [1, T, D].
  // A model traced with another frame count than its table's (HF's interpolate branch) keeps the time table
  // transposed, [1, D, T], feeding a Resize: constant folding stored `time_embeddings.transpose(1, 2)`.
  const tables: Array<{ name: string; length: number; resized: boolean }> = [];
  if (hidden !== undefined) {
    for (const t of graph.initializer ?? []) {
      const d = (t.dims ?? []).map((x) => num(x as number));
      if (d.length !== 3 || d[0] !== 1 || (t.dataType !== TensorType.FLOAT && t.dataType !== TensorType.FLOAT16))
        continue;
      if (d[2] === hidden && d[1] > 1) tables.push({ name: t.name ?? '', length: d[1], resized: false });
      else if (
        d[1] === hidden &&
        d[2] > 1 &&
        (idx.consumers.get(t.name ?? '') ?? []).some((n) => n.opType === 'Resize')
      )
        tables.push({ name: t.name ?? '', length: d[2], resized: true });
    }
  }
  const isPosLen = (n: number) => n > 2 && Number.isInteger(Math.sqrt(n - 1));
  const posTable = tables.filter((t) => !t.resized && isPosLen(t.length)).sort((a, b) => b.length - a.length)[0];
  const posLen = posTable?.length ?? 0;
  const timeTables = tables.filter((t) => t !== posTable);
  const timeLens = timeTables.map((t) => t.length);
  const dimValue = (i: number) => {
    const v = inputDims[i]?.dimValue;
    return v !== undefined && v !== null && num(v as number) > 0 ? num(v as number) : undefined;
  };
  const frames = dimValue(1) ?? (timeLens.length === 1 ? timeLens[0] : undefined);
  if (hidden !== undefined && !posLen)
    problems.push(`no position-embedding table [1, P+1, ${hidden}] with a square number of patches`);
  if (hidden !== undefined && frames === undefined)
    problems.push(
      `no time-embedding table [1, frames, ${hidden}] (nor [1, ${hidden}, frames] before a Resize; divided space-time attention has one)`,
    );

  let patchSize = 0;
  for (const n of graph.node ?? []) {
    if (n.opType === 'Conv' || n.opType === 'ConvInteger') {
      patchSize = attrInts(n, 'kernel_shape')?.[0] ?? idx.constantDims(n.input![1])?.at(-1) ?? 0;
      break;
    }
  }
  if (!patchSize) problems.push('no patch-embedding Conv');
  if (problems.length) refuse(file, problems);

  const clsInit = (graph.initializer ?? []).find((t) => {
    const d = (t.dims ?? []).map((x) => num(x as number));
    return d.length === 3 && d[0] === 1 && d[1] === 1 && d[2] === hidden;
  });
  const clsConsumer = clsInit ? idx.consumers.get(clsInit.name ?? '')?.[0] : undefined;
  const timeTable = timeTables.length === 1 ? timeTables[0] : undefined;
  const patches = posLen - 1;
  const grid = Math.round(Math.sqrt(patches));
  const layers = pairedSoftmaxes ? softmaxes.length / 2 : 0;
  return {
    geometry: {
      inputName: input!.name!,
      inputType: elem === TensorType.FLOAT16 ? 'float16' : 'float32',
      frames: frames!,
      patches,
      grid,
      patchSize,
      imageSize: dimValue(3) ?? grid * patchSize,
      hidden: hidden!,
      layers,
    },
    embeddingTensor: embeddingTensor!,
    temporal: pairedSoftmaxes ? softmaxes.filter((_, i) => i % 2 === 0) : [],
    spatial: pairedSoftmaxes ? softmaxes.filter((_, i) => i % 2 === 1) : [],
    found: {
      clsToken: clsInit ? { table: clsInit.name ?? '', consumer: clsConsumer?.opType ?? '(none)' } : undefined,
      positionTable: posTable?.name,
      timeTable: timeTable ? { name: timeTable.name, resized: timeTable.resized } : undefined,
      framesFrom: dimValue(1) !== undefined ? 'input' : 'time table',
    },
  };
}

/**
 * Nodes computing `output` = mean of `input` over axis 1 (the heads), keepdims, float32: ReduceMean's axes is an
 * attribute before opset 18 and an input from 18 on.
 */
export function headMeanNodes(
  input: string,
  output: string,
  opset: number,
  fp16: boolean,
): { nodes: onnx.INodeProto[]; initializers: onnx.ITensorProto[] } {
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const src = fp16 ? `${output}_f32` : input;
  if (fp16)
    nodes.push({
      opType: 'Cast',
      input: [input],
      output: [src],
      name: `vsum_${output}_cast`,
      attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: TensorType.FLOAT }],
    });
  const keep = { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 };
  if (opset >= 18) {
    const axes = `vsum_${output}_axes`;
    initializers.push({ name: axes, dataType: TensorType.INT64, dims: [1], int64Data: [1] });
    nodes.push({
      opType: 'ReduceMean',
      input: [src, axes],
      output: [output],
      name: `vsum_${output}`,
      attribute: [keep],
    });
  } else {
    nodes.push({
      opType: 'ReduceMean',
      input: [src],
      output: [output],
      name: `vsum_${output}`,
      attribute: [keep, { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] }],
    });
  }
  return { nodes, initializers };
}

/**
 * The derived model: same graph, outputs replaced by `embedding` (and the attention maps when asked), float32
 * outputs even for fp16 graphs, dead classifier nodes pruned. Returns the encoded bytes and the geometry.
 */
export function deriveTimesformerModel(
  bytes: Uint8Array,
  opts: { attention: boolean; file: string },
): { bytes: Uint8Array; inspection: Inspection } {
  const model = decodeModel(bytes, opts.file);
  const inspection = inspectTimesformer(model, opts.file, { attention: opts.attention });
  const graph = model.graph!;
  const idx = new GraphIndex(graph);
  const added: onnx.INodeProto[] = [];
  const outputs: onnx.IValueInfoProto[] = [];
  const record: DerivedNode[] = [];
  const expose = (tensor: string, name: string, dims: Array<string | number>) => {
    const type = idx.elemType(tensor);
    const fp16 = type === TensorType.FLOAT16;
    record.push({ node: `vsum_${name}`, op: fp16 ? 'Cast' : 'Identity', reads: tensor, expects: typeName(type) });
    added.push(
      fp16
        ? {
            opType: 'Cast',
            input: [tensor],
            output: [name],
            name: `vsum_${name}`,
            attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: TensorType.FLOAT }],
          }
        : { opType: 'Identity', input: [tensor], output: [name], name: `vsum_${name}` },
    );
    outputs.push({
      name,
      type: {
        tensorType: {
          elemType: TensorType.FLOAT,
          shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    });
  };
  // ReduceMean over the heads axis: axes is an attribute before opset 18, an input from 18 on.
  const opset =
    num((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version as number) || 14;
  const headMean = (name: string, out: string) => {
    const type = idx.elemType(name);
    const r = headMeanNodes(name, out, opset, type === TensorType.FLOAT16);
    record.push({ node: r.nodes[0].name ?? out, op: r.nodes[0].opType ?? '', reads: name, expects: typeName(type) });
    added.push(...r.nodes);
    graph.initializer = [...(graph.initializer ?? []), ...r.initializers];
  };
  const g = inspection.geometry;
  expose(inspection.embeddingTensor, EMBEDDING_OUTPUT, ['batch_size', g.hidden]);
  if (opts.attention) {
    for (let l = 0; l < g.layers; l++) {
      expose(inspection.temporal[l], temporalOutput(l), ['batch_x_patches', 'heads', g.frames, g.frames]);
      expose(inspection.spatial[l], spatialOutput(l), ['batch_x_frames', 'heads', g.patches + 1, g.patches + 1]);
    }
    for (let l = 0; l < g.layers; l++) {
      headMean(inspection.temporal[l], temporalMeanOutput(l));
      headMean(inspection.spatial[l], spatialMeanOutput(l));
      const dims = (d: Array<string | number>) => ({
        dim: d.map((x) => (typeof x === 'number' ? { dimValue: x } : { dimParam: x })),
      });
      outputs.push({
        name: temporalMeanOutput(l),
        type: { tensorType: { elemType: TensorType.FLOAT, shape: dims(['batch_x_patches', 1, g.frames, g.frames]) } },
      });
      outputs.push({
        name: spatialMeanOutput(l),
        type: {
          tensorType: { elemType: TensorType.FLOAT, shape: dims(['batch_x_frames', 1, g.patches + 1, g.patches + 1]) },
        },
      });
    }
  }
  graph.node = [...(graph.node ?? []), ...added];
  graph.output = outputs;
  pruneDeadNodes(graph);
  graph.valueInfo = [];
  return { bytes: onnx.ModelProto.encode(model).finish(), inspection: { ...inspection, added: record } };
}
