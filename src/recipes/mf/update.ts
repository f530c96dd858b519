// trainingMode UPDATE for the implicit-ALS recipes: previous factors mapped onto the new numbering
// by id, new items and changed users solved exactly against the fixed other side (no ALS sweeps).
import { quantile } from '../params.js';
import type { ModelArtifact, TrainingData } from '../types.js';
import { paddedWidth } from './als.js';
import { confidenceMatrix, transpose, type Csr, type RecencyOptions } from './confidence.js';
import { choleskySolve } from './dense.js';
import { createKernels, type Kernels } from './simd.js';

export interface PreviousModel { artifact: ModelArtifact; userIds: string[]; itemIds: string[] }

/** For every id of `to`, its index in `from`, or -1 when it is new. */
export function mapIds(from: readonly string[], to: readonly string[]): Int32Array {
  const at = new Map<string, number>();
  for (let i = 0; i < from.length; i++) at.set(from[i]!, i);
  return Int32Array.from(to, (id) => at.get(id) ?? -1);
}

/** Rows of `prev` (n x k) moved to the new numbering; new rows are 0. */
export function mapRows(prev: Float32Array, k: number, map: Int32Array): Float32Array {
  const out = new Float32Array(map.length * k);
  for (let r = 0; r < map.length; r++) {
    const p = map[r]!;
    if (p >= 0) out.set(prev.subarray(p * k, p * k + k), r * k);
  }
  return out;
}

/** Rows staged per gramAdd call: bounds the kernels' memory whatever the longest history. */
const CHUNK = 1024;

/**
 * Exact regularized least squares for chosen rows, the fold-in of model.ts generalized to either
 * side: x = A⁻¹ Σ_j c_j f_j, A = B + Σ_j (c_j - 1) f_j f_jᵀ, B = FᵀF + reg I, over the row's CSR
 * entries. Two exact routes, picked by cost:
 * - short rows (m ≤ k/2 entries, most new items and new users): with B = L Lᵀ and z_j = L⁻¹ f_j,
 *   A = L (I + Ũ Ũᵀ) Lᵀ for Ũ = [√(c_j-1) z_j], so Woodbury leaves an m x m system: O(m²k + k²)
 *   instead of the O(k³) Cholesky of A (~100 µs in JS at k = 64, which otherwise dominates UPDATE);
 * - long rows: A assembled with the WASM gramAdd kernel over rows scaled by √(c - 1), then Cholesky.
 */
class RowSolver {
  private readonly K: Kernels = createKernels();
  private readonly w: number;
  private readonly G: number;
  private readonly A: Float64Array;
  private readonly b: Float64Array;
  private readonly S: Float64Array;
  private readonly t: Float64Array;
  private readonly picked: Int32Array;
  private readonly scale: Float64Array;
  private F: Float32Array = new Float32Array(0);
  private B: Float64Array = new Float64Array(0);
  private L: Float64Array = new Float64Array(0);
  private Z: Float32Array = new Float32Array(0);
  private hasZ: Uint8Array = new Uint8Array(0);

  constructor(private readonly k: number) {
    this.w = paddedWidth(k);
    this.G = CHUNK * this.w * 4; // staged rows at byte 0, then G
    this.K.reserve(this.G + this.w * this.w * 4);
    this.K.f32.fill(0); // the padding lanes of staged rows are never written and must stay 0
    const h = k >> 1;
    this.A = new Float64Array(k * k); this.b = new Float64Array(k);
    this.S = new Float64Array(h * h); this.t = new Float64Array(h);
    this.picked = new Int32Array(h); this.scale = new Float64Array(h);
  }

  /** Fix the other side F (n x k): B = FᵀF + reg I, its Cholesky factor, and an empty z cache. */
  setFixed(F: Float32Array, n: number, reg: number): void {
    const { K, k, w } = this, g = this.G >> 2;
    K.f32.fill(0, g, g + w * w);
    for (let s = 0; s < n; s += CHUNK) {
      const m = Math.min(CHUNK, n - s);
      for (let r = 0; r < m; r++) K.f32.set(F.subarray((s + r) * k, (s + r + 1) * k), r * w);
      K.gramAdd(0, m, this.G, w * 4);
    }
    this.F = F;
    this.B = new Float64Array(k * k);
    this.readUpper(this.B);
    for (let a = 0; a < k; a++) this.B[a * k + a]! += reg;
    this.L = this.B.slice();
    choleskySolve(this.L, new Float64Array(k), k); // B is positive definite (reg > 0): L is its factor
    if (this.hasZ.length < n) { this.Z = new Float32Array(n * k); this.hasZ = new Uint8Array(n); } else this.hasZ.fill(0);
  }

