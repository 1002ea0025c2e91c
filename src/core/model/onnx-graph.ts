/**
 * Small read/write helpers over an ONNX graph decoded with onnx-proto (protobufjs 6): producers, constants,
 * element types, dead-node pruning. Pure JS, no Python and no onnxruntime — graph surgery runs anywhere.
 */
import { onnx } from 'onnx-proto';

export type Node = onnx.INodeProto;
export type Graph = onnx.IGraphProto;
export const TensorType = onnx.TensorProto.DataType;

type LongLike = number | { toNumber(): number };

export function num(x: LongLike | null | undefined): number {
  if (x === null || x === undefined) return 0;
  return typeof x === 'number' ? x : x.toNumber();
}

export function attr(node: Node, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function attrInt(node: Node, name: string): number | undefined {
  const a = attr(node, name);
  return a ? num(a.i as LongLike) : undefined;
}

export function attrInts(node: Node, name: string): number[] | undefined {
  const a = attr(node, name);
  return a ? (a.ints ?? []).map((v) => num(v as LongLike)) : undefined;
}

/** Index of a graph: who produces each tensor, who consumes it, which names are initializers. */
export class GraphIndex {
  readonly producer = new Map<string, Node>();
  readonly consumers = new Map<string, Node[]>();
  readonly initializers = new Map<string, onnx.ITensorProto>();
  readonly nodeOrder = new Map<Node, number>();

  constructor(readonly graph: Graph) {
    (graph.node ?? []).forEach((n, i) => {
      this.nodeOrder.set(n, i);
      for (const o of n.output ?? []) if (o) this.producer.set(o, n);
      for (const inp of n.input ?? []) {
        if (!inp) continue;
        const list = this.consumers.get(inp) ?? [];
        list.push(n);
        this.consumers.set(inp, list);
      }
    });
    for (const t of graph.initializer ?? []) if (t.name) this.initializers.set(t.name, t);
  }

  /** The value of a constant tensor (initializer or Constant node) as numbers, or undefined when not constant. */
  constantValues(name: string): number[] | undefined {
    let t = this.initializers.get(name);
    if (!t) {
      const p = this.producer.get(name);
      if (p?.opType === 'Constant') t = attr(p, 'value')?.t ?? undefined;
    }
    if (!t) return undefined;
    return tensorValues(t);
  }

  /** Dims of an initializer (or Constant) tensor. */
  constantDims(name: string): number[] | undefined {
    let t = this.initializers.get(name);
    if (!t) {
      const p = this.producer.get(name);
      if (p?.opType === 'Constant') t = attr(p, 'value')?.t ?? undefined;
    }
    return t ? (t.dims ?? []).map((d) => num(d as LongLike)) : undefined;
  }

  isConstant(name: string): boolean {
    return this.initializers.has(name) || this.producer.get(name)?.opType === 'Constant';
  }

  /**
   * Element type of a tensor, by a light forward type rule (no full inference): initializers and inputs say it,
   * Cast, comparisons and shape ops say it, quantized ops say it, Where takes its value inputs' type, and every other
   * op keeps the type of its data input (input 0, constant or not: `Expand(cls_token, shape)` is float, not the
   * int64 of its shape).
   */
  elemType(name: string, depth = 0): number {
    const known = this.types.get(name);
    if (known !== undefined) return known;
    const t = this.inferElemType(name, depth);
    this.types.set(name, t);
    return t;
  }

  private readonly types = new Map<string, number>();

  private inferElemType(name: string, depth: number): number {
    const init = this.initializers.get(name);
    if (init) return init.dataType ?? TensorType.FLOAT;
    const input = (this.graph.input ?? []).find((i) => i.name === name);
    if (input) return input.type?.tensorType?.elemType ?? TensorType.FLOAT;
    const p = this.producer.get(name);
    if (!p || depth > 5000) return TensorType.FLOAT;
    const op = p.opType ?? '';
    const from = (i: number) => (p.input?.[i] ? this.elemType(p.input[i], depth + 1) : TensorType.FLOAT);
    if (BOOL_OPS.has(op)) return TensorType.BOOL;
    if (INT64_OPS.has(op)) return TensorType.INT64;
    switch (op) {
      case 'Cast':
        return attrInt(p, 'to') ?? TensorType.FLOAT;
      case 'CastLike':
        return from(1);
      case 'Constant':
        return attr(p, 'value')?.t?.dataType ?? TensorType.FLOAT;
      case 'ConstantOfShape':
        return attr(p, 'value')?.t?.dataType ?? TensorType.FLOAT;
      case 'MatMulInteger':
      case 'ConvInteger':
        return TensorType.INT32;
      case 'DequantizeLinear':
        return from(1);
      case 'QuantizeLinear':
        return p.input?.[2] ? from(2) : TensorType.UINT8;
      case 'DynamicQuantizeLinear':
        // outputs: quantized (uint8), scale (float), zero point (uint8)
        return p.output?.[1] === name ? TensorType.FLOAT : TensorType.UINT8;
      case 'Where':
        return from(1);
      default:
        return from(0);
    }
  }
}

/** Ops whose output is boolean. */
const BOOL_OPS = new Set([
  'Equal',
  'Less',
  'LessOrEqual',
  'Greater',
  'GreaterOrEqual',
  'Not',
  'And',
  'Or',
  'Xor',
  'IsNaN',
  'IsInf',
]);
/** Ops whose (first) output is int64 whatever their input. */
const INT64_OPS = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin']);

export function tensorValues(t: onnx.ITensorProto): number[] {
  const raw = t.rawData;
  const dt = t.dataType ?? TensorType.FLOAT;
  if (raw && raw.length > 0) {
    const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const out: number[] = [];
    switch (dt) {
      case TensorType.INT64:
        for (let i = 0; i + 8 <= buf.length; i += 8) out.push(Number(buf.readBigInt64LE(i)));
        return out;
      case TensorType.INT32:
        for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readInt32LE(i));
        return out;
      case TensorType.FLOAT:
        for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readFloatLE(i));
        return out;
      case TensorType.DOUBLE:
        for (let i = 0; i + 8 <= buf.length; i += 8) out.push(buf.readDoubleLE(i));
        return out;
      default:
        return [];
    }
  }
  if (t.int64Data?.length) return t.int64Data.map((v) => num(v as LongLike));
  if (t.int32Data?.length) return t.int32Data.slice();
  if (t.floatData?.length) return t.floatData.slice();
  if (t.doubleData?.length) return t.doubleData.slice();
  return [];
}

/** Remove nodes that no graph output depends on, and initializers nobody reads. */
export function pruneDeadNodes(graph: Graph): void {
  const idx = new GraphIndex(graph);
  const live = new Set<Node>();
  const needed = new Set<string>();
  const stack = (graph.output ?? []).map((o) => o.name ?? '');
  while (stack.length) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    const p = idx.producer.get(name);
    if (p && !live.has(p)) {
      live.add(p);
      for (const i of p.input ?? []) if (i) stack.push(i);
      // Subgraph attributes (If/Loop) read outer names implicitly: keep every name they mention.
      for (const a of p.attribute ?? [])
        for (const g of [a.g, ...(a.graphs ?? [])])
          if (g) for (const n of g.node ?? []) for (const i of n.input ?? []) if (i) stack.push(i);
    }
  }
  graph.node = (graph.node ?? []).filter((n) => live.has(n));
  graph.initializer = (graph.initializer ?? []).filter((t) => needed.has(t.name ?? ''));
}
