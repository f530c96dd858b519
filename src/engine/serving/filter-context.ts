// What a filter sees when it narrows a model's items for one request: item metadata columns aligned
// with the model's item numbering (rebuilt when the Items data changes), the requesting user's metadata,
// and their interactions with event types (imported and streamed, seen at once).
import type { Engine } from '../core/engine.js';
import type { ColumnBatch, FieldSpec } from '../data/types.js';
import type { FilterColumn, FilterContext } from '../filters/index.js';
import { dataVersion, datasetRows, groupDataset } from '../core/group-data.js';
import type { ResourceRecord } from '../store/types.js';
import type { ServingModel } from '../store/model-store.js';

interface Cached { version: number; columns: Map<string, FilterColumn | undefined> }
const userCache = new Map<string, { version: number; batch: ColumnBatch; fields: FieldSpec[]; row: Map<string, number> }>();

const version = (ds: ResourceRecord | undefined) => (ds ? dataVersion(ds) : -1);

/** One column of rows as a FilterColumn over `n` targets; rowTarget[r] = target index of row r (-1 = none). */
export function toFilterColumn(batch: ColumnBatch, f: FieldSpec, rowTarget: Int32Array, n: number): FilterColumn | undefined {
  const col = batch.columns[f.name];
  if (!col) return undefined;
  if (col.type === 'string') {
    // Categorical values are multi-valued with '|'; other strings are one value each.
    const parts = col.dictionary.map((s) => (f.categorical ? s.split('|').map((x) => x.trim()).filter(Boolean) : [s]));
    const dict = new Map<string, number>();
    const perTarget: number[][] = Array.from({ length: n }, () => []);
    for (let r = 0; r < batch.rowCount; r++) {
      const t = rowTarget[r]!, c = col.codes[r]!;
      if (t < 0 || c < 0) continue;
      perTarget[t] = parts[c]!.map((s) => {
        let k = dict.get(s);
        if (k === undefined) dict.set(s, (k = dict.size));
        return k;
      });
    }
    const ptr = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i]! + perTarget[i]!.length;
    const codes = new Int32Array(ptr[n]!);
    for (let i = 0; i < n; i++) codes.set(perTarget[i]!, ptr[i]!);
    return { kind: 'categorical', dictionary: [...dict.keys()], ptr, codes };
  }
  const values = new Float64Array(n).fill(NaN);
  for (let r = 0; r < batch.rowCount; r++) {
    const t = rowTarget[r]!;
    if (t >= 0 && !col.nulls?.[r]) values[t] = col.values[r]!;
  }
  return { kind: 'numeric', values };
}

const ID_COLUMN = { ITEMS: 'ITEM_ID', ACTIONS: 'ACTION_ID', USERS: 'USER_ID' } as const;
const aligned = new WeakMap<ServingModel, Map<string, Cached>>();

/**
 * A metadata column of the group's Items, Actions or Users dataset, aligned with the model's numbering
 * of that kind of candidate (`index`, `n`), built once per column and data version of the dataset.
 */
export function alignedColumn(
  e: Engine, m: ServingModel, groupArn: string, type: keyof typeof ID_COLUMN, name: string, index: Map<string, number>, n: number,
): FilterColumn | undefined {
  const ds = groupDataset(e, groupArn, type);
  let byType = aligned.get(m);
  if (!byType) aligned.set(m, (byType = new Map()));
  let c = byType.get(type);
  if (!c || c.version !== version(ds)) byType.set(type, (c = { version: version(ds), columns: new Map() }));
  if (!c.columns.has(name)) {
    let col: FilterColumn | undefined;
    if (ds) {
      const { batch, fields } = datasetRows(e, ds);
      const f = fields.find((x) => x.name === name);
      const ids = batch.columns[ID_COLUMN[type]] as { dictionary: string[]; codes: Int32Array };
      const byCode = Int32Array.from(ids.dictionary, (id) => index.get(id) ?? -1);
      const rowTarget = Int32Array.from({ length: batch.rowCount }, (_, r) => (ids.codes[r]! >= 0 ? byCode[ids.codes[r]!]! : -1));
      col = f ? toFilterColumn(batch, f, rowTarget, n) : undefined;
    }
    c.columns.set(name, col);
  }
  return c.columns.get(name);
}

function currentUserValue(e: Engine, groupArn: string, userId: string | undefined, name: string): string[] | number | null {
  const ds = groupDataset(e, groupArn, 'USERS');
  if (!ds || userId === undefined) return null;
  let u = userCache.get(ds.arn);
  if (!u || u.version !== version(ds)) {
    const { batch, fields } = datasetRows(e, ds);
    const ids = batch.columns.USER_ID as { dictionary: string[]; codes: Int32Array };
    const row = new Map<string, number>();
    for (let r = 0; r < batch.rowCount; r++) row.set(ids.dictionary[ids.codes[r]!]!, r);
    userCache.set(ds.arn, (u = { version: version(ds), batch, fields, row }));
  }
  const r = u.row.get(userId);
  const f = u.fields.find((x) => x.name === name);
  const col = u.batch.columns[name];
  if (r === undefined || !f || !col) return null;
  if (col.type === 'string') {
    const k = col.codes[r]!;
    if (k < 0) return null;
    const s = col.dictionary[k]!;
    return f.categorical ? s.split('|').map((x) => x.trim()).filter(Boolean) : [s];
  }
  return col.nulls?.[r] ? null : col.values[r]!;
}

/** The FilterContext of an item filter for one request against model `m` of dataset group `groupArn`. */
export function itemFilterContext(e: Engine, m: ServingModel, groupArn: string, userId: string | undefined): FilterContext {
  return {
    candidateCount: m.bundle.itemIds.length,
    column: (name) => alignedColumn(e, m, groupArn, 'ITEMS', name, m.itemIndex, m.bundle.itemIds.length),
    currentUser: (name) => currentUserValue(e, groupArn, userId, name),
    userInteractions: () => {
      const ds = groupDataset(e, groupArn, 'INTERACTIONS');
      const { itemIds, eventTypes } = ds && userId !== undefined ? e.interactions.of(ds.arn, userId) : { itemIds: [], eventTypes: [] };
      const names: string[] = [];
      const nameCode = new Map<string, number>();
      const eventTypeCodes = Int32Array.from(eventTypes, (t) => {
        if (!t) return -1;
        let k = nameCode.get(t);
        if (k === undefined) { nameCode.set(t, (k = names.length)); names.push(t); }
        return k;
      });
      return { candidates: Int32Array.from(itemIds, (id) => m.itemIndex.get(id) ?? -1), eventTypeCodes, eventTypeNames: names };
    },
  };
}
