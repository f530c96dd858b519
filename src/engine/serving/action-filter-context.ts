// What GetActionRecommendations sees besides the model: the Actions dataset's columns aligned with a
// model's action numbering, each user's action interactions (imported and streamed, seen at once), and
// the FilterContext of ActionID filters built from both. Caches follow each dataset's data version.
import type { Engine } from '../engine.js';
import type { ColumnBatch } from '../data/types.js';
import type { FilterColumn, FilterContext } from '../filters/index.js';
import { datasetRows, groupDataset } from '../resources/datasets.js';
import type { ResourceRecord } from '../store/types.js';
import { alignedColumn, itemFilterContext } from './filter-context.js';
import type { ServingModel } from './model-store.js';

const version = (ds: ResourceRecord | undefined) => (ds ? ((ds.props.dataChanges as number | undefined) ?? 0) : -1);

export function actionColumn(e: Engine, m: ServingModel, groupArn: string, name: string): FilterColumn | undefined {
  return alignedColumn(e, m, groupArn, 'ACTIONS', name, m.itemIndex, m.bundle.itemIds.length);
}

/** A numeric Actions column per model action (NaN = missing), or null when the schema has no such number. */
export function actionNumbers(e: Engine, m: ServingModel, groupArn: string, ...names: string[]): Float64Array | null {
  for (const name of names) {
    const c = actionColumn(e, m, groupArn, name);
    if (c?.kind === 'numeric') return c.values;
  }
  return null;
}

/** One user's action interactions, oldest first (ties keep row order). */
export interface UserActionInteractions { actionIds: string[]; eventTypes: string[]; timestamps: number[] }

interface HistoryIndex { version: number; batch: ColumnBatch; byUser: Map<string, Int32Array> }
const histories = new WeakMap<Engine, Map<string, HistoryIndex>>();

/** Every action interaction of the user in the group's Action interactions dataset (bulk and streamed). */
export function userActionInteractions(e: Engine, groupArn: string, userId: string): UserActionInteractions {
  const ds = groupDataset(e, groupArn, 'ACTION_INTERACTIONS');
  if (!ds) return { actionIds: [], eventTypes: [], timestamps: [] };
  let perEngine = histories.get(e);
  if (!perEngine) histories.set(e, (perEngine = new Map()));
  let ix = perEngine.get(ds.arn);
  if (!ix || ix.version !== version(ds)) {
    const { batch } = datasetRows(e, ds);
    const u = batch.columns.USER_ID as { dictionary: string[]; codes: Int32Array };
    const ts = batch.columns.TIMESTAMP as { values: Float64Array };
    const rowsOf: number[][] = u.dictionary.map(() => []);
    for (let r = 0; r < batch.rowCount; r++) if (u.codes[r]! >= 0) rowsOf[u.codes[r]!]!.push(r);
    const byUser = new Map<string, Int32Array>();
    rowsOf.forEach((rows, c) => {
      if (rows.length) byUser.set(u.dictionary[c]!, Int32Array.from(rows.sort((a, b) => ts.values[a]! - ts.values[b]! || a - b)));
    });
    perEngine.set(ds.arn, (ix = { version: version(ds), batch, byUser }));
  }
  const rows = ix.byUser.get(userId) ?? new Int32Array(0);
  const str = (name: string) => {
    const c = ix!.batch.columns[name] as { type: string; dictionary: string[]; codes: Int32Array } | undefined;
    return Array.from(rows, (r) => (c && c.type === 'string' && c.codes[r]! >= 0 ? c.dictionary[c.codes[r]!]! : ''));
  };
  const ts = ix.batch.columns.TIMESTAMP as { values: Float64Array };
  return { actionIds: str('ACTION_ID'), eventTypes: str('EVENT_TYPE'), timestamps: Array.from(rows, (r) => ts.values[r]!) };
}

/** The FilterContext of an ActionID filter: Actions columns, the user's action interactions, CurrentUser from Users. */
export function actionFilterContext(e: Engine, m: ServingModel, groupArn: string, userId: string, history: UserActionInteractions): FilterContext {
  return {
    // IF CurrentUser.X reads the Users dataset exactly as item filters do.
    currentUser: itemFilterContext(e, m, groupArn, userId).currentUser,
    candidateCount: m.bundle.itemIds.length,
    column: (name) => actionColumn(e, m, groupArn, name),
    userInteractions: () => {
      const names: string[] = [];
      const code = new Map<string, number>();
      const eventTypeCodes = Int32Array.from(history.eventTypes, (t) => {
        if (!t) return -1;
        let k = code.get(t);
        if (k === undefined) { code.set(t, (k = names.length)); names.push(t); }
        return k;
      });
      return { candidates: Int32Array.from(history.actionIds, (id) => m.itemIndex.get(id) ?? -1), eventTypeCodes, eventTypeNames: names };
    },
  };
}
