"""DSNet's eccv16 evaluation (src/helpers/vsumm_helper.py get_keyshot_summ + get_summ_f1score, with the OR-tools
KNAPSACK_DYNAMIC_PROGRAMMING_SOLVER it calls, and data_helper.VideoDataset's h5 reading), transcribed as the
reference vsum's `evaluate --gt X.h5 --scores` is checked against. Test-time only.

Usage: dsnet_reference.py DATASET.h5 SCORES(.h5|.json) → JSON {"videos": {key: {f1s, min, avg, max, kendall,
spearman, summary_ones, shots}}} on stdout.
"""
import json
import sys

import h5py
import numpy as np
from scipy import stats


def ortools_dp_knapsack(profits, weights, capacity):
    """OR-tools' KnapsackSolver(KNAPSACK_DYNAMIC_PROGRAMMING_SOLVER): Init's capacity reduction, then Solve's
    repeated sub-problems (1-D DP, capacities downward, strict improvement, 'last improving item' per capacity)."""
    n = len(profits)
    if sum(weights) <= capacity:
        return list(range(n))  # ReduceCapacities: no active capacity, every item packed
    best = [False] * n
    remaining, num_items = capacity, n
    while remaining > 0 and num_items > 0:
        profit = [0] * (remaining + 1)
        selected = [0] * (remaining + 1)
        for item in range(num_items):
            w, p = weights[item], profits[item]
            for c in range(remaining, w - 1, -1):
                if profit[c - w] + p > profit[c]:
                    profit[c] = profit[c - w] + p
                    selected[c] = item
        chosen = selected[remaining]
        remaining -= weights[chosen]
        num_items = chosen
        if remaining >= 0:
            best[chosen] = True
    return [i for i in range(n) if best[i]]


def keyshot_summary(pred, cps, n_frames, nfps, picks, proportion=0.15):
    frame_scores = np.zeros(n_frames, dtype=np.float32)
    for i in range(len(picks)):
        lo = picks[i]
        hi = picks[i + 1] if i + 1 < len(picks) else n_frames
        frame_scores[lo:hi] = pred[i]
    seg_scores = np.zeros(len(cps), dtype=np.int32)
    for s, (first, last) in enumerate(cps):
        seg_scores[s] = int(1000 * frame_scores[first:last + 1].mean())
    limit = int(n_frames * proportion)
    packed = ortools_dp_knapsack([int(x) for x in seg_scores], [int(x) for x in nfps], limit)
    summary = np.zeros(n_frames, dtype=bool)
    for s in packed:
        first, last = cps[s]
        summary[first:last + 1] = True
    return summary, packed


def f1_score(pred, test):
    pred = np.asarray(pred, dtype=bool)
    test = np.asarray(test, dtype=bool)
    overlap = (pred & test).sum()
    if overlap == 0:
        return 0.0
    precision = overlap / pred.sum()
    recall = overlap / test.sum()
    return float(2 * precision * recall / (precision + recall))


def user_f1s(pred_summ, user_summary):
    pred_summ = np.asarray(pred_summ, dtype=bool)
    test = np.asarray(user_summary, dtype=bool)
    _, n = test.shape
    if pred_summ.size > n:
        pred_summ = pred_summ[:n]
    elif pred_summ.size < n:
        pred_summ = np.pad(pred_summ, (0, n - pred_summ.size))
    return [f1_score(u, pred_summ) for u in test]


def finite_or_none(x):
    return float(x) if np.isfinite(x) else None  # JSON has no NaN (a constant score has no rank correlation)


def read_scores(path):
    if h5py.is_hdf5(path):
        with h5py.File(path, 'r') as f:
            return {k: f[k]['score'][...] for k in f.keys()}
    with open(path) as fh:
        return {k: np.asarray(v, dtype=np.float64) for k, v in json.load(fh).items()}


def main():
    dataset, scores_path = sys.argv[1], sys.argv[2]
    scores = read_scores(scores_path)
    out = {}
    with h5py.File(dataset, 'r') as f:
        for key, pred in scores.items():
            v = f[key]
            cps = v['change_points'][...].astype(np.int32)
            n_frames = v['n_frames'][...].astype(np.int32)
            nfps = v['n_frame_per_seg'][...].astype(np.int32)
            picks = v['picks'][...].astype(np.int32)
            user_summary = v['user_summary'][...].astype(np.float32)
            summary, packed = keyshot_summary(pred, cps, int(n_frames), nfps, picks)
            f1s = user_f1s(summary, user_summary)
            rec = {'f1s': f1s, 'min': float(np.min(f1s)), 'avg': float(np.mean(f1s)), 'max': float(np.max(f1s)),
                   'summary_ones': int(summary.sum()), 'shots': packed}
            if 'gtscore' in v:
                gt = v['gtscore'][...]
                rec['kendall'] = finite_or_none(stats.kendalltau(pred, gt)[0])
                rec['spearman'] = finite_or_none(stats.spearmanr(pred, gt)[0])
            out[key] = rec
    json.dump({'videos': out}, sys.stdout)


if __name__ == '__main__':
    main()
