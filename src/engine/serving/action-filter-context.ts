// What GetActionRecommendations sees besides the model: the Actions dataset's columns aligned with a
// model's action numbering, each user's action interactions (imported and streamed, seen at once), and
// the FilterContext of ActionID filters built from both. Histories come from the engine's InteractionIndex.
import type { Engine } from '../core/engine.js';
import type { FilterColumn, FilterContext } from '../filters/index.js';
import { groupDataset } from '../core/group-data.js';
import { alignedColumn, itemFilterContext } from './filter-context.js';
import type { ServingModel } from '../store/model-store.js';

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

/** Every action interaction of the user in the group's Action interactions dataset (bulk and streamed). */
export function userActionInteractions(e: Engine, groupArn: string, userId: string): UserActionInteractions {
  const ds = groupDataset(e, groupArn, 'ACTION_INTERACTIONS');
  if (!ds) return { actionIds: [], eventTypes: [], timestamps: [] };
  const h = e.interactions.history(ds.arn), rows = h.rows(userId);
  return { actionIds: rows.map((g) => h.text(g, 'ACTION_ID')), eventTypes: rows.map((g) => h.text(g, 'EVENT_TYPE')), timestamps: rows.map((g) => h.time(g)) };
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
