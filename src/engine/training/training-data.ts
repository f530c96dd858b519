// From stored datasets to a recipe's TrainingData: event filtering (eventType, eventValueThreshold,
// eventsConfig), sorted id dictionaries, a user-by-item CSR ordered by time, and item side columns.
import type { CategoricalColumn, NumericColumn, TextColumn, TrainingData } from '../../recipes/types.js';
import { emptyBatch, takeRows } from '../data/batch-ops.js';
import type { ColumnBatch, FieldSpec } from '../data/types.js';
import { prefaultAside } from '../../lib/threads/prefault.js';
import { sortedUsedIds } from './sorted-ids.js';

export interface EventParameters { eventType?: string; eventValueThreshold?: number; weight?: number }

export interface TrainingDataConfig {
  /** solution.eventType: train on this event type only. */
  eventType?: string;
  /** solutionConfig.eventValueThreshold: keep events whose EVENT_VALUE is at least this. */
  eventValueThreshold?: number;
  /** solutionConfig.eventsConfig.eventParametersList: listed types only, with thresholds and weights. */
  eventParameters?: EventParameters[];
  /** Item columns to leave out / to keep only (trainingDataConfig for ITEMS). */
  excludedItemColumns?: string[];
  includedItemColumns?: string[];
}

/**
 * Sorted unique strings (by UTF-16 code units: the default sort, which needs no comparator call), and a
 * lookup from string to its index.
 */
function sortedDictionary(values: string[]): { ids: string[]; index: Map<string, number> } {
  const ids = [...new Set(values)].sort();
  const index = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) index.set(ids[i]!, i);
  return { ids, index };
}

/**
 * Which interaction rows survive the event filters, and the weight of each; null and null when no filter is
 * configured (the usual case: every row, weight 1), so no row list is made (2 x 4 bytes per row of fresh memory).
 */
function filterEvents(inter: ColumnBatch, cfg: TrainingDataConfig): { rows: Int32Array | null; weights: Float32Array | null } {
  const n = inter.rowCount;
  const et = inter.columns.EVENT_TYPE;
  const ev = inter.columns.EVENT_VALUE;
  const typeOf = (i: number): string | null => (et && et.type === 'string' && et.codes[i]! >= 0 ? et.dictionary[et.codes[i]!]! : null);
  const valueOf = (i: number): number | null => {
    if (!ev || ev.type === 'string' || (ev.nulls && ev.nulls[i])) return null;
    return ev.values[i]!;
  };
  const params = cfg.eventParameters?.length ? new Map(cfg.eventParameters.map((p) => [p.eventType ?? '', p])) : null;
  if (cfg.eventType === undefined && cfg.eventValueThreshold === undefined && !params) return { rows: null, weights: null };
  const rows = new Int32Array(n);
  const weights = new Float32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const t = typeOf(i);
    if (cfg.eventType !== undefined && t !== cfg.eventType) continue;
    let w = 1;
    let threshold = cfg.eventValueThreshold;
    if (params) {
      const p = params.get(t ?? '');
      if (!p) continue; // eventsConfig: only the listed event types are considered
      if (p.eventValueThreshold !== undefined) threshold = p.eventValueThreshold;
      w = p.weight ?? 1;
    }
    if (threshold !== undefined) {
      const v = valueOf(i);
      if (v === null || v < threshold) continue;
    }
    rows[k] = i;
    weights[k++] = w;
  }
  // Views, not copies (most often every row survives): fresh copies of tens of MB are slow to touch.
  return { rows: k === n ? rows : rows.subarray(0, k), weights: k === n ? weights : weights.subarray(0, k) };
}

/** The rows from..to of the four per-row arrays put in timestamp order; equal (or incomparable) times keep their order. */
function sortByTime(a: { itemIdx: Int32Array; timestamps: Float64Array; weights: Float32Array; eventType: Int32Array }, from: number, to: number): void {
  const ts = a.timestamps;
  const order = Int32Array.from({ length: to - from }, (_, j) => from + j).sort((x, y) => ts[x]! - ts[y]! || x - y);
  for (const col of [a.itemIdx, a.timestamps, a.weights, a.eventType]) {
    const was = col.slice(from, to);
    for (let j = 0; j < order.length; j++) col[from + j] = was[order[j]! - from]!;
  }
}

function stringColumnValues(batch: ColumnBatch | undefined, name: string): string[] {
  const c = batch?.columns[name];
  if (!c || c.type !== 'string') return [];
  return c.dictionary;
}