  /**
   * Solve row r of `csr` into out[r], leaving out F rows not marked in `use` (they carry no factors
   * yet, so they would add nothing but cost). A singular system leaves 0 (cannot happen with reg > 0).
   */
  solve(csr: Csr, r: number, use: Uint8Array | null, out: Float32Array): void {
    const k = this.k;
    let m = 0;
    for (let q = csr.ptr[r]!; q < csr.ptr[r + 1]! && m <= k >> 1; q++) if (!use || use[csr.idx[q]!]) m++;
    const ok = m <= k >> 1 ? this.woodbury(csr, r, use, m) : this.direct(csr, r, use);
    if (ok) for (let a = 0; a < k; a++) out[r * k + a] = this.b[a]!;
    else out.fill(0, r * k, r * k + k);
  }

  /** z_j = L⁻¹ f_j (forward substitution), computed once per F row. */
  private z(j: number): number {
    const { k, L, Z } = this, o = j * k;
    if (!this.hasZ[j]) {
      this.hasZ[j] = 1;
      for (let i = 0; i < k; i++) {
        let s = this.F[o + i]!;
        for (let t = 0; t < i; t++) s -= L[i * k + t]! * Z[o + t]!;
        Z[o + i] = s / L[i * k + i]!;
      }
    }
    return o;
  }

  private woodbury(csr: Csr, r: number, use: Uint8Array | null, m: number): boolean {
    const { k, L, Z, S, t, b, picked, scale } = this;
    b.fill(0);
    let n = 0;
    for (let q = csr.ptr[r]!; q < csr.ptr[r + 1]! && n < m; q++) {
      const j = csr.idx[q]!;
      if (use && !use[j]) continue;
      const c = csr.val[q]!, o = this.z(j);
      for (let a = 0; a < k; a++) b[a]! += c * Z[o + a]!; // b = L⁻¹ Σ c f
      picked[n] = o; scale[n++] = Math.sqrt(c - 1);
    }
    // S = I + ŨᵀŨ, t = Ũᵀ b; solve S t; b -= Ũ t: b = (I + ŨŨᵀ)⁻¹ L⁻¹ Σ c f.
    for (let p = 0; p < m; p++) {
      const op = picked[p]!, sp = scale[p]!;
      let rb = 0;
      for (let a = 0; a < k; a++) rb += Z[op + a]! * b[a]!;
      t[p] = sp * rb;
      for (let q = 0; q <= p; q++) {
        const oq = picked[q]!;
        let d = 0;
        for (let a = 0; a < k; a++) d += Z[op + a]! * Z[oq + a]!;
        S[p * m + q] = S[q * m + p] = sp * scale[q]! * d + (p === q ? 1 : 0);
      }
    }
    if (m > 0 && !choleskySolve(S, t, m)) return false;
    for (let p = 0; p < m; p++) {
      const op = picked[p]!, f = t[p]! * scale[p]!;
      for (let a = 0; a < k; a++) b[a]! -= f * Z[op + a]!;
    }
    for (let i = k - 1; i >= 0; i--) { // x = L⁻ᵀ b
      let s = b[i]!;
      for (let c = i + 1; c < k; c++) s -= L[c * k + i]! * b[c]!;
      b[i] = s / L[i * k + i]!;
    }
    return true;
  }

  private direct(csr: Csr, r: number, use: Uint8Array | null): boolean {
    const { K, k, w, A, b, F } = this;
    const f32 = K.f32, g = this.G >> 2;
    f32.fill(0, g, g + w * w);
    b.fill(0);
    let m = 0;
    for (let q = csr.ptr[r]!; q < csr.ptr[r + 1]!; q++) {
      const j = csr.idx[q]!;
      if (use && !use[j]) continue;
      const c = csr.val[q]!, s = Math.sqrt(c - 1), fo = j * k, so = m * w;
      for (let a = 0; a < k; a++) {
        const fa = F[fo + a]!;
        b[a]! += c * fa;
        f32[so + a] = s * fa;
      }
      if (++m === CHUNK) { K.gramAdd(0, m, this.G, w * 4); m = 0; }
    }
    if (m > 0) K.gramAdd(0, m, this.G, w * 4);
    this.readUpper(A);
    for (let t = 0; t < k * k; t++) A[t]! += this.B[t]!;
    return choleskySolve(A, b, k);
  }

