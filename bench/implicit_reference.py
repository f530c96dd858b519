"""The `implicit` library's ALS (64 factors, 15 iterations) and CosineRecommender (K=100) timed on an
interactions CSV (USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE with numeric ids, as bench/ml25m-data.ts
writes): the same-run reference of the scale5m / scale25m bench suites. Prints one JSON line.
Parsing the CSV is not timed (implicit has no import step); building the sparse matrix and each fit are."""
import json
import os
import resource
import sys
import time

os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')  # implicit's advice: its own threads, not BLAS's
import numpy as np
import scipy.sparse as sp
import implicit
from implicit.als import AlternatingLeastSquares
from implicit.nearest_neighbours import CosineRecommender


def main(path):
    with open(path, 'r') as f:
        f.readline()  # header
        text = f.read()
    # "u,i,t,rating,v" lines -> 4 numbers per row
    values = np.fromstring(text.replace(',rating,', ',').replace('\n', ','), sep=',')
    del text
    rows = values.reshape(-1, 4)
    users = rows[:, 0].astype(np.int32)
    items = rows[:, 1].astype(np.int32)
    del values, rows
    t0 = time.perf_counter()
    _, u = np.unique(users, return_inverse=True)
    _, i = np.unique(items, return_inverse=True)
    m = sp.csr_matrix((np.ones(len(u), dtype=np.float32), (u, i)))
    m = m.tocsr()
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    als = AlternatingLeastSquares(factors=64, iterations=15, regularization=0.01, random_state=1)
    als.fit(m, show_progress=False)
    als_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    knn = CosineRecommender(K=100)
    knn.fit(m, show_progress=False)
    cos_s = time.perf_counter() - t0
    print(json.dumps({
        'implicit': implicit.__version__, 'rows': int(len(u)), 'users': int(m.shape[0]), 'items': int(m.shape[1]),
        'matrix_s': build, 'als_s': als_s, 'cosine_s': cos_s,
        'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == '__main__':
    main(sys.argv[1])
