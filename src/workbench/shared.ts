// The parsed data, shared with every worker: each typed array of a TrainingData copied once into a
// SharedArrayBuffer, so jobs on any thread read the same memory (no parse and no copy per job).
import type { TrainingData, TypedArray } from '../recipes/types.js';

function share<T extends TypedArray>(a: T): T {
  const buf = new SharedArrayBuffer(Math.max(8, a.byteLength));
  const out = new (a.constructor as new (b: SharedArrayBuffer, o: number, n: number) => T)(buf, 0, a.length);
  out.set(a as never);
  return out;
}

/** The same data with its arrays in shared memory (strings stay plain: they are copied per job, and small beside the rows). */
export function shareTrainingData(d: TrainingData): TrainingData {
  return {
    ...d,
    userPtr: share(d.userPtr), itemIdx: share(d.itemIdx), timestamps: share(d.timestamps), weights: share(d.weights), eventType: share(d.eventType),
    itemCreationTime: share(d.itemCreationTime),
    itemCategorical: d.itemCategorical.map((c) => ({ ...c, ptr: share(c.ptr), codes: share(c.codes) })),
    itemNumeric: d.itemNumeric.map((c) => ({ ...c, values: share(c.values) })),
  };
}
