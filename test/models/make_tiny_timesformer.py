#!/usr/bin/python3
"""
Builds a random-weight TimeSformer whose module tree and forward pass mirror Hugging Face's
TimesformerForVideoClassification (divided space-time attention, CLS token, final LayerNorm, linear classifier on
the CLS token), exports it like the published ONNX files (opset 14, input `pixel_values` [batch, frames, 3, H, W],
output `logits`, dynamic axes), and saves PyTorch's reference outputs for fixed inputs as .npy.

Default: a tiny config (8 frames, 48x48, patch 16 -> 3x3 patches, hidden 32, 2 layers, 2 heads) written next to
this script and committed, so CI needs no torch. `--full` builds the real-size config (224, hidden 768, 12 layers,
12 heads, 600 classes) with random weights, for benchmarks only (about 490 MB; never commit it).

Run with Debian's python (python3-torch, python3-onnx): /usr/bin/python3 test/models/make_tiny_timesformer.py
"""
import argparse
import json
import math
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


class Config:
    def __init__(self, **kw):
        self.num_frames = 8
        self.image_size = 48
        self.patch_size = 16
        self.num_channels = 3
        self.hidden_size = 32
        self.num_hidden_layers = 2
        self.num_attention_heads = 2
        self.intermediate_size = 128
        self.num_labels = 5
        self.layer_norm_eps = 1e-6
        self.__dict__.update(kw)


class TimesformerPatchEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.projection = nn.Conv2d(c.num_channels, c.hidden_size, kernel_size=c.patch_size, stride=c.patch_size)

    def forward(self, pixel_values):
        b, t, ch, h, w = pixel_values.shape
        x = self.projection(pixel_values.reshape(b * t, ch, h, w))
        patch_width = x.size(-1)
        return x.flatten(2).transpose(1, 2), t, patch_width


class TimesformerEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        n = (c.image_size // c.patch_size) ** 2
        self.patch_embeddings = TimesformerPatchEmbeddings(c)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, c.hidden_size))
        self.position_embeddings = nn.Parameter(torch.zeros(1, n + 1, c.hidden_size))
        self.time_embeddings = nn.Parameter(torch.zeros(1, c.num_frames, c.hidden_size))

    def forward(self, pixel_values):
        b = pixel_values.shape[0]
        x, t, _ = self.patch_embeddings(pixel_values)
        x = torch.cat((self.cls_token.expand(x.size(0), -1, -1), x), dim=1)
        x = x + self.position_embeddings
        cls = x[:b, 0, :].unsqueeze(1)
        x = x[:, 1:]
        _, p, d = x.shape
        x = x.reshape(b, t, p, d).permute(0, 2, 1, 3).reshape(b * p, t, d)
        if t != self.time_embeddings.size(1):
            # HF's branch for a frame count other than the table's: nearest interpolation of the table. Tracing with
            # such a dummy input bakes it in (constant folding stores the table as [1, hidden, frames] before a Resize).
            te = self.time_embeddings.transpose(1, 2)
            te = nn.functional.interpolate(te, size=(t), mode='nearest')
            x = x + te.transpose(1, 2)
        else:
            x = x + self.time_embeddings
        x = x.view(b, p, t, d).reshape(b, p * t, d)
        return torch.cat((cls, x), dim=1)


class TimesformerSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.num_heads = c.num_attention_heads
        self.scale = (c.hidden_size // c.num_attention_heads) ** -0.5
        self.qkv = nn.Linear(c.hidden_size, c.hidden_size * 3, bias=True)

    def forward(self, h, probs_out=None):
        b, n, d = h.shape
        qkv = self.qkv(h).reshape(b, n, 3, self.num_heads, d // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        a = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)
        if probs_out is not None:
            probs_out.append(a.detach().clone())
        return (a @ v).transpose(1, 2).reshape(b, n, d)


class TimesformerSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, h):
        return self.dense(h)


class TimeSformerAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = TimesformerSelfAttention(c)
        self.output = TimesformerSelfOutput(c)

    def forward(self, h, probs_out=None):
        return self.output(self.attention(h, probs_out))


class TimesformerIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)
        self.intermediate_act_fn = nn.GELU()

    def forward(self, h):
        return self.intermediate_act_fn(self.dense(h))


class TimesformerOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.intermediate_size, c.hidden_size)

    def forward(self, h):
        return self.dense(h)


