"""Writes a small multi-video dataset in the eccv16 layout (and a vsumm-reinforce-style results file) with h5py,
covering the published variants: int64 / int32 / float64 integer fields, gtsummary and n_steps missing (DSNet's
make_dataset), video_name as fixed bytes, as a str, or absent. Scores include ties, all-zero shots and values at
the int(1000 · mean) truncation edge, which is where keyshot protocols disagree. Test-time generator only.

Usage: make_eccv16.py DATASET.h5 RESULTS.h5 SEED
"""
import sys

import h5py
import numpy as np


def shots_tiling(rng, n_frames, lo=20, hi=160):
    cps, start = [], 0
    while start < n_frames:
        end = min(n_frames, start + int(rng.integers(lo, hi)))
        if n_frames - end < lo:
            end = n_frames
        cps.append([start, end - 1])
        start = end
    return np.array(cps)


def user_summaries(rng, cps, n_frames, n_users):
    out = np.zeros((n_users, n_frames), dtype=np.float32)
    for u in range(n_users):
        budget = int(0.15 * n_frames)
        for s in rng.permutation(len(cps)):
            a, b = cps[s]
            if b - a + 1 <= budget:
                out[u, a:b + 1] = 1
                budget -= b - a + 1
    return out


def main():
    dataset, results, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = np.random.default_rng(seed)
    with h5py.File(dataset, 'w') as f, h5py.File(results, 'w') as r:
        for i in range(1, 8):
            key = f'video_{i}'
            n_frames = int(rng.integers(200, 2500))
            picks = np.arange(0, n_frames, 15)
            n_steps = len(picks)
            cps = shots_tiling(rng, n_frames)
            if i == 6:
                cps = np.array([[0, 9], [10, 19]])  # shots covering only the start: every shot fits the budget
            nfps = cps[:, 1] - cps[:, 0] + 1
            users = user_summaries(rng, shots_tiling(rng, n_frames, 30, 120), n_frames, int(rng.integers(3, 7)))
            gtscore = users[:, picks].mean(axis=0).astype(np.float32)
            g = f.create_group(key)
            int_t = np.int32 if i == 4 else np.int64
            g['features'] = rng.random((n_steps, 16)).astype(np.float32)
            g['picks'] = picks.astype(int_t)
            g['n_frames'] = np.float64(n_frames) if i == 3 else int_t(n_frames)
            g['gtscore'] = gtscore
            g['user_summary'] = users
            g['change_points'] = cps.astype(int_t)
            g['n_frame_per_seg'] = nfps.astype(int_t)
            if i != 2:  # DSNet's make_dataset writes neither of these
                g['n_steps'] = n_steps
                g['gtsummary'] = (gtscore > 0.5).astype(np.float32)
            if i == 1:
                g['video_name'] = np.bytes_(b'Air_Force_One')
            elif i == 5:
                g['video_name'] = 'Base jumping'
            kind = i % 4
            if kind == 0:
                score = rng.random(n_steps)
            elif kind == 1:
                score = np.round(rng.random(n_steps) * 4) / 4  # many ties
            elif kind == 2:
                score = np.where(rng.random(n_steps) < 0.5, 0.0, rng.random(n_steps))  # zero shots
            else:
                score = (rng.integers(0, 1000, n_steps) + rng.choice([-1e-7, 0, 1e-7], n_steps)) / 1000  # truncation edge
            if i == 7:
                score = np.zeros(n_steps)  # no shot has profit: OR-tools still packs shot 0
            rg = r.create_group(key)
            rg['score'] = np.clip(score, 0, 1).astype(np.float32)
            rg['machine_summary'] = np.zeros(n_frames, dtype=np.float32)
            rg['fm'] = 0.0


if __name__ == '__main__':
    main()