/**
 * The interaction arrays live on SharedArrayBuffers: the training worker and the threads a job starts (its team,
 * the serving statistics' side thread) read them without a copy.
 */
function shared<T extends Int32Array | Float32Array | Float64Array>(C: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number): T {
  return new C(new SharedArrayBuffer(n * C.BYTES_PER_ELEMENT));
}

export function buildTrainingData(
  interactions: ColumnBatch,
  items: { batch: ColumnBatch; fields: FieldSpec[] } | undefined,
  cfg: TrainingDataConfig = {},
): TrainingData {
  const { rows, weights: rowWeights } = filterEvents(interactions, cfg);
  const nnz = rows ? rows.length : interactions.rowCount;
  const uc = interactions.columns.USER_ID as Extract<ColumnBatch['columns'][string], { type: 'string' }>;
  const ic = interactions.columns.ITEM_ID as typeof uc;
  const ts = interactions.columns.TIMESTAMP as { values: Float64Array };
  const etc = interactions.columns.EVENT_TYPE;

  // The per-row arrays are fresh memory, whose first touch costs more than the loops that fill them (2.6 ms per
  // MB on this project's VM: ~0.27 s at 5M rows): a side thread touches them while this one builds the dictionaries.
  const itemIdx = shared(Int32Array, nnz);
  const timestamps = shared(Float64Array, nnz);
  const weights = shared(Float32Array, nnz);
  const eventType = shared(Int32Array, nnz);
  prefaultAside([[itemIdx, timestamps, weights, eventType]]);

  // Columns read once into locals: the loops below run once per interaction.
  const uCodes = uc.codes, iCodes = ic.codes, tsv = ts.values, eCodes = etc && etc.type === 'string' ? etc.codes : null;
  // Rows per user code, and which items appear, in one pass: only users/items of surviving rows (plus catalogue
  // items) get indices. Row k of the surviving rows is row `rows ? rows[k] : k` of the columns (a branch the loops predict).
  const rowsOfCode = new Int32Array(uc.dictionary.length);
  const usedItems = new Uint8Array(ic.dictionary.length);
  for (let k = 0; k < nnz; k++) { const r = rows ? rows[k]! : k; rowsOfCode[uCodes[r]!]!++; usedItems[iCodes[r]!] = 1; }
  const usedUsers = new Uint8Array(rowsOfCode.length);
  for (let c = 0; c < rowsOfCode.length; c++) usedUsers[c] = rowsOfCode[c]! > 0 ? 1 : 0;
  const { ids: userIds, rankOf: userOfCode } = sortedUsedIds(uc, usedUsers);
  const items_ = sortedDictionary([...ic.dictionary.filter((_, k) => usedItems[k]), ...stringColumnValues(items?.batch, 'ITEM_ID')]);
  const itemOfCode = Int32Array.from(ic.dictionary, (s) => items_.index.get(s) ?? -1);

  // A counting sort by user, writing each row's values straight to its place (reading the columns in file order; each
  // user's rows keep it: stable), then each user's rows by timestamp (equal times keep file order). Writing through an
  // order array and gathering afterwards read the columns in user order instead: 0.1-0.15 s more at 5M rows.
  const numUsers = userIds.length;
  const userPtr = shared(Int32Array, numUsers + 1);
  for (let c = 0; c < rowsOfCode.length; c++) if (rowsOfCode[c]! > 0) userPtr[userOfCode[c]! + 1] = rowsOfCode[c]!;
  for (let u = 0; u < numUsers; u++) userPtr[u + 1]! += userPtr[u]!;
  const fill = userPtr.slice(0, numUsers);
  let maxTimestamp = -Infinity;
  for (let k = 0; k < nnz; k++) {
    const r = rows ? rows[k]! : k;
    const p = fill[userOfCode[uCodes[r]!]!]!++;
    itemIdx[p] = itemOfCode[iCodes[r]!]!;
    const t = tsv[r]!;
    timestamps[p] = t;
    if (t > maxTimestamp) maxTimestamp = t;
    weights[p] = rowWeights ? rowWeights[k]! : 1;
    eventType[p] = eCodes ? eCodes[r]! : -1;
  }
  const columns = { itemIdx, timestamps, weights, eventType };
  for (let u = 0; u < numUsers; u++) {
    // Most histories are already in time order in the file: check before sorting (a sort call per user costs).
    const from = userPtr[u]!, to = userPtr[u + 1]!;
    let sorted = true;
    for (let p = from + 1; p < to && sorted; p++) sorted = timestamps[p - 1]! < timestamps[p]!;
    if (!sorted) sortByTime(columns, from, to);
  }

  const eventTypes = etc && etc.type === 'string' ? etc.dictionary : [];
  const side = itemSideColumns(items, items_.index, items_.ids.length, cfg);
  return {
    userIds,
    itemIds: items_.ids,
    userPtr, itemIdx, timestamps, weights, eventType, eventTypes,
    ...side,
    maxTimestamp: nnz ? maxTimestamp : 0,
  };
}

