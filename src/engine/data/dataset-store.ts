// The rows of every dataset, in two parts as Personalize keeps them: `bulk` (import jobs; FULL replaces it)
// and `put` (PutEvents/PutItems/PutUsers; imports leave it alone). Stored as Arrow IPC, cached in memory:
// bulk as one file, put as a log with one Arrow frame per streamed call (frame-log.ts).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeFileAtomicWith } from '../store/atomic.js';
import { regionFolder } from '../region.js';
import { decodeBatch, encodeBatch, writeBatch } from './arrow-io.js';
import { appendFrame, frameFile, recoverFrames } from './frame-log.js';
import { GrowingBatch } from './growing-batch.js';
import { concatBatches, emptyBatch, keepLatestById } from './batch-ops.js';
import type { ColumnBatch, DatasetType, FieldSpec } from './types.js';

export type Part = 'bulk' | 'put';

/** The id column whose repeats replace earlier rows; interactions are events and never replace. */
export function idFieldOf(t: DatasetType): string | undefined {
  return t === 'ITEMS' ? 'ITEM_ID' : t === 'USERS' ? 'USER_ID' : t === 'ACTIONS' ? 'ACTION_ID' : undefined;
}

export class DatasetStore {
  private readonly cache = new Map<string, ColumnBatch>();
  /** Streamed interactions (never replaced by id) grow in place; the cache holds their latest snapshot. */
  private readonly growing = new Map<string, GrowingBatch>();
  private readonly generations = new Map<string, number>();

  constructor(private readonly dataDir: string | null) {}

  private file(datasetArn: string, part: Part): string | null {
    if (!this.dataDir) return null;
    // dataset/<groupName>/<TYPE> -> datasets/[@<region>/]<groupName>/<TYPE>/<part>.arrow
    const tail = datasetArn.slice(datasetArn.indexOf(':dataset/') + ':dataset/'.length);
    return join(this.dataDir, 'datasets', ...regionFolder(datasetArn), ...tail.split('/'), `${part}.arrow`);
  }

  /** The put part's log; a `put.arrow` of an older state directory is moved into it on first read. */
  private log(datasetArn: string): string | null {
    const f = this.file(datasetArn, 'put');
    return f && `${f}s`;
  }

  /**
   * Changes whenever a part's rows are replaced rather than appended to (imports, deletions, drops): an
   * index over a part may be extended from the rows it has seen while this stays the same.
   */
  generation(datasetArn: string, part: Part): number {
    return this.generations.get(`${datasetArn}#${part}`) ?? 0;
  }

  private replaced(key: string): void {
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.growing.delete(key);
  }

  get(datasetArn: string, part: Part, fields: FieldSpec[]): ColumnBatch {
    const key = `${datasetArn}#${part}`;
    let b = this.cache.get(key);
    if (!b) {
      b = part === 'bulk' ? this.readBulk(datasetArn, fields) : this.readPut(datasetArn, fields);
      this.cache.set(key, b);
    }
    // An empty part first read without fields (to count its rows) has no columns: give these fields theirs.
    if (b.rowCount === 0 && fields.some((f) => !b!.columns[f.name])) return emptyBatch(fields);
    return b;
  }

  private readBulk(datasetArn: string, fields: FieldSpec[]): ColumnBatch {
    const f = this.file(datasetArn, 'bulk');
    return f && existsSync(f) ? decodeBatch(readFileSync(f)) : emptyBatch(fields);
  }

  private readPut(datasetArn: string, fields: FieldSpec[]): ColumnBatch {
    const log = this.log(datasetArn), old = this.file(datasetArn, 'put');
    if (!log || !old) return emptyBatch(fields);
    // Migration: the log is written whole before the old file goes, so a log that exists already holds it.
    if (existsSync(old)) {
      if (!existsSync(log)) writeFileAtomic(log, frameFile([readFileSync(old)]));
      rmSync(old, { force: true });
    }
    // Read before any append of this process (append reads the part first), so a torn tail is cut in time.
    const batches = recoverFrames(log).map((bytes) => decodeBatch(bytes));
    if (batches.length === 0) return emptyBatch(fields);
    if (batches.length === 1) return batches[0]!;
    const merged = concatBatches(batches, fields.length ? fields : fieldsOf(batches[0]!));
    const id = idFieldOf(typeOf(datasetArn));
    return id ? keepLatestById(merged, id) : merged;
  }

