// The ML-25M-shaped CSV of bench/ml25m-data.ts read straight into a recipe's TrainingData (numeric ids, no import
// job), so a suite can time one recipe's train() alone on the same rows the `implicit` reference reads.
import { readFileSync } from 'node:fs';
import type { TrainingData } from '../src/recipes/types.js';

/**
 * Parses USER_ID,ITEM_ID,TIMESTAMP,... lines from bytes (the 25M-row file is larger than a string may be). Ids are
 * numbered in string order, as the engine numbers them; each user's rows are kept oldest first.
 */
export function ml25mTrainingData(path: string): TrainingData {
  const buf = readFileSync(path);
  let p = buf.indexOf(10) + 1;
  let n = 0;
  for (let q = p; q < buf.length; q++) if (buf[q] === 10) n++;
  const users = new Int32Array(n), items = new Int32Array(n), times = new Float64Array(n);
  let r = 0;
  const num = (): number => {
    let v = 0;
    while (buf[p] !== 44 && buf[p] !== 10) v = v * 10 + buf[p++]! - 48;
    p++;
    return v;
  };
  while (p < buf.length && r < n) {
    users[r] = num(); items[r] = num(); times[r] = num();
    while (buf[p] !== 10) p++;
    p++;
    r++;
  }
  const number = (ids: Int32Array): { names: string[]; code: Int32Array } => {
    let max = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i]! > max) max = ids[i]!;
    const seen = new Uint8Array(max + 1);
    for (let i = 0; i < ids.length; i++) seen[ids[i]!] = 1;
    const names: string[] = [];
    for (let v = 0; v <= max; v++) if (seen[v]) names.push(String(v));
    names.sort();
    const code = new Int32Array(max + 1);
    names.forEach((s, i) => { code[Number(s)] = i; });
    return { names, code };
  };
  const U = number(users), I = number(items);
  const nU = U.names.length;
  const userPtr = new Int32Array(nU + 1);
  for (let i = 0; i < n; i++) userPtr[U.code[users[i]!]! + 1]!++;
  for (let u = 0; u < nU; u++) userPtr[u + 1]! += userPtr[u]!;
  const fill = userPtr.slice(0, nU);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[U.code[users[i]!]!]!++] = i;
  const itemIdx = new Int32Array(n), timestamps = new Float64Array(n);
  for (let u = 0; u < nU; u++) {
    const rows = Array.from(order.subarray(userPtr[u]!, userPtr[u + 1]!)).sort((a, b) => times[a]! - times[b]! || a - b);
    rows.forEach((row, k) => { itemIdx[userPtr[u]! + k] = I.code[items[row]!]!; timestamps[userPtr[u]! + k] = times[row]!; });
  }
  let maxTimestamp = 0;
  for (let i = 0; i < n; i++) if (timestamps[i]! > maxTimestamp) maxTimestamp = timestamps[i]!;
  const nI = I.names.length;
  return {
    userIds: U.names, itemIds: I.names, userPtr, itemIdx, timestamps,
    weights: new Float32Array(n).fill(1), eventType: new Int32Array(n).fill(-1), eventTypes: [],
    itemCreationTime: new Float64Array(nI).fill(NaN), itemCategorical: [], itemNumeric: [], maxTimestamp,
  };
}
