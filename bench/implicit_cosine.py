"""The `implicit` library's CosineRecommender (K=100) timed on an interactions CSV (numeric USER_ID,ITEM_ID,...
as bench/ml25m-data.ts writes): the same-run reference of the sims5m / sims25m bench suites (bench/sims.ts).
Parsing the CSV and building the sparse matrix are not timed (our side's TrainingData is built untimed too).
Prints one JSON line."""
import json
import os
import sys
import time

os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')
import numpy as np
import scipy.sparse as sp
import implicit
from implicit.nearest_neighbours import CosineRecommender


def main(path, repeats):
    users, items = [], []
    with open(path, 'r') as f:
        f.readline()  # header
        for chunk in iter(lambda: f.readlines(1 << 26), []):
            a = np.loadtxt(chunk, delimiter=',', usecols=(0, 1), dtype=np.int64, ndmin=2)
            users.append(a[:, 0]); items.append(a[:, 1])
    _, u = np.unique(np.concatenate(users), return_inverse=True)
    _, i = np.unique(np.concatenate(items), return_inverse=True)
    m = sp.csr_matrix((np.ones(len(u), dtype=np.float32), (u, i))).tocsr()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        CosineRecommender(K=100).fit(m, show_progress=False)
        times.append(time.perf_counter() - t0)
    print(json.dumps({'implicit': implicit.__version__, 'rows': int(len(u)), 'cosine_s': times}))


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1)
