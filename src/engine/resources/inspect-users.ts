// Read-only looks at a dataset group's users and items for the console: users with the most / least history
// (or by id prefix), one user's latest interactions, the most interacted items, and item metadata by id.
import type { Engine } from '../core/engine.js';
import { dataVersion, datasetRows, groupDataset } from '../core/group-data.js';
import type { UserHistory } from '../data/interaction-index.js';
import type { Column, ColumnBatch } from '../data/types.js';
import { InvalidInputException } from '../errors.js';
import type { ResourceRecord } from '../store/types.js';
import { cellText, cut, sampleSize } from './inspect-datasets.js';

export interface UserCount { userId: string; interactions: number }
export interface ItemCount { itemId: string; interactions: number }
export type Metadata = Record<string, string | null>;

export interface Interaction {
  itemId: string;
  eventType: string | null;
  /** Epoch seconds. */
  timestamp: number;
  eventValue: number | null;
  /** Sent with PutEvents (as opposed to imported). */
  streamed: boolean;
}

/** At most this many item ids per metadata look-up. */
export const MAX_ITEMS = 500;
/** Item columns shown beside item ids, at most. */
const MAX_COLUMNS = 8;

function interactions(e: Engine, groupArn: string): ResourceRecord {
  e.store.get('datasetGroup', groupArn);
  const ds = groupDataset(e, groupArn, 'INTERACTIONS');
  if (!ds) throw new InvalidInputException(`The dataset group ${groupArn} has no Interactions dataset yet.`);
  return ds;
}

/**
 * Users of the group's interactions, `most` or `least` history first (ties by id), or those whose id starts
 * with `prefix` (most history first).
 */
export function usersByHistory(e: Engine, groupArn: string, opts: { order?: string; prefix?: string; limit?: number } = {}): { users: UserCount[]; total: number } {
  const n = sampleSize(opts.limit, 100);
  const order = opts.order ?? 'most';
  if (order !== 'most' && order !== 'least') throw new InvalidInputException(`order must be most or least (got ${JSON.stringify(order)}).`);
  const h = e.interactions.history(interactions(e, groupArn).arn);
  const sign = order === 'most' ? 1 : -1;
  // Kept sorted best first; an entry that cannot beat the last is skipped at once, so this is one pass over users.
  const best: UserCount[] = [];
  const before = (a: UserCount, b: UserCount) => sign * (b.interactions - a.interactions) || (a.userId < b.userId ? -1 : 1);
  for (const [userId, rows] of h.byUser) {
    if (opts.prefix && !userId.startsWith(opts.prefix)) continue;
    const u = { userId, interactions: rows.length };
    if (best.length === n && (n === 0 || before(best[n - 1]!, u) < 0)) continue;
    let at = best.length;
    while (at > 0 && before(u, best[at - 1]!) < 0) at--;
    best.splice(at, 0, u);
    if (best.length > n) best.pop();
  }
  return { users: best, total: h.byUser.size };
}

function numberAt(h: UserHistory, g: number, name: string): number | null {
  const inBulk = g < h.bulk.rows, r = inBulk ? g : g - h.bulk.rows;
  const c = (inBulk ? h.bulk : h.put).columns[name];
  return c && c.type !== 'string' && !c.nulls?.[r] ? Number(c.values[r]) : null;
}

/** The user's latest interactions, newest first, and how many there are in all. */
export function userInteractions(e: Engine, groupArn: string, userId: string, limit?: number): { userId: string; total: number; interactions: Interaction[] } {
  if (!userId) throw new InvalidInputException('userId is required.');
  const n = sampleSize(limit);
  const h = e.interactions.history(interactions(e, groupArn).arn);
  const rows = h.rows(userId);
  const out: Interaction[] = [];
  for (let k = rows.length - 1; k >= 0 && out.length < n; k--) {
    const g = rows[k]!;
    out.push({ itemId: h.text(g, 'ITEM_ID'), eventType: h.text(g, 'EVENT_TYPE') || null, timestamp: h.time(g), eventValue: numberAt(h, g, 'EVENT_VALUE'), streamed: g >= h.bulk.rows });
  }
  return { userId, total: rows.length, interactions: out };
}

