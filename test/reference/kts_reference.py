"""Reference KTS (docs/ALGORITHMS.md §kts): the numpy cpd_nonlin / cpd_auto vsum's kts.ts must match exactly.

Written from the algorithm description; same float64 expression order as DSNet's src/kts (cumsum over axis 0
then axis 1, scatter numerator ((D[j+1] + D[i]) - K2[j+1, i]) - K2[i, j+1), argmin = first minimum, 1e101 for
unreachable states, I[0, 1:lmax] initialisation).

stdin: JSON list of cases {"K": n*n flat list, "n": n, "ncp": m, "vmax": v, "lmax": L or null, "mode": "auto"|"nonlin"}
   or {"X": rows (features), "ncp": ..., "time": true} for the benchmark (kernel from L2-normalised features),
   or {"Xn": rows already L2-normalised, "ncp": ..., "lmax": L} (K = Xn @ Xn.T; bounded runs on long inputs).
stdout: JSON list of {"cps": [...], "scores": [...]} (and "seconds" when timed).
"""
import json
import sys
import time

import numpy as np


def scatter_matrix(K):
    n = K.shape[0]
    K1 = np.cumsum([0] + list(np.diag(K)))
    K2 = np.zeros((n + 1, n + 1))
    K2[1:, 1:] = np.cumsum(np.cumsum(K, 0), 1)
    D = np.diag(K2)
    i = np.arange(n).reshape((-1, 1))
    j = np.arange(n).reshape((1, -1))
    lengths = (j - i + 1).astype(np.float32) + (j == i - 1).astype(np.float32)
    S = K1[1:].reshape((1, -1)) - K1[:-1].reshape((-1, 1)) - (
        D[1:].reshape((1, -1)) + D[:-1].reshape((-1, 1)) - K2[1:, :-1].T - K2[:-1, 1:]) / lengths
    S[j < i] = 0
    return S


def nonlin(K, m, lmax=100000, backtrack=True):
    m = int(m)
    n = K.shape[0]
    assert (m + 1) <= n <= (m + 1) * lmax
    J = scatter_matrix(K)
    I = 1e101 * np.ones((m + 1, n + 1))
    I[0, 1:lmax] = J[0, 0:lmax - 1]
    p = np.zeros((m + 1, n + 1), dtype=int) if backtrack else None
    for k in range(1, m + 1):
        for l in range(k + 1, n + 1):
            tmin = max(k, l - lmax)
            c = J[tmin:l, l - 1] + I[k - 1, tmin:l]
            I[k, l] = np.min(c)
            if backtrack:
                p[k, l] = np.argmin(c) + tmin
    cps = np.zeros(m, dtype=int)
    if backtrack:
        cur = n
        for k in range(m, 0, -1):
            cps[k - 1] = p[k, cur]
            cur = cps[k - 1]
    scores = I[:, n].copy()
    scores[scores > 1e99] = np.inf
    return cps, scores


def auto(K, ncp, vmax, lmax=100000):
    m = ncp
    _, scores = nonlin(K, m, lmax, backtrack=False)
    N = K.shape[0]
    penalties = np.zeros(m + 1)
    steps = np.arange(1, m + 1)
    penalties[1:] = (vmax * steps / (2.0 * N)) * (np.log(float(N) / steps) + 1)
    costs = scores / float(N) + penalties
    m_best = np.argmin(costs)
    cps, _ = nonlin(K, m_best, lmax)
    return cps, costs


def main():
    cases = json.load(sys.stdin)
    out = []
    for c in cases:
        lmax = c.get("lmax") or 100000
        t0 = time.perf_counter()
        if "X" in c:
            X = np.asarray(c["X"], dtype=np.float64)
            X = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-300)
            K = X @ X.T
        elif "Xn" in c:
            X = np.asarray(c["Xn"], dtype=np.float64)
            K = X @ X.T
        else:
            K = np.asarray(c["K"], dtype=np.float64).reshape(c["n"], c["n"])
        if c.get("mode") == "nonlin":
            cps, scores = nonlin(K, c["ncp"], lmax)
        else:
            cps, scores = auto(K, c["ncp"], c.get("vmax", 1), lmax)
        seconds = time.perf_counter() - t0
        out.append({"cps": [int(v) for v in cps],
                    "scores": [float(v) if np.isfinite(v) else None for v in scores],
                    "seconds": seconds})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
