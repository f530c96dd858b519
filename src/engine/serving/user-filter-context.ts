// What a UserID filter sees when it narrows a user segment: the model's users as candidates, Users
// metadata columns aligned with them, and every candidate's interactions with event types (imported and
// streamed). Rebuilt when the Users or Interactions data changes.
import type { Engine } from '../core/engine.js';
import type { EventTypeDictionary, FilterContext } from '../filters/index.js';
import { dataVersion, datasetRows, groupDataset } from '../core/group-data.js';
import type { ResourceRecord } from '../store/types.js';
import { alignedColumn } from './filter-context.js';
import type { ServingModel } from '../store/model-store.js';

type Segments = { ptr: Int32Array } & EventTypeDictionary;
interface Cached {
  interactionsVersion: number;
  segments?: Segments;
}
const cache = new WeakMap<ServingModel, Map<string, Cached>>();

const version = (ds: ResourceRecord | undefined) => (ds ? dataVersion(ds) : -1);
const NO_HISTORY = { candidates: new Int32Array(0), eventTypeCodes: new Int32Array(0), eventTypeNames: [] as string[] };

/** Row -> model user index (-1 when the row's user is unknown to the model), through the USER_ID dictionary. */
function rowUsers(m: ServingModel, ids: { dictionary: string[]; codes: Int32Array }, rowCount: number): Int32Array {
  const byCode = Int32Array.from(ids.dictionary, (id) => m.userIndex.get(id) ?? -1);
  const out = new Int32Array(rowCount);
  for (let r = 0; r < rowCount; r++) out[r] = ids.codes[r]! >= 0 ? byCode[ids.codes[r]!]! : -1;
  return out;
}


/**
 * Every candidate user's interactions as CSR over the model's users, newest last, with the dataset's
 * own EVENT_TYPE codes and dictionary (no per-interaction strings). A counting sort by user keeps file
 * order; a user's rows are then sorted by time only when they are not already in order.
 */
function buildSegments(e: Engine, m: ServingModel, ds: ResourceRecord | undefined): Segments {
  const n = m.bundle.userIds.length;
  const ptr = new Int32Array(n + 1);
  if (!ds) return { ptr, eventTypeCodes: new Int32Array(0), eventTypeNames: [] };
  const { batch } = datasetRows(e, ds);
  const users = rowUsers(m, batch.columns.USER_ID as { dictionary: string[]; codes: Int32Array }, batch.rowCount);
  const ts = (batch.columns.TIMESTAMP as { values: Float64Array }).values;
  const et = batch.columns.EVENT_TYPE as { dictionary: string[]; codes: Int32Array } | undefined;
  for (let r = 0; r < batch.rowCount; r++) if (users[r]! >= 0) ptr[users[r]! + 1]!++;
  for (let u = 0; u < n; u++) ptr[u + 1]! += ptr[u]!;
  const rows = new Int32Array(ptr[n]!);
  const fill = ptr.slice(0, n);
  for (let r = 0; r < batch.rowCount; r++) if (users[r]! >= 0) rows[fill[users[r]!]!++] = r;
  for (let u = 0; u < n; u++) {
    const s = ptr[u]!, end = ptr[u + 1]!;
    let sorted = true;
    for (let p = s + 1; p < end && sorted; p++) sorted = ts[rows[p - 1]!]! <= ts[rows[p]!]!;
    if (!sorted) rows.subarray(s, end).sort((a, b) => ts[a]! - ts[b]! || a - b);
  }
  const eventTypeCodes = new Int32Array(rows.length);
  for (let p = 0; p < rows.length; p++) eventTypeCodes[p] = et ? et.codes[rows[p]!]! : -1;
  return { ptr, eventTypeCodes, eventTypeNames: et?.dictionary ?? [] };
}

/** The FilterContext of a UserID filter over the users of model `m` of dataset group `groupArn`. */
export function userFilterContext(e: Engine, m: ServingModel, groupArn: string): FilterContext {
  let byGroup = cache.get(m);
  if (!byGroup) cache.set(m, (byGroup = new Map()));
  let c = byGroup.get(groupArn);
  if (!c) byGroup.set(groupArn, (c = { interactionsVersion: -2 }));
  const cached = c;
  return {
    candidateCount: m.bundle.userIds.length,
    column: (name) => alignedColumn(e, m, groupArn, 'USERS', name, m.userIndex, m.bundle.userIds.length),
    // A segment has no requesting user: CreateFilter refuses IF CurrentUser in UserID filters.
    currentUser: () => null,
    userInteractions: () => NO_HISTORY,
    candidateInteractions: () => {
      const ds = groupDataset(e, groupArn, 'INTERACTIONS');
      if (!cached.segments || cached.interactionsVersion !== version(ds)) {
        cached.segments = buildSegments(e, m, ds);
        cached.interactionsVersion = version(ds);
      }
      return cached.segments;
    },
  };
}
