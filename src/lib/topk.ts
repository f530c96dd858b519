// Exact top-k over a score buffer with a bounded min-heap: O(n log k), no per-item objects.
// Ties go to the lower index, so rankings are deterministic.

/**
 * Indices of the k highest scores among entries where `mask` is 1 (all entries when mask is null),
 * best first. Writes into `out` (length >= k) and returns how many were found. NaN is never picked.
 */
export function topK(scores: Float32Array, mask: Uint8Array | null, k: number, out: Int32Array, n = scores.length): number {
  if (k <= 0) return 0;
  const heap = out; // a min-heap of indices (worst at the root) until the final sort
  let size = 0;
  // worse(a, b): a ranks below b (lower score, or equal score and higher index)
  const worse = (a: number, b: number): boolean => {
    const sa = scores[a]!, sb = scores[b]!;
    return sa < sb || (sa === sb && a > b);
  };
  const siftDown = (i: number, len: number): void => {
    const x = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= len) break;
      const r = l + 1;
      const m = r < len && worse(heap[r]!, heap[l]!) ? r : l;
      if (!worse(heap[m]!, x)) break;
      heap[i] = heap[m]!;
      i = m;
    }
    heap[i] = x;
  };
  let i = 0;
  // Fill the heap with the first k candidates.
  for (; i < n && size < k; i++) {
    if (mask !== null && mask[i] === 0) continue;
    if (scores[i] !== scores[i]) continue; // NaN
    let j = size++;
    heap[j] = i;
    while (j > 0) {
      const p = (j - 1) >> 1;
      if (!worse(heap[j]!, heap[p]!)) break;
      const t = heap[j]!; heap[j] = heap[p]!; heap[p] = t;
      j = p;
    }
  }
  // Later indices lose ties to everything in the heap, so a newcomer must be strictly better than the root.
  let threshold = size === k ? scores[heap[0]!]! : -Infinity;
  if (mask === null) {
    for (; i < n; i++) {
      if (!(scores[i]! > threshold)) continue;
      heap[0] = i;
      siftDown(0, size);
      threshold = scores[heap[0]!]!;
    }
  } else {
    for (; i < n; i++) {
      if (!(scores[i]! > threshold) || mask[i] === 0) continue;
      heap[0] = i;
      siftDown(0, size);
      threshold = scores[heap[0]!]!;
    }
  }
  // Heap-sort in place: repeatedly move the worst to the end, leaving best first.
  for (let len = size; len > 1; len--) {
    const t = heap[0]!; heap[0] = heap[len - 1]!; heap[len - 1] = t;
    siftDown(0, len - 1);
  }
  return size;
}

const orders = new WeakMap<Float32Array, Int32Array>();

/**
 * Indices of `scores` best first (ties to the lower index, NaN left out), computed once per array: for
 * scores that never change (popularity), so each request's top-k is a walk from the start.
 */
export function descendingOrder(scores: Float32Array): Int32Array {
  let order = orders.get(scores);
  if (!order) {
    const idx: number[] = [];
    for (let i = 0; i < scores.length; i++) if (scores[i] === scores[i]) idx.push(i);
    idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
    order = Int32Array.from(idx);
    orders.set(scores, order);
  }
  return order;
}

/** topK over a precomputed descendingOrder: the first k entries whose mask is 1 (same result as topK). */
export function topKInOrder(order: Int32Array, mask: Uint8Array | null, k: number, out: Int32Array): number {
  if (k <= 0) return 0;
  let found = 0;
  for (let r = 0; r < order.length && found < k; r++) {
    const i = order[r]!;
    if (mask === null || mask[i] !== 0) out[found++] = i;
  }
  return found;
}
