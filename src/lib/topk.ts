// Exact top-k over a score buffer with a bounded min-heap: O(n log k), no per-item objects.
// Ties go to the lower index, so rankings are deterministic.

/**
 * Indices of the k highest scores among entries where `mask` is 1 (all entries when mask is null),
 * best first. Writes into `out` (length >= k) and returns how many were found.
 */
export function topK(scores: Float32Array, mask: Uint8Array | null, k: number, out: Int32Array, n = scores.length): number {
  if (k <= 0) return 0;
  const heapIdx = out; // the heap lives in `out` until the final sort
  let size = 0;
  // worse(a, b): a ranks below b
  const worse = (a: number, b: number): boolean => {
    const sa = scores[a]!, sb = scores[b]!;
    return sa < sb || (sa === sb && a > b);
  };
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < size && worse(heapIdx[l]!, heapIdx[m]!)) m = l;
      if (r < size && worse(heapIdx[r]!, heapIdx[m]!)) m = r;
      if (m === i) return;
      const t = heapIdx[i]!; heapIdx[i] = heapIdx[m]!; heapIdx[m] = t;
      i = m;
    }
  };
  for (let i = 0; i < n; i++) {
    if (mask !== null && mask[i] === 0) continue;
    const s = scores[i]!;
    if (s !== s) continue; // NaN = not a candidate
    if (size < k) {
      let j = size++;
      heapIdx[j] = i;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (!worse(heapIdx[j]!, heapIdx[p]!)) break;
        const t = heapIdx[j]!; heapIdx[j] = heapIdx[p]!; heapIdx[p] = t;
        j = p;
      }
    } else if (worse(heapIdx[0]!, i)) {
      heapIdx[0] = i;
      siftDown(0);
    }
  }
  // Heap-sort in place: repeatedly move the worst to the end.
  const found = size;
  while (size > 1) {
    const t = heapIdx[0]!; heapIdx[0] = heapIdx[size - 1]!; heapIdx[size - 1] = t;
    size--;
    siftDown(0);
  }
  return found;
}
