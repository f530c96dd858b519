// aws-next-best-action: each action's propensity (the chance a user takes it within the action
// optimization period), learned from action interactions and the user's item interactions.
//
// The model (Personalize does not document its own; this is a logistic factorization):
// - Samples: the action interactions within 6 weeks of the newest one (Personalize's window for scores)
//   whose EVENT_TYPE is TAKEN, NOT_TAKEN or VIEWED (any case; `Not taken` works too). TAKEN is a
//   positive; NOT_TAKEN / VIEWED is a positive when the same user took that action within
//   action_optimization_period days after it (shown, then taken within the period), else a negative.
// - P(taken | u, a) = σ(b_a + q_a · (p_u + ē_u)): ē_u is the mean embedding of the user's newest 200
//   items, so item taste carries over between users (a user with no action history still gets
//   personal propensities); p_u is what the user's own action outcomes add. Seeded SGD with L2.
// - Serving re-fits p_u from the user's outcomes (training plus streamed since) by Newton's method
//   against the fixed b, q, so PutActionInteractions count at once, and the evaluation does the same.
// - Personalize's rule for scores: an action has a propensity only with >= 50 TAKEN and >= 50
//   NOT_TAKEN-or-VIEWED interactions in the window; otherwise its score is 0.0.
// - GetSolutionMetrics keys (held-out 10% of users; oldest 90% of each one's outcomes as input, the
//   newest 10% as truth): `precision` and `recall` per action averaged over actions, with "predicted
//   taken" meaning propensity >= 0.5; `area_under_the_curve` (ROC AUC over the truth outcomes, 0.5
//   when they are all one class); `coverage` (share of actions in some test user's top 5).
import { Rng } from '../lib/random.js';
import { choleskySolve } from './mf/dense.js';
import { intParam, numParam } from './params.js';
import type { HyperParameterSpec, Model, ModelArtifact, Recipe, TrainingData } from './types.js';

const NAME = 'aws-next-best-action';
const DAY = 86_400;
export const NBA_WINDOW_DAYS = 42;
export const NBA_MIN_TAKEN = 50;
export const NBA_MIN_NOT_TAKEN = 50;
const MAX_USER_ITEMS = 200;
const TOP = 5;

/** 1 = taken, 0 = not taken or viewed, -1 = not an action outcome. */
export function actionOutcome(eventType: string): number {
  const t = eventType.trim().toUpperCase().replace(/[\s-]+/g, '_');
  return t === 'TAKEN' ? 1 : t === 'NOT_TAKEN' || t === 'VIEWED' ? 0 : -1;
}

/** Per user (CSR, oldest first): action, raw outcome, time, conversion label; per action: raw counts in the window. */
interface Samples { ptr: Int32Array; action: Int32Array; raw: Uint8Array; time: Float64Array; label: Uint8Array; taken: Int32Array; notTaken: Int32Array }

/** Labels of samples [lo, hi) (oldest first): 1 if taken, or shown and then taken within `period` seconds. */
function convert(action: ArrayLike<number>, raw: ArrayLike<number>, time: ArrayLike<number>, lo: number, hi: number, period: number, out: Uint8Array): void {
  const nextTake = new Map<number, number>();
  for (let s = hi - 1; s >= lo; s--) {
    if (raw[s]) nextTake.set(action[s]!, time[s]!);
    const next = nextTake.get(action[s]!);
    out[s] = raw[s] || (next !== undefined && next - time[s]! <= period) ? 1 : 0;
  }
}

function samplesOf(data: TrainingData, periodDays: number): Samples {
  const nA = data.itemIds.length, nU = data.userIds.length;
  const kind = data.eventTypes.map(actionOutcome);
  const from = data.maxTimestamp - NBA_WINDOW_DAYS * DAY;
  const ptr = new Int32Array(nU + 1), taken = new Int32Array(nA), notTaken = new Int32Array(nA);
  const action: number[] = [], raw: number[] = [], time: number[] = [];
  for (let u = 0; u < nU; u++) {
    for (let p = data.userPtr[u]!; p < data.userPtr[u + 1]!; p++) {
      const t = data.timestamps[p]!, code = data.eventType[p]!, a = data.itemIdx[p]!;
      const k = code >= 0 ? kind[code]! : -1;
      if (k < 0 || t < from || a < 0) continue;
      if (k === 1) taken[a]!++; else notTaken[a]!++;
      action.push(a); raw.push(k); time.push(t);
    }
    ptr[u + 1] = action.length;
  }
  const S = { ptr, action: Int32Array.from(action), raw: Uint8Array.from(raw), time: Float64Array.from(time), label: new Uint8Array(action.length), taken, notTaken };
  for (let u = 0; u < nU; u++) convert(S.action, S.raw, S.time, ptr[u]!, ptr[u + 1]!, periodDays * DAY, S.label);
  return S;
}

