// Each user's interactions (imported and streamed) with their event types, for filters on
// Interactions.EVENT_TYPE and the domain recommenders' automatic exclusions; Personalize looks at the 100
// most recent per event type. Built once per import; streamed events extend it row by row.
import type { Engine } from '../engine.js';
import type { Column, ColumnBatch } from '../data/types.js';
import type { ResourceRecord } from '../store/types.js';

export const HISTORY_PER_EVENT_TYPE = 100;

/** One part's columns the index reads (a column a part lacks reads as null). */
interface Part { rows: number; user: Column | undefined; item: Column | undefined; type: Column | undefined; time: Column | undefined }

interface Index {
  bulkGeneration: number;
  putGeneration: number;
  bulk: Part;
  put: Part;
  /** Rows of each user, oldest first (ties keep row order): bulk row r is r, put row r is bulk.rows + r. */
  byUser: Map<string, number[]>;
}

export interface UserInteractions { itemIds: string[]; eventTypes: string[] }

const partOf = (b: ColumnBatch): Part => ({ rows: b.rowCount, user: b.columns.USER_ID, item: b.columns.ITEM_ID, type: b.columns.EVENT_TYPE, time: b.columns.TIMESTAMP });

function text(c: Column | undefined, r: number): string | null {
  if (!c || c.type !== 'string') return null;
  const k = c.codes[r]!;
  return k < 0 ? null : c.dictionary[k]!;
}

function time(c: Column | undefined, r: number): number {
  return c && c.type !== 'string' && !c.nulls?.[r] ? Number(c.values[r]) : 0;
}

export class InteractionIndex {
  private readonly indexes = new Map<string, Index>();

  private build(e: Engine, ds: ResourceRecord): Index {
    const bulkGeneration = e.datasets.generation(ds.arn, 'bulk'), putGeneration = e.datasets.generation(ds.arn, 'put');
    const put = partOf(e.datasets.get(ds.arn, 'put', []));
    let ix = this.indexes.get(ds.arn);
    if (!ix || ix.bulkGeneration !== bulkGeneration || ix.putGeneration !== putGeneration) {
      const bulk = partOf(e.datasets.get(ds.arn, 'bulk', []));
      ix = { bulkGeneration, putGeneration, bulk, put: { ...put, rows: 0 }, byUser: new Map() };
      const rowsOf = new Map<string, number[]>();
      for (let r = 0; r < bulk.rows; r++) {
        const u = text(bulk.user, r);
        if (u === null) continue;
        let list = rowsOf.get(u);
        if (!list) rowsOf.set(u, (list = []));
        list.push(r);
      }
      for (const [u, rows] of rowsOf) ix.byUser.set(u, rows.sort((a, b) => time(bulk.time, a) - time(bulk.time, b) || a - b));
      this.indexes.set(ds.arn, ix);
    }
    if (put.rows > ix.put.rows) this.extend(ix, put);
    return ix;
  }

  /** Streamed rows since the index last looked, each placed by time in its user's list. */
  private extend(ix: Index, put: Part): void {
    const from = ix.put.rows, base = ix.bulk.rows;
    ix.put = put;
    for (let r = from; r < put.rows; r++) {
      const u = text(put.user, r);
      if (u === null) continue;
      let list = ix.byUser.get(u);
      if (!list) ix.byUser.set(u, (list = []));
      const t = time(put.time, r);
      let at = list.length; // usually the newest: walk back over later events only
      while (at > 0 && this.timeOf(ix, list[at - 1]!) > t) at--;
      list.splice(at, 0, base + r);
    }
  }

  private timeOf(ix: Index, g: number): number {
    return g < ix.bulk.rows ? time(ix.bulk.time, g) : time(ix.put.time, g - ix.bulk.rows);
  }

  /** The user's interactions, oldest first, keeping only the most recent `perType` of each event type. */
  of(e: Engine, ds: ResourceRecord, userId: string, perType = HISTORY_PER_EVENT_TYPE): UserInteractions {
    const ix = this.build(e, ds);
    const rows = ix.byUser.get(userId);
    if (!rows) return { itemIds: [], eventTypes: [] };
    const field = (g: number, c: 'item' | 'type') => (g < ix.bulk.rows ? text(ix.bulk[c], g) : text(ix.put[c], g - ix.bulk.rows)) ?? '';
    const itemIds: string[] = [], eventTypes: string[] = [];
    const seen = new Map<string, number>();
    for (let k = rows.length - 1; k >= 0; k--) {
      const g = rows[k]!, type = field(g, 'type');
      const n = seen.get(type) ?? 0;
      if (n >= perType) continue;
      seen.set(type, n + 1);
      itemIds.push(field(g, 'item'));
      eventTypes.push(type);
    }
    return { itemIds: itemIds.reverse(), eventTypes: eventTypes.reverse() };
  }

  clear(): void {
    this.indexes.clear();
  }
}
