// A dataset group's data as operations and requests read it: its dataset of a type, that dataset's fields and rows
// (bulk and streamed, in its current schema), and the change counters that caches and automatic updates key on.
import type { Engine } from './engine.js';
import { concatBatches } from '../data/batch-ops.js';
import type { ColumnBatch, DatasetType, FieldSpec } from '../data/types.js';
import type { ResourceRecord } from '../store/types.js';

export function datasetType(rec: ResourceRecord): DatasetType {
  return rec.props.datasetType as DatasetType;
}

export function datasetFields(e: Engine, rec: ResourceRecord): FieldSpec[] {
  return e.parsedSchema(rec.props.schemaArn as string).fields;
}

/** All rows of a dataset (bulk and streamed), in the fields of its current schema. */
export function datasetRows(e: Engine, rec: ResourceRecord): { batch: ColumnBatch; fields: FieldSpec[] } {
  const fields = datasetFields(e, rec);
  const batch = e.datasets.all(rec.arn, datasetType(rec), fields);
  // After UpdateDataset the stored rows may lack new (nullable) fields: project them onto the schema.
  const projected = fields.every((f) => batch.columns[f.name]) ? batch : concatBatches([batch], fields);
  return { batch: projected, fields };
}

/** The group's dataset of a type, if it has one. */
export function groupDataset(e: Engine, groupArn: string, type: DatasetType): ResourceRecord | undefined {
  return e.store.list('dataset', groupArn).find((d) => d.props.datasetType === type);
}

/** Record that a dataset's rows changed (automatic training runs only when interactions changed). */
export function noteDataChange(e: Engine, ds: ResourceRecord): void {
  e.update(ds, { props: { ...ds.props, dataChanges: dataVersion(ds) + 1 } });
}

/** How often a dataset's rows changed (imports, streamed records, deletions): caches over its rows key on it. */
export function dataVersion(ds: ResourceRecord): number {
  return (ds.props.dataChanges as number | undefined) ?? 0;
}

/** The changes of the group's Interactions and Items datasets together (what automatic updates look at). */
export function groupDataChanges(e: Engine, groupArn: string): number {
  let n = 0;
  for (const t of ['INTERACTIONS', 'ITEMS'] as const) {
    const ds = groupDataset(e, groupArn, t);
    if (ds) n += dataVersion(ds);
  }
  return n;
}
