#!/usr/bin/python3
"""
Tiny replicas of every published variant of onnx-community/timesformer-base-finetuned-k600, built from the
HF-mirroring tiny TimeSformer of make_tiny_timesformer.py, plus PyTorch's reference outputs for fixed inputs.

The published files were made by a plain torch.onnx.export, then onnxruntime 1.18's quantization tools and
onnxconverter-common's fp16 converter. Neither tool is available here (Debian ships neither), so each conversion
is re-done with the onnx Python API, following what those tools emit:
  fp32        opset 14 export, decomposed LayerNorm (the published model.onnx)
  opset17     opset 17 export (LayerNormalization op)
  frames4     traced with a 4-frame dummy input: the time table is folded to [1, hidden, 8] feeding a Resize
  fp16        convert_float_to_float16(keep_io_types=True): float16 everywhere, float32 input/output through
              Casts appended at the end of the node list
  int8        dynamic quantization, int8 symmetric weights: DynamicQuantizeLinear + MatMulInteger (Conv stays float;
              onnxruntime's CPU ConvInteger takes uint8 weights only)
  uint8       dynamic quantization, uint8 asymmetric weights: MatMulInteger, and ConvInteger for the patch Conv
  quantized   the same recipe as uint8 (the published model_quantized is the default 8-bit build)
  q4          MatMulNBits, 4 bits, block 32, symmetric (no zero points)
  q4f16       q4, then the fp16 conversion (float16 activations and scales)
  bnb4        MatMulBnb4, NF4, block 32 (the transposed weight, flattened, in blocks)
Only MatMuls whose weight is an initializer are quantized (the attention q·k and a·v products are not), as the tools do.

Writes <out>/tiny-<variant>.onnx, <out>/ref-<config>-{x,cls,temporal,spatial}.npy and <out>/variants.json.
Run with Debian's python: /usr/bin/python3 test/models/make_variants.py --out DIR
`--convert MODEL.onnx --variant V --out FILE` applies one conversion to another fp32 export (the full-size bench model).
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_tiny_timesformer as tiny  # noqa: E402

NF4 = np.array([-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
                -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
                0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
                0.7229568362236023, 1.0], dtype=np.float32)
MS = 'com.microsoft'


def const_weights(graph):
    return {t.name: t for t in graph.initializer}


def replace_nodes(graph, rewrite):
    """Rebuild the node list, each node replaced by rewrite(node) (a list of nodes), keeping topological order."""
    out = []
    for n in graph.node:
        out.extend(rewrite(n))
    del graph.node[:]
    graph.node.extend(out)


def add_init(graph, name, array):
    graph.initializer.append(numpy_helper.from_array(array, name))
    return name


def drop_unused_inits(graph):
    used = {i for n in graph.node for i in n.input}
    keep = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)


def use_ms_domain(model):
    if not any(o.domain == MS for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid(MS, 1))


# ---- dynamic 8-bit quantization (onnxruntime.quantization.quantize_dynamic) ----

def quantize_weight(w, signed):
    if signed:  # symmetric int8
        scale = max(float(np.abs(w).max()), 1e-8) / 127.0
        q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
        return q, np.float32(scale), np.int8(0)
    rmin, rmax = min(float(w.min()), 0.0), max(float(w.max()), 0.0)
    scale = max(rmax - rmin, 1e-8) / 255.0
    zp = int(np.clip(round(-rmin / scale), 0, 255))
    q = np.clip(np.round(w / scale) + zp, 0, 255).astype(np.uint8)
    return q, np.float32(scale), np.uint8(zp)


def quantize_dynamic(model, signed, conv):
    g = model.graph
    inits = const_weights(g)
    dql = {}  # activation tensor -> (quantized, scale, zero point)

    def quant_input(name, nodes):
        if name not in dql:
            q, s, z = f'{name}_quantized', f'{name}_scale', f'{name}_zero_point'
            nodes.append(helper.make_node('DynamicQuantizeLinear', [name], [q, s, z], name=f'{name}_QuantizeLinear'))
            dql[name] = (q, s, z)
        return dql[name]

    def rewrite(n):
        w = inits.get(n.input[1]) if len(n.input) > 1 else None
        if w is None or w.data_type != TensorProto.FLOAT:
            return [n]
        arr = numpy_helper.to_array(w)
        if n.op_type == 'MatMul' and arr.ndim == 2:
            op = 'MatMulInteger'
        elif n.op_type == 'Conv' and conv:
            op = 'ConvInteger'
        else:
            return [n]
        nodes = []
        xq, xs, xz = quant_input(n.input[0], nodes)
        q, s, z = quantize_weight(arr, signed)
        wq = add_init(g, f'{w.name}_quantized', q)
        ws = add_init(g, f'{w.name}_scale', np.array(s, dtype=np.float32))
        wz = add_init(g, f'{w.name}_zero_point', np.array(z))
        base = n.name or n.output[0]
        integer = helper.make_node(op, [xq, wq, xz, wz], [f'{base}_output_quantized'], name=f'{base}_quant')
        if op == 'ConvInteger':
            integer.attribute.extend(a for a in n.attribute)
        nodes.append(integer)
        nodes.append(helper.make_node('Cast', [f'{base}_output_quantized'], [f'{base}_output_quantized_cast_output'],
                                      to=TensorProto.FLOAT, name=f'{base}_output_quantized_cast'))
        nodes.append(helper.make_node('Mul', [xs, ws], [f'{base}_scales_mul:0'], name=f'{base}_scales_mul'))
        scaled = n.output[0] if op == 'MatMulInteger' or len(n.input) < 3 else f'{base}_output_scaled'
        nodes.append(helper.make_node('Mul', [f'{base}_output_quantized_cast_output', f'{base}_scales_mul:0'], [scaled],
                                      name=f'{base}_output_scale_mul'))
        if op == 'ConvInteger' and len(n.input) >= 3:
            bias = numpy_helper.to_array(inits[n.input[2]]).reshape(1, -1, 1, 1)
            b = add_init(g, f'{n.input[2]}_reshaped', bias.astype(np.float32))
            nodes.append(helper.make_node('Add', [scaled, b], [n.output[0]], name=f'{base}_bias_add'))
        return nodes

    replace_nodes(g, rewrite)
    drop_unused_inits(g)
    return model


# ---- 4-bit weight-only quantization ----

def matmul_weights(model):
    """(node, weight array) for each MatMul with a 2-D float initializer weight."""
    inits = const_weights(model.graph)
    for n in model.graph.node:
        if n.op_type == 'MatMul' and n.input[1] in inits and inits[n.input[1]].data_type == TensorProto.FLOAT:
            arr = numpy_helper.to_array(inits[n.input[1]])
            if arr.ndim == 2:
                yield n, arr


def quantize_q4(model, block=32):
    """MatMulNBits (MatMul4BitsQuantizer, symmetric): per column n, blocks of `block` along K; q = round(v/s) + 8
    with s = (the block's value of largest magnitude) / -8; two values a byte, the first in the low nibble."""
    g = model.graph
    todo = {n.output[0]: arr for n, arr in matmul_weights(model)}

    def rewrite(n):
        if n.op_type != 'MatMul' or n.output[0] not in todo:
            return [n]
        w = todo[n.output[0]]
        k, nn_ = w.shape
        nblk = (k + block - 1) // block
        wp = np.zeros((nblk * block, nn_), dtype=np.float32)
        wp[:k] = w
        blocks = wp.T.reshape(nn_, nblk, block)
        idx = np.abs(blocks).argmax(axis=2)
        vmax = np.take_along_axis(blocks, idx[..., None], axis=2)[..., 0]
        scale = np.where(vmax == 0, 1.0, vmax / -8.0).astype(np.float32)
        q = np.clip(np.round(blocks / scale[..., None]) + 8, 0, 15).astype(np.uint8)
        packed = (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)  # [N, nblk, block/2]
        base = n.name or n.output[0]
        b = add_init(g, f'{n.input[1]}_Q4', packed)
        s = add_init(g, f'{n.input[1]}_scales', scale.reshape(-1))
        node = helper.make_node('MatMulNBits', [n.input[0], b, s], [n.output[0]], name=f'{base}_Q4', domain=MS,
                                K=k, N=nn_, bits=4, block_size=block)
        return [node]

    replace_nodes(g, rewrite)
    drop_unused_inits(g)
    use_ms_domain(model)
    return model


def quantize_bnb4(model, block=32):
    """MatMulBnb4 (MatMulBnb4Quantizer, NF4): the transposed weight [N, K] flattened into blocks of `block`, each
    scaled by its absmax and mapped to the nearest NF4 code; two codes a byte, the first in the high nibble."""
    g = model.graph
    todo = {n.output[0]: arr for n, arr in matmul_weights(model)}

    def rewrite(n):
        if n.op_type != 'MatMul' or n.output[0] not in todo:
            return [n]
        w = todo[n.output[0]]
        k, nn_ = w.shape
        flat = w.T.reshape(-1).astype(np.float32)
        numel = flat.size
        nblk = (numel + block - 1) // block
        padded = np.zeros(nblk * block, dtype=np.float32)
        padded[:numel] = flat
        blocks = padded.reshape(nblk, block)
        absmax = np.abs(blocks).max(axis=1).astype(np.float32)
        norm = blocks / np.where(absmax == 0, 1.0, absmax)[:, None]
        # nearest code: between consecutive codes the midpoint decides (no [n, 16] distance table at full size)
        codes = np.searchsorted((NF4[1:] + NF4[:-1]) / 2, norm.reshape(-1)).astype(np.uint8)
        if codes.size % 2:
            codes = np.concatenate([codes, np.zeros(1, np.uint8)])
        packed = ((codes[0::2] << 4) | codes[1::2]).astype(np.uint8)[: (numel + 1) // 2]
        base = n.name or n.output[0]
        b = add_init(g, f'{n.input[1]}_Bnb4', packed)
        a = add_init(g, f'{n.input[1]}_absmax', absmax)
        node = helper.make_node('MatMulBnb4', [n.input[0], b, a], [n.output[0]], name=f'{base}_Bnb4', domain=MS,
                                K=k, N=nn_, block_size=block, quant_type=1)
        return [node]

    replace_nodes(g, rewrite)
    drop_unused_inits(g)
    use_ms_domain(model)
    return model


# ---- fp16 (onnxconverter-common convert_float_to_float16, keep_io_types=True) ----

def to_f16_tensor(t):
    arr = numpy_helper.to_array(t).astype(np.float16)
    out = numpy_helper.from_array(arr, t.name)
    return out


def convert_fp16(model):
    g = model.graph
    for i, t in enumerate(g.initializer):
        if t.data_type == TensorProto.FLOAT:
            g.initializer[i].CopyFrom(to_f16_tensor(t))
    for n in g.node:
        for a in n.attribute:
            if a.type == onnx.AttributeProto.TENSOR and a.t.data_type == TensorProto.FLOAT:
                a.t.CopyFrom(to_f16_tensor(a.t))
            if n.op_type == 'Cast' and a.name == 'to' and a.i == TensorProto.FLOAT:
                a.i = TensorProto.FLOAT16
    appended = []
    for k, inp in enumerate(g.input):
        if inp.type.tensor_type.elem_type != TensorProto.FLOAT:
            continue
        cast_out = f'graph_input_cast_{k}'
        for n in g.node:
            for j, name in enumerate(n.input):
                if name == inp.name:
                    n.input[j] = cast_out
        appended.append(helper.make_node('Cast', [inp.name], [cast_out], to=TensorProto.FLOAT16,
                                         name=f'graph_input_cast{k}'))
    for k, out in enumerate(g.output):
        if out.type.tensor_type.elem_type != TensorProto.FLOAT:
            continue
        cast_in = f'graph_output_cast_{k}'
        for n in g.node:
            for j, name in enumerate(n.output):
                if name == out.name:
                    n.output[j] = cast_in
        appended.append(helper.make_node('Cast', [cast_in], [out.name], to=TensorProto.FLOAT,
                                         name=f'graph_output_cast{k}'))
    g.node.extend(appended)
    del g.value_info[:]
    return model


# ---- references ----

def references(m, c, out, tag, batch=3):
    frames = tiny.test_frames(batch, c.num_frames, c.image_size)
    mean, std = np.float32(0.45), np.float32(0.225)
    x = ((frames.astype(np.float32) / 255.0 - mean) / std).astype(np.float32)
    x = np.ascontiguousarray(x.transpose(0, 1, 4, 2, 3))
    with torch.no_grad():
        tl, sl = [], []
        hidden = m.timesformer(torch.from_numpy(x), tl, sl)
    np.save(os.path.join(out, f'ref-{tag}-x.npy'), x)
    np.save(os.path.join(out, f'ref-{tag}-cls.npy'), hidden[:, 0].numpy().astype(np.float32))
    np.save(os.path.join(out, f'ref-{tag}-temporal.npy'), torch.stack(tl).numpy().astype(np.float32))
    np.save(os.path.join(out, f'ref-{tag}-spatial.npy'), torch.stack(sl).numpy().astype(np.float32))


CONVERSIONS = {
    'fp16': convert_fp16,
    'int8': lambda m: quantize_dynamic(m, signed=True, conv=False),
    'uint8': lambda m: quantize_dynamic(m, signed=False, conv=True),
    'quantized': lambda m: quantize_dynamic(m, signed=False, conv=True),
    'q4': quantize_q4,
    'q4f16': lambda m: convert_fp16(quantize_q4(m)),
    'bnb4': quantize_bnb4,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True, help='output folder (replicas) or file (--convert)')
    ap.add_argument('--convert', help='convert this fp32 .onnx (e.g. the full-size bench model) instead')
    ap.add_argument('--variant', choices=sorted(CONVERSIONS), help='with --convert: the conversion')
    args = ap.parse_args()
    if args.convert:
        m = CONVERSIONS[args.variant](onnx.load(args.convert))
        m.producer_name = f'vsum make_variants.py ({args.variant})'
        m.producer_version = ''
        tmp = args.out + '.tmp'
        onnx.save(m, tmp)
        os.replace(tmp, args.out)
        return
    out = args.out
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)

    # 8-frame tiny (48×48, 3×3 patches) and, for the 4-frame trace, an even grid (64×64, 4×4): HF's layer reshapes
    # with the config's 8 frames, which a 4-frame trace only survives when (P·4/8) divides by the grid width.
    configs = {'tiny': tiny.Config(), 'tiny64': tiny.Config(image_size=64)}
    models = {}
    for tag, c in configs.items():
        m = tiny.TimesformerForVideoClassification(c).eval()
        tiny.randomise(m, torch.Generator().manual_seed(1234), 1.5)
        models[tag] = m
        references(m, c, out, tag)

    def path(v):
        return os.path.join(out, f'tiny-{v}.onnx')

    tiny.export(models['tiny'], configs['tiny'], path('fp32'), opset=14)
    tiny.export(models['tiny'], configs['tiny'], path('opset17'), opset=17)
    tiny.export(models['tiny64'], configs['tiny64'], path('frames4'), opset=14, frames=4)
    base = onnx.load(path('fp32'))

    def fresh():
        m = onnx.ModelProto()
        m.CopyFrom(base)
        return m

    built = {v: convert(fresh()) for v, convert in CONVERSIONS.items()}
    for v, m in built.items():
        m.producer_name = f'vsum make_variants.py ({v})'
        m.producer_version = ''
        onnx.save(m, path(v))
    manifest = {v: {'file': f'tiny-{v}.onnx', 'config': 'tiny64' if v == 'frames4' else 'tiny'}
                for v in ['fp32', 'opset17', 'frames4', *built]}
    with open(os.path.join(out, 'variants.json'), 'w') as f:
        json.dump({'variants': manifest, 'configs': {k: c.__dict__ for k, c in configs.items()}}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
