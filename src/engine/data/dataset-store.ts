// The rows of every dataset, in two parts as Personalize keeps them: `bulk` (import jobs; FULL replaces it)
// and `put` (PutEvents/PutItems/PutUsers; imports leave it alone). Stored as Arrow IPC files, cached in memory.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';
import { decodeBatch, encodeBatch } from './arrow-io.js';
import { concatBatches, emptyBatch, keepLatestById } from './batch-ops.js';
import type { ColumnBatch, DatasetType, FieldSpec } from './types.js';

export type Part = 'bulk' | 'put';

/** The id column whose repeats replace earlier rows; interactions are events and never replace. */
export function idFieldOf(t: DatasetType): string | undefined {
  return t === 'ITEMS' ? 'ITEM_ID' : t === 'USERS' ? 'USER_ID' : t === 'ACTIONS' ? 'ACTION_ID' : undefined;
}

export class DatasetStore {
  private readonly cache = new Map<string, ColumnBatch>();

  constructor(private readonly dataDir: string | null) {}

  private file(datasetArn: string, part: Part): string | null {
    if (!this.dataDir) return null;
    // dataset/<groupName>/<TYPE>
    const tail = datasetArn.slice(datasetArn.indexOf(':dataset/') + ':dataset/'.length);
    return join(this.dataDir, 'datasets', ...tail.split('/'), `${part}.arrow`);
  }

  get(datasetArn: string, part: Part, fields: FieldSpec[]): ColumnBatch {
    const key = `${datasetArn}#${part}`;
    let b = this.cache.get(key);
    if (!b) {
      const f = this.file(datasetArn, part);
      b = f && existsSync(f) ? decodeBatch(readFileSync(f)) : emptyBatch(fields);
      this.cache.set(key, b);
    }
    return b;
  }

  /** A part's rows as Arrow IPC bytes (the stored file as is, or encoded from memory); null when it has none. */
  bytesOf(datasetArn: string, part: Part, fields: FieldSpec[]): Uint8Array | null {
    const f = this.file(datasetArn, part);
    if (f) return existsSync(f) ? readFileSync(f) : null;
    const b = this.cache.get(`${datasetArn}#${part}`);
    if (!b || b.rowCount === 0) return null;
    // Rows stored before an UpdateDataset lack the fields it added: encode the columns they have.
    return encodeBatch(b, fields.filter((x) => b.columns[x.name]));
  }

  /** Hold rows read elsewhere (a batch job's snapshot) without writing them: for in-memory, read-only engines. */
  adopt(datasetArn: string, part: Part, batch: ColumnBatch): void {
    this.cache.set(`${datasetArn}#${part}`, batch);
  }

  private set(datasetArn: string, part: Part, batch: ColumnBatch, fields: FieldSpec[]): void {
    const f = this.file(datasetArn, part);
    // Written before the cache changes: if the write fails, the stored data and the cache stay as they were.
    if (f) writeFileAtomic(f, encodeBatch(batch, fields));
    this.cache.set(`${datasetArn}#${part}`, batch);
  }

  /** FULL import: the new rows replace all bulk rows. */
  replace(datasetArn: string, t: DatasetType, batch: ColumnBatch, fields: FieldSpec[]): void {
    const id = idFieldOf(t);
    this.set(datasetArn, 'bulk', id ? keepLatestById(batch, id) : batch, fields);
  }

  /** INCREMENTAL import or streamed records: appended; a repeated item/user/action id replaces the old row. */
  append(datasetArn: string, t: DatasetType, part: Part, batch: ColumnBatch, fields: FieldSpec[]): void {
    const merged = concatBatches([this.get(datasetArn, part, fields), batch], fields);
    const id = idFieldOf(t);
    this.set(datasetArn, part, id ? keepLatestById(merged, id) : merged, fields);
  }

  /** Replace a part's rows outright (data deletion). */
  rewrite(datasetArn: string, _t: DatasetType, part: Part, batch: ColumnBatch, fields: FieldSpec[]): void {
    this.set(datasetArn, part, batch, fields);
  }

  /** Bulk and streamed rows together (streamed rows win for the same id). */
  all(datasetArn: string, t: DatasetType, fields: FieldSpec[]): ColumnBatch {
    const bulk = this.get(datasetArn, 'bulk', fields);
    const put = this.get(datasetArn, 'put', fields);
    if (put.rowCount === 0) return bulk;
    const merged = concatBatches([bulk, put], fields);
    const id = idFieldOf(t);
    return id ? keepLatestById(merged, id) : merged;
  }

  drop(datasetArn: string): void {
    for (const part of ['bulk', 'put'] as const) {
      this.cache.delete(`${datasetArn}#${part}`);
      const f = this.file(datasetArn, part);
      if (f) rmSync(f, { force: true });
    }
  }

  clear(): void {
    this.cache.clear();
    if (this.dataDir) rmSync(join(this.dataDir, 'datasets'), { recursive: true, force: true });
  }
}
