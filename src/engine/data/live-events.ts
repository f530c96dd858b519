// Each user's streamed interactions (PutEvents), indexed by user id from the interactions dataset's `put`
// part, so serving can add what happened since training to a user's history without retraining.
import type { ColumnBatch } from './types.js';

interface Index { generation: number; upTo: number; byUser: Map<string, number[]> }

export class LiveEvents {
  private readonly indexes = new Map<string, Index>();

  /**
   * Rows of `put` (the dataset's current put part, of the store's `generation`) for `userId` at or after
   * row `fromRow`, oldest first. Within a generation the part only grows, so the index only extends.
   */
  rowsOf(datasetArn: string, put: ColumnBatch, generation: number, userId: string, fromRow: number): number[] {
    let ix = this.indexes.get(datasetArn);
    if (!ix || ix.generation !== generation || put.rowCount < ix.upTo) ix = { generation, upTo: 0, byUser: new Map() };
    const users = put.columns.USER_ID;
    if (users && users.type === 'string') {
      for (let r = ix.upTo; r < put.rowCount; r++) {
        const c = users.codes[r]!;
        if (c < 0) continue;
        const id = users.dictionary[c]!;
        let list = ix.byUser.get(id);
        if (!list) ix.byUser.set(id, (list = []));
        list.push(r);
      }
    }
    ix.upTo = put.rowCount;
    this.indexes.set(datasetArn, ix);
    const rows = ix.byUser.get(userId);
    if (!rows) return [];
    let lo = 0;
    while (lo < rows.length && rows[lo]! < fromRow) lo++;
    return rows.slice(lo);
  }

  clear(): void {
    this.indexes.clear();
  }
}
