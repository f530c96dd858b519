// Per-request item scoring for factor models: exact dot products and exact top-k over WASM SIMD
// kernels (int8 first pass + exact f32 re-score), with a bit-identical plain-JS fallback.
import { instantiateKernels, kernelModule, type KernelExports } from './wasm/kernels.js';
import { jsKernels, type ExactKernels } from './wasm/jsKernels.js';
import { prepareQuery, quantizeRows, type QuantizedRows } from './wasm/quantize.js';
import { CONTROL_BYTES, ScanPool, type ScanParams } from './wasm/pool.js';

export interface FactorScorerOptions {
  /** Per-item additive bias: score_i = (item_i . query + bias[i]) + w * influence[i]. */
  bias?: Float32Array;
  /**
   * 2 adds a worker thread that shares the memory and scans row chunks alongside the caller
   * (still synchronous: the caller blocks on Atomics.wait). Default 1. Call close() when done.
   */
  threads?: number;
  /** 'js' forces the plain-JS kernels (tests compare both paths). */
  path?: 'wasm-simd' | 'js';
  /** Use the int8 first pass when its bound applies (default true); results are identical either way. */
  quantized?: boolean;
}

export interface TopKOptions {
  /** Weight w of the ranking influence set by setInfluence: score_i += w * influence[i]. */
  influenceWeight?: number;
}

const align = (x: number, a = 64): number => Math.ceil(x / a) * a;

const PARALLEL_MIN_ROWS = 32_768; // below this, waking the worker costs more than half a scan
/** Byte offsets of every region in the scorer's memory (all 64-byte aligned). */
function layout(n: number, dp: number, dp8: number, quant: boolean, heapCap: number, threads: number) {
  const n4 = align(n, 4);
  let at = 64;
  const take = (bytes: number): number => { const p = at; at = align(at + bytes); return p; };
  const F = take(align(n4 * dp * 4, 128));
  const Q8 = quant ? take(n4 * dp8) : 0, SCALE = quant ? take(n4 * 4) : 0;
  const BIAS = take(n4 * 4), INFL = take(n4 * 4), MASK = take(n4), OUT = take(n4 * 4);
  const QF = take(dp * 4), QI = take(dp8 * 2);
  const SIZE = take(4), HS = take(heapCap * 4), HI = take(heapCap * 4);
  const two = threads > 1, CTRL = two ? take(CONTROL_BYTES) : 0;
  const SIZE2 = two ? take(4) : 0, HS2 = two ? take(heapCap * 4) : 0, HI2 = two ? take(heapCap * 4) : 0;
  return { n4, F, Q8, SCALE, BIAS, INFL, MASK, OUT, QF, QI, SIZE, HS, HI, CTRL, SIZE2, HS2, HI2, total: at };
}

export class FactorScorer {
  readonly path: 'wasm-simd' | 'js';
  /** 'int8+exact' when the int8 first pass is available, else 'f32'. */
  readonly firstPass: 'int8+exact' | 'f32';
  /** Threads a large scan runs on (2 only once the worker is up; see FactorScorerOptions.threads). */
  get threads(): number { return this.pool?.ready ? 2 : 1; }
  private pool: ScanPool | null = null;
  private readonly req: ScanParams = { quant: false, offsets: false, useMask: 0, k: 0, n: 0, b: 0, kq: 0, z: 0, w: 0 };
  private readonly scanChunk = (start: number, end: number): void => this.scan(start, end);
  private readonly dp: number;
  private readonly dp8: number;
  private readonly L: ReturnType<typeof layout>;
  private readonly k: KernelExports | ExactKernels;
  private readonly f32: Float32Array;
  private readonly i32: Int32Array;
  private readonly u8: Uint8Array;
  private readonly rows: QuantizedRows | null;
  private readonly hasBias: boolean;
  private maxAbsBias = 0;
  private maxAbsInfl = 0;
  private offsetsFinite = true;
  private readonly qbound = new Float64Array(3);
  private readonly qi16: Int16Array;
  private readonly qf: Float32Array;
  private readonly outView: Float32Array;
  private readonly hs: Float32Array;
  private readonly hi: Int32Array;

