// Small dense linear algebra on typed arrays for matrix factorization: Gram matrices, Cholesky
// solves of k x k systems. Row-major; k is the factor count (tens to a few hundred).

/** G = Fᵀ F + reg I (k x k, Float64) over the n rows of F (n x k, row-major). */
export function gram(F: Float32Array, n: number, k: number, reg: number, out = new Float64Array(k * k)): Float64Array {
  out.fill(0);
  const row = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) row[a] = F[o + a]!;
    for (let a = 0; a < k; a++) {
      const va = row[a]!;
      if (va === 0) continue;
      const ga = a * k;
      for (let b = a; b < k; b++) out[ga + b]! += va * row[b]!;
    }
  }
  for (let a = 0; a < k; a++) {
    out[a * k + a]! += reg;
    for (let b = a + 1; b < k; b++) out[b * k + a] = out[a * k + b]!;
  }
  return out;
}

/**
 * Solve A x = b for symmetric positive definite A (k x k) in place: A is overwritten by its
 * Cholesky factor, b by x. Returns false (leaving garbage) when A is not positive definite.
 */
export function choleskySolve(A: Float64Array, b: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    const rj = j * k;
    let d = A[rj + j]!;
    for (let t = 0; t < j; t++) d -= A[rj + t]! * A[rj + t]!;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    A[rj + j] = ljj;
    // Column j below the diagonal, four rows per pass: each row's sum is a chain of dependent subtractions (its
    // order fixed, so the same bits), and four chains in flight at once hide the latency one chain waits on
    // (64 x 64: 48-49 -> 28-29 us; eight rows per pass measured 39-46 us, out of registers).
    let i = j + 1;
    for (; i + 3 < k; i += 4) {
      const r0 = i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
      let s0 = A[r0 + j]!, s1 = A[r1 + j]!, s2 = A[r2 + j]!, s3 = A[r3 + j]!;
      for (let t = 0; t < j; t++) {
        const l = A[rj + t]!;
        s0 -= A[r0 + t]! * l; s1 -= A[r1 + t]! * l; s2 -= A[r2 + t]! * l; s3 -= A[r3 + t]! * l;
      }
      A[r0 + j] = s0 / ljj; A[r1 + j] = s1 / ljj; A[r2 + j] = s2 / ljj; A[r3 + j] = s3 / ljj;
    }
    for (; i < k; i++) {
      const ri = i * k;
      let s = A[ri + j]!;
      for (let t = 0; t < j; t++) s -= A[ri + t]! * A[rj + t]!;
      A[ri + j] = s / ljj;
    }
  }
  // forward: L y = b
  for (let i = 0; i < k; i++) {
    const ri = i * k;
    let s = b[i]!;
    for (let t = 0; t < i; t++) s -= A[ri + t]! * b[t]!;
    b[i] = s / A[ri + i]!;
  }
  // backward: Lᵀ x = y
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let t = i + 1; t < k; t++) s -= A[t * k + i]! * b[t]!;
    b[i] = s / A[i * k + i]!;
  }
  return true;
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: A (n x n) is overwritten,
 * its diagonal ends as the eigenvalues; V receives the eigenvectors as columns (A = V diag Vᵀ).
 * Jacobi rather than tridiagonal QL because ALS calls it on a Gram matrix that is already nearly
 * diagonal in the previous basis, where Jacobi converges in one or two sweeps.
 */
export function jacobiEigen(A: Float64Array, n: number, V: Float64Array, tol = 1e-10, maxSweeps = 50): void {
  V.fill(0);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let diag = 0;
  for (let i = 0; i < n; i++) diag += A[i * n + i]! * A[i * n + i]!;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q]! * A[p * n + q]!;
    // tol bounds (off-diagonal / diagonal) in squared Frobenius norm: 1e-10 leaves relative
    // errors of 1e-5, far below what a few CG steps on an f32 Gram matrix resolve anyway.
    if (off <= tol * diag || off === 0) return;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq * apq <= tol * tol * Math.abs(A[p * n + p]! * A[q * n + q]!)) continue;
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) { // columns p, q of A
          const akp = A[k * n + p]!, akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) { // rows p, q of A
          const apk = A[p * n + k]!, aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = 0; A[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!, vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
}
