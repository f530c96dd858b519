// The second core for one top-k scan: a worker thread shares the scorer's WASM memory and claims
// row chunks from a counter, so a busy or slow worker costs at most the chunk it holds.
import { Worker } from 'node:worker_threads';

// Int32 slots of the control block; F_* slots are read as Float32 at the same index.
const GEN = 0, NEXT = 1, FINISHED = 2, H2GEN = 3, READY = 4, QUANT = 5, OFFSETS = 6, USEMASK = 7, K = 8, N = 9, CHUNK = 10, CHUNKS = 11;
const F_B = 12, F_KQ = 13, F_Z = 14, F_W = 15;
export const CONTROL_BYTES = 64;
/** NEXT and FINISHED hold (generation << 16) | count, so a late worker can never claim a newer scan's chunk. */
const TAG = 16, LOW = 0xffff;

/** Byte offsets the worker needs (the same memory layout as the scorer's). */
export interface PoolLayout {
  CTRL: number; F: number; Q8: number; SCALE: number; QI: number; QF: number; BIAS: number; INFL: number; MASK: number;
  SIZE2: number; HS2: number; HI2: number;
}

// Runs in the worker (CommonJS, no imports of ours, so it also works when tests run the .ts sources).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, bytes, L } = workerData;
const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const c = new Int32Array(memory.buffer, L.CTRL, 16), cf = new Float32Array(memory.buffer, L.CTRL, 16);
const i32 = new Int32Array(memory.buffer);
Atomics.store(c, ${READY}, 1);
let seen = 0;
for (;;) {
  Atomics.wait(c, ${GEN}, seen);
  const gen = (seen = Atomics.load(c, ${GEN}));
  let first = true;
  for (;;) {
    const t = Atomics.load(c, ${NEXT});
    if ((t >>> ${TAG}) !== gen || (t & ${LOW}) >= c[${CHUNKS}]) break;
    if (Atomics.compareExchange(c, ${NEXT}, t, t + 1) !== t) continue;
    if (first) { first = false; i32[L.SIZE2 >> 2] = 0; Atomics.store(c, ${H2GEN}, gen); }
    const n = c[${N}], start = (t & ${LOW}) * c[${CHUNK}], end = Math.min(n, start + c[${CHUNK}]);
    const off = c[${OFFSETS}] === 1, w = cf[${F_W}], useMask = c[${USEMASK}], k = c[${K}];
    if (c[${QUANT}] === 1) (off ? ex.scanQ8Offsets : ex.scanQ8)(L.Q8, L.SCALE, L.QI, cf[${F_B}], cf[${F_KQ}], cf[${F_Z}], L.F, start, end, L.QF, L.BIAS, L.INFL, w, L.MASK, useMask, L.HS2, L.HI2, k, L.SIZE2);
    else (off ? ex.scanF32Offsets : ex.scanF32)(L.F, start, end, L.QF, L.BIAS, L.INFL, w, L.MASK, useMask, L.HS2, L.HI2, k, L.SIZE2);
    Atomics.add(c, ${FINISHED}, 1);
    Atomics.notify(c, ${FINISHED});
  }
}
`;

export interface ScanParams { quant: boolean; offsets: boolean; useMask: number; k: number; n: number; b: number; kq: number; z: number; w: number }

const stopWorker = (w: Worker): void => { void w.terminate(); };
const registry = new FinalizationRegistry<Worker>(stopWorker);

export class ScanPool {
  private readonly worker: Worker;
  private readonly c: Int32Array;
  private readonly cf: Float32Array;
  private gen = 0;
  private broken = false;

  /** `owner` is the object whose garbage collection also stops the worker. */
  constructor(memory: WebAssembly.Memory, bytes: Uint8Array, L: PoolLayout, owner: object) {
    this.c = new Int32Array(memory.buffer, L.CTRL, CONTROL_BYTES / 4);
    this.cf = new Float32Array(memory.buffer, L.CTRL, CONTROL_BYTES / 4);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { memory, bytes, L } });
    this.worker.unref();
    this.worker.on('error', () => { this.broken = true; });
    registry.register(owner, this.worker, this);
  }

  /** True once the worker has instantiated the kernels (it starts asynchronously). */
  get ready(): boolean { return !this.broken && Atomics.load(this.c, READY) === 1; }

  /**
   * Splits [0, n) into chunks claimed by this thread (via `scan`, into heap 1) and the worker (heap 2).
   * Returns whether heap 2 holds results of this scan; false means the caller must not merge it.
   * If the worker stops answering, this thread finishes its chunks too and the pool is marked broken.
   */
  run(p: ScanParams, chunk: number, scan: (start: number, end: number) => void): boolean {
    const c = this.c, cf = this.cf, chunks = Math.ceil(p.n / chunk);
    const gen = (this.gen = (this.gen % 0x7fff) + 1);
    c[QUANT] = p.quant ? 1 : 0; c[OFFSETS] = p.offsets ? 1 : 0; c[USEMASK] = p.useMask; c[K] = p.k; c[N] = p.n; c[CHUNK] = chunk; c[CHUNKS] = chunks;
    cf[F_B] = p.b; cf[F_KQ] = p.kq; cf[F_Z] = p.z; cf[F_W] = p.w;
    Atomics.store(c, FINISHED, gen << TAG);
    Atomics.store(c, NEXT, gen << TAG);
    Atomics.store(c, GEN, gen);
    Atomics.notify(c, GEN);
    for (;;) {
      const t = Atomics.add(c, NEXT, 1), at = t & LOW;
      if (at >= chunks) break;
      scan(at * chunk, Math.min(p.n, (at + 1) * chunk));
      Atomics.add(c, FINISHED, 1);
    }
    const deadline = performance.now() + 2000;
    for (;;) {
      const f = Atomics.load(c, FINISHED);
      if ((f & LOW) >= chunks) break;
      if (performance.now() > deadline) { this.broken = true; throw new Error('scan worker stopped answering'); }
      Atomics.wait(c, FINISHED, f, 50);
    }
    return Atomics.load(c, H2GEN) === gen;
  }

  close(): void {
    registry.unregister(this);
    void this.worker.terminate();
  }
}
