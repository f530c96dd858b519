// USER_SEGMENTATION metrics (reference §9): each user's newest 20% of interactions is held out; for each
// item, the model's top 1% of users is compared with the users who newly interacted with it there.
import { Rng } from '../../lib/random.js';
import { topK } from '../../lib/topk.js';
import type { Model, Recipe, TrainingData } from '../../recipes/types.js';
import { copyRows } from './split.js';

/** The held-out part of a per-user split: user u's test items are testItems[testPtr[u]..testPtr[u+1]) (distinct). */
export interface HeldOut { testPtr: Int32Array; testItems: Int32Array }

/**
 * Personalize's per-user split for segmentation: 80% of each user's interactions train, 20% test. The
 * split is by time (the newest 20% are held out, like the newest 10% of the other recipes' split), and
 * a user with n >= 2 interactions holds out round(0.2 n) of them, at least 1 and at most n - 1, so every
 * user keeps a vector; users with one interaction stay whole in train. Numbering is unchanged.
 */
export function splitPerUser(data: TrainingData, testFraction = 0.2): { train: TrainingData; heldOut: HeldOut } {
  const nUsers = data.userIds.length, { userPtr } = data;
  const keep = new Int32Array(nUsers);
  let nnz = 0;
  for (let u = 0; u < nUsers; u++) {
    const n = userPtr[u + 1]! - userPtr[u]!;
    keep[u] = n >= 2 ? n - Math.min(n - 1, Math.max(1, Math.round(testFraction * n))) : n;
    nnz += keep[u]!;
  }
  const ptr = new Int32Array(nUsers + 1), itemIdx = new Int32Array(nnz), timestamps = new Float64Array(nnz);
  const weights = new Float32Array(nnz), eventType = new Int32Array(nnz);
  const testPtr = new Int32Array(nUsers + 1), test: number[] = [];
  let k = 0, maxTimestamp = -Infinity;
  for (let u = 0; u < nUsers; u++) {
    const s = userPtr[u]!, cut = s + keep[u]!, e = userPtr[u + 1]!;
    maxTimestamp = Math.max(maxTimestamp, copyRows(data, s, cut, { itemIdx, timestamps, weights, eventType }, k));
    k += cut - s;
    ptr[u + 1] = k;
    for (const i of new Set(data.itemIdx.subarray(cut, e))) test.push(i);
    testPtr[u + 1] = test.length;
  }
  const train: TrainingData = { ...data, userPtr: ptr, itemIdx, timestamps, weights, eventType, maxTimestamp: nnz ? maxTimestamp : 0 };
  return { train, heldOut: { testPtr, testItems: Int32Array.from(test) } };
}

export interface SegmentationOptions {
  /** Items evaluated at most (a seeded sample beyond it): each costs one pass over all users. Default 1000. */
  maxItems?: number;
  seed?: number;
}

/**
 * For every item with a training interaction and at least one "actual" user (held out an interaction
 * with it, none in train), rank the users who had not interacted with it in train (the ones a segment
 * can add, as evaluate.ts leaves out the history) and take the top K = ceil(1% of users), at least 1:
 * - `hit`: the mean number of actual users in that top K (the guide's "average number of users in the
 *   predicted top relevant K results that match the actual users");
 * - `recall`: the mean share of the top K that are actual users, over min(K, actual users) so a perfect
 *   segment scores 1 also for items with fewer than K actual users (the guide's "average percentage of
 *   predicted users ... that match the actual users");
 * - `coverage`: distinct users in any top K over all users (§9.2: "or users for segments").
 */
