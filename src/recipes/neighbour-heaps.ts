// Bounded top-K heaps of (score, index) per row, over plain or shared memory: the selection step of every
// neighbour list (item-kNN, similar items, text neighbours), with a total order so the kept set is deterministic.

/** Neighbour lists in CSR: item i's neighbours are idx[ptr[i]..ptr[i+1]), best first, with their similarities. */
export interface Neighbours { ptr: Int32Array; idx: Int32Array; sim: Float32Array }

/** The arrays behind a NeighbourHeaps (rows x K slots), which threads share when they are SharedArrayBuffers. */
export interface HeapArrays { idx: Int32Array; score: Float64Array; size: Int32Array; threshold: Float64Array }

/**
 * One bounded min-heap of (score, index) per row, K slots each, worst at the root; the order is
 * score desc then index asc, a total order, so the kept set is deterministic: the best K of any set of
 * offers is the same whichever heap or thread received each offer, and merging heaps keeps it so.
 */
export class NeighbourHeaps {
  readonly idx: Int32Array;
  readonly score: Float64Array;
  readonly size: Int32Array;
  /**
   * Per row, the root's score once the row holds K entries, else -Infinity: offers below it are turned away from
   * this small array (it stays in cache) without reading the row's heap (a cache miss each, rows x K x 12 bytes).
   */
  readonly threshold: Float64Array;
  /** `shared`: allocate on SharedArrayBuffers (a team's threads fill them); `over`: use these arrays instead. */
  constructor(readonly rows: number, readonly K: number, opts: { shared?: boolean; over?: HeapArrays } = {}) {
    if (opts.over) {
      ({ idx: this.idx, score: this.score, size: this.size, threshold: this.threshold } = opts.over);
      return;
    }
    const buf = (bytes: number): ArrayBuffer | SharedArrayBuffer => (opts.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    this.idx = new Int32Array(buf(rows * K * 4));
    this.score = new Float64Array(buf(rows * K * 8));
    this.size = new Int32Array(buf(rows * 4));
    this.threshold = new Float64Array(buf(rows * 8)).fill(-Infinity);
  }

  get arrays(): HeapArrays { return { idx: this.idx, score: this.score, size: this.size, threshold: this.threshold }; }

  offer(i: number, j: number, s: number): void {
    if (s < this.threshold[i]!) return; // the full test below would turn it away too
    const { idx, score, K } = this;
    const base = i * K;
    const size = this.size[i]!;
    if (size < K) {
      let c = size;
      this.size[i] = size + 1;
      while (c > 0) {
        const par = (c - 1) >> 1;
        const ps = score[base + par]!, pj = idx[base + par]!;
        if (!(s < ps || (s === ps && j > pj))) break;
        score[base + c] = ps; idx[base + c] = pj;
        c = par;
      }
      score[base + c] = s; idx[base + c] = j;
      if (size + 1 === K) this.threshold[i] = score[base]!;
      return;
    }
    const rs = score[base]!;
    if (s < rs || (s === rs && j > idx[base]!)) return;
    this.siftDown(base, K, s, j);
    this.threshold[i] = score[base]!;
  }

  /** Offer row i of `other` (a heap or a sorted row, any order of its entries) to row i of this one. */
  mergeRow(i: number, other: NeighbourHeaps): void {
    const base = i * other.K;
    for (let t = 0, n = other.size[i]!; t < n; t++) this.offer(i, other.idx[base + t]!, other.score[base + t]!);
  }

  /** Place (s, j) at the root of the heap at `base` holding `size` entries and sift it down. */
  private siftDown(base: number, size: number, s: number, j: number): void {
    const { idx, score } = this;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= size) break;
      let w = l;
      const r = l + 1;
      if (r < size) {
        const ls = score[base + l]!, rsc = score[base + r]!;
        if (rsc < ls || (rsc === ls && idx[base + r]! > idx[base + l]!)) w = r;
      }
      const ws = score[base + w]!, wj = idx[base + w]!;
      if (!(ws < s || (ws === s && wj > j))) break;
      score[base + c] = ws; idx[base + c] = wj;
      c = w;
    }
    score[base + c] = s; idx[base + c] = j;
  }

  /** Heap-sort row i in place, best first: after this the row is a sorted list, no longer a heap. */
  sortRow(i: number): void {
    const { idx: hi, score: hs, K } = this;
    const base = i * K;
    // Move the worst to the end repeatedly, leaving the row best first.
    for (let n = this.size[i]!; n > 1; n--) {
      const ws = hs[base]!, wj = hi[base]!;
      this.siftDown(base, n - 1, hs[base + n - 1]!, hi[base + n - 1]!);
      hs[base + n - 1] = ws; hi[base + n - 1] = wj;
    }
  }

  /** Rows already sorted (sortRow) as CSR with Float32 similarities; empties the heaps. */
  sortedToCsr(): Neighbours {
    const { rows, K, idx: hi, score: hs } = this;
    const ptr = new Int32Array(rows + 1);
    for (let i = 0; i < rows; i++) ptr[i + 1] = ptr[i]! + this.size[i]!;
    const idx = new Int32Array(ptr[rows]!);
    const sim = new Float32Array(ptr[rows]!);
    for (let i = 0; i < rows; i++) {
      const base = i * K, o = ptr[i]!;
      for (let t = 0; t < this.size[i]!; t++) { idx[o + t] = hi[base + t]!; sim[o + t] = hs[base + t]!; }
      this.size[i] = 0;
      this.threshold[i] = -Infinity;
    }
    return { ptr, idx, sim };
  }

  /** Each row's entries, best first, as CSR with Float32 similarities (heap-sorts the rows in place). */
  toCsr(): Neighbours {
    for (let i = 0; i < this.rows; i++) this.sortRow(i);
    return this.sortedToCsr();
  }
}
