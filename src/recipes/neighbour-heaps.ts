// Bounded top-K heaps of (score, index) per row, over plain or shared memory: the selection step of every
// neighbour list (item-kNN, similar items, text neighbours), with a total order so the kept set is deterministic.

/** Neighbour lists in CSR: item i's neighbours are idx[ptr[i]..ptr[i+1]), best first, with their similarities. */
export interface Neighbours { ptr: Int32Array; idx: Int32Array; sim: Float32Array }

/**
 * The arrays behind a NeighbourHeaps (rows x K slots), which threads share when they are SharedArrayBuffers. A slot is
 * a 16-byte record, its score (f64) then its index (i32): `score` and `idx` view the same bytes, slot k at score[2k]
 * and idx[4k + 2], so the two children a sift compares share a cache line (separate arrays took two lines per level).
 */
export interface HeapArrays { idx: Int32Array; score: Float64Array; size: Int32Array; threshold: Float64Array }

/** Bytes of one slot. */
export const SLOT_BYTES = 16;

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
  /** Slots from one row's first to the next's: K, or more where the rows were first a count's buffers (cooc-kernel.ts). */
  readonly stride: number;
  /** `shared`: allocate on SharedArrayBuffers (a team's threads fill them); `over`: use these arrays instead (`stride` slots per row). */
  constructor(readonly rows: number, readonly K: number, opts: { shared?: boolean; over?: HeapArrays; stride?: number } = {}) {
    this.stride = opts.over ? Math.max(K, opts.stride ?? K) : K;
    if (opts.over) {
      ({ idx: this.idx, score: this.score, size: this.size, threshold: this.threshold } = opts.over);
      return;
    }
    const buf = (bytes: number): ArrayBuffer | SharedArrayBuffer => (opts.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const slots = buf(rows * K * SLOT_BYTES);
    this.idx = new Int32Array(slots);
    this.score = new Float64Array(slots);
    this.size = new Int32Array(buf(rows * 4));
    this.threshold = new Float64Array(buf(rows * 8)).fill(-Infinity);
  }

  get arrays(): HeapArrays { return { idx: this.idx, score: this.score, size: this.size, threshold: this.threshold }; }

  /** Row i's slot t (t < size[i]; heap order, or best first after sortRow): its index and its score. */
  slotIdx(i: number, t: number): number { return this.idx[4 * (i * this.stride + t) + 2]!; }
  slotScore(i: number, t: number): number { return this.score[2 * (i * this.stride + t)]!; }

  /** Empty row i (its threshold too, so it takes any offer again). */
  clearRow(i: number): void {
    this.size[i] = 0;
    this.threshold[i] = -Infinity;
  }

  offer(i: number, j: number, s: number): void {
    if (s < this.threshold[i]!) return; // the full test below would turn it away too
    const { idx, score, K } = this;
    const base = i * this.stride;
    const size = this.size[i]!;
    if (size < K) {
      let c = size;
      this.size[i] = size + 1;
      while (c > 0) {
        const par = (c - 1) >> 1;
        const ps = score[2 * (base + par)]!, pj = idx[4 * (base + par) + 2]!;
        if (!(s < ps || (s === ps && j > pj))) break;
        score[2 * (base + c)] = ps; idx[4 * (base + c) + 2] = pj;
        c = par;
      }
      score[2 * (base + c)] = s; idx[4 * (base + c) + 2] = j;
      if (size + 1 === K) this.threshold[i] = score[2 * base]!;
      return;
    }
    const rs = score[2 * base]!;
    if (s < rs || (s === rs && j > idx[4 * base + 2]!)) return;
    this.siftDown(base, K, s, j);
    this.threshold[i] = score[2 * base]!;
  }

  /** Row i's entries, in any order (a count's row buffer, even past K), made a heap of their best K. */
  rebuildRow(i: number): void {
    const n = this.size[i]!, js = new Int32Array(n), ss = new Float64Array(n);
    for (let t = 0; t < n; t++) { js[t] = this.slotIdx(i, t); ss[t] = this.slotScore(i, t); }
    this.clearRow(i);
    for (let t = 0; t < n; t++) this.offer(i, js[t]!, ss[t]!);
  }

  /** Offer row i of `other` (a heap or a sorted row, any order of its entries) to row i of this one. */
  mergeRow(i: number, other: NeighbourHeaps): void {
    for (let t = 0, n = other.size[i]!; t < n; t++) this.offer(i, other.slotIdx(i, t), other.slotScore(i, t));
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
        const ls = score[2 * (base + l)]!, rsc = score[2 * (base + r)]!;
        if (rsc < ls || (rsc === ls && idx[4 * (base + r) + 2]! > idx[4 * (base + l) + 2]!)) w = r;
      }
      const ws = score[2 * (base + w)]!, wj = idx[4 * (base + w) + 2]!;
      if (!(ws < s || (ws === s && wj > j))) break;
      score[2 * (base + c)] = ws; idx[4 * (base + c) + 2] = wj;
      c = w;
    }
    score[2 * (base + c)] = s; idx[4 * (base + c) + 2] = j;
  }

  /** Heap-sort row i in place, best first: after this the row is a sorted list, no longer a heap. */
  sortRow(i: number): void {
    const { idx: hi, score: hs } = this;
    const base = i * this.stride;
    // Move the worst to the end repeatedly, leaving the row best first.
    for (let n = this.size[i]!; n > 1; n--) {
      const last = base + n - 1;
      const ws = hs[2 * base]!, wj = hi[4 * base + 2]!;
      this.siftDown(base, n - 1, hs[2 * last]!, hi[4 * last + 2]!);
      hs[2 * last] = ws; hi[4 * last + 2] = wj;
    }
  }

  /** Rows already sorted (sortRow) as CSR with Float32 similarities; empties the heaps. */
  sortedToCsr(): Neighbours {
    const { rows } = this;
    const ptr = new Int32Array(rows + 1);
    for (let i = 0; i < rows; i++) ptr[i + 1] = ptr[i]! + this.size[i]!;
    const idx = new Int32Array(ptr[rows]!);
    const sim = new Float32Array(ptr[rows]!);
    for (let i = 0; i < rows; i++) {
      const o = ptr[i]!;
      for (let t = 0; t < this.size[i]!; t++) { idx[o + t] = this.slotIdx(i, t); sim[o + t] = this.slotScore(i, t); }
      this.clearRow(i);
    }
    return { ptr, idx, sim };
  }

  /** Each row's entries, best first, as CSR with Float32 similarities (heap-sorts the rows in place). */
  toCsr(): Neighbours {
    for (let i = 0; i < this.rows; i++) this.sortRow(i);
    return this.sortedToCsr();
  }
}
