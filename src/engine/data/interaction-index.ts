// Each user's interactions (imported and streamed), oldest first, for filters on EVENT_TYPE, the domain
// recommenders' automatic exclusions and next-best-action's history; Personalize looks at the 100 most
// recent per event type. Built once per import; streamed events extend it row by row.
import type { DatasetStore } from './dataset-store.js';
import type { Column, ColumnBatch } from './types.js';

export const HISTORY_PER_EVENT_TYPE = 100;

/** One part of a dataset as the index reads it (a column a part lacks reads as null). */
interface Part { rows: number; columns: Record<string, Column> }

/**
 * Rows of each user of one interactions-like dataset, oldest first (ties keep row order): bulk row r is
 * row r, put row r is row bulk.rows + r.
 */
export class UserHistory {
  readonly byUser = new Map<string, number[]>();
  constructor(readonly bulkGeneration: number, readonly putGeneration: number, readonly bulk: Part, public put: Part) {}

  rows(userId: string): readonly number[] {
    return this.byUser.get(userId) ?? [];
  }

  /** A string column's value at row g ('' when null or missing). */
  text(g: number, name: string): string {
    const inBulk = g < this.bulk.rows, r = inBulk ? g : g - this.bulk.rows;
    const c = (inBulk ? this.bulk : this.put).columns[name];
    if (!c || c.type !== 'string') return '';
    const k = c.codes[r]!;
    return k < 0 ? '' : c.dictionary[k]!;
  }

  /** TIMESTAMP at row g (0 when null). */
  time(g: number): number {
    const inBulk = g < this.bulk.rows, r = inBulk ? g : g - this.bulk.rows;
    const c = (inBulk ? this.bulk : this.put).columns.TIMESTAMP;
    return c && c.type !== 'string' && !c.nulls?.[r] ? Number(c.values[r]) : 0;
  }

  /**
   * Index bulk rows, sorted by time per user: grouped by user code (a counting sort over typed arrays, one
   * map entry per user), and a user's rows sorted only when the file had them out of time order.
   */
  indexBulk(): void {
    const ids = this.bulk.columns.USER_ID, n = this.bulk.rows;
    if (!ids || ids.type !== 'string') return;
    const codes = ids.codes, dictionary = ids.dictionary, users = dictionary.length;
    const start = new Int32Array(users + 1);
    for (let r = 0; r < n; r++) { const k = codes[r]!; if (k >= 0) start[k + 1]!++; }
    for (let k = 0; k < users; k++) start[k + 1]! += start[k]!;
    const fill = start.slice(0, users), order = new Int32Array(start[users]!);
    for (let r = 0; r < n; r++) { const k = codes[r]!; if (k >= 0) order[fill[k]!++] = r; }
    const ts = this.bulk.columns.TIMESTAMP, tsv = ts && ts.type !== 'string' ? ts.values : null, nulls = ts?.type !== 'string' ? ts?.nulls : undefined;
    const time = (r: number) => (tsv === null || nulls?.[r] ? 0 : Number(tsv[r]));
    for (let k = 0; k < users; k++) {
      const from = start[k]!, to = start[k + 1]!;
      if (from === to || !dictionary[k]) continue;
      const list = new Array<number>(to - from);
      let sorted = true;
      for (let i = from; i < to; i++) {
        list[i - from] = order[i]!;
        if (i > from && sorted) sorted = time(order[i - 1]!) <= time(order[i]!);
      }
      if (!sorted) list.sort((a, b) => time(a) - time(b) || a - b);
      this.byUser.set(dictionary[k]!, list);
    }
  }

  /** Streamed rows since the index last looked, each placed by time in its user's list. */
  extend(put: Part): void {
    const from = this.put.rows, base = this.bulk.rows;
    this.put = put;
    for (let r = from; r < put.rows; r++) {
      const g = base + r, u = this.text(g, 'USER_ID');
      if (!u) continue;
      let list = this.byUser.get(u);
      if (!list) this.byUser.set(u, (list = []));
      const t = this.time(g);
      let at = list.length; // usually the newest: walk back over later events only
      while (at > 0 && this.time(list[at - 1]!) > t) at--;
      list.splice(at, 0, g);
    }
  }
}

export interface UserInteractions { itemIds: string[]; eventTypes: string[] }

const partOf = (b: ColumnBatch): Part => ({ rows: b.rowCount, columns: b.columns });

export class InteractionIndex {
  private readonly indexes = new Map<string, UserHistory>();
  constructor(private readonly datasets: DatasetStore) {}

  /** The per-user history of a dataset (interactions or action interactions), current with its streamed rows. */
  history(datasetArn: string): UserHistory {
    const bulkGeneration = this.datasets.generation(datasetArn, 'bulk'), putGeneration = this.datasets.generation(datasetArn, 'put');
    const put = partOf(this.datasets.get(datasetArn, 'put', []));
    let h = this.indexes.get(datasetArn);
    if (!h || h.bulkGeneration !== bulkGeneration || h.putGeneration !== putGeneration) {
      h = new UserHistory(bulkGeneration, putGeneration, partOf(this.datasets.get(datasetArn, 'bulk', [])), { ...put, rows: 0 });
      h.indexBulk();
      this.indexes.set(datasetArn, h);
    }
    if (put.rows > h.put.rows) h.extend(put);
    return h;
  }

  /** The user's interactions, oldest first, keeping only the most recent `perType` of each event type. */
  of(datasetArn: string, userId: string, perType = HISTORY_PER_EVENT_TYPE): UserInteractions {
    const h = this.history(datasetArn), rows = h.rows(userId);
    const itemIds: string[] = [], eventTypes: string[] = [];
    const seen = new Map<string, number>();
    for (let k = rows.length - 1; k >= 0; k--) {
      const g = rows[k]!, type = h.text(g, 'EVENT_TYPE');
      const n = seen.get(type) ?? 0;
      if (n >= perType) continue;
      seen.set(type, n + 1);
      itemIds.push(h.text(g, 'ITEM_ID'));
      eventTypes.push(type);
    }
    return { itemIds: itemIds.reverse(), eventTypes: eventTypes.reverse() };
  }

  clear(): void {
    this.indexes.clear();
  }
}
