// Each user's interactions (imported and streamed) with their event types, for filters on
// Interactions.EVENT_TYPE and the domain recommenders' automatic exclusions. Built once per data
// version of the interactions dataset; Personalize looks at the 100 most recent per event type.
import type { Engine } from '../engine.js';
import { datasetRows } from '../resources/datasets.js';
import type { ResourceRecord } from '../store/types.js';

export const HISTORY_PER_EVENT_TYPE = 100;

interface Index {
  version: number;
  items: string[];
  types: string[];
  /** Row numbers of each user, oldest first (ties keep file order). */
  byUser: Map<string, Int32Array>;
  itemCode: Int32Array;
  typeCode: Int32Array;
}

export interface UserInteractions { itemIds: string[]; eventTypes: string[] }

export class InteractionIndex {
  private readonly indexes = new Map<string, Index>();

  private build(e: Engine, ds: ResourceRecord): Index {
    const version = (ds.props.dataChanges as number | undefined) ?? 0;
    const cached = this.indexes.get(ds.arn);
    if (cached && cached.version === version) return cached;
    const { batch } = datasetRows(e, ds);
    const u = batch.columns.USER_ID as { dictionary: string[]; codes: Int32Array };
    const it = batch.columns.ITEM_ID as { dictionary: string[]; codes: Int32Array };
    const ts = batch.columns.TIMESTAMP as { values: Float64Array };
    const et = batch.columns.EVENT_TYPE as { dictionary: string[]; codes: Int32Array } | undefined;
    const rowsOf: number[][] = u.dictionary.map(() => []);
    for (let r = 0; r < batch.rowCount; r++) if (u.codes[r]! >= 0) rowsOf[u.codes[r]!]!.push(r);
    const byUser = new Map<string, Int32Array>();
    rowsOf.forEach((rows, c) => {
      if (!rows.length) return;
      rows.sort((a, b) => ts.values[a]! - ts.values[b]! || a - b);
      byUser.set(u.dictionary[c]!, Int32Array.from(rows));
    });
    const ix: Index = {
      version, items: it.dictionary, types: et?.dictionary ?? [], byUser, itemCode: it.codes,
      typeCode: et?.codes ?? new Int32Array(batch.rowCount).fill(-1),
    };
    this.indexes.set(ds.arn, ix);
    return ix;
  }

  /** The user's interactions, oldest first, keeping only the most recent `perType` of each event type. */
  of(e: Engine, ds: ResourceRecord, userId: string, perType = HISTORY_PER_EVENT_TYPE): UserInteractions {
    const ix = this.build(e, ds);
    const rows = ix.byUser.get(userId);
    if (!rows) return { itemIds: [], eventTypes: [] };
    const kept: number[] = [];
    const seen = new Map<number, number>();
    for (let k = rows.length - 1; k >= 0; k--) {
      const r = rows[k]!;
      const t = ix.typeCode[r]!;
      const n = seen.get(t) ?? 0;
      if (n >= perType) continue;
      seen.set(t, n + 1);
      kept.push(r);
    }
    kept.reverse();
    return {
      itemIds: kept.map((r) => (ix.itemCode[r]! >= 0 ? ix.items[ix.itemCode[r]!]! : '')),
      eventTypes: kept.map((r) => (ix.typeCode[r]! >= 0 ? ix.types[ix.typeCode[r]!]! : '')),
    };
  }

  clear(): void {
    this.indexes.clear();
  }
}