interface Params { periodDays: number; k: number; epochs: number; reg: number; lr: number }

function readParams(p: Record<string, string>): Params {
  return {
    periodDays: intParam(p, 'action_optimization_period', 14, 7, 28),
    k: intParam(p, 'factors', 8, 1, 64),
    epochs: intParam(p, 'epochs', 40, 1, 500),
    reg: numParam(p, 'regularization', 0.02, 0, 10),
    lr: numParam(p, 'learning_rate', 0.05, 1e-4, 1),
  };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Mean embedding of user u's newest items into `out` (zeros without item interactions). */
function meanItems(data: TrainingData, E: Float32Array, k: number, u: number, out: Float64Array): [number, number] {
  out.fill(0);
  const ui = data.userItems;
  if (!ui || u >= ui.userPtr.length - 1) return [0, 0];
  const h1 = ui.userPtr[u + 1]!, h0 = Math.max(ui.userPtr[u]!, h1 - MAX_USER_ITEMS);
  for (let p = h0; p < h1; p++) for (let d = 0, i = ui.itemIdx[p]! * k; d < k; d++) out[d]! += E[i + d]!;
  if (h1 > h0) for (let d = 0; d < k; d++) out[d]! /= h1 - h0;
  return [h0, h1];
}

function fit(data: TrainingData, S: Samples, prm: Params, seed: number): { bias: Float32Array; Q: Float32Array; Ebar: Float32Array } {
  const nA = data.itemIds.length, nU = data.userIds.length, k = prm.k, ui = data.userItems;
  const rng = new Rng(seed);
  const Q = Float32Array.from({ length: nA * k }, () => rng.normal() * 0.1);
  const E = Float32Array.from({ length: (ui?.itemCount ?? 0) * k }, () => rng.normal() * 0.1);
  const P = new Float32Array(nU * k);
  // Each action starts at its smoothed conversion rate; no L2 on biases (counts pin them down).
  const pos = new Float64Array(nA), cnt = new Float64Array(nA);
  for (let s = 0; s < S.action.length; s++) { cnt[S.action[s]!]!++; pos[S.action[s]!]! += S.label[s]!; }
  const bias = Float32Array.from(pos, (x, a) => Math.log((x + 1) / (cnt[a]! - x + 1)));
  const users: number[] = [];
  for (let u = 0; u < nU; u++) if (S.ptr[u + 1]! > S.ptr[u]!) users.push(u);
  const z = new Float64Array(k), ebar = new Float64Array(k), gz = new Float64Array(k);
  for (let ep = 0; ep < prm.epochs; ep++) {
    const lr = prm.lr / (1 + 0.05 * ep);
    for (let t = users.length - 1; t > 0; t--) { const j = rng.int(t + 1); const x = users[t]!; users[t] = users[j]!; users[j] = x; }
    for (const u of users) {
      const [h0, h1] = meanItems(data, E, k, u, ebar);
      gz.fill(0);
      const pu = u * k;
      for (let s = S.ptr[u]!; s < S.ptr[u + 1]!; s++) {
        const a = S.action[s]!, qa = a * k;
        let x = bias[a]!;
        for (let d = 0; d < k; d++) { z[d] = P[pu + d]! + ebar[d]!; x += Q[qa + d]! * z[d]!; }
        const g = S.label[s]! - sigmoid(x);
        bias[a]! += lr * g;
        for (let d = 0; d < k; d++) {
          const q = Q[qa + d]!;
          Q[qa + d] = q + lr * (g * z[d]! - prm.reg * q);
          P[pu + d]! += lr * (g * q - prm.reg * P[pu + d]!);
          gz[d]! += g * q;
        }
      }
      // The item embeddings take the user's summed gradient through the mean, once per user.
      const step = h1 > h0 ? lr / (h1 - h0) : 0;
      for (let p = h0; p < h1; p++) {
        const i = ui!.itemIdx[p]! * k;
        for (let d = 0; d < k; d++) E[i + d]! += step * gz[d]! - lr * prm.reg * E[i + d]!;
      }
    }
  }
  const Ebar = new Float32Array(nU * k);
  for (let u = 0; u < nU; u++) { meanItems(data, E, k, u, ebar); for (let d = 0; d < k; d++) Ebar[u * k + d] = ebar[d]!; }
  return { bias, Q, Ebar };
}

const spec = (name: string, type: 'integer' | 'continuous', d: string, min: number, max: number): HyperParameterSpec => ({ name, type, default: d, min, max, tunable: false });

export const nextBestAction: Recipe = {
  name: NAME,
  recipeType: 'PERSONALIZED_ACTIONS',
  hasScores: true,
  // Personalize has none (no HPO); these are ours.
  hyperParameters: [
    spec('factors', 'integer', '8', 1, 64), spec('epochs', 'integer', '40', 1, 500),
    spec('regularization', 'continuous', '0.02', 0, 10), spec('learning_rate', 'continuous', '0.05', 0.0001, 1),
    spec('seed', 'integer', '0', 0, 2 ** 31 - 1),
  ],
  train(data, params, seed): ModelArtifact {
    const prm = readParams(params);
    const S = samplesOf(data, prm.periodDays);
    const { bias, Q, Ebar } = fit(data, S, prm, seed);
    const eligible = Uint8Array.from(S.taken, (t, a) => (t >= NBA_MIN_TAKEN && S.notTaken[a]! >= NBA_MIN_NOT_TAKEN ? 1 : 0));
    return {
      recipe: NAME,
      meta: { k: prm.k, reg: prm.reg, periodDays: prm.periodDays, windowStart: data.maxTimestamp - NBA_WINDOW_DAYS * DAY },
      arrays: { bias, Q, Ebar, eligible, taken: S.taken, notTaken: S.notTaken, histPtr: S.ptr, histAction: S.action, histLabel: S.label },
    };
  },
  load(artifact, itemCount): Model {
    const k = artifact.meta.k as number, reg = artifact.meta.reg as number, period = (artifact.meta.periodDays as number) * DAY;
    const { bias, Q, Ebar, eligible } = artifact.arrays as { bias: Float32Array; Q: Float32Array; Ebar: Float32Array; eligible: Uint8Array };
    const histPtr = artifact.arrays.histPtr as Int32Array, histAction = artifact.arrays.histAction as Int32Array, histLabel = artifact.arrays.histLabel as Uint8Array;
    const nU = histPtr.length - 1;
    const H = new Float64Array(k * k), g = new Float64Array(k), p = new Float64Array(k), z = new Float64Array(k);
    const acts: number[] = [], ys: number[] = [];
    /** z = p + ē for the user, p maximizing the outcomes' log-likelihood minus (1 + reg·n)/2 |p|² (Newton). */
    const userVector = (q: Parameters<Model['score']>[0]): void => {
      const { user, history, outcomes, times } = q;
      acts.length = 0; ys.length = 0;
      const known = user >= 0 && user < nU;
      if (known) for (let s = histPtr[user]!; s < histPtr[user + 1]!; s++) { acts.push(histAction[s]!); ys.push(histLabel[s]!); }
      if (history && outcomes) {
        // New outcomes get the training's conversion labels among themselves (given their times).
        const labels = Uint8Array.from(outcomes);
        if (times) convert(history, outcomes, times, 0, history.length, period, labels);
        for (let j = 0; j < history.length; j++) if (history[j]! >= 0 && history[j]! < itemCount && outcomes[j]! <= 1) { acts.push(history[j]!); ys.push(labels[j]!); }
      }
      for (let d = 0; d < k; d++) { z[d] = known ? Ebar[user * k + d]! : 0; p[d] = 0; }
      const lambda = 1 + reg * acts.length;
      for (let it = 0; it < 10 && acts.length; it++) {
        H.fill(0);
        for (let d = 0; d < k; d++) { H[d * k + d] = lambda; g[d] = -lambda * p[d]!; }
        for (let j = 0; j < acts.length; j++) {
          const qa = acts[j]! * k;
          let x = bias[acts[j]!]!;
          for (let d = 0; d < k; d++) x += Q[qa + d]! * (p[d]! + z[d]!);
          const s = sigmoid(x), w = s * (1 - s), r = ys[j]! - s;
          for (let d = 0; d < k; d++) {
            g[d]! += r * Q[qa + d]!;
            for (let e = 0; e <= d; e++) H[d * k + e]! += w * Q[qa + d]! * Q[qa + e]!;
          }
        }
        for (let d = 0; d < k; d++) for (let e = d + 1; e < k; e++) H[d * k + e] = H[e * k + d]!;
        if (!choleskySolve(H, g, k)) break;
        let moved = 0;
        for (let d = 0; d < k; d++) { p[d]! += g[d]!; moved = Math.max(moved, Math.abs(g[d]!)); }
        if (moved < 1e-6) break;
      }
      for (let d = 0; d < k; d++) z[d]! += p[d]!;
    };
    return {
      score(q, out) {
        userVector(q);
        for (let a = 0; a < itemCount; a++) {
          if (!eligible[a]) { out[a] = 0; continue; }
          let x = bias[a]!;
          for (let d = 0; d < k; d++) x += Q[a * k + d]! * z[d]!;
          out[a] = sigmoid(x);
        }
        return true;
      },
    };
  },
};

/** The data without the action interactions of the marked users (item interactions and numbering unchanged). */
function withoutActionRows(data: TrainingData, drop: Uint8Array): TrainingData {
  const nU = data.userIds.length;
  const keep: number[] = [];
  const userPtr = new Int32Array(nU + 1);
  for (let u = 0; u < nU; u++) {
    if (!drop[u]) for (let p = data.userPtr[u]!; p < data.userPtr[u + 1]!; p++) keep.push(p);
    userPtr[u + 1] = keep.length;
  }
  const itemIdx = Int32Array.from(keep, (p) => data.itemIdx[p]!), eventType = Int32Array.from(keep, (p) => data.eventType[p]!);
  const timestamps = Float64Array.from(keep, (p) => data.timestamps[p]!), weights = Float32Array.from(keep, (p) => data.weights[p]!);
  return { ...data, userPtr, itemIdx, timestamps, weights, eventType };
}

/** ROC AUC of scores against 0/1 labels (ties share their average rank); 0.5 when one class is empty. */
function auc(scores: number[], labels: number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let nPos = 0, rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) j++;
    const rank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) if (labels[order[t]!]) { nPos++; rankSum += rank; }
    i = j;
  }
  const nNeg = order.length - nPos;
  return nPos && nNeg ? (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg) : 0.5;
}