  /** The kernels' G (upper triangle guaranteed) as a full symmetric k x k Float64 matrix. */
  private readUpper(out: Float64Array): void {
    const { K, k, w } = this, g = this.G >> 2;
    for (let a = 0; a < k; a++) {
      for (let c = a; c < k; c++) { const v = K.f32[g + a * w + c]!; out[a * k + c] = v; out[c * k + a] = v; }
    }
  }
}

/** What UPDATE folded in, recorded in the artifact's meta. */
export interface UpdateCounts {
  newItems: number; newUsers: number; removedItems: number; removedUsers: number;
  itemsFolded: number; userSolves: number; interactionsAdded: number;
}

/**
 * Derive factors for `data` from a previous implicit-ALS artifact:
 * 1. user and item factors move to the new numbering by id; ids no longer in the data are dropped;
 * 2. users that are new or whose interaction count changed, and do not touch a new item, are
 *    solved against the item factors (items without factors yet are left out: they add nothing);
 * 3. items that are new, or were in the catalogue but untrained (no interactions), are folded in
 *    against all user factors, from the users that interacted with them (within the training's
 *    history-length percentiles, as in FULL); trained items keep their factors unchanged;
 * 4. users that touched a folded item are solved (again, for new ones) against the full item side.
 * Model-shape settings (k, alpha, regularization, recency) come from the previous artifact, since
 * its factors only make sense with them. No randomness: the result is a function of the inputs.
 */
export function updateFactors(
  previous: PreviousModel, data: TrainingData, userPct: [number, number],
): { X: Float32Array; Y: Float32Array; userCount: Int32Array; itemCount: Int32Array; counts: UpdateCounts } {
  const m = previous.artifact.meta, arrays = previous.artifact.arrays;
  const k = Number(m.k), alpha = Number(m.alpha), reg = Math.max(Number(m.regularization), 1e-6);
  const nUsers = data.userIds.length, nItems = data.itemIds.length;
  const userMap = mapIds(previous.userIds, data.userIds), itemMap = mapIds(previous.itemIds, data.itemIds);
  const X = mapRows(arrays.X as Float32Array, k, userMap), Y = mapRows(arrays.Y as Float32Array, k, itemMap);
  const prevUserCount = arrays.userCount as Int32Array;
  // Artifacts from before itemCount existed: every previous item counts as trained.
  const prevItemCount = arrays.itemCount as Int32Array | undefined;

  const userCount = new Int32Array(nUsers), itemCount = new Int32Array(nItems);
  for (let u = 0; u < nUsers; u++) userCount[u] = data.userPtr[u + 1]! - data.userPtr[u]!;
  for (let p = 0; p < data.itemIdx.length; p++) itemCount[data.itemIdx[p]!]!++;

  // Items to fold: interacted now, and without trained factors before.
  const fold = new Uint8Array(nItems), trained = new Uint8Array(nItems);
  let newItems = 0;
  for (let i = 0; i < nItems; i++) {
    const p = itemMap[i]!;
    if (p < 0) newItems++;
    trained[i] = p >= 0 && (!prevItemCount || prevItemCount[p]! > 0) ? 1 : 0;
    if (!trained[i] && itemCount[i]! > 0) fold[i] = 1;
  }
  const changed = new Uint8Array(nUsers), touchesFold = new Uint8Array(nUsers);
  let newUsers = 0, interactionsAdded = 0;
  for (let u = 0; u < nUsers; u++) {
    const p = userMap[u]!;
    if (p < 0) newUsers++;
    if (p < 0 || prevUserCount[p] !== userCount[u]) changed[u] = 1;
    interactionsAdded += Math.max(0, userCount[u]! - (p >= 0 ? prevUserCount[p]! : 0));
    for (let q = data.userPtr[u]!; q < data.userPtr[u + 1]!; q++) if (fold[data.itemIdx[q]!]) { touchesFold[u] = 1; break; }
  }

  // Confidences only for the users solved (every user of a folded item is one): the rest keep
  // their vectors, and recency weights cost a pow per interaction.
  const { R, users } = subsetConfidences(data, changed, touchesFold, alpha, m.recency as RecencyOptions);
  const lo = quantile(userCount, userPct[0]), hi = quantile(userCount, userPct[1]);
  const inRange = Uint8Array.from(users, (u) => (userCount[u]! >= lo && userCount[u]! <= hi ? 1 : 0));
  const Rt = transpose(keepRows(R, inRange), nItems);
  for (let q = 0; q < Rt.idx.length; q++) Rt.idx[q] = users[Rt.idx[q]!]!; // subset rows -> user indices
  const Xs = new Float32Array(users.length * k); // solved user rows, in subset order
  const copyBack = (s: number): void => X.set(Xs.subarray(s * k, s * k + k), users[s]! * k);

  const solver = new RowSolver(k);
  let userSolves = 0, itemsFolded = 0;
  // 2: users whose new vector the item fold-in needs (new users) or that step 4 will not reach.
  solver.setFixed(Y, nItems, reg);
  for (let s = 0; s < users.length; s++) {
    const u = users[s]!;
    if (changed[u] && (userMap[u]! < 0 || !touchesFold[u])) { solver.solve(R, s, trained, Xs); copyBack(s); userSolves++; }
  }
  // 3: the item-side analogue of model.ts's user fold-in.
  solver.setFixed(X, nUsers, reg);
  for (let i = 0; i < nItems; i++) {
    if (fold[i] && Rt.ptr[i + 1]! > Rt.ptr[i]!) { solver.solve(Rt, i, null, Y); itemsFolded++; }
  }
  // 4: one user pass over the completed item side, for the users that see the folded items.
  if (itemsFolded > 0) {
    solver.setFixed(Y, nItems, reg);
    for (let s = 0; s < users.length; s++) {
      if (touchesFold[users[s]!]) { solver.solve(R, s, null, Xs); copyBack(s); userSolves++; }
    }
  }
  let removedItems = previous.itemIds.length, removedUsers = previous.userIds.length;
  for (let i = 0; i < nItems; i++) if (itemMap[i]! >= 0) removedItems--;
  for (let u = 0; u < nUsers; u++) if (userMap[u]! >= 0) removedUsers--;
  return {
    X, Y, userCount, itemCount,
    counts: { newItems, newUsers, removedItems, removedUsers, itemsFolded, userSolves, interactionsAdded },
  };
}

