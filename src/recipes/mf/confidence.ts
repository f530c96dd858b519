// The implicit-feedback matrix for matrix factorization: per (user, item) confidence
// c = 1 + alpha * (sum of interaction weight x recency weight), as CSR by user and by item.

export interface Csr { ptr: Int32Array; idx: Int32Array; val: Float32Array }

export interface RecencyOptions {
  /** Whether newer interactions of a user weigh more (apply_recency_bias / recency_mask). */
  enabled: boolean;
  /** Interactions (newest first) after which the extra weight halves. */
  halfLife: number;
  /** Weight every interaction keeps however old: recency adds (1 - floor) * 2^(-h/halfLife) on top. */
  floor: number;
}

/**
 * Weight of the interaction h places from the end of a user's history (h = 0 is the newest). By
 * position rather than timestamp so that serving, which only sees the ordered history, folds a
 * user in with exactly the weights training used.
 */
export function recencyWeight(h: number, r: RecencyOptions): number {
  return r.enabled ? r.floor + (1 - r.floor) * Math.pow(2, -h / r.halfLife) : 1;
}

/** recencyWeight(h, r) for h < n, computed once per position (the same numbers: a pow per interaction was slow). */
export function recencyWeights(n: number, r: RecencyOptions): Float64Array {
  const out = new Float64Array(n);
  for (let h = 0; h < n; h++) out[h] = recencyWeight(h, r);
  return out;
}

/**
 * Users' histories (CSR over positions, oldest first, with per-position weights) -> confidence CSR
 * with one entry per distinct item, items ascending. Repeated interactions add up.
 */
export function confidenceMatrix(
  userPtr: Int32Array, itemIdx: Int32Array, weights: Float32Array | null, nItems: number, alpha: number, recency: RecencyOptions,
  into?: Csr,
): Csr {
  const nUsers = userPtr.length - 1;
  // `into`: arrays to write to (ptr of nUsers + 1, room for every interaction), e.g. views of ALS's memory.
  const ptr = into ? into.ptr : new Int32Array(nUsers + 1);
  const idx = into ? into.idx : new Int32Array(itemIdx.length);
  const val = into ? into.val : new Float32Array(itemIdx.length);
  ptr[0] = 0;
  const acc = new Float64Array(nItems);
  const seen = new Int32Array(nItems).fill(-1);
  let longest = 0;
  for (let u = 0; u < nUsers; u++) longest = Math.max(longest, userPtr[u + 1]! - userPtr[u]!);
  const rw = recencyWeights(longest, recency);
  let k = 0;
  for (let u = 0; u < nUsers; u++) {
    const s = userPtr[u]!, e = userPtr[u + 1]!;
    const start = k;
    for (let p = s; p < e; p++) {
      const i = itemIdx[p]!;
      const w = (weights ? weights[p]! : 1) * rw[e - 1 - p]!;
      if (seen[i] !== u) { seen[i] = u; acc[i] = 0; idx[k++] = i; }
      acc[i]! += w;
    }
    idx.subarray(start, k).sort();
    for (let q = start; q < k; q++) val[q] = 1 + alpha * acc[idx[q]!]!;
    ptr[u + 1] = k;
  }
  // Views, not copies, when repeats merged entries: a fresh copy of tens of MB costs more than the bytes kept.
  return { ptr, idx: k === idx.length ? idx : idx.subarray(0, k), val: k === val.length ? val : val.subarray(0, k) };
}

/**
 * The same entries by column (item), rows ascending within each column; rows not marked in `keep` (when given)
 * left out, as if emptied first. `into`: arrays to write to (ptr of nCols + 1, room for every entry).
 */
export function transpose(m: Csr, nCols: number, keep?: Uint8Array, into?: Csr): Csr {
  const nRows = m.ptr.length - 1;
  const ptr = into ? into.ptr.fill(0) : new Int32Array(nCols + 1);
  for (let r = 0; r < nRows; r++) {
    if (keep && !keep[r]) continue;
    for (let q = m.ptr[r]!; q < m.ptr[r + 1]!; q++) ptr[m.idx[q]! + 1]!++;
  }
  for (let c = 0; c < nCols; c++) ptr[c + 1]! += ptr[c]!;
  const fill = ptr.slice(0, nCols);
  const idx = into ? into.idx.subarray(0, ptr[nCols]!) : new Int32Array(ptr[nCols]!);
  const val = into ? into.val.subarray(0, ptr[nCols]!) : new Float32Array(ptr[nCols]!);
  for (let r = 0; r < nRows; r++) {
    if (keep && !keep[r]) continue;
    for (let q = m.ptr[r]!; q < m.ptr[r + 1]!; q++) {
      const at = fill[m.idx[q]!]!++;
      idx[at] = r;
      val[at] = m.val[q]!;
    }
  }
  return { ptr, idx, val };
}
