/**
 * What an ONNX file is, as far as vsum's derivation cares (`vsum model inspect`): opsets and producer, declared
 * inputs and outputs with their dims (dynamic axes by name), the Softmax count, an op histogram, and what the
 * derivation finds — or the problems it reports. Pure JS over the decoded protobuf; no onnxruntime.
 */
import { onnx } from 'onnx-proto';
import { VsumError } from '../errors';
import { GraphIndex, num } from './onnx-graph';
import { decodeModel, deriveTimesformerModel, typeName, type Inspection } from './surgery';

export interface TensorSummary {
  name: string;
  type: string;
  /** A number for a fixed axis, the axis name for a dynamic one, '?' for an unnamed dynamic one. */
  dims: Array<number | string>;
}

export interface ModelReport {
  file: string;
  sizeBytes: number;
  producer: string;
  irVersion: number;
  /** domain ('' = ai.onnx) → version */
  opsets: Record<string, number>;
  inputs: TensorSummary[];
  outputs: TensorSummary[];
  nodes: number;
  initializers: number;
  softmaxCount: number;
  /** op type (domain-qualified outside ai.onnx) → count, most frequent first */
  ops: Record<string, number>;
  derivation:
    | {
        ok: true;
        geometry: Inspection['geometry'];
        embeddingTensor: string;
        found: Inspection['found'];
        /** The nodes the embedding + attention derivation adds, and the element type each reads. */
        added: NonNullable<Inspection['added']>;
      }
    | { ok: false; problem: string };
}

function summarize(v: onnx.IValueInfoProto): TensorSummary {
  const t = v.type?.tensorType;
  return {
    name: v.name ?? '',
    type: typeName(t?.elemType ?? 0),
    dims: (t?.shape?.dim ?? []).map((d) =>
      d.dimParam
        ? d.dimParam
        : d.dimValue !== null && d.dimValue !== undefined && num(d.dimValue as number) > 0
          ? num(d.dimValue as number)
          : '?',
    ),
  };
}

export function inspectModelBytes(bytes: Uint8Array, file: string): ModelReport {
  const model = decodeModel(bytes, file);
  const graph = model.graph!;
  const idx = new GraphIndex(graph);
  const ops = new Map<string, number>();
  for (const n of graph.node ?? []) {
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : (n.opType ?? '?');
    ops.set(key, (ops.get(key) ?? 0) + 1);
  }
  let derivation: ModelReport['derivation'];
  try {
    const d = deriveTimesformerModel(bytes, { attention: true, file });
    derivation = {
      ok: true,
      geometry: d.inspection.geometry,
      embeddingTensor: d.inspection.embeddingTensor,
      found: d.inspection.found,
      added: d.inspection.added ?? [],
    };
  } catch (e) {
    if (!(e instanceof VsumError)) throw e;
    derivation = { ok: false, problem: e.message };
  }
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport ?? []) opsets[o.domain || ''] = num(o.version as number);
  return {
    file,
    sizeBytes: bytes.length,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' ') || '(not recorded)',
    irVersion: num(model.irVersion as number),
    opsets,
    inputs: (graph.input ?? []).filter((i) => !idx.initializers.has(i.name ?? '')).map(summarize),
    outputs: (graph.output ?? []).map(summarize),
    nodes: graph.node?.length ?? 0,
    initializers: graph.initializer?.length ?? 0,
    softmaxCount: ops.get('Softmax') ?? 0,
    ops: Object.fromEntries([...ops].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    derivation,
  };
}

const dimsText = (t: TensorSummary) => `${t.name}: ${t.type} [${t.dims.join(', ')}]`;

/** The report as text, one fact a line. */
export function formatModelReport(r: ModelReport): string {
  const lines: string[] = [];
  lines.push(`file        ${r.file} (${(r.sizeBytes / 1e6).toFixed(1)} MB)`);
  lines.push(`producer    ${r.producer}, IR version ${r.irVersion}`);
  lines.push(
    `opsets      ${Object.entries(r.opsets)
      .map(([d, v]) => `${d || 'ai.onnx'} ${v}`)
      .join(', ')}`,
  );
  lines.push(`inputs      ${r.inputs.map(dimsText).join('; ')}`);
  lines.push(`outputs     ${r.outputs.map(dimsText).join('; ')}`);
  lines.push(`graph       ${r.nodes} nodes, ${r.initializers} initializers, ${r.softmaxCount} Softmax`);
  const d = r.derivation;
  if (d.ok) {
    const g = d.geometry;
    const f = d.found;
    lines.push('derivation  ok');
    lines.push(
      `  CLS       ${f.clsToken ? `${f.clsToken.table} [1, 1, ${g.hidden}] read by ${f.clsToken.consumer}` : '(no [1, 1, hidden] table)'}; embedding = ${d.embeddingTensor}`,
    );
    lines.push(
      `  position  ${f.positionTable ?? '(none)'} [1, ${g.patches + 1}, ${g.hidden}] → ${g.grid}×${g.grid} patches of ${g.patchSize} px, image ${g.imageSize} px`,
    );
    lines.push(
      `  time      ${f.timeTable ? `${f.timeTable.name} ${f.timeTable.resized ? `[1, ${g.hidden}, ${g.frames}] before a Resize (traced with another frame count)` : `[1, ${g.frames}, ${g.hidden}]`}` : '(none)'}; frames ${g.frames} (from the ${f.framesFrom})`,
    );
    lines.push(`  model     hidden ${g.hidden}, ${g.layers} layers, input ${g.inputName} ${g.inputType}`);
    lines.push(
      `  adds      ${d.added
        .map((a) => `${a.node} (${a.op} of ${a.expects})`)
        .slice(0, 3)
        .join(', ')}${d.added.length > 3 ? `, … ${d.added.length} in all` : ''}`,
    );
  } else {
    lines.push(`derivation  REFUSED: ${d.problem}`);
  }
  lines.push(
    `ops         ${Object.entries(r.ops)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')}`,
  );
  return lines.join('\n') + '\n';
}
