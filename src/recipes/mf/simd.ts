// WASM SIMD kernels for the dense inner loops of ALS (f32x4 dot/axpy), assembled from bytes at load
// (wasm-kernels.ts) and compiled synchronously, so train() stays synchronous. Scalar JS twins run
// where SIMD is missing.
//
// Why hand-assembled (measured on MovieLens-small, 9742 items x 64 factors): scalar JS reaches
// ~0.5 GMAC/s on these loops, so ALS took 8.4 s; these kernels take it under 0.5 s. TF.js's wasm
// backend needs an async init (train() is synchronous) and is slower on these blocks: the Gram
// matrix YᵀY in 28 ms as tf.matMul(Y, Y, true), 2.6 ms with Yᵀ laid out first, vs gramAdd's 1.7 ms
// (README, Dependencies). All pointers are byte offsets into the kernels' own memory; every row is
// `kb` bytes (k padded to a multiple of 8 floats so the loops run two f32x4 lanes per step).
import { assembleKernels } from './wasm-kernels.js';

export interface Kernels {
  readonly simd: boolean;
  /** Views over the memory; refreshed by reserve(), so re-read after it. */
  f32: Float32Array;
  i32: Int32Array;
  /** Make the memory at least `bytes` long (invalidates earlier views). */
  reserve(bytes: number): void;
  /**
   * For rows q in [start, end) of a CSR (idx i32 / val f32 at byte offsets idxP / valP): with y = Y row idx[q],
   * c = val[q], d = y·v: out += f y, f = (c-1) d (mode 1: a CG product) or c - (c-1) d (mode 0: a residual).
   */
  rowpass(idxP: number, valP: number, start: number, end: number, Y: number, v: number, out: number, kb: number, mode: number): void;
  /** out[r] = M_r · v for rows r < rows (f32 results at out + 4r). */
  matvec(M: number, rows: number, v: number, out: number, kb: number): void;
  /** G += Σ_r f_r f_rᵀ over rows r < n of F (G is k x k with row stride kb); only the upper triangle is guaranteed. */
  gramAdd(F: number, n: number, G: number, kb: number): void;
  /**
   * Conjugate-gradient refinement of rows r < nRows of X (see als.ts) against the fixed side F, with
   * row pointers (i32) at ptrP: `steps` CG steps from each row's current value (warm start).
   * diag=0: G is the dense k x k base matrix; diag=1: G is the vector λ of a diagonal base matrix,
   * which also preconditions the steps (z = λ⁻¹ r). r, p, Ap: scratch rows.
   */
  cgrows(ptrP: number, idxP: number, valP: number, nRows: number, X: number, F: number, G: number, diag: number,
    kb: number, steps: number, r: number, p: number, Ap: number): void;
  /** Each row f of F (n rows) becomes f Q (Q is k x k, row stride kb); tmp is one scratch row. */
  rotate(F: number, n: number, Q: number, kb: number, tmp: number): void;
  /**
   * A fold-in's sums in f64 (model.ts): for t < nd, y = f32 row items[t] (i32) of Y, c = cs[t] (f64):
   * b += c y and the lower triangle of A (k x k f64) += ((c - 1) y) yᵀ; A[a][a+1] may get garbage (and one f64
   * after A), which the caller's mirroring overwrites.
   */
  foldAdd(A: number, b: number, Y: number, items: number, cs: number, nd: number, k: number, kb: number): void;
}

