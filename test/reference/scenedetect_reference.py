"""Test-time reference for vsum's shot detectors: a transcription, in our own words, of PySceneDetect's
ContentDetector (default weights 1, 1, 1, 0; its minimum-length filter in MERGE mode) and AdaptiveDetector rules,
run on the very frames vsum scored (raw bgr24, read from a file), with OpenCV's own BGR->HSV conversion.

usage: scenedetect_reference.py FRAMES.bgr WIDTH HEIGHT CASES_JSON
         CASES_JSON: [["content", threshold, min_len] | ["adaptive", threshold, min_len, window, min_content], ...]
         prints JSON {"scores": [...], "cuts": [[...] for each case]}
       scenedetect_reference.py --hsv PIXELS.bgr         (prints the H, S, V planes as JSON lists)
"""
import json
import sys

import cv2
import numpy as np


def hsv_planes(frame):
    return cv2.split(cv2.cvtColor(frame, cv2.COLOR_BGR2HSV))


def mean_abs(a, b):
    return float(np.sum(np.abs(a.astype(np.int32) - b.astype(np.int32)))) / float(a.shape[0] * a.shape[1])


def frame_scores(frames):
    scores, last = [], None
    for f in frames:
        h, s, v = hsv_planes(f)
        if last is None:
            scores.append(0.0)
        else:
            parts = (mean_abs(h, last[0]), mean_abs(s, last[1]), mean_abs(v, last[2]), 0.0)
            weights = (1.0, 1.0, 1.0, 0.0)
            scores.append(sum(p * w for p, w in zip(parts, weights)) / sum(abs(w) for w in weights))
        last = (h, s, v)
    return scores


def content_cuts(scores, threshold, min_len):
    cuts = []
    last_above = None
    merge_enabled = merging = False
    merge_start = 0
    for f, score in enumerate(scores):
        above = score >= threshold
        if min_len <= 0:
            if above:
                cuts.append(f)
            continue
        if last_above is None:
            last_above = f
        met = (f - last_above) >= min_len
        if above:
            last_above = f
        if merging:
            if met and not above and (last_above - merge_start) >= min_len:
                merging = False
                cuts.append(last_above)
            continue
        if not above:
            continue
        if met:
            merge_enabled = True
            cuts.append(f)
        elif merge_enabled:
            merging = True
            merge_start = f
    return cuts


def adaptive_cuts(scores, threshold, min_len, window, min_content):
    cuts, buf, last_cut = [], [], None
    need = 1 + 2 * window
    for f, score in enumerate(scores):
        if last_cut is None:
            last_cut = f
        buf.append((f, score))
        if len(buf) < need:
            continue
        buf = buf[-need:]
        target, target_score = buf[window]
        mean = sum(s for i, (_, s) in enumerate(buf) if i != window) / (2.0 * window)
        if abs(mean) >= 0.00001:
            ratio = min(target_score / mean, 255.0)
        else:
            ratio = 255.0 if target_score >= min_content else 0.0
        if ratio >= threshold and target_score >= min_content and (f - last_cut) >= min_len:
            last_cut = target
            cuts.append(target)
    return cuts


def main(argv):
    if argv[0] == '--hsv':
        px = np.fromfile(argv[1], dtype=np.uint8).reshape(1, -1, 3)
        h, s, v = hsv_planes(px)
        print(json.dumps({'h': h.ravel().tolist(), 's': s.ravel().tolist(), 'v': v.ravel().tolist()}))
        return
    path, w, h, cases = argv[0], int(argv[1]), int(argv[2]), json.loads(argv[3])
    raw = np.fromfile(path, dtype=np.uint8)
    frames = raw[: (raw.size // (w * h * 3)) * w * h * 3].reshape(-1, h, w, 3)
    scores = frame_scores(frames)
    cuts = []
    for case in cases:
        if case[0] == 'content':
            cuts.append(content_cuts(scores, float(case[1]), int(case[2])))
        else:
            cuts.append(adaptive_cuts(scores, float(case[1]), int(case[2]), int(case[3]), float(case[4])))
    print(json.dumps({'scores': scores, 'cuts': cuts}))


if __name__ == '__main__':
    main(sys.argv[1:])
