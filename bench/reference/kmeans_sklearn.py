"""Bench baseline for k-means: scikit-learn KMeans (k-means++ init, n_init restarts, Lloyd) on the same float32
matrix. argv: raw float32 file, n, d, k, n_init, max_iter, repeats. Prints {"seconds": [...], "inertia": f}
(timing covers fit only, not loading)."""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans

path, n, d, k, n_init, max_iter, repeats = sys.argv[1], *map(int, sys.argv[2:8])
X = np.fromfile(path, dtype=np.float32).reshape(n, d)
seconds, inertia = [], None
for rep in range(repeats):
    t0 = time.perf_counter()
    km = KMeans(n_clusters=k, init="k-means++", n_init=n_init, max_iter=max_iter, algorithm="lloyd", random_state=rep).fit(X)
    seconds.append(time.perf_counter() - t0)
    inertia = float(km.inertia_) if inertia is None else min(inertia, float(km.inertia_))
json.dump({"seconds": seconds, "inertia": inertia}, sys.stdout)