  constructor(itemFactors: Float32Array, readonly n: number, readonly d: number, opts: FactorScorerOptions = {}) {
    if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1) throw new RangeError(`FactorScorer needs n >= 0 and d >= 1 integers, got n=${n} d=${d}`);
    if (itemFactors.length < n * d) throw new RangeError(`itemFactors has ${itemFactors.length} floats, n*d = ${n * d}`);
    if (opts.bias && opts.bias.length < n) throw new RangeError(`bias has ${opts.bias.length} entries for ${n} items`);
    this.dp = align(d, 4);
    this.dp8 = align(d, 8);
    const wantQuant = opts.path !== 'js' && opts.quantized !== false;
    const threads = opts.path !== 'js' && (opts.threads ?? 1) > 1 ? 2 : 1;
    let L = layout(n, this.dp, this.dp8, wantQuant, Math.max(1, n), threads);
    let kernels: KernelExports | ExactKernels | null = null, buffer: ArrayBufferLike | null = null;
    let memory: WebAssembly.Memory | null = null, bytes: Uint8Array<ArrayBuffer> | null = null;
    if (opts.path !== 'js') {
      try {
        const pages = Math.ceil(L.total / 65536), shared = threads > 1;
        bytes = kernelModule(this.dp, this.dp8, { minPages: pages, maxPages: pages, shared });
        if (WebAssembly.validate(bytes)) {
          memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
          kernels = instantiateKernels(bytes, memory);
          buffer = memory.buffer;
        }
      } catch { kernels = null; } // no SIMD, or memory too large for wasm32: plain JS below
    }
    if (!kernels || !buffer) {
      L = layout(n, this.dp, this.dp8, false, Math.max(1, n), 1);
      buffer = new ArrayBuffer(L.total);
      kernels = jsKernels(buffer, this.dp);
      this.path = 'js';
    } else this.path = 'wasm-simd';
    this.L = L;
    this.k = kernels;
    this.f32 = new Float32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.qi16 = new Int16Array(buffer, L.QI, this.dp8);
    this.qf = new Float32Array(buffer, L.QF, this.dp);
    this.outView = new Float32Array(buffer, L.OUT, n);
    this.hs = new Float32Array(buffer, L.HS, Math.max(1, n));
    this.hi = new Int32Array(buffer, L.HI, Math.max(1, n));
    const F = L.F >> 2;
    if (this.dp === d) this.f32.set(itemFactors.subarray(0, n * d), F);
    else for (let i = 0; i < n; i++) this.f32.set(itemFactors.subarray(i * d, i * d + d), F + i * this.dp);
    this.hasBias = opts.bias !== undefined;
    if (opts.bias) {
      this.f32.set(opts.bias.subarray(0, n), L.BIAS >> 2);
      for (let i = 0; i < n; i++) {
        const a = Math.abs(opts.bias[i]!);
        if (!Number.isFinite(a)) this.offsetsFinite = false;
        else if (a > this.maxAbsBias) this.maxAbsBias = a;
      }
    }
    this.rows = this.path === 'wasm-simd' && L.Q8 !== 0
      ? quantizeRows(this.f32.subarray(F), n, d, this.dp, this.dp8, new Int8Array(buffer, L.Q8, L.n4 * this.dp8), new Float32Array(buffer, L.SCALE, L.n4))
      : null;
    this.firstPass = this.rows ? 'int8+exact' : 'f32';
    if (threads > 1 && memory && bytes && this.path === 'wasm-simd' && n >= PARALLEL_MIN_ROWS) {
      this.pool = new ScanPool(memory, bytes, L, this);
    }
  }

  /** Stops the worker thread, if any (the scorer stays usable on one thread). */
  close(): void { this.pool?.close(); this.pool = null; }

  /** A view of the scorer's own mask region: fill it and pass it to topK to skip the copy. */
  maskView(): Uint8Array { return this.u8.subarray(this.L.MASK, this.L.MASK + this.n); }

  /** Sets (or clears, with null) the per-item ranking-influence values weighted by TopKOptions.influenceWeight. */
  setInfluence(values: Float32Array | null): void {
    const I = this.L.INFL >> 2;
    this.maxAbsInfl = 0;
    if (!values) { this.f32.fill(0, I, I + this.n); return; }
    if (values.length < this.n) throw new RangeError(`influence has ${values.length} entries for ${this.n} items`);
    this.f32.set(values.subarray(0, this.n), I);
    for (let i = 0; i < this.n; i++) {
      const a = Math.abs(values[i]!);
      if (!Number.isFinite(a)) throw new RangeError(`influence[${i}] is ${values[i]}; influence values must be finite`);
      if (a > this.maxAbsInfl) this.maxAbsInfl = a;
    }
  }

  /** scores[i] = item_i . query (+ bias[i]) (+ w * influence[i]) for all items; `out` length >= n. */
  scoreAll(query: Float32Array, out: Float32Array, influenceWeight = 0): void {
    if (out.length < this.n) throw new RangeError(`out has ${out.length} entries for ${this.n} items`);
    this.loadQuery(query);
    const L = this.L, offsets = this.hasBias || influenceWeight !== 0;
    (offsets ? this.k.dotAllOffsets : this.k.dotAll)(L.F, this.n, L.QF, L.BIAS, L.INFL, influenceWeight, L.OUT);
    out.set(this.outView);
  }

  /**
   * Exact top-k of the scores among items with mask[i] != 0 (all when mask is null) into `top`,
   * best first, ties to the lower index, NaN scores never chosen; the matching scores go to
   * `scoresOut` when given. Returns how many were found (min(k, candidates)).
   */
  topK(query: Float32Array, k: number, mask: Uint8Array | null, top: Int32Array, scoresOut?: Float32Array, opts?: TopKOptions): number {
    k = Math.min(k, this.n);
    if (k <= 0) return 0;
    if (top.length < k) throw new RangeError(`top has ${top.length} slots for k=${k}`);
    const L = this.L, w = opts?.influenceWeight ?? 0, offsets = this.hasBias || w !== 0;
    this.loadQuery(query);
    let useMask = 0;
    if (mask) {
      if (mask.length < this.n) throw new RangeError(`mask has ${mask.length} entries for ${this.n} items`);
      if (mask.buffer !== this.u8.buffer || mask.byteOffset !== L.MASK) {
        if (mask.length === this.n) this.u8.set(mask, L.MASK);
        else for (let j = 0; j < this.n; j++) this.u8[L.MASK + j] = mask[j]!;
      }
      useMask = 1;
    }
    const maxAbsOffset = this.maxAbsBias + Math.abs(w) * this.maxAbsInfl;
    const r = this.req, qb = this.qbound;
    r.quant = this.rows !== null && this.offsetsFinite &&
      prepareQuery(this.qf, this.d, this.dp, this.dp8, this.rows, maxAbsOffset, this.qi16, qb);
    r.offsets = offsets; r.useMask = useMask; r.k = k; r.n = this.n; r.w = w;
    r.b = qb[0]!; r.kq = qb[1]!; r.z = qb[2]!;
    this.i32[L.SIZE >> 2] = 0;
    if (this.pool?.ready) {
      let merge = false;
      try {
        merge = this.pool.run(r, Math.max(8192, align(Math.ceil(this.n / 16), 4)), this.scanChunk);
      } catch { // the worker stopped answering: redo the scan here
        this.i32[L.SIZE >> 2] = 0;
        this.scan(0, this.n);
      }
      if (merge) {
        const s2 = this.i32[L.SIZE2 >> 2]!, hs2 = L.HS2 >> 2, hi2 = L.HI2 >> 2;
        for (let j = 0; j < s2; j++) this.k.heapOffer(L.HS, L.HI, k, L.SIZE, this.f32[hs2 + j]!, this.i32[hi2 + j]!);
      }
    } else this.scan(0, this.n);
    const size = this.i32[L.SIZE >> 2]!, hs = this.hs, hi = this.hi;
    // Heap-sort in place (worst to the back), then copy out best first.
    for (let end = size - 1; end > 0; end--) {
      const s = hs[0]!, x = hi[0]!;
      hs[0] = hs[end]!; hi[0] = hi[end]!; hs[end] = s; hi[end] = x;
      siftDown(hs, hi, 0, end);
    }
    for (let j = 0; j < size; j++) { top[j] = hi[j]!; if (scoresOut) scoresOut[j] = hs[j]!; }
    return size;
  }

  /** Scans rows [start, end) into heap 1 with the current request (this.req). */
  private scan(start: number, end: number): void {
    const L = this.L, r = this.req;
    if (r.quant) {
      const kq = this.k as KernelExports;
      (r.offsets ? kq.scanQ8Offsets : kq.scanQ8)(L.Q8, L.SCALE, L.QI, r.b, r.kq, r.z, L.F, start, end, L.QF, L.BIAS, L.INFL, r.w, L.MASK, r.useMask, L.HS, L.HI, r.k, L.SIZE);
    } else {
      (r.offsets ? this.k.scanF32Offsets : this.k.scanF32)(L.F, start, end, L.QF, L.BIAS, L.INFL, r.w, L.MASK, r.useMask, L.HS, L.HI, r.k, L.SIZE);
    }
  }

  /** Vectorized read of the whole factor matrix once: the memory-bandwidth floor for one query. */
  readFloor(): number {
    return this.k.sumAll(this.L.F, align(this.L.n4 * this.dp * 4, 128));
  }

  /** Bytes one query reads on the first pass (for reports). */
  get bytesPerQuery(): number { return this.rows ? this.L.n4 * (this.dp8 + 4) : this.L.n4 * this.dp * 4; }

  private loadQuery(query: Float32Array): void {
    if (query.length < this.d) throw new RangeError(`query has ${query.length} floats, d = ${this.d}`);
    if (query.length === this.d) this.qf.set(query); // padding lanes stay zero: never written
    else for (let j = 0; j < this.d; j++) this.qf[j] = query[j]!;
  }
}

/** a ranks below b: lower score, or the same score at a higher index. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/** Restores a bounded min-heap of (score, index), worst at the root, from slot j down (score-topk.ts uses it too). */
export function siftDown(hs: Float32Array, hi: Int32Array, j: number, size: number): void {
  for (;;) {
    const l = 2 * j + 1, r = l + 1;
    let m = j;
    if (l < size && worse(hs[l]!, hi[l]!, hs[m]!, hi[m]!)) m = l;
    if (r < size && worse(hs[r]!, hi[r]!, hs[m]!, hi[m]!)) m = r;
    if (m === j) return;
    const s = hs[j]!, x = hi[j]!;
    hs[j] = hs[m]!; hi[j] = hi[m]!; hs[m] = s; hi[m] = x;
    j = m;
  }
}
