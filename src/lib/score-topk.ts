// Exact top-k over score buffers that live in WASM memory (a SIMD threshold scan, wasm/softmax-kernels.ts topScan):
// the same items in the same order as lib/topk.ts's topK (best first, ties to the lower index, NaN never chosen),
// several times faster on 10k items. Callers score into its buffers; other arrays fall back to topK.
import { siftDown } from './score.js';
import { topK } from './topk.js';
import { topScanModule, type TopScanExports } from './wasm/softmax-kernels.js';

const align = (x: number, a = 64): number => Math.ceil(x / a) * a;

export class ScoreTopK {
  /** Float buffers of n entries (scores to rank), and masks of n entries (1 = candidate). */
  readonly floats: Float32Array[] = [];
  readonly masks: Uint8Array[] = [];
  private readonly buffer: ArrayBuffer;
  private readonly ex: TopScanExports;
  private readonly i32: Int32Array;
  private readonly hs: Float32Array;
  private readonly hi: Int32Array;
  private readonly SIZE: number;

  private constructor(readonly n: number, floats: number, masks: number, readonly capacity: number) {
    const n4 = align(n, 4);
    let p = 64;
    const take = (bytes: number): number => { const q = p; p = align(p + bytes); return q; };
    const F = Array.from({ length: floats }, () => take(n4 * 4)), M = Array.from({ length: masks }, () => take(n4));
    this.SIZE = take(4);
    const HS = take(capacity * 4), HI = take(capacity * 4);
    const pages = Math.ceil(p / 65536);
    const bytes = topScanModule(pages);
    if (!WebAssembly.validate(bytes)) throw new Error('no WASM SIMD');
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as TopScanExports;
    this.buffer = memory.buffer;
    const f32 = new Float32Array(this.buffer);
    for (const at of F) {
      f32.fill(NaN, (at >> 2) + n, (at >> 2) + n4); // the last group's padding is never chosen
      this.floats.push(new Float32Array(this.buffer, at, n));
    }
    for (const at of M) this.masks.push(new Uint8Array(this.buffer, at, n));
    this.i32 = new Int32Array(this.buffer);
    this.hs = new Float32Array(this.buffer, HS, capacity);
    this.hi = new Int32Array(this.buffer, HI, capacity);
  }

  /** Buffers for n items and top-k up to `capacity`, or null where the runtime has no WASM SIMD. */
  static create(n: number, floats: number, masks: number, capacity: number): ScoreTopK | null {
    try {
      return new ScoreTopK(n, floats, masks, capacity);
    } catch {
      return null;
    }
  }

  /** topK(scores, mask, k, out) of lib/topk.ts: scanned in WASM when `scores` and `mask` are this object's buffers. */
  topK(scores: Float32Array, mask: Uint8Array | null, k: number, out: Int32Array): number {
    const own = scores.buffer === this.buffer && (mask === null || mask.buffer === this.buffer) && scores.length === this.n && k <= this.capacity;
    if (!own) return topK(scores, mask, k, out, this.n);
    if (k <= 0) return 0;
    const size = this.SIZE >> 2;
    this.i32[size] = 0;
    this.ex.topScan(scores.byteOffset, align(this.n, 4), mask ? mask.byteOffset : 0, mask ? 1 : 0, this.hs.byteOffset, this.hi.byteOffset, k, this.SIZE);
    const found = this.i32[size]!, hs = this.hs, hi = this.hi;
    // Heap-sort in place (worst to the back), then copy out best first.
    for (let end = found - 1; end > 0; end--) {
      const s = hs[0]!, x = hi[0]!;
      hs[0] = hs[end]!; hi[0] = hi[end]!; hs[end] = s; hi[end] = x;
      siftDown(hs, hi, 0, end);
    }
    for (let j = 0; j < found; j++) out[j] = hi[j]!;
    return found;
  }
}
