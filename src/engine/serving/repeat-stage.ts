// The pipeline's repeat stage (the arithmetic and how it is learned: training/repeat.ts): items already in the user's
// history move by the training data's chance of coming back to them. Models without info.repeat (trained before
// the stage existed, or by recipes that do not score from a history) skip it and serve as before.
import type { ServingModel } from '../store/model-store.js';
import { repeatTable, type RepeatStats, type RepeatTable } from '../training/repeat.js';

const tables = new WeakMap<ServingModel, RepeatTable | null>();

/** The model's repeat table, or null when its bundle has none. */
export function repeatTableOf(m: ServingModel): RepeatTable | null {
  let t = tables.get(m);
  if (t === undefined) {
    const stats = m.bundle.info.repeat as RepeatStats | undefined;
    t = stats && Array.isArray(stats.hazard) ? repeatTable(stats) : null;
    tables.set(m, t);
  }
  return t;
}

/**
 * Each history interaction's hazard row (the event type's, as the stage looks them up): the training part from the
 * bundle's per-interaction types (interactions [from, to) of userItems), then the live events' types by name. Null
 * when the model keeps no types (fewer than two event types at training): every item then uses the all-types row.
 */
export function historyRows(m: ServingModel, trained: { from: number; to: number } | null, fresh: readonly (string | null)[]): Int32Array | null {
  const table = repeatTableOf(m);
  const types = m.bundle.serving.userEventTypes as Uint8Array | undefined;
  if (!table || !types) return null;
  const n = (trained ? trained.to - trained.from : 0) + fresh.length;
  const rows = new Int32Array(n);
  let k = 0;
  if (trained) for (let p = trained.from; p < trained.to; p++) rows[k++] = types[p] === 255 ? table.allTypesRow : types[p]!;
  for (const t of fresh) rows[k++] = t === null ? table.allTypesRow : table.rowOf(t);
  return rows;
}
