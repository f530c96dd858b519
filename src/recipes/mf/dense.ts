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
    for (let i = j + 1; i < k; i++) {
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