/** The confidence CSR (as FULL computes it) of the users marked in a or b, and which users those rows are. */
function subsetConfidences(
  data: TrainingData, a: Uint8Array, b: Uint8Array, alpha: number, recency: RecencyOptions,
): { R: Csr; users: Int32Array } {
  const n = a.length;
  let nSub = 0, nnz = 0;
  for (let u = 0; u < n; u++) if (a[u] || b[u]) { nSub++; nnz += data.userPtr[u + 1]! - data.userPtr[u]!; }
  const users = new Int32Array(nSub), ptr = new Int32Array(nSub + 1);
  const itemIdx = new Int32Array(nnz), weights = new Float32Array(nnz);
  let s = 0, t = 0;
  for (let u = 0; u < n; u++) {
    if (!a[u] && !b[u]) continue;
    const lo = data.userPtr[u]!, hi = data.userPtr[u + 1]!;
    itemIdx.set(data.itemIdx.subarray(lo, hi), t);
    weights.set(data.weights.subarray(lo, hi), t);
    t += hi - lo;
    users[s] = u;
    ptr[++s] = t;
  }
  return { R: confidenceMatrix(ptr, itemIdx, weights, data.itemIds.length, alpha, recency), users };
}

/** R with the rows not marked emptied: as in FULL, users outside the percentiles do not shape item factors. */
function keepRows(R: Csr, keep: Uint8Array): Csr {
  if (keep.every((x) => x === 1)) return R;
  const n = keep.length;
  const ptr = new Int32Array(n + 1), idx = new Int32Array(R.idx.length), val = new Float32Array(R.idx.length);
  let t = 0;
  for (let u = 0; u < n; u++) {
    if (keep[u]) for (let q = R.ptr[u]!; q < R.ptr[u + 1]!; q++) { idx[t] = R.idx[q]!; val[t++] = R.val[q]!; }
    ptr[u + 1] = t;
  }
  return { ptr, idx: idx.slice(0, t), val: val.slice(0, t) };
}