let compiled: WebAssembly.Module | null | undefined;
function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bytes = assembleKernels();
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Fresh kernels with their own memory: WASM SIMD when the runtime has it, scalar JS otherwise. */
export function createKernels(forceJs = false): Kernels {
  const mod = forceJs ? null : simdModule();
  if (mod) {
    const inst = new WebAssembly.Instance(mod, {});
    const ex = inst.exports as unknown as {
      memory: WebAssembly.Memory; rowpass: Kernels['rowpass']; matvec: Kernels['matvec']; gramAdd: Kernels['gramAdd'];
      cgrows: Kernels['cgrows']; rotate: Kernels['rotate']; foldAdd: Kernels['foldAdd'];
    };
    const k: Kernels = {
      simd: true,
      f32: new Float32Array(ex.memory.buffer),
      i32: new Int32Array(ex.memory.buffer),
      reserve(bytes) {
        const have = ex.memory.buffer.byteLength;
        if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / 65536));
        k.f32 = new Float32Array(ex.memory.buffer);
        k.i32 = new Int32Array(ex.memory.buffer);
      },
      rowpass: ex.rowpass, matvec: ex.matvec, gramAdd: ex.gramAdd, cgrows: ex.cgrows, rotate: ex.rotate, foldAdd: ex.foldAdd,
    };
    return k;
  }
  return jsKernels();
}

/** The 64 KiB pages a shared memory of `bytes` bytes takes. */
export const sharedPages = (bytes: number): number => Math.max(1, Math.ceil(bytes / 65536));

/**
 * SIMD kernels over a shared memory of at least `pages` pages whose maximum is `maxPages` (see sharedPages; reserve()
 * cannot grow it), for the threads of a team: null where the runtime lacks SIMD or shared memories (callers then
 * train on one thread).
 */
export function kernelsOn(memory: WebAssembly.Memory, pages: number, maxPages = pages): Kernels | null {
  let mod: WebAssembly.Module;
  try {
    const bytes = assembleKernels({ pages, maxPages });
    if (!WebAssembly.validate(bytes)) return null;
    mod = new WebAssembly.Module(bytes);
  } catch {
    return null;
  }
  const ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Pick<Kernels, 'rowpass' | 'matvec' | 'gramAdd' | 'cgrows' | 'rotate' | 'foldAdd'>;
  return {
    simd: true,
    f32: new Float32Array(memory.buffer),
    i32: new Int32Array(memory.buffer),
    reserve(bytes) {
      if (bytes > memory.buffer.byteLength) throw new Error(`shared kernels memory holds ${memory.buffer.byteLength} bytes, not ${bytes}`);
    },
    rowpass: ex.rowpass, matvec: ex.matvec, gramAdd: ex.gramAdd, cgrows: ex.cgrows, rotate: ex.rotate, foldAdd: ex.foldAdd,
  };
}