const ACTION_INTERACTION_FIELDS: FieldSpec[] = ['USER_ID', 'ACTION_ID', 'TIMESTAMP', 'EVENT_TYPE']
  .map((name) => ({ name, type: name === 'TIMESTAMP' ? 'long' : 'string', nullable: false, categorical: false, textual: false }));

/**
 * aws-next-best-action's TrainingData: the "items" are the Actions dataset's actions (its metadata in
 * the item columns) and the CSR holds action interactions, read through buildTrainingData with
 * ACTION_ID as ITEM_ID. Interactions with actions missing from the Actions dataset are left out (only
 * its actions can be recommended). `itemData` (the item interactions, already event-filtered) rides
 * along as `userItems`, both CSRs over the union of their users.
 */
export function buildActionTrainingData(
  actionInteractions: ColumnBatch | undefined, actions: { batch: ColumnBatch; fields: FieldSpec[] }, itemData: TrainingData,
): TrainingData {
  const asItems = (b: ColumnBatch): ColumnBatch => {
    const { ACTION_ID, ...rest } = b.columns;
    return { rowCount: b.rowCount, columns: { ...rest, ITEM_ID: ACTION_ID! } };
  };
  const known = new Set(stringColumnValues(actions.batch, 'ACTION_ID'));
  let inter = actionInteractions ?? emptyBatch(ACTION_INTERACTION_FIELDS);
  const ac = inter.columns.ACTION_ID as Extract<ColumnBatch['columns'][string], { type: 'string' }>;
  const keep = Int32Array.from({ length: inter.rowCount }, (_, r) => r).filter((r) => ac.codes[r]! >= 0 && known.has(ac.dictionary[ac.codes[r]!]!));
  if (keep.length < inter.rowCount) inter = takeRows(inter, keep);
  const fields = actions.fields.map((f) => (f.name === 'ACTION_ID' ? { ...f, name: 'ITEM_ID' } : f));
  const data = buildTrainingData(asItems(inter), { batch: asItems(actions.batch), fields });
  const userIds = sortedDictionary([...data.userIds, ...itemData.userIds]).ids;
  return {
    ...data,
    userIds,
    userPtr: alignUsers(userIds, data.userIds, data.userPtr),
    userItems: { itemCount: itemData.itemIds.length, userPtr: alignUsers(userIds, itemData.userIds, itemData.userPtr), itemIdx: itemData.itemIdx },
  };
}

/** A CSR's row pointers over a sorted superset `ids` of its own sorted users `own` (others get empty rows). */
function alignUsers(ids: string[], own: string[], ptr: Int32Array): Int32Array {
  const out = new Int32Array(ids.length + 1);
  let j = 0;
  for (let u = 0; u < ids.length; u++) {
    let n = 0;
    if (j < own.length && own[j] === ids[u]) { n = ptr[j + 1]! - ptr[j]!; j++; }
    out[u + 1] = out[u]! + n;
  }
  return out;
}

