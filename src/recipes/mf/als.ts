// Implicit-feedback ALS (Hu, Koren & Volinsky 2008) solved with a few conjugate-gradient steps per
// row, warm-started from the previous iteration, as the `implicit` library does; typed arrays only.
import type { Rng } from '../../lib/random.js';
import type { Csr } from './confidence.js';
import { gram } from './dense.js';

export interface AlsOptions {
  factors: number;
  regularization: number;
  iterations: number;
  cgSteps: number;
}

/**
 * One half-iteration: for every row r of R, refine X[r] towards the solution of
 * (YᵀY + reg I + Σ_j (c_rj - 1) y_j y_jᵀ) x = Σ_j c_rj y_j with `steps` CG steps from the current X[r].
 * `G` is YᵀY + reg I. Scratch arrays are passed in so that rows allocate nothing.
 */
export function cgHalfStep(X: Float32Array, Y: Float32Array, R: Csr, G: Float64Array, k: number, steps: number, s: Scratch): void {
  const { x, r, p, Ap } = s;
  const nRows = R.ptr.length - 1;
  for (let row = 0; row < nRows; row++) {
    const start = R.ptr[row]!, end = R.ptr[row + 1]!;
    const xo = row * k;
    for (let a = 0; a < k; a++) x[a] = X[xo + a]!;
    // r = b - A x
    symv(G, x, r, k, -1);
    for (let q = start; q < end; q++) {
      const yo = R.idx[q]! * k, c = R.val[q]!;
      let d = 0;
      for (let a = 0; a < k; a++) d += Y[yo + a]! * x[a]!;
      const f = c - (c - 1) * d;
      for (let a = 0; a < k; a++) r[a]! += f * Y[yo + a]!;
    }
    let rsold = 0;
    for (let a = 0; a < k; a++) { p[a] = r[a]!; rsold += r[a]! * r[a]!; }
    for (let it = 0; it < steps && rsold > 1e-20; it++) {
      symv(G, p, Ap, k, 1);
      for (let q = start; q < end; q++) {
        const yo = R.idx[q]! * k, c1 = R.val[q]! - 1;
        let d = 0;
        for (let a = 0; a < k; a++) d += Y[yo + a]! * p[a]!;
        const f = c1 * d;
        for (let a = 0; a < k; a++) Ap[a]! += f * Y[yo + a]!;
      }
      let pAp = 0;
      for (let a = 0; a < k; a++) pAp += p[a]! * Ap[a]!;
      const alpha = rsold / pAp;
      let rsnew = 0;
      for (let a = 0; a < k; a++) {
        x[a]! += alpha * p[a]!;
        r[a]! -= alpha * Ap[a]!;
        rsnew += r[a]! * r[a]!;
      }
      const beta = rsnew / rsold;
      for (let a = 0; a < k; a++) p[a] = r[a]! + beta * p[a]!;
      rsold = rsnew;
    }
    for (let a = 0; a < k; a++) X[xo + a] = x[a]!;
  }
}

/** out = sign * (G v) for symmetric G (k x k). */
function symv(G: Float64Array, v: Float64Array, out: Float64Array, k: number, sign: number): void {
  for (let a = 0; a < k; a++) {
    const ga = a * k;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let b = 0;
    for (; b + 3 < k; b += 4) {
      s0 += G[ga + b]! * v[b]!;
      s1 += G[ga + b + 1]! * v[b + 1]!;
      s2 += G[ga + b + 2]! * v[b + 2]!;
      s3 += G[ga + b + 3]! * v[b + 3]!;
    }
    for (; b < k; b++) s0 += G[ga + b]! * v[b]!;
    out[a] = sign * (s0 + s1 + s2 + s3);
  }
}

export interface Scratch { x: Float64Array; r: Float64Array; p: Float64Array; Ap: Float64Array }
export const scratch = (k: number): Scratch =>
  ({ x: new Float64Array(k), r: new Float64Array(k), p: new Float64Array(k), Ap: new Float64Array(k) });

/** Factors with small random normal entries (scale 0.01, as implicit), drawn from the seeded Rng. */
export function initFactors(n: number, k: number, rng: Rng): Float32Array {
  const F = new Float32Array(n * k);
  for (let i = 0; i < F.length; i++) F[i] = rng.normal() * 0.01;
  return F;
}

/** Alternate user and item half-steps. R is user x item confidence, Rt its transpose. */
export function trainAls(R: Csr, Rt: Csr, nUsers: number, nItems: number, o: AlsOptions, rng: Rng): { X: Float32Array; Y: Float32Array } {
  const k = o.factors;
  const X = initFactors(nUsers, k, rng);
  const Y = initFactors(nItems, k, rng);
  const G = new Float64Array(k * k);
  const s = scratch(k);
  for (let it = 0; it < o.iterations; it++) {
    cgHalfStep(X, Y, R, gram(Y, nItems, k, o.regularization, G), k, o.cgSteps, s);
    cgHalfStep(Y, X, Rt, gram(X, nUsers, k, o.regularization, G), k, o.cgSteps, s);
  }
  return { X, Y };
}
