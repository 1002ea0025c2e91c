"""Bench baselines for evaluation, written like rethinking-evs' notebooks: per video, scikit-learn's f1_score of
the summary against every user, min/mean/max, averaged over videos; and the random baseline (uniform scores,
mean per segment of the submission's split, rethinking-evs' pure-Python knapsack at int(N * 0.15), f1 per user).

argv: mode (evaluate|random), data dir (users.u8 [V, U, N], summary.u8 [V, N], meta.json {V, U, N, segments}),
repeats (evaluate) or runs (random). Prints {"seconds": [...], "mean": {"min", "avg", "max"}} — seconds per
repeat (evaluate) or per run (random); loading is not timed."""
import json
import os
import sys
import time

import numpy as np
from sklearn.metrics import f1_score

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'reference'))
from evs_reference import knapsack  # noqa: E402  rethinking-evs' solver, shared with the tests


def evaluate(users, summaries):
    mins, avgs, maxs = [], [], []
    for v in range(users.shape[0]):
        f = [f1_score(users[v, u], summaries[v]) for u in range(users.shape[1])]
        mins.append(min(f)); avgs.append(np.mean(f)); maxs.append(max(f))
    return {"min": float(np.mean(mins)), "avg": float(np.mean(avgs)), "max": float(np.mean(maxs))}


def random_summaries(rng, segments, V, N):
    out = np.zeros((V, N), dtype=np.uint8)
    for v in range(V):
        scores = rng.random(N)
        pieces = [p for p in np.split(scores, segments[v]) if len(p) > 0]
        values = [float(p.mean()) for p in pieces]
        weights = [len(p) for p in pieces]
        picks = set(knapsack(list(zip(values, weights)), int(N * 0.15)))
        start = 0
        for i, w in enumerate(weights):
            if i in picks:
                out[v, start:start + w] = 1
            start += w
    return out


def main():
    mode, d, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    meta = json.load(open(os.path.join(d, "meta.json")))
    V, U, N = meta["V"], meta["U"], meta["N"]
    users = np.fromfile(os.path.join(d, "users.u8"), dtype=np.uint8).reshape(V, U, N)
    summary = np.fromfile(os.path.join(d, "summary.u8"), dtype=np.uint8).reshape(V, N)
    seconds, result = [], None
    if mode == "evaluate":
        for _ in range(count):
            t0 = time.perf_counter()
            result = evaluate(users, summary)
            seconds.append(time.perf_counter() - t0)
    else:
        rng = np.random.default_rng(0)
        acc = []
        for _ in range(count):
            t0 = time.perf_counter()
            acc.append(evaluate(users, random_summaries(rng, meta["segments"], V, N)))
            seconds.append(time.perf_counter() - t0)
        result = {k: float(np.mean([a[k] for a in acc])) for k in ("min", "avg", "max")}
    json.dump({"seconds": seconds, "mean": result}, sys.stdout)


if __name__ == "__main__":
    main()
