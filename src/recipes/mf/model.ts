// A trained factor model at serving time: scores are raw dot products x_u·y_i (logits; the engine
// applies Personalize's softmax), and users unknown at training, or with new events, are folded in.
import { recencyWeights, type RecencyOptions } from './confidence.js';
import { paddedWidth } from './als.js';
import { choleskySolve, gram } from './dense.js';
import { createKernels } from './simd.js';
import { FactorScorer } from '../../lib/score.js';
import { FactorSoftmax } from '../../lib/factor-softmax.js';
import type { Model } from '../types.js';

export interface FactorModelParts {
  k: number;
  /** User factors (nUsers x k) and how many training interactions each user had. */
  X: Float32Array;
  userCount: Int32Array;
  /** Item factors (nItems x k). */
  Y: Float32Array;
  regularization: number;
  alpha: number;
  recency: RecencyOptions;
}

/**
 * Score function over a factor model. A known user whose history is no longer than at training
 * uses the trained vector; otherwise (user -1, or new events since) the history is folded in by an
 * exact least-squares solve against the fixed item factors, as implicit's recalculate_user does,
 * with the training's recency weights by position (event-type weights are not in a history, so
 * each interaction counts 1 before recency). No usable history -> false (cold start: the engine
 * falls back to popular items).
 */
export function factorScorer(m: FactorModelParts): Model['score'] {
  return factorModel(m).score;
}

/**
 * score() as factorScorer's, and topK(): the same user vector ranked by the exact top-k scorer (int8 first
 * pass, exact f32 re-score: a quarter of the memory traffic of scoring every item), for callers that need
 * only the best items (offline metrics over many held-out users).
 */
export function factorModel(m: FactorModelParts): Required<Pick<Model, 'score' | 'topK'>> & Pick<Model, 'scoreSoftmax'> {
  const { k, X, Y, userCount } = m;
  const nItems = Y.length / k;
  const nUsers = X.length / k;
  const G = gram(Y, nItems, k, Math.max(m.regularization, 1e-6)); // positive definite even at reg 0
  // Per-request scratch, allocated once per loaded model.
  const x = new Float64Array(k);
  const conf = new Float64Array(nItems);
  const stamp = new Int32Array(nItems);
  const distinct = new Int32Array(nItems);
  let epoch = 0;
  // Scoring every item is one matrix-vector product over the padded item factors, resident in kernel memory: the
  // serving kernels' (FactorSoftmax: scores, max and softmax terms in one call), else the ALS kernels', whose matvec
  // sums in the same order (the scores are the same bits). The ALS kernels' memory, which the fold-in reads Y from:
  // [Y (nItems x w) | x (w) | scores (nItems) | fold-in: A (k x k f64, + 1 slack) | b (k f64) | items (nItems i32) |
  // confidences (nItems f64)].
  const w = paddedWidth(k), kb = w * 4;
  const K = createKernels();
  const serving = K.simd ? FactorSoftmax.create(Y, nItems, k, kb) : null;
  const xAt = nItems * kb, outAt = xAt + kb;
  const aAt = Math.ceil((outAt + nItems * 4) / 8) * 8, bAt = aAt + (k * k + 1) * 8, itemsAt = bAt + k * 8;
  const csAt = Math.ceil((itemsAt + nItems * 4) / 8) * 8;
  K.reserve(csAt + nItems * 8);
  for (let i = 0; i < nItems; i++) K.f32.set(Y.subarray(i * k, i * k + k), i * w);
  const f64 = new Float64Array(K.f32.buffer);
  const A = f64.subarray(aAt >> 3, (aAt >> 3) + k * k), b = f64.subarray(bAt >> 3, (bAt >> 3) + k);
  let rw: Float64Array = new Float64Array(0); // recency weight by position from the end, grown on demand (a pow each was slow)

  // The sums A = G + Σ (c - 1) y yᵀ, b = Σ c y run in the kernels (foldAdd: f64, the same operations in the same
  // order as a scalar loop), the k x k solve in JS.
  const foldIn = (history: Int32Array): boolean => {
    epoch++;
    let nd = 0;
    const n = history.length;
    if (rw.length < n) rw = recencyWeights(Math.max(n, 2 * rw.length), m.recency);
    for (let p = 0; p < n; p++) {
      const i = history[p]!;
      if (i < 0 || i >= nItems) continue; // items new since training carry no factors
      if (stamp[i] !== epoch) { stamp[i] = epoch; conf[i] = 0; distinct[nd++] = i; }
      conf[i]! += rw[n - 1 - p]!;
    }
    if (nd === 0) return false;
    const i32 = K.i32;
    for (let t = 0; t < nd; t++) { const i = distinct[t]!; i32[(itemsAt >> 2) + t] = i; f64[(csAt >> 3) + t] = 1 + m.alpha * conf[i]!; }
    A.set(G);
    b.fill(0);
    K.foldAdd(aAt, bAt, 0, itemsAt, csAt, nd, k, kb);
    for (let a = 0; a < k; a++) for (let c2 = 0; c2 < a; c2++) A[c2 * k + a] = A[a * k + c2]!;
    if (!choleskySolve(A, b, k)) return false;
    x.set(b);
    return true;
  };

  /** The query's user vector into x: the trained one, or folded in from the history; false when none. */
  const userVector = (q: { user: number; history: Int32Array | null }): boolean => {
    const { user, history } = q;
    if (user >= 0 && user < nUsers && (!history || history.length <= userCount[user]!)) {
      for (let a = 0; a < k; a++) x[a] = X[user * k + a]!;
      return true;
    }
    return !!history && history.length > 0 && foldIn(history);
  };
  let ranker: FactorScorer | null = null;
  const qv = new Float32Array(k);
  return {
    score(q, out) {
      if (!userVector(q)) return false;
      if (serving) {
        for (let a = 0; a < k; a++) serving.query[a] = x[a]!;
        serving.score();
        out.set(serving.scores);
        return true;
      }
      const f = K.f32;
      for (let a = 0; a < k; a++) f[(xAt >> 2) + a] = x[a]!;
      K.matvec(0, nItems, xAt, outAt, kb);
      out.set(f.subarray(outAt >> 2, (outAt >> 2) + nItems));
      return true;
    },
    topK(q, count, mask, out) {
      if (!userVector(q)) return -1;
      ranker ??= new FactorScorer(Y, nItems, k);
      for (let a = 0; a < k; a++) qv[a] = x[a]!;
      return ranker.topK(qv, count, mask, out);
    },
    ...(serving && {
      scoreSoftmax(q: { user: number; history: Int32Array | null }, out: Float32Array, floor: number) {
        if (!userVector(q)) return false;
        for (let a = 0; a < k; a++) serving.query[a] = x[a]!;
        const pass = serving.softmax(floor);
        out.set(serving.scores);
        return pass;
      },
    }),
  };
}