/** The same kernels in scalar JS over a growable ArrayBuffer. */
function jsKernels(): Kernels {
  const k: Kernels = {
    simd: false,
    f32: new Float32Array(0),
    i32: new Int32Array(0),
    reserve(bytes) {
      if (bytes <= k.f32.byteLength) return;
      const buf = new ArrayBuffer(Math.ceil(bytes / 65536) * 65536);
      new Uint8Array(buf).set(new Uint8Array(k.f32.buffer));
      k.f32 = new Float32Array(buf);
      k.i32 = new Int32Array(buf);
    },
    rowpass(idxP, valP, start, end, Y, v, out, kb, mode) {
      const f = k.f32, ii = k.i32, n = kb >> 2, vo = v >> 2, oo = out >> 2;
      for (let q = start; q < end; q++) {
        const yo = (Y + ii[(idxP >> 2) + q]! * kb) >> 2, c = f[(valP >> 2) + q]!;
        let d = 0;
        for (let a = 0; a < n; a++) d += f[yo + a]! * f[vo + a]!;
        const t = (c - 1) * d, s = mode ? t : c - t;
        for (let a = 0; a < n; a++) f[oo + a]! += s * f[yo + a]!;
      }
    },
    matvec(M, rows, v, out, kb) {
      const f = k.f32, n = kb >> 2, vo = v >> 2;
      for (let r = 0; r < rows; r++) {
        const mo = (M >> 2) + r * n;
        let d = 0;
        for (let a = 0; a < n; a++) d += f[mo + a]! * f[vo + a]!;
        f[(out >> 2) + r] = d;
      }
    },
    gramAdd(F, n, G, kb) {
      const f = k.f32, w = kb >> 2;
      for (let r = 0; r < n; r++) {
        const fo = (F >> 2) + r * w;
        for (let a = 0; a < w; a++) {
          const fa = f[fo + a]!, go = (G >> 2) + a * w;
          if (fa !== 0) for (let b = 0; b < w; b++) f[go + b]! += fa * f[fo + b]!;
        }
      }
    },
    cgrows(ptrP, idxP, valP, nRows, X, F, G, diag, kb, steps, r, p, Ap) {
      const w = kb >> 2, ro = r >> 2, po = p >> 2, ao = Ap >> 2, go = G >> 2;
      for (let row = 0; row < nRows; row++) {
        const f = k.f32;
        const start = k.i32[(ptrP >> 2) + row]!, end = k.i32[(ptrP >> 2) + row + 1]!;
        const xb = X + row * kb, xo = xb >> 2;
        if (diag) for (let a = 0; a < w; a++) f[ro + a] = f[go + a]! * f[xo + a]!;
        else k.matvec(G, w, xb, r, kb);
        for (let a = 0; a < w; a++) f[ro + a] = -f[ro + a]!;
        k.rowpass(idxP, valP, start, end, F, xb, r, kb, 0);
        for (let a = 0; a < w; a++) f[po + a] = diag ? f[ro + a]! / f[go + a]! : f[ro + a]!;
        let rsold = 0;
        for (let a = 0; a < w; a++) rsold += f[ro + a]! * f[po + a]!;
        for (let it = 0; it < steps && rsold > 1e-20; it++) {
          if (diag) for (let a = 0; a < w; a++) f[ao + a] = f[go + a]! * f[po + a]!;
          else k.matvec(G, w, p, Ap, kb);
          k.rowpass(idxP, valP, start, end, F, p, Ap, kb, 1);
          let pAp = 0;
          for (let a = 0; a < w; a++) pAp += f[po + a]! * f[ao + a]!;
          if (!(pAp > 0)) break;
          const alpha = rsold / pAp;
          for (let a = 0; a < w; a++) { f[xo + a]! += alpha * f[po + a]!; f[ro + a]! -= alpha * f[ao + a]!; }
          let rsnew = 0;
          for (let a = 0; a < w; a++) { f[ao + a] = diag ? f[ro + a]! / f[go + a]! : f[ro + a]!; rsnew += f[ro + a]! * f[ao + a]!; }
          const beta = rsnew / rsold;
          for (let a = 0; a < w; a++) f[po + a] = f[ao + a]! + beta * f[po + a]!;
          rsold = rsnew;
        }
      }
    },
    foldAdd(A, b, Y, items, cs, nd, kk, kb) {
      const f = k.f32, ii = k.i32, d = new Float64Array(f.buffer), w = kb >> 2;
      for (let t = 0; t < nd; t++) {
        const yo = (Y >> 2) + ii[(items >> 2) + t]! * w, c = d[(cs >> 3) + t]!;
        for (let a = 0; a < kk; a++) {
          const ya = f[yo + a]!, ro = (A >> 3) + a * kk;
          d[(b >> 3) + a]! += c * ya;
          const fa = (c - 1) * ya;
          for (let c2 = 0; c2 <= a; c2++) d[ro + c2]! += fa * f[yo + c2]!;
        }
      }
    },
    rotate(F, n, Q, kb, tmp) {
      const f = k.f32, w = kb >> 2, to = tmp >> 2;
      for (let r = 0; r < n; r++) {
        const fo = (F >> 2) + r * w;
        f.fill(0, to, to + w);
        for (let a = 0; a < w; a++) {
          const s = f[fo + a]!, qo = (Q >> 2) + a * w;
          if (s !== 0) for (let b = 0; b < w; b++) f[to + b]! += s * f[qo + b]!;
        }
        f.copyWithin(fo, to, to + w);
      }
    },
  };
  return k;
}
