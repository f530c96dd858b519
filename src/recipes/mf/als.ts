// Implicit-feedback ALS (Hu, Koren & Volinsky 2008) solved with a few conjugate-gradient steps per
// row, warm-started from the previous iteration, as the `implicit` library does. The per-row CG
// runs in the WASM SIMD kernels (simd.ts); JS prepares each half-step (Gram matrix, eigenbasis).
import type { Rng } from '../../lib/random.js';
import type { Csr } from './confidence.js';
import { jacobiEigen } from './dense.js';
import { createKernels, type Kernels } from './simd.js';

export interface AlsOptions {
  factors: number;
  regularization: number;
  iterations: number;
  cgSteps: number;
}

/** Floats per stored row: k rounded up to 8, the kernels' step. The padding stays exactly 0. */
export const paddedWidth = (k: number): number => Math.ceil(k / 8) * 8;

/** Where each array lives in the kernels' memory (byte offsets). */
interface Layout {
  X: number; Y: number; Rptr: number; Ridx: number; Rval: number; Tptr: number; Tidx: number; Tval: number;
  G: number; Q: number; r: number; p: number; Ap: number; end: number;
}

function layout(nUsers: number, nItems: number, nnz: number, w: number): Layout {
  let at = 0;
  const take = (bytes: number): number => { const o = at; at += Math.ceil(bytes / 16) * 16; return o; };
  const kb = w * 4;
  return {
    X: take(nUsers * kb), Y: take(nItems * kb),
    Rptr: take((nUsers + 1) * 4), Ridx: take(nnz * 4), Rval: take(nnz * 4),
    Tptr: take((nItems + 1) * 4), Tidx: take(nnz * 4), Tval: take(nnz * 4),
    G: take(w * kb), Q: take(w * kb), r: take(kb), p: take(kb), Ap: take(kb), end: at,
  };
}

/**
 * One half-step: refine every row of the side at `X` (nRows rows, CSR at ptr/idx/val) towards the
 * solution of (FᵀF + reg I + Σ_j (c_j - 1) f_j f_jᵀ) x = Σ_j c_j f_j with `steps` CG steps from its
 * current value, F being the fixed side (nF rows).
 *
 * When the rows outnumber the fixed side enough (steps x nRows > nF), both sides are first rotated
 * into the eigenbasis of FᵀF: the dense k x k product of every CG step (k² per row and step)
 * becomes a diagonal one, which also preconditions the steps, for one k² rotation per row. Dot
 * products, hence scores, are unchanged by the rotation. (Restarting the rows from 0 in the new
 * basis would save the rotation, but measured worse: popular rows never converge in 3 steps.)
 */
function halfStep(
  K: Kernels, L: Layout, X: number, nRows: number, F: number, nF: number, csr: [number, number, number],
  w: number, reg: number, steps: number, scratch: { G: Float64Array; V: Float64Array },
): void {
  const kb = w * 4, g = L.G >> 2;
  K.f32.fill(0, g, g + w * w);
  K.gramAdd(F, nF, L.G, kb);
  for (let a = 0; a < w; a++) for (let b = a + 1; b < w; b++) K.f32[g + b * w + a] = K.f32[g + a * w + b]!;
  const diag = steps * nRows > nF;
  if (diag) {
    const { G, V } = scratch;
    for (let t = 0; t < w * w; t++) G[t] = K.f32[g + t]!;
    jacobiEigen(G, w, V);
    const q = L.Q >> 2;
    for (let t = 0; t < w * w; t++) K.f32[q + t] = V[t]!;
    K.rotate(X, nRows, L.Q, kb, L.r);
    K.rotate(F, nF, L.Q, kb, L.r);
    K.f32.fill(0, g, g + w * w);
    // λ also preconditions (z = r / λ): keep it positive when reg is 0 and F misses a direction.
    for (let a = 0; a < w; a++) K.f32[g + a] = Math.max(G[a * w + a]! + reg, 1e-9);
  } else {
    for (let a = 0; a < w; a++) K.f32[g + a * w + a]! += reg;
  }
  K.cgrows(csr[0], csr[1], csr[2], nRows, X, F, L.G, diag ? 1 : 0, kb, steps, L.r, L.p, L.Ap);
}

/**
 * Alternate user and item half-steps from small seeded random factors (uniform in [0, 0.01), as
 * implicit). R is user x item confidence, Rt its transpose (its rows may omit filtered users).
 * Returns unpadded factors (n x k).
 */
export function trainAls(
  R: Csr, Rt: Csr, nUsers: number, nItems: number, o: AlsOptions, rng: Rng, kernels: Kernels = createKernels(),
): { X: Float32Array; Y: Float32Array; simd: boolean } {
  const k = o.factors, w = paddedWidth(k);
  const L = layout(nUsers, nItems, Math.max(R.idx.length, Rt.idx.length), w);
  const K = kernels;
  K.reserve(L.end);
  K.f32.fill(0, 0, L.end >> 2);
  for (let u = 0; u < nUsers; u++) for (let a = 0; a < k; a++) K.f32[(L.X >> 2) + u * w + a] = rng.next() * 0.01;
  for (let i = 0; i < nItems; i++) for (let a = 0; a < k; a++) K.f32[(L.Y >> 2) + i * w + a] = rng.next() * 0.01;
  K.i32.set(R.ptr, L.Rptr >> 2); K.i32.set(R.idx, L.Ridx >> 2); K.f32.set(R.val, L.Rval >> 2);
  K.i32.set(Rt.ptr, L.Tptr >> 2); K.i32.set(Rt.idx, L.Tidx >> 2); K.f32.set(Rt.val, L.Tval >> 2);
  const scratch = { G: new Float64Array(w * w), V: new Float64Array(w * w) };
  for (let it = 0; it < o.iterations; it++) {
    halfStep(K, L, L.X, nUsers, L.Y, nItems, [L.Rptr, L.Ridx, L.Rval], w, o.regularization, o.cgSteps, scratch);
    halfStep(K, L, L.Y, nItems, L.X, nUsers, [L.Tptr, L.Tidx, L.Tval], w, o.regularization, o.cgSteps, scratch);
  }
  const unpad = (at: number, n: number): Float32Array => {
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) out.set(K.f32.subarray((at >> 2) + i * w, (at >> 2) + i * w + k), i * k);
    return out;
  };
  return { X: unpad(L.X, nUsers), Y: unpad(L.Y, nItems), simd: K.simd };
}
