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
  // Four at a time: one rarely-taken branch per quad (few scores beat the threshold once it has risen).
  const offer = (j: number): void => {
    heap[0] = j;
    siftDown(0, size);
    threshold = scores[heap[0]!]!;
  };
  const quads = size === k ? i + ((n - i) & ~3) : i;
  if (mask === null) {
    for (; i < quads; i += 4) {
      if (!(scores[i]! > threshold || scores[i + 1]! > threshold || scores[i + 2]! > threshold || scores[i + 3]! > threshold)) continue;
      for (let j = i; j < i + 4; j++) if (scores[j]! > threshold) offer(j);
    }
    for (; i < n; i++) if (scores[i]! > threshold) offer(i);
  } else {
    for (; i < quads; i += 4) {
      if (!(scores[i]! > threshold || scores[i + 1]! > threshold || scores[i + 2]! > threshold || scores[i + 3]! > threshold)) continue;
      for (let j = i; j < i + 4; j++) if (scores[j]! > threshold && mask[j] !== 0) offer(j);
    }
    for (; i < n; i++) if (scores[i]! > threshold && mask[i] !== 0) offer(i);
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

/** The largest score (NaN ignored; -Infinity when none), four lanes at a time (about 3x a plain loop). */
export function maxOf(scores: Float32Array): number {
  let a = -Infinity, b = -Infinity, c = -Infinity, d = -Infinity;
  const n = scores.length, quads = n & ~3;
  for (let i = 0; i < quads; i += 4) {
    const v0 = scores[i]!, v1 = scores[i + 1]!, v2 = scores[i + 2]!, v3 = scores[i + 3]!;
    if (v0 > a) a = v0;
    if (v1 > b) b = v1;
    if (v2 > c) c = v2;
    if (v3 > d) d = v3;
  }
  for (let i = quads; i < n; i++) if (scores[i]! > a) a = scores[i]!;
  return Math.max(a, b, c, d);
}