  /**
   * A part's rows as Arrow IPC bytes (the stored bulk file as is; streamed rows, whose log holds one frame
   * per call, encoded whole); null when it has none.
   */
  bytesOf(datasetArn: string, part: Part, fields: FieldSpec[]): Uint8Array | null {
    const f = part === 'bulk' ? this.file(datasetArn, part) : null;
    if (f) return existsSync(f) ? readFileSync(f) : null;
    const b = this.get(datasetArn, part, fields);
    if (b.rowCount === 0) return null;
    // Rows stored before an UpdateDataset lack the fields it added: encode the columns they have.
    return encodeBatch(b, fields.filter((x) => b.columns[x.name]));
  }

  /** Hold rows read elsewhere (a batch job's snapshot) without writing them: for in-memory, read-only engines. */
  adopt(datasetArn: string, part: Part, batch: ColumnBatch): void {
    const key = `${datasetArn}#${part}`;
    this.cache.set(key, batch);
    this.replaced(key);
  }

  private set(datasetArn: string, part: Part, batch: ColumnBatch, fields: FieldSpec[]): void {
    const f = part === 'put' ? this.log(datasetArn) : this.file(datasetArn, part);
    // Written before the cache changes: if the write fails, the stored data and the cache stay as they were.
    if (f && part === 'put') writeFileAtomic(f, frameFile([encodeBatch(batch, fields)]));
    else if (f) writeFileAtomicWith(f, (put) => writeBatch(batch, fields, put)); // imported rows: no second copy
    this.cache.set(`${datasetArn}#${part}`, batch);
    this.replaced(`${datasetArn}#${part}`);
  }

  /** FULL import: the new rows replace all bulk rows. */
  replace(datasetArn: string, t: DatasetType, batch: ColumnBatch, fields: FieldSpec[]): void {
    const id = idFieldOf(t);
    this.set(datasetArn, 'bulk', id ? keepLatestById(batch, id) : batch, fields);
  }

  /** INCREMENTAL import or streamed records: appended; a repeated item/user/action id replaces the old row. */
  append(datasetArn: string, t: DatasetType, part: Part, batch: ColumnBatch, fields: FieldSpec[]): void {
    const id = idFieldOf(t);
    const merge = () => {
      const merged = concatBatches([this.get(datasetArn, part, fields), batch], fields);
      return id ? keepLatestById(merged, id) : merged;
    };
    if (part === 'bulk') { this.set(datasetArn, part, merge(), fields); return; }
    // Streamed rows: only the new ones go to disk (reading the log applies the same keep-latest rule),
    // and events, which never replace each other, grow in memory without copying earlier rows.
    const key = `${datasetArn}#put`;
    let growing = this.growing.get(key);
    if (!id && !growing) this.growing.set(key, (growing = new GrowingBatch(fields, this.get(datasetArn, part, fields))));
    const rows = growing ? null : merge();
    const log = this.log(datasetArn);
    if (log) appendFrame(log, encodeBatch(batch, fields));
    if (growing) growing.append(batch);
    this.cache.set(key, growing ? growing.snapshot() : rows!);
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
      this.replaced(`${datasetArn}#${part}`);
      const f = this.file(datasetArn, part);
      if (f) rmSync(f, { force: true });
    }
    const log = this.log(datasetArn);
    if (log) rmSync(log, { force: true });
  }

  clear(): void {
    for (const key of this.cache.keys()) this.replaced(key);
    this.cache.clear();
    this.growing.clear();
    if (this.dataDir) rmSync(join(this.dataDir, 'datasets'), { recursive: true, force: true });
  }
}

/** The dataset type from its ARN (…:dataset/<group>/<TYPE>). */
function typeOf(datasetArn: string): DatasetType {
  return datasetArn.slice(datasetArn.lastIndexOf('/') + 1) as DatasetType;
}

/** Enough of the fields to concatenate decoded frames when the caller passed none (name and type). */
function fieldsOf(batch: ColumnBatch): FieldSpec[] {
  return Object.entries(batch.columns).map(([name, c]) => ({ name, type: c.type, nullable: true, categorical: false, textual: false }));
}