/** GetSolutionMetrics for a next-best-action model (keys and protocol in the header). */
export function evaluateActions(data: TrainingData, params: Record<string, string>, seed: number): Record<string, number> {
  const prm = readParams(params);
  const S = samplesOf(data, prm.periodDays);
  const nU = data.userIds.length, nA = data.itemIds.length;
  const withSamples: number[] = [], splittable: number[] = [];
  for (let u = 0; u < nU; u++) {
    const n = S.ptr[u + 1]! - S.ptr[u]!;
    if (n > 0) withSamples.push(u);
    if (n >= 2) splittable.push(u);
  }
  if (!splittable.length) return {};
  const nTest = Math.min(splittable.length, Math.max(1, Math.round(0.1 * withSamples.length)));
  const rng = new Rng(seed);
  for (let t = 0; t < nTest; t++) { const j = t + rng.int(splittable.length - t); const x = splittable[t]!; splittable[t] = splittable[j]!; splittable[j] = x; }
  const test = splittable.slice(0, nTest).sort((a, b) => a - b);
  const held = new Uint8Array(nU);
  for (const u of test) held[u] = 1;
  const train = withoutActionRows(data, held);
  const model = nextBestAction.load(nextBestAction.train(train, params, seed), nA);
  const scores = new Float32Array(nA), recommended = new Uint8Array(nA);
  const predicted = new Int32Array(nA), hits = new Int32Array(nA), actual = new Int32Array(nA);
  const all: number[] = [], labels: number[] = [];
  for (const u of test) {
    const s0 = S.ptr[u]!, s1 = S.ptr[u + 1]!, n = s1 - s0;
    const cut = s1 - Math.max(1, n - Math.ceil(0.9 * n));
    // Raw outcomes and times: the model labels conversions within the input, never peeking at the truth.
    model.score({ user: u, item: -1, history: S.action.slice(s0, cut), outcomes: S.raw.slice(s0, cut), times: S.time.slice(s0, cut) }, scores);
    const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
    for (let r = 0; r < Math.min(TOP, nA); r++) recommended[order[r]!] = 1;
    for (let s = cut; s < s1; s++) {
      const a = S.action[s]!, y = S.label[s]!;
      all.push(scores[a]!); labels.push(y);
      if (y) actual[a]!++;
      if (scores[a]! >= 0.5) { predicted[a]!++; if (y) hits[a]!++; }
    }
  }
  const meanOver = (den: Int32Array): number => {
    let sum = 0, n = 0;
    for (let a = 0; a < nA; a++) if (den[a]! > 0) { sum += hits[a]! / den[a]!; n++; }
    return n ? sum / n : 0;
  };
  return {
    area_under_the_curve: auc(all, labels),
    coverage: recommended.reduce((s, x) => s + x, 0) / Math.max(1, nA),
    precision: meanOver(predicted),
    recall: meanOver(actual),
  };
}
