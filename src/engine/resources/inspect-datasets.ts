// Read-only looks at a dataset that no Personalize operation gives (for the console): row counts, distinct users
// and items, event types, and its latest rows. Bounded: at most MAX_SAMPLE rows, long strings cut.
import type { Engine } from '../core/engine.js';
import { datasetFields, datasetRows, datasetType } from '../core/group-data.js';
import type { Column, ColumnBatch, FieldSpec } from '../data/types.js';
import { InvalidInputException } from '../errors.js';

export const MAX_SAMPLE = 100;
/** Longer strings are cut to this many characters (with an ellipsis) in what the console shows. */
export const MAX_CELL = 300;

export interface DatasetOverview {
  datasetArn: string;
  datasetType: string;
  fields: FieldSpec[];
  /** Imported rows (import jobs), streamed rows (PutEvents / PutItems / ...), and all rows as training reads them. */
  rows: { imported: number; streamed: number; total: number };
  users?: number;
  items?: number;
  /** Rows per EVENT_TYPE, most frequent first (interactions datasets with that column). */
  eventTypes?: { eventType: string; rows: number }[];
  /** The latest rows: the end of the imported rows, then the streamed ones; `from` is the first row's number. */
  sample: { from: number; rows: (string | null)[][] };
}

/** A cell as text: strings cut to MAX_CELL, numbers and booleans as written, null for null. */
export function cellText(c: Column | undefined, r: number): string | null {
  if (!c) return null;
  if (c.type === 'string') {
    const k = c.codes[r]!;
    return k < 0 ? null : cut(c.dictionary[k]!);
  }
  if (c.nulls?.[r]) return null;
  return c.type === 'boolean' ? String(c.values[r] === 1) : String(c.values[r]);
}

export function cut(s: string, max = MAX_CELL): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function sampleSize(limit: number | undefined, max = MAX_SAMPLE): number {
  const n = limit ?? 20;
  if (!Number.isInteger(n) || n < 0 || n > max) throw new InvalidInputException(`limit must be an integer from 0 to ${max} (got ${limit}).`);
  return n;
}

export function datasetOverview(e: Engine, datasetArn: string, limit?: number): DatasetOverview {
  const n = sampleSize(limit);
  const ds = e.store.get('dataset', datasetArn);
  const type = datasetType(ds);
  const fields = datasetFields(e, ds);
  const bulk = e.datasets.get(ds.arn, 'bulk', fields), put = e.datasets.get(ds.arn, 'put', fields);
  const events = type === 'INTERACTIONS' || type === 'ACTION_INTERACTIONS';
  // Events are never merged by id, so their parts are read as they are (no copy of a large dataset per look).
  const parts = events ? [bulk, put] : [datasetRows(e, ds).batch];
  const total = parts.reduce((s, b) => s + b.rowCount, 0);
  const out: DatasetOverview = {
    datasetArn: ds.arn, datasetType: type, fields,
    rows: { imported: bulk.rowCount, streamed: put.rowCount, total },
    sample: { from: Math.max(0, total - n), rows: lastRows(parts, fields, n) },
  };
  if (events) Object.assign(out, eventStats(e, ds.arn, parts, fields, type === 'INTERACTIONS' ? 'ITEM_ID' : 'ACTION_ID'));
  return out;
}

type EventStats = Pick<DatasetOverview, 'users' | 'items' | 'eventTypes'>;
const statsCache = new WeakMap<Engine, Map<string, { key: string; stats: EventStats }>>();

/** Users, items and event types of an events dataset: one pass over its rows, kept until its rows change. */
function eventStats(e: Engine, arn: string, parts: ColumnBatch[], fields: FieldSpec[], itemField: string): EventStats {
  const key = `${e.datasets.generation(arn, 'bulk')}:${e.datasets.generation(arn, 'put')}:${parts.map((b) => b.rowCount).join(':')}`;
  let cache = statsCache.get(e);
  if (!cache) statsCache.set(e, (cache = new Map()));
  const hit = cache.get(arn);
  if (hit?.key === key) return hit.stats;
  const stats: EventStats = {};
  if (fields.some((f) => f.name === 'USER_ID')) stats.users = e.interactions.history(arn).byUser.size;
  stats.items = distinct(parts, itemField);
  if (fields.some((f) => f.name === 'EVENT_TYPE')) stats.eventTypes = eventTypes(parts);
  cache.set(arn, { key, stats });
  return stats;
}

/** The last n rows over the parts in order, each as one text per field. */
function lastRows(parts: ColumnBatch[], fields: FieldSpec[], n: number): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let need = n;
  for (let p = parts.length - 1; p >= 0 && need > 0; p--) {
    const b = parts[p]!, take = Math.min(need, b.rowCount), from = b.rowCount - take;
    const part: (string | null)[][] = [];
    for (let r = from; r < b.rowCount; r++) part.push(fields.map((f) => cellText(b.columns[f.name], r)));
    rows.unshift(...part);
    need -= take;
  }
  return rows;
}

/** Distinct non-null values of a string column over the parts. */
function distinct(parts: ColumnBatch[], name: string): number {
  const seen = new Set<string>();
  for (const b of parts) {
    const c = b.columns[name];
    if (!c || c.type !== 'string') continue;
    const used = new Uint8Array(c.dictionary.length);
    for (let r = 0; r < b.rowCount; r++) { const k = c.codes[r]!; if (k >= 0) used[k] = 1; }
    for (let k = 0; k < used.length; k++) if (used[k]) seen.add(c.dictionary[k]!);
  }
  return seen.size;
}

function eventTypes(parts: ColumnBatch[]): { eventType: string; rows: number }[] {
  const counts = new Map<string, number>();
  for (const b of parts) {
    const c = b.columns.EVENT_TYPE;
    if (!c || c.type !== 'string') continue;
    const per = new Int32Array(c.dictionary.length);
    for (let r = 0; r < b.rowCount; r++) { const k = c.codes[r]!; if (k >= 0) per[k]!++; }
    per.forEach((v, k) => { if (v) counts.set(c.dictionary[k]!, (counts.get(c.dictionary[k]!) ?? 0) + v); });
  }
  return [...counts].map(([eventType, rows]) => ({ eventType, rows })).sort((a, b) => b.rows - a.rows || (a.eventType < b.eventType ? -1 : 1)).slice(0, 50);
}