const popularCache = new WeakMap<Engine, Map<string, { version: number; counts: ItemCount[] }>>();

/** Items by number of interactions (imported and streamed), most first; ties by id. */
export function popularItems(e: Engine, groupArn: string, limit?: number): { items: ItemCount[] } {
  const n = sampleSize(limit);
  const ds = interactions(e, groupArn);
  let cache = popularCache.get(e);
  if (!cache) popularCache.set(e, (cache = new Map()));
  let c = cache.get(ds.arn);
  if (!c || c.version !== dataVersion(ds)) {
    const counts = new Map<string, number>();
    for (const part of ['bulk', 'put'] as const) {
      const col = e.datasets.get(ds.arn, part, []).columns.ITEM_ID;
      if (!col || col.type !== 'string') continue;
      const per = new Int32Array(col.dictionary.length);
      for (let r = 0; r < col.codes.length; r++) { const k = col.codes[r]!; if (k >= 0) per[k]!++; }
      per.forEach((v, k) => { if (v) counts.set(col.dictionary[k]!, (counts.get(col.dictionary[k]!) ?? 0) + v); });
    }
    const all = [...counts].map(([itemId, interactions]) => ({ itemId, interactions }));
    all.sort((a, b) => b.interactions - a.interactions || (a.itemId < b.itemId ? -1 : 1));
    c = { version: dataVersion(ds), counts: all.slice(0, 100) };
    cache.set(ds.arn, c);
  }
  return { items: c.counts.slice(0, n) };
}

const itemIndexCache = new WeakMap<Engine, Map<string, { version: number; batch: ColumnBatch; rowOf: Map<string, number> }>>();

/**
 * Metadata of the given items from the group's Items dataset: up to MAX_COLUMNS of its columns (ITEM_ID aside),
 * long text cut; an id the dataset lacks maps to null.
 */
export function itemMetadata(e: Engine, groupArn: string, itemIds: unknown): { columns: string[]; items: Record<string, Metadata | null> } {
  if (!Array.isArray(itemIds) || itemIds.some((i) => typeof i !== 'string')) throw new InvalidInputException('itemIds must be a list of item id strings.');
  if (itemIds.length > MAX_ITEMS) throw new InvalidInputException(`itemIds has ${itemIds.length} ids; at most ${MAX_ITEMS} are looked up at once.`);
  e.store.get('datasetGroup', groupArn);
  const ds = groupDataset(e, groupArn, 'ITEMS');
  if (!ds) return { columns: [], items: Object.fromEntries(itemIds.map((i: string) => [i, null])) };
  let cache = itemIndexCache.get(e);
  if (!cache) itemIndexCache.set(e, (cache = new Map()));
  let c = cache.get(ds.arn);
  if (!c || c.version !== dataVersion(ds)) {
    const { batch } = datasetRows(e, ds);
    const ids = batch.columns.ITEM_ID as Extract<Column, { type: 'string' }>;
    const rowOf = new Map<string, number>();
    for (let r = 0; r < batch.rowCount; r++) { const k = ids.codes[r]!; if (k >= 0) rowOf.set(ids.dictionary[k]!, r); }
    c = { version: dataVersion(ds), batch, rowOf };
    cache.set(ds.arn, c);
  }
  const columns = Object.keys(c.batch.columns).filter((name) => name !== 'ITEM_ID').slice(0, MAX_COLUMNS);
  const items: Record<string, Metadata | null> = Object.create(null);
  for (const id of itemIds as string[]) {
    const r = c.rowOf.get(id);
    items[id] = r === undefined ? null : Object.fromEntries(columns.map((name) => {
      const text = cellText(c!.batch.columns[name], r);
      return [name, text === null ? null : cut(text, 120)];
    }));
  }
  return { columns, items };
}
