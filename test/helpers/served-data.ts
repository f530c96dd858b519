// Generated data with planted taste clusters for measuring served lists: users of a cluster mostly interact with
// its items; either nobody returns to an item (repeat-free: films, one-off purchases) or people mostly buy again
// what they bought before (repeat-heavy: groceries). Each user's newest events are held out as the "next items".
import { Rng } from '../../src/lib/random.js';

export interface ServedData {
  /** Interactions to import / train on (held-out events excluded), oldest first per user. */
  train: { user: string; item: string; timestamp: number; eventType: string }[];
  /** Per user, the held-out next items (newest last). */
  heldOut: Map<string, string[]>;
  /** Per user, the items of their training history. */
  seen: Map<string, Set<string>>;
  users: string[];
  items: string[];
  /** Cluster of each item id. */
  clusterOf: Map<string, number>;
}

export interface ServedDataOptions {
  users?: number;
  items?: number;
  clusters?: number;
  /** Interactions per user, held-out ones included. */
  perUser?: number;
  heldOutPerUser?: number;
  /** Share of a user's events on their own cluster's items. */
  affinity?: number;
  /** Probability that an event (after the first few) revisits an item of the user's history. */
  repeatShare?: number;
  seed?: number;
}

const pad = (n: number, w = 3) => String(n).padStart(w, '0');

/**
 * Users u belong to cluster u % clusters, items i to cluster i % clusters. A new item is drawn from the user's
 * cluster with probability `affinity` (else from anywhere), Zipf-skewed within its pool, never one already in
 * the history. With `repeatShare` > 0, each event after the third revisits a history item with that probability,
 * the more recently used ones more likely.
 */
export function servedData(o: ServedDataOptions = {}): ServedData {
  const nUsers = o.users ?? 300, nItems = o.items ?? 200, nClusters = o.clusters ?? 4;
  const perUser = o.perUser ?? 15, held = o.heldOutPerUser ?? 2, affinity = o.affinity ?? 0.85, repeat = o.repeatShare ?? 0;
  const rng = new Rng(o.seed ?? 7);
  const items = Array.from({ length: nItems }, (_, i) => `item-${pad(i)}`);
  const clusterOf = new Map(items.map((id, i) => [id, i % nClusters]));
  const pools = Array.from({ length: nClusters }, (_, c) => items.filter((_, i) => i % nClusters === c));
  const zipf = (pool: string[]): string => {
    // weight 1/(r+1) over the pool's order: the first items of a pool are its hits
    const total = pool.reduce((s, _, r) => s + 1 / (r + 1), 0);
    let x = rng.next() * total;
    for (let r = 0; r < pool.length; r++) { x -= 1 / (r + 1); if (x <= 0) return pool[r]!; }
    return pool[pool.length - 1]!;
  };
  const train: ServedData['train'] = [];
  const heldOut = new Map<string, string[]>();
  const seen = new Map<string, Set<string>>();
  const users: string[] = [];
  const t0 = 1_700_000_000;
  for (let u = 0; u < nUsers; u++) {
    const user = `user-${pad(u)}`;
    users.push(user);
    const history: string[] = [];
    const distinct = new Set<string>();
    for (let k = 0; k < perUser; k++) {
      let item: string;
      if (repeat > 0 && history.length >= 3 && rng.next() < repeat) {
        // recency-weighted revisit: the h-th newest distinct item with weight 1/(h+1)
        const recent = [...new Set([...history].reverse())];
        item = zipf(recent);
      } else {
        let tries = 0;
        do {
          const pool = rng.next() < affinity ? pools[u % nClusters]! : items;
          item = zipf(pool);
        } while (distinct.has(item) && ++tries < 200);
        if (distinct.has(item)) item = items.find((x) => !distinct.has(x))!;
      }
      history.push(item);
      distinct.add(item);
      const row = { user, item, timestamp: t0 + u * 10_000 + k * 60, eventType: 'click' };
      if (k >= perUser - held) {
        if (!heldOut.has(user)) heldOut.set(user, []);
        heldOut.get(user)!.push(item);
      } else {
        train.push(row);
        if (!seen.has(user)) seen.set(user, new Set());
        seen.get(user)!.add(item);
      }
    }
  }
  return { train, heldOut, seen, users, items, clusterOf };
}

export function interactionsCsv(rows: ServedData['train']): string {
  return ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE', ...rows.map((r) => `${r.user},${r.item},${r.timestamp},${r.eventType}`)].join('\n') + '\n';
}

/** What a served list shows for one user: how many of its items the user already had, and held-out hits. */
export function servedListStats(list: string[], seen: Set<string>, next: string[]): { seen: number; hits: number } {
  let s = 0, h = 0;
  for (const id of list) if (seen.has(id)) s++;
  for (const id of next) if (list.includes(id)) h++;
  return { seen: s, hits: h };
}
