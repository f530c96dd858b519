// CreateDataset / UpdateDataset / DeleteDataset: one dataset per type per group, checked against its schema.
import type { Engine } from '../core/engine.js';
import { datasetFields, datasetType } from '../core/group-data.js';
import { checkSchemaForDataset, normalizeDatasetType } from '../data/schema.js';
import type { ColumnBatch, DatasetType, FieldSpec } from '../data/types.js';
import { InvalidInputException, ResourceAlreadyExistsException, ResourceInUseException } from '../errors.js';
import type { Tag } from '../store/types.js';

export function createDataset(
  e: Engine,
  input: { name: string; schemaArn: string; datasetGroupArn: string; datasetType: string; tags?: Tag[] },
): string {
  const name = e.checkName('name', input.name);
  const group = e.store.get('datasetGroup', input.datasetGroupArn);
  e.requireStatus(group, ['ACTIVE'], 'add datasets to it');
  const schemaRec = e.store.get('schema', input.schemaArn);
  const type = normalizeDatasetType(input.datasetType);
  const domain = group.props.domain as string | undefined;
  if ((schemaRec.props.domain ?? undefined) !== domain) {
    throw new InvalidInputException(
      `The schema's domain (${schemaRec.props.domain ?? 'none'}) does not match the dataset group's (${domain ?? 'none'}); create the schema with domain ${domain ?? 'left out'}.`,
    );
  }
  checkSchemaForDataset(e.parsedSchema(input.schemaArn), type, domain);
  const arn = e.arns.make('dataset', group.name, type);
  if (e.store.find(arn)) {
    throw new ResourceAlreadyExistsException(`The dataset group ${group.arn} already has a ${type} dataset (${arn}); a group has one dataset of each type.`);
  }
  const props: Record<string, unknown> = { datasetGroupArn: group.arn, datasetType: type, schemaArn: input.schemaArn };
  if (type === 'ACTION_INTERACTIONS') props.trackingId = e.randomUuid();
  e.create('dataset', arn, name, props, { parentArn: group.arn, status: 'ACTIVE', tags: input.tags });
  return arn;
}

export function updateDataset(e: Engine, input: { datasetArn: string; schemaArn: string }): string {
  const ds = e.store.get('dataset', input.datasetArn);
  e.requireStatus(ds, ['ACTIVE'], 'update it');
  const schemaRec = e.store.get('schema', input.schemaArn);
  const group = e.store.get('datasetGroup', ds.parentArn!);
  const next = e.parsedSchema(schemaRec.arn);
  checkSchemaForDataset(next, datasetType(ds), group.props.domain as string | undefined);
  // Stored rows must still fit: every old field kept with its type; new fields must be nullable.
  const old = new Map(datasetFields(e, ds).map((f) => [f.name, f]));
  const hasRows = e.datasets.get(ds.arn, 'bulk', []).rowCount + e.datasets.get(ds.arn, 'put', []).rowCount > 0;
  for (const f of next.fields) {
    const o = old.get(f.name);
    if (o && o.type !== f.type) throw new InvalidInputException(`The new schema changes the type of ${f.name} from ${o.type} to ${f.type}; keep existing field types.`);
    if (!o && hasRows && !f.nullable) throw new InvalidInputException(`The new schema adds ${f.name}, which is not nullable, but the dataset already has rows; make it a union with "null".`);
  }
  const t = e.now() / 1000;
  // Personalize reports a schema change as a finished dataset update.
  const latestDatasetUpdate = { schemaArn: schemaRec.arn, status: 'ACTIVE', creationDateTime: t, lastUpdatedDateTime: t };
  e.update(ds, { props: { ...ds.props, schemaArn: schemaRec.arn, latestDatasetUpdate } });
  return ds.arn;
}

export function deleteDataset(e: Engine, arn: string): void {
  const ds = e.store.get('dataset', arn);
  const groupArn = ds.parentArn!;
  const filters = e.store.list('filter', groupArn);
  if (filters.length) throw new ResourceInUseException(`Delete the dataset group's filters first: ${filters.map((f) => f.arn).join(', ')}.`);
  if (datasetType(ds) === 'INTERACTIONS') {
    const trackers = e.store.list('eventTracker', groupArn);
    if (trackers.length) throw new ResourceInUseException(`Delete the event tracker ${trackers[0]!.arn} before deleting the interactions dataset.`);
  }
  const busyImports = e.store.list('datasetImportJob', arn).filter((j) => !['ACTIVE', 'CREATE FAILED'].includes(e.status(j)!));
  if (busyImports.length) throw new ResourceInUseException(`The import job ${busyImports[0]!.arn} is still running; wait for it to finish.`);
  const solutions = e.store.list('solution', groupArn).map((s) => s.arn);
  const busyVersions = e.store.list('solutionVersion').filter((v) => solutions.includes(v.parentArn!) && ['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(e.status(v)!));
  if (busyVersions.length) throw new ResourceInUseException(`The solution version ${busyVersions[0]!.arn} is training; wait for it or stop it first.`);
  const versions = new Set(e.store.list('solutionVersion').filter((v) => solutions.includes(v.parentArn!)).map((v) => v.arn));
  const campaigns = e.store.list('campaign').filter((c) => versions.has(c.props.solutionVersionArn as string));
  if (campaigns.length) throw new ResourceInUseException(`Delete the campaigns that serve this group's models first: ${campaigns.map((c) => c.arn).join(', ')}.`);
  for (const j of e.store.list('datasetImportJob', arn)) e.store.remove(j.arn);
  e.datasets.drop(arn);
  e.store.remove(arn);
}

