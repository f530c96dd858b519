// A global time split ("train on the past, test on next week"): every interaction before the cut trains,
// every one at or after it is held out; users with held-out interactions are the test users.
import type { TrainingData } from '../../recipes/types.js';
import { copyRows, type TestUser } from './split.js';

export interface TimeSplit {
  train: TrainingData;
  test: TestUser[];
  /** Interactions held out (at or after the cut), of which the test users' relevant items are the distinct ones. */
  heldOutRows: number;
}

/**
 * Split at `cut` (epoch seconds). Train keeps every user and the item numbering, with only the rows before
 * the cut. A test user is one with a row at or after the cut: their rows before it are the input history
 * (empty for a user new since the cut, who is then served as a cold user), the distinct items after it the
 * relevant ones, as in splitForEvaluation. Each user's rows are in time order, so the cut is a position.
 */
export function splitByTime(data: TrainingData, cut: number): TimeSplit {
  const nUsers = data.userIds.length, { userPtr, timestamps } = data;
  const keep = new Int32Array(nUsers);
  let nnz = 0, heldOutRows = 0;
  for (let u = 0; u < nUsers; u++) {
    const s = userPtr[u]!, e = userPtr[u + 1]!;
    let p = s;
    while (p < e && timestamps[p]! < cut) p++;
    keep[u] = p - s;
    nnz += p - s;
    heldOutRows += e - p;
  }
  const ptr = new Int32Array(nUsers + 1), itemIdx = new Int32Array(nnz), timestamps2 = new Float64Array(nnz);
  const weights = new Float32Array(nnz), eventType = new Int32Array(nnz);
  const test: TestUser[] = [];
  let k = 0, maxTimestamp = -Infinity;
  for (let u = 0; u < nUsers; u++) {
    const s = userPtr[u]!, cutAt = s + keep[u]!, e = userPtr[u + 1]!;
    maxTimestamp = Math.max(maxTimestamp, copyRows(data, s, cutAt, { itemIdx, timestamps: timestamps2, weights, eventType }, k));
    k += cutAt - s;
    ptr[u + 1] = k;
    if (cutAt === e) continue;
    const weightOf = new Map<number, number>();
    for (let p = cutAt; p < e; p++) {
      const i = data.itemIdx[p]!, w = data.weights[p]!;
      weightOf.set(i, Math.max(w, weightOf.get(i) ?? -Infinity));
    }
    test.push({
      user: data.userIds[u]!, history: data.itemIdx.slice(s, cutAt),
      relevant: Int32Array.from(weightOf.keys()), relevantWeights: Float32Array.from(weightOf.values()),
    });
  }
  const train: TrainingData = { ...data, userPtr: ptr, itemIdx, timestamps: timestamps2, weights, eventType, maxTimestamp: nnz ? maxTimestamp : 0 };
  return { train, test, heldOutRows };
}
