"""rethinking-evs' knapsack_solver.knapsack and summarizer.summarize, transcribed as the reference that vsum's
knapsack, keyshots and random baseline are checked against (docs/ALGORITHMS.md §knapsack, §random-baseline). Test-time
only; imported by the tests' inline scripts (sys.path) and by the bench's Python baselines."""
import numpy as np


def knapsack(items, maxweight):
    N = len(items)
    W = maxweight
    best = [[0] * (W + 1) for i in range(N + 1)]
    for i, (value, weight) in enumerate(items):
        for capacity in range(maxweight + 1):
            if weight > capacity:
                best[i + 1][capacity] = best[i][capacity]
            else:
                best[i + 1][capacity] = max(best[i][capacity], best[i][capacity - weight] + value)
    rec = []
    j = maxweight
    for i in range(N, 0, -1):
        if best[i][j] != best[i - 1][j]:
            rec.append(i - 1)
            j -= items[i - 1][1]
    rec.reverse()
    return rec


def summarize(score, segment, capacity):
    score = np.asarray(score).ravel()
    f_idx = np.zeros_like(score)
    score = [x for x in np.split(score, segment) if x.size]
    f_idx = [x for x in np.split(f_idx, segment) if x.size]
    sel = knapsack([(x.mean(), x.size) for x in score], capacity)
    for si in sel:
        f_idx[si][:] = 1
    return np.hstack(f_idx)