export function evaluateSegmentation(model: Model, train: TrainingData, heldOut: HeldOut, opts: SegmentationOptions = {}): Record<string, number> {
  if (!model.scoreUsers) return {};
  const nUsers = train.userIds.length, nItems = train.itemIds.length;
  const { userPtr, itemIdx } = train;
  // Item -> training users (CSR), and item -> actual users: held out, not in the user's training part.
  const trainPtr = new Int32Array(nItems + 1);
  for (let p = 0; p < itemIdx.length; p++) trainPtr[itemIdx[p]! + 1]!++;
  for (let i = 0; i < nItems; i++) trainPtr[i + 1]! += trainPtr[i]!;
  const trainUsers = new Int32Array(itemIdx.length), fill = trainPtr.slice(0, nItems);
  const stamp = new Int32Array(nItems);
  const actualPairs: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let p = userPtr[u]!; p < userPtr[u + 1]!; p++) { trainUsers[fill[itemIdx[p]!]!++] = u; stamp[itemIdx[p]!] = u + 1; }
    for (let p = heldOut.testPtr[u]!; p < heldOut.testPtr[u + 1]!; p++) {
      const i = heldOut.testItems[p]!;
      if (stamp[i] !== u + 1) actualPairs.push(i, u);
    }
  }
  const actPtr = new Int32Array(nItems + 1);
  for (let t = 0; t < actualPairs.length; t += 2) actPtr[actualPairs[t]! + 1]!++;
  for (let i = 0; i < nItems; i++) actPtr[i + 1]! += actPtr[i]!;
  const actUsers = new Int32Array(actualPairs.length / 2), afill = actPtr.slice(0, nItems);
  for (let t = 0; t < actualPairs.length; t += 2) actUsers[afill[actualPairs[t]!]!++] = actualPairs[t + 1]!;

  const eligible: number[] = [];
  for (let i = 0; i < nItems; i++) if (actPtr[i + 1]! > actPtr[i]! && trainPtr[i + 1]! > trainPtr[i]!) eligible.push(i);
  const maxItems = opts.maxItems ?? 1000;
  if (eligible.length > maxItems) {
    const rng = new Rng(opts.seed ?? 0);
    for (let t = 0; t < maxItems; t++) {
      const j = t + rng.int(eligible.length - t);
      const x = eligible[t]!; eligible[t] = eligible[j]!; eligible[j] = x;
    }
    eligible.length = maxItems;
    eligible.sort((a, b) => a - b);
  }
  if (!eligible.length) return {};

  const K = Math.max(1, Math.ceil(nUsers / 100));
  const scores = new Float32Array(nUsers), mask = new Uint8Array(nUsers), actual = new Uint8Array(nUsers), chosen = new Uint8Array(nUsers);
  const top = new Int32Array(K), query = new Int32Array(1);
  let hitSum = 0, recallSum = 0, n = 0;
  for (const i of eligible) {
    query[0] = i;
    if (!model.scoreUsers(query, scores)) continue;
    mask.fill(1);
    for (let p = trainPtr[i]!; p < trainPtr[i + 1]!; p++) mask[trainUsers[p]!] = 0;
    const found = topK(scores, mask, K, top);
    for (let p = actPtr[i]!; p < actPtr[i + 1]!; p++) actual[actUsers[p]!] = 1;
    let hits = 0;
    for (let r = 0; r < found; r++) { hits += actual[top[r]!]!; chosen[top[r]!] = 1; }
    for (let p = actPtr[i]!; p < actPtr[i + 1]!; p++) actual[actUsers[p]!] = 0;
    hitSum += hits;
    recallSum += hits / Math.min(K, actPtr[i + 1]! - actPtr[i]!);
    n++;
  }
  if (!n) return {};
  let covered = 0;
  for (let u = 0; u < nUsers; u++) covered += chosen[u]!;
  return { coverage: covered / nUsers, hit: hitSum / n, recall: recallSum / n };
}

/** GetSolutionMetrics of a USER_SEGMENTATION recipe: a second model trained on the 80% part, scored on the 20%. */
export function segmentationMetrics(recipe: Recipe, data: TrainingData, params: Record<string, string>, seed: number): Record<string, number> {
  const { train, heldOut } = splitPerUser(data);
  if (heldOut.testItems.length === 0) return {};
  const model = recipe.load(recipe.train(train, params, seed), train.itemIds.length);
  return evaluateSegmentation(model, train, heldOut, { seed });
}
