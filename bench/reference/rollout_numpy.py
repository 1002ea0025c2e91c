"""Bench baseline for attention rollout: the full-product numpy reference of docs/ALGORITHMS.md §rollout (divided
space-time), i.e. the (N·T)² matrix W per layer and R = W_L ⋯ W_1 as the original notebooks compute it.

argv: temporal raw f32 [L, P, H, T, T], spatial raw f32 [L, T, H, N, N], L, H, T, P, repeats.
Prints {"seconds": [...], "mask": [P*T values, index p*T + t]} (timing covers the computation, not loading)."""
import json
import sys
import time

import numpy as np

tpath, spath = sys.argv[1], sys.argv[2]
L, H, T, P, repeats = map(int, sys.argv[3:8])
N = P + 1
temporal = np.fromfile(tpath, dtype=np.float32).reshape(L, P, H, T, T)
spatial = np.fromfile(spath, dtype=np.float32).reshape(L, T, H, N, N)


def layer_matrix(tl, sl):
    t = tl.astype(np.float64).mean(axis=1)                      # [P, T, T]
    tp = np.concatenate([np.eye(T)[None], t], axis=0)           # CLS gets an identity block -> [N, T, T]
    tp = tp + np.eye(T)[None]
    tp = tp / tp.sum(axis=-1, keepdims=True)
    s = sl.astype(np.float64).mean(axis=1) + np.eye(N)[None]   # [T, N, N]
    s = s / s.sum(axis=-1, keepdims=True)
    w = np.einsum('tpq,qtk->ptqk', s, tp)                       # W[(p,t),(q,k)] = S[t][p][q] * T'[q][t][k]
    w[0] = w[0].mean(axis=0, keepdims=True)                     # CLS rows averaged over frames
    return w.reshape(N * T, N * T)


def rollout():
    r = np.eye(N * T)
    for l in range(L):
        r = layer_matrix(temporal[l], spatial[l]) @ r
    cls = r.reshape(N, T, N, T)[0].mean(axis=0)                 # CLS rows, averaged over frames -> [N, T]
    mask = cls[1:]                                              # drop the CLS column -> [P, T]
    return mask / mask.max()


seconds, mask = [], None
for _ in range(repeats):
    t0 = time.perf_counter()
    mask = rollout()
    seconds.append(time.perf_counter() - t0)
json.dump({"seconds": seconds, "mask": mask.reshape(-1).tolist()}, sys.stdout)
