// Masks of filters that read only item metadata and filter values (no user, no interactions, no current
// item): the same for every request with the same values, so computed once per model, Items data version
// and values, and then ANDed into each request's mask (a batch job's lines mostly repeat a few values).
import type { CompiledFilter } from '../filters/index.js';
import type { ServingModel } from '../store/model-store.js';

/** Memory the cached masks of one model may hold (one byte per item per entry). */
const BUDGET_BYTES = 16 * 1024 * 1024;
const caches = new WeakMap<ServingModel, Map<string, Uint8Array>>();

export function itemOnly(f: CompiledFilter): boolean {
  return f.target === 'ItemID' && !f.usesCurrentItem && !f.usesCurrentUser && f.fields.every((x) => x.startsWith('Items.'));
}

/** filterValues as a key: keys sorted, so the same values in another order share an entry. */
export function valuesKey(values: Record<string, string> | undefined): string {
  if (!values) return '';
  return JSON.stringify(Object.keys(values).sort().map((k) => [k, values[k]]));
}

/**
 * The cached mask for `key`, or `compute` run over an all-ones mask (an error leaves nothing cached).
 * The least recently used entries go once the model's budget is reached.
 */
export function cachedMask(m: ServingModel, key: string, compute: (mask: Uint8Array) => void): Uint8Array {
  let cache = caches.get(m);
  if (!cache) caches.set(m, (cache = new Map()));
  let mask = cache.get(key);
  if (mask) {
    cache.delete(key); // re-inserted: the Map's order is the recency order
    cache.set(key, mask);
    return mask;
  }
  mask = new Uint8Array(m.bundle.itemIds.length).fill(1);
  compute(mask);
  const entries = Math.max(1, Math.floor(BUDGET_BYTES / Math.max(1, mask.length)));
  while (cache.size >= entries) cache.delete(cache.keys().next().value!);
  cache.set(key, mask);
  return mask;
}