/** Item metadata columns aligned with the item numbering, honouring trainingDataConfig. */
function itemSideColumns(
  items: { batch: ColumnBatch; fields: FieldSpec[] } | undefined,
  index: Map<string, number>,
  n: number,
  cfg: TrainingDataConfig,
): Pick<TrainingData, 'itemCreationTime' | 'itemCategorical' | 'itemNumeric' | 'itemText' | 'itemNames'> {
  const itemCreationTime = new Float64Array(n).fill(NaN);
  const itemCategorical: CategoricalColumn[] = [];
  const itemNumeric: NumericColumn[] = [];
  const text: { itemText?: TextColumn; itemNames?: TextColumn } = {};
  if (!items || items.batch.rowCount === 0) return { itemCreationTime, itemCategorical, itemNumeric };
  const { batch, fields } = items;
  const idc = batch.columns.ITEM_ID as Extract<ColumnBatch['columns'][string], { type: 'string' }>;
  const rowItem = Int32Array.from({ length: batch.rowCount }, (_, r) => index.get(idc.dictionary[idc.codes[r]!]!) ?? -1);
  const excluded = new Set(cfg.excludedItemColumns ?? []);
  const included = cfg.includedItemColumns?.length ? new Set(cfg.includedItemColumns) : null;
  for (const f of fields) {
    if (f.name === 'ITEM_ID') continue;
    const col = batch.columns[f.name]!;
    if (f.name === 'CREATION_TIMESTAMP' && col.type !== 'string') {
      for (let r = 0; r < batch.rowCount; r++) if (rowItem[r]! >= 0 && !col.nulls?.[r]) itemCreationTime[rowItem[r]!] = col.values[r]!;
      continue;
    }
    if (excluded.has(f.name) || (included && !included.has(f.name))) continue;
    if (col.type === 'string') {
      // Textual fields and the title are read as text; other plain strings are not features (Personalize ignores them).
      if (f.textual) text.itemText = textColumn(f.name, col, rowItem, n);
      if (f.itemName) text.itemNames = textColumn(f.name, col, rowItem, n);
      if (!f.categorical) continue;
      itemCategorical.push(splitCategorical(f.name, col, rowItem, n));
    } else if (col.type !== 'boolean') {
      // Personalize never trains on booleans; numbers become numeric features.
      const values = new Float64Array(n).fill(NaN);
      for (let r = 0; r < batch.rowCount; r++) if (rowItem[r]! >= 0 && !col.nulls?.[r]) values[rowItem[r]!] = col.values[r]!;
      itemNumeric.push({ name: f.name, values });
    }
  }
  return { itemCreationTime, itemCategorical, itemNumeric, ...text };
}

/** A string column per item as UTF-8 bytes (transferable to the training worker); the last row of an item wins. */
function textColumn(name: string, col: Extract<ColumnBatch['columns'][string], { type: 'string' }>, rowItem: Int32Array, n: number): TextColumn {
  const rowOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < rowItem.length; r++) if (rowItem[r]! >= 0 && col.codes[r]! >= 0) rowOf[rowItem[r]!] = r;
  const enc = new TextEncoder();
  const bytes = col.dictionary.map((s) => enc.encode(s));
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + (rowOf[i]! >= 0 ? bytes[col.codes[rowOf[i]!]!]!.length : 0);
  const utf8 = new Uint8Array(offsets[n]!);
  for (let i = 0; i < n; i++) if (rowOf[i]! >= 0) utf8.set(bytes[col.codes[rowOf[i]!]!]!, offsets[i]!);
  return { name, utf8, offsets };
}

/** `Action|Crime` -> two values; multi-valued categorical fields are split on `|`. */
function splitCategorical(
  name: string,
  col: Extract<ColumnBatch['columns'][string], { type: 'string' }>,
  rowItem: Int32Array,
  n: number,
): CategoricalColumn {
  const parts = col.dictionary.map((s) => s.split('|').map((x) => x.trim()).filter(Boolean));
  const dict = sortedDictionary(parts.flat());
  const perItem: number[][] = Array.from({ length: n }, () => []);
  for (let r = 0; r < rowItem.length; r++) {
    const c = col.codes[r]!;
    if (rowItem[r]! < 0 || c < 0) continue;
    perItem[rowItem[r]!] = parts[c]!.map((s) => dict.index.get(s)!);
  }
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i]! + perItem[i]!.length;
  const codes = new Int32Array(ptr[n]!);
  for (let i = 0; i < n; i++) codes.set(perItem[i]!, ptr[i]!);
  return { name, dictionary: dict.ids, ptr, codes };
}

/** Personalize's minimum-data check; returns the failure message, or null when the data is enough. */
export function checkMinimumData(data: TrainingData, min: { interactions: number; usersWithTwoInteractions: number }): string | null {
  const n = data.itemIdx.length;
  if (n < min.interactions) {
    return `Create failed. There are ${n} interactions after filtering by event type and event value threshold; at least ${min.interactions} are needed. Import more interactions or relax the solution's eventType/eventValueThreshold.`;
  }
  let withTwo = 0;
  for (let u = 0; u + 1 < data.userPtr.length; u++) if (data.userPtr[u + 1]! - data.userPtr[u]! >= 2) withTwo++;
  if (withTwo < min.usersWithTwoInteractions) {
    return `Create failed. Dataset has fewer than ${min.usersWithTwoInteractions} users with at least 2 interactions each (found ${withTwo}).`;
  }
  return null;
}