class TimesformerLayer(nn.Module):
    """Divided space-time attention exactly as HF: temporal attention over patch tokens (CLS excluded), then
    spatial attention per frame with the CLS token repeated per frame and its outputs averaged over frames."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        self.attention = TimeSformerAttention(c)
        self.intermediate = TimesformerIntermediate(c)
        self.output = TimesformerOutput(c)
        self.layernorm_before = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.layernorm_after = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.temporal_layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.temporal_attention = TimeSformerAttention(c)
        self.temporal_dense = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, hidden_states, temporal_out=None, spatial_out=None):
        t = self.c.num_frames
        pw = self.c.image_size // self.c.patch_size
        b = hidden_states.shape[0]
        ph = ((hidden_states.size(1) - 1) // t) // pw
        d = hidden_states.shape[2]

        te = hidden_states[:, 1:, :].reshape(b, ph, pw, t, d).reshape(b * ph * pw, t, d)
        res_t = self.temporal_attention(self.temporal_layernorm(te), temporal_out)
        res_t = res_t.reshape(b, ph, pw, t, d).reshape(b, ph * pw * t, d)
        res_t = self.temporal_dense(res_t)
        te = hidden_states[:, 1:, :] + res_t

        init_cls = hidden_states[:, 0, :].unsqueeze(1)
        cls = init_cls.repeat(1, t, 1).reshape(b * t, 1, d)
        se = te.reshape(b, ph, pw, t, d).permute(0, 3, 1, 2, 4).reshape(b * t, ph * pw, d)
        se = torch.cat((cls, se), 1)
        res_s = self.attention(self.layernorm_before(se), spatial_out)
        cls = torch.mean(res_s[:, 0, :].reshape(b, t, d), 1, True)
        res_s = res_s[:, 1:, :].reshape(b, t, ph, pw, d).permute(0, 2, 3, 1, 4).reshape(b, ph * pw * t, d)

        h = torch.cat((init_cls, te), 1) + torch.cat((cls, res_s), 1)
        out = self.output(self.intermediate(self.layernorm_after(h)))
        return h + out


class TimesformerEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([TimesformerLayer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, h, temporal_out=None, spatial_out=None):
        for layer in self.layer:
            h = layer(h, temporal_out, spatial_out)
        return h


class TimesformerModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = TimesformerEmbeddings(c)
        self.encoder = TimesformerEncoder(c)
        self.layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, pixel_values, temporal_out=None, spatial_out=None):
        return self.layernorm(self.encoder(self.embeddings(pixel_values), temporal_out, spatial_out))


class TimesformerForVideoClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.timesformer = TimesformerModel(c)
        self.classifier = nn.Linear(c.hidden_size, c.num_labels)

    def forward(self, pixel_values):
        return self.classifier(self.timesformer(pixel_values)[:, 0])


class NotTimesformer(nn.Module):
    """A video classifier of the same input/output signature that is not a TimeSformer (VideoMAE-style: one
    joint attention per layer, mean pooling, fc_norm) — the surgery must refuse it."""

    def __init__(self, c):
        super().__init__()
        self.proj = nn.Conv3d(3, c.hidden_size, kernel_size=(2, c.patch_size, c.patch_size), stride=(2, c.patch_size, c.patch_size))
        self.attn = nn.MultiheadAttention(c.hidden_size, c.num_attention_heads, batch_first=True)
        self.fc_norm = nn.LayerNorm(c.hidden_size)
        self.classifier = nn.Linear(c.hidden_size, c.num_labels)

    def forward(self, pixel_values):
        x = self.proj(pixel_values.permute(0, 2, 1, 3, 4)).flatten(2).transpose(1, 2)
        x = x + self.attn(x, x, x, need_weights=False)[0]
        return self.classifier(self.fc_norm(x.mean(1)))


def randomise(model, gen, std):
    """Random weights large enough that attention is far from uniform (so rollout tests mean something)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith('layernorm.weight') or 'layernorm' in name and name.endswith('weight'):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
            elif p.dim() == 1:
                p.copy_(0.05 * torch.randn(p.shape, generator=gen))
            else:
                fan_in = p[0].numel() if p.dim() > 1 else p.numel()
                p.copy_(torch.randn(p.shape, generator=gen) * std / math.sqrt(max(fan_in, 1)) * math.sqrt(p.shape[-1] if p.dim() == 3 else 1))


def test_frames(b, t, size):
    """Deterministic pseudo-random bytes [b, t, size, size, 3] that the TypeScript tests regenerate exactly
    (an LCG on the flat index), so no frame file needs committing."""
    i = np.arange(b * t * size * size * 3, dtype=np.int64)
    v = ((i * 1103515245 + 12345) % 2147483648) // 65536 % 256
    return v.astype(np.uint8).reshape(b, t, size, size, 3)


