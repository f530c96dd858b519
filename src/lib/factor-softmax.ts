// A factor model's item factors resident in WASM memory for serving: every item's score for a query and, in the
// same call, the softmax terms e^(s - max) and their sum (wasm/softmax-kernels.ts), bit for bit what the JS path
// (the ALS matvec, then lib/exp.ts's expAll) computes. Null where the runtime lacks WASM SIMD.
import { EXP_FORMULA, EXP_RANGE } from './exp.js';
import { softmaxModule, type SoftmaxKernelExports } from './wasm/softmax-kernels.js';

const align = (x: number, a = 64): number => Math.ceil(x / a) * a;

export interface SoftmaxPass {
  /** The largest score (f32, NaN ignored; -Infinity when none). */
  max: number;
  /** Σ e^(s_i - max) over the items with s_i > max - floor, added in item order. */
  sum: number;
  /** e^(s_i - max) per item (0 below the floor): a view of the kernel's memory, valid until the next call. */
  exps: Float64Array;
}

export class FactorSoftmax {
  /** The query vector: write it here (the padding lanes stay zero) before score(). */
  readonly query: Float32Array;
  /** The last call's scores (a view of the kernel's memory). */
  readonly scores: Float32Array;
  private readonly pass: SoftmaxPass;
  private readonly ex: SoftmaxKernelExports;
  private readonly f32: Float32Array;
  private readonly at: { F: number; Q: number; OUT: number; EXPS: number; TABLE: number };

  /** Rows of `Y` (n x k) padded to kb bytes (a multiple of 32); throws where WASM SIMD is missing (see create). */
  private constructor(Y: Float32Array, readonly n: number, readonly k: number, readonly kb: number) {
    const n4 = align(n, 4);
    let p = 64;
    const take = (bytes: number): number => { const q = p; p = align(p + bytes); return q; };
    const TABLE = take(EXP_FORMULA.table.byteLength), F = take(n * kb), Q = take(kb), OUT = take(n4 * 4), EXPS = take(n4 * 8);
    this.at = { F, Q, OUT, EXPS, TABLE };
    const pages = Math.ceil(p / 65536);
    const bytes = softmaxModule(kb, pages);
    if (!WebAssembly.validate(bytes)) throw new Error('no WASM SIMD');
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as SoftmaxKernelExports;
    const buf = memory.buffer;
    this.f32 = new Float32Array(buf);
    new Float64Array(buf, TABLE, EXP_FORMULA.table.length).set(EXP_FORMULA.table);
    const w = kb >> 2;
    for (let i = 0; i < n; i++) this.f32.set(Y.subarray(i * k, i * k + k), (F >> 2) + i * w);
    this.f32.fill(-Infinity, (OUT >> 2) + n, (OUT >> 2) + n4); // the groups' tail never counts
    this.query = new Float32Array(buf, Q, w);
    this.scores = new Float32Array(buf, OUT, n);
    this.pass = { max: -Infinity, sum: 0, exps: new Float64Array(buf, EXPS, n) };
  }

  /** The resident factors, or null where the runtime has no WASM SIMD (or the memory would be too large). */
  static create(Y: Float32Array, n: number, k: number, kb: number): FactorSoftmax | null {
    try {
      return new FactorSoftmax(Y, n, k, kb);
    } catch {
      return null;
    }
  }

  /** Scores of every item for this.query into this.scores. */
  score(): void {
    const a = this.at;
    this.ex.scoreMax(a.F, this.n, a.Q, a.OUT);
  }

  /** score(), and the softmax terms of the items within `floor` of the max (floor <= lib/exp.ts's EXP_RANGE). */
  softmax(floor: number): SoftmaxPass {
    const a = this.at, p = this.pass;
    p.max = this.ex.scoreMax(a.F, this.n, a.Q, a.OUT);
    p.sum = this.ex.softmaxTerms(a.OUT, this.n, a.EXPS, a.TABLE, Math.min(floor, EXP_RANGE), p.max);
    return p;
  }
}
