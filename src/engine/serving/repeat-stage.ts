// The pipeline's repeat stage (the arithmetic and how it is learned: training/repeat.ts): items already in the user's
// history move by the training data's chance of coming back to them. Models without info.repeat (trained before
// the stage existed, or by recipes that do not score from a history) skip it and serve as before. relevanceRange:
// what the objective and ranking influence normalize over once history items moved.
import type { ServingModel } from '../store/model-store.js';
import { repeatTable, type RepeatScratch, type RepeatStats, type RepeatTable } from '../training/repeat.js';

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

/**
 * The relevance range the objective and ranking influence normalize over (min and max of the candidates' scores):
 * history items count with their scores before the repeat stage, so moving them does not squeeze everyone else.
 */
export function relevanceRange(scores: Float32Array, mask: Uint8Array | null, repeat: RepeatScratch | null): { min: number; span: number } {
  const moved = repeat && repeat.count > 0 ? repeat : null;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    if (mask && !mask[i]) continue;
    if (moved && moved.stamp[i] === moved.epoch) continue;
    const s = scores[i]!;
    if (s === -Infinity || s === Infinity || s !== s) continue;
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  if (moved) {
    for (let k = 0; k < moved.count; k++) {
      const i = moved.items[k]!;
      if (mask && !mask[i]) continue;
      const s = scores[i]! - moved.terms[k]!;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
  }
  return lo <= hi ? { min: lo, span: hi - lo } : { min: 0, span: 0 };
}