def export(model, c, path, batch=1, opset=14, frames=None):
    dummy = torch.zeros(batch, frames or c.num_frames, c.num_channels, c.image_size, c.image_size)
    torch.onnx.export(
        model, (dummy,), path, input_names=['pixel_values'], output_names=['logits'], opset_version=opset,
        do_constant_folding=True,
        dynamic_axes={'pixel_values': {0: 'batch_size', 1: 'num_frames', 2: 'num_channels', 3: 'height', 4: 'width'},
                      'logits': {0: 'batch_size'}})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--full', action='store_true', help='real-size random-weight model for benchmarks (never commit)')
    ap.add_argument('--out', default=None, help='output folder (default: next to this script; --full: bench/tmp)')
    ap.add_argument('--bench-torch', type=int, metavar='N', help='with --full: time N clips through PyTorch, batch 1 '
                    '(the original\'s loop), and print JSON: seconds per clip and the CLS of the first clip')
    ap.add_argument('--threads', type=int, default=0, help='with --bench-torch: torch threads (default: all cores)')
    args = ap.parse_args()
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1234)

    if args.full:
        c = Config(image_size=224, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                   intermediate_size=3072, num_labels=600)
        out = args.out or os.path.join(HERE, '..', '..', 'bench', 'tmp')
        os.makedirs(out, exist_ok=True)
        m = TimesformerForVideoClassification(c).eval()
        randomise(m, gen, 1.0)
        if args.bench_torch:
            import time
            if args.threads:
                torch.set_num_threads(args.threads)
            frames = test_frames(1, c.num_frames, c.image_size)
            x = ((frames.astype(np.float32) / 255.0 - np.float32(0.45)) / np.float32(0.225)).astype(np.float32)
            x = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 1, 4, 2, 3)))
            times, cls = [], None
            with torch.no_grad():
                m.timesformer(x)  # warm-up
                for _ in range(args.bench_torch):
                    t0 = time.perf_counter()
                    h = m.timesformer(x)
                    times.append(time.perf_counter() - t0)
                    cls = h[0, 0].tolist()
            print(json.dumps({'seconds': times, 'threads': torch.get_num_threads(), 'torch': torch.__version__, 'cls': cls}))
            return
        path = os.path.join(out, 'full-random-timesformer.onnx')
        export(m, c, path)
        print(path)
        return

    c = Config()
    out = args.out or HERE
    os.makedirs(out, exist_ok=True)
    m = TimesformerForVideoClassification(c).eval()
    randomise(m, gen, 1.5)
    export(m, c, os.path.join(out, 'tiny-timesformer.onnx'))

    # Fixed input: uint8 frames as the decoder delivers them [batch, frames, H, W, 3]. The default mode normalises
    # with the k600 checkpoint's 0.45/0.225; the seed-faithful mode with VideoMAE's ImageNet constants by channel
    # position (the decoder delivers BGR there; channel order is the decoder's business, not the model's).
    b = 3
    frames = test_frames(b, c.num_frames, c.image_size)
    refs = {'default': (np.array([0.45] * 3), np.array([0.225] * 3)),
            'seed': (np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225]))}
    for mode, (mean, std) in refs.items():
        x = ((frames.astype(np.float32) / 255.0 - mean.astype(np.float32)) / std.astype(np.float32)).astype(np.float32)
        x = np.ascontiguousarray(x.transpose(0, 1, 4, 2, 3))  # [b, t, 3, H, W]
        with torch.no_grad():
            tl, sl = [], []
            hidden = m.timesformer(torch.from_numpy(x), tl, sl)
            logits = m.classifier(hidden[:, 0])
        suffix = '' if mode == 'default' else '-seed'
        np.save(os.path.join(out, f'tiny-cls{suffix}.npy'), hidden[:, 0].numpy().astype(np.float32))
        np.save(os.path.join(out, f'tiny-logits{suffix}.npy'), logits.numpy().astype(np.float32))
        if mode == 'default':
            # [layers, batch*P, heads, T, T] and [layers, batch*T, heads, P+1, P+1]
            np.save(os.path.join(out, 'tiny-attn-temporal.npy'), torch.stack(tl).numpy().astype(np.float32))
            np.save(os.path.join(out, 'tiny-attn-spatial.npy'), torch.stack(sl).numpy().astype(np.float32))

    nt = NotTimesformer(c).eval()
    randomise(nt, gen, 1.0)
    export(nt, c, os.path.join(out, 'not-timesformer.onnx'))
    with open(os.path.join(out, 'tiny-config.json'), 'w') as f:
        json.dump({k: v for k, v in c.__dict__.items()}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
