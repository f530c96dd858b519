// Personalize's evaluation split (reference §9.1): hold out 10% of users; each held-out user's
// oldest 90% of interactions is the input history and the newest 10% the relevant items.
import { Rng } from '../../lib/random.js';
import type { TrainingData } from '../../recipes/types.js';

export interface TestUser {
  user: string;
  history: Int32Array;
  /** Event type code of each history interaction (into TrainingData.eventTypes; -1 none). */
  historyTypes?: Int32Array;
  relevant: Int32Array;
  /** Per relevant item: the largest eventsConfig weight among its held-out interactions (1 without eventsConfig). */
  relevantWeights?: Float32Array;
}

export interface SplitOptions {
  /** Share of users held out (default 0.1). */
  testFraction?: number;
  /** Share of a held-out user's interactions fed as input, oldest first (default 0.9). */
  inputFraction?: number;
}

/**
 * Split by user, seeded. Only users with at least 2 interactions can be split into input and
 * relevant parts, so only they are drawn; the others always stay in train. The number held out is
 * round(testFraction x all users), at least 1 and at most the eligible users. For a user with n
 * interactions the relevant part is the newest max(1, n - ceil(inputFraction x n)) interactions,
 * i.e. floor(10%) but never empty, so the input keeps at least 90%. Relevant items are distinct;
 * the input keeps repeats (it is what the engine would pass as history). Train keeps the item
 * numbering and item metadata unchanged, and the remaining users in their sorted order.
 */
export function splitForEvaluation(
  data: TrainingData, seed: number, opts: SplitOptions = {},
): { train: TrainingData; test: TestUser[] } {
  const testFraction = opts.testFraction ?? 0.1;
  const inputFraction = opts.inputFraction ?? 0.9;
  const nUsers = data.userIds.length;
  const { userPtr } = data;
  const eligible: number[] = [];
  for (let u = 0; u < nUsers; u++) if (userPtr[u + 1]! - userPtr[u]! >= 2) eligible.push(u);
  const nTest = Math.min(eligible.length, Math.max(1, Math.round(testFraction * nUsers)));
  // Partial Fisher-Yates: the first nTest slots are a uniform sample, in a seed-determined order.
  const rng = new Rng(seed);
  for (let t = 0; t < nTest; t++) {
    const j = t + rng.int(eligible.length - t);
    const x = eligible[t]!; eligible[t] = eligible[j]!; eligible[j] = x;
  }
  const heldOut = new Uint8Array(nUsers);
  const chosen = eligible.slice(0, nTest).sort((a, b) => a - b);
  for (const u of chosen) heldOut[u] = 1;

  // Each held-out user's distinct relevant items in order of first held-out occurrence, with their largest weight:
  // slotOf[i] is i's place in this user's list (-1 none), reset after the user (typed arrays, not a Map per user).
  const slotOf = new Int32Array(data.itemIds.length).fill(-1);
  let relItems = new Int32Array(64), relBest = new Float32Array(64);
  const { itemIdx, weights, eventType } = data;
  const test: TestUser[] = chosen.map((u) => {
    const start = userPtr[u]!, end = userPtr[u + 1]!, n = end - start;
    const nRelevant = Math.max(1, n - Math.ceil(inputFraction * n));
    const cut = end - nRelevant;
    if (relItems.length < nRelevant) { relItems = new Int32Array(nRelevant); relBest = new Float32Array(nRelevant); }
    let k = 0;
    for (let p = cut; p < end; p++) {
      const i = itemIdx[p]!, w = weights[p]!, s = slotOf[i]!;
      if (s < 0) { slotOf[i] = k; relItems[k] = i; relBest[k++] = w; } else relBest[s] = Math.max(w, relBest[s]!);
    }
    for (let q = 0; q < k; q++) slotOf[relItems[q]!] = -1;
    return {
      user: data.userIds[u]!, history: itemIdx.slice(start, cut), historyTypes: eventType.slice(start, cut),
      relevant: relItems.slice(0, k), relevantWeights: relBest.slice(0, k),
    };
  });
  return { train: keepUsers(data, heldOut), test };
}

/**
 * TrainingData without the marked users: same items and item columns, user CSR rebuilt. The item column is copied
 * now; timestamps, weights and event types on first read, because many recipes never read them (aws-sims,
 * popularity-count) and a fresh copy of tens of MB costs its first touch (2.6-5.6 ms per MB on this project's VM).
 */
function keepUsers(data: TrainingData, drop: Uint8Array): TrainingData {
  const nUsers = data.userIds.length;
  const userIds: string[] = [];
  let nnz = 0;
  for (let u = 0; u < nUsers; u++) if (!drop[u]) { userIds.push(data.userIds[u]!); nnz += data.userPtr[u + 1]! - data.userPtr[u]!; }
  const userPtr = new Int32Array(userIds.length + 1);
  const itemIdx = new Int32Array(nnz);
  // Kept users come in runs (90% of users are kept): one copy per run of consecutive kept users, not per user.
  const runs: number[] = []; // (source start, source end, destination) per run
  let k = 0, v = 0, maxTimestamp = -Infinity;
  for (let u = 0; u < nUsers; u++) {
    if (drop[u]) continue;
    let end = u;
    while (end < nUsers && !drop[end]) { k += data.userPtr[end + 1]! - data.userPtr[end]!; userPtr[++v] = k; end++; }
    const s = data.userPtr[u]!, e = data.userPtr[end]!;
    runs.push(s, e, k - (e - s));
    itemIdx.set(data.itemIdx.subarray(s, e), k - (e - s));
    for (let p = s; p < e; p++) if (data.timestamps[p]! > maxTimestamp) maxTimestamp = data.timestamps[p]!;
    u = end;
  }
  const train: TrainingData = { ...data, userIds, userPtr, itemIdx, maxTimestamp: nnz > 0 ? maxTimestamp : 0 };
  const gather = <T extends Float64Array | Float32Array | Int32Array>(from: T): T => {
    const out = new (from.constructor as new (n: number) => T)(nnz);
    for (let r = 0; r < runs.length; r += 3) out.set(from.subarray(runs[r]!, runs[r + 1]!), runs[r + 2]!);
    return out;
  };
  onFirstRead(train, 'timestamps', () => gather(data.timestamps));
  onFirstRead(train, 'weights', () => gather(data.weights));
  onFirstRead(train, 'eventType', () => gather(data.eventType));
  return train;
}

/** `obj[key]` made by `make` when first read (a spread or a structured clone reads it too), then a plain property. */
function onFirstRead<K extends 'timestamps' | 'weights' | 'eventType'>(obj: TrainingData, key: K, make: () => TrainingData[K]): void {
  Object.defineProperty(obj, key, {
    configurable: true, enumerable: true,
    get: () => {
      const value = make();
      Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: true });
      return value;
    },
    set: (value: TrainingData[K]) => Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: true }),
  });
}

export interface RowArrays { itemIdx: Int32Array; timestamps: Float64Array; weights: Float32Array; eventType: Int32Array }

/** Interactions s..e of `data` copied into `into` at offset k; returns the newest timestamp among them. */
export function copyRows(data: TrainingData, s: number, e: number, into: RowArrays, k: number): number {
  into.itemIdx.set(data.itemIdx.subarray(s, e), k);
  into.timestamps.set(data.timestamps.subarray(s, e), k);
  into.weights.set(data.weights.subarray(s, e), k);
  into.eventType.set(data.eventType.subarray(s, e), k);
  let newest = -Infinity;
  for (let p = s; p < e; p++) if (data.timestamps[p]! > newest) newest = data.timestamps[p]!;
  return newest;
}
