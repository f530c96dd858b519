// CreateFilter / DeleteFilter: expressions checked against the group's schemas when created, compiled
// once and kept in memory (recompiled on first use after a restart).
import type { Engine } from '../engine.js';
import { compileFilter, MAX_FIELDS_PER_FILTER, type CompiledFilter, type FilterSchemaInfo } from '../filters/index.js';
import { InvalidInputException, LimitExceededException, ResourceInUseException } from '../errors.js';
import type { ResourceRecord, Tag } from '../store/types.js';
import { datasetFields, groupDataset } from './datasets.js';

const MAX_FILTERS_PER_GROUP = 30;
const MAX_FIELDS_PER_GROUP = 20;
const compiled = new WeakMap<ResourceRecord, CompiledFilter>();

export function filterSchemaInfo(e: Engine, groupArn: string): FilterSchemaInfo {
  const fieldsOf = (t: 'ITEMS' | 'USERS' | 'ACTIONS') => {
    const ds = groupDataset(e, groupArn, t);
    return ds ? datasetFields(e, ds) : undefined;
  };
  const inter = groupDataset(e, groupArn, 'INTERACTIONS');
  const actInter = groupDataset(e, groupArn, 'ACTION_INTERACTIONS');
  return {
    items: fieldsOf('ITEMS'),
    users: fieldsOf('USERS'),
    actions: fieldsOf('ACTIONS'),
    interactions: inter ? { hasEventType: datasetFields(e, inter).some((f) => f.name === 'EVENT_TYPE') } : undefined,
    actionInteractions: actInter ? { hasEventType: true } : undefined,
  };
}

export function createFilter(e: Engine, input: { name: string; datasetGroupArn: string; filterExpression: string; tags?: Tag[] }): string {
  const name = e.checkName('name', input.name);
  const group = e.store.get('datasetGroup', input.datasetGroupArn);
  e.requireStatus(group, ['ACTIVE'], 'add filters to it');
  const existing = e.store.list('filter', group.arn);
  if (existing.length >= MAX_FILTERS_PER_GROUP) throw new LimitExceededException(`A dataset group has at most ${MAX_FILTERS_PER_GROUP} filters; delete one first.`);
  const f = compileFilter(input.filterExpression, filterSchemaInfo(e, group.arn));
  const fields = new Set(existing.flatMap((r) => (r.props.fields as string[] | undefined) ?? []));
  for (const x of f.fields) fields.add(x);
  if (fields.size > MAX_FIELDS_PER_GROUP) {
    throw new InvalidInputException(`The dataset group's filters would use ${fields.size} distinct fields; at most ${MAX_FIELDS_PER_GROUP} are allowed (${MAX_FIELDS_PER_FILTER} per filter).`);
  }
  const arn = e.arns.make('filter', name);
  const rec = e.create('filter', arn, name, { datasetGroupArn: group.arn, filterExpression: input.filterExpression, fields: f.fields }, { parentArn: group.arn, status: 'ACTIVE', tags: input.tags });
  compiled.set(rec, f);
  return arn;
}

export function deleteFilter(e: Engine, arn: string): void {
  e.store.get('filter', arn);
  const busy = [...e.store.list('batchInferenceJob'), ...e.store.list('batchSegmentJob')].find((j) => j.props.filterArn === arn && ['PENDING', 'IN PROGRESS'].includes(e.status(j)!));
  if (busy) throw new ResourceInUseException(`The ${busy.kind === 'batchSegmentJob' ? 'batch segment' : 'batch inference'} job ${busy.arn} is using this filter; wait for it to finish.`);
  e.store.remove(arn);
}

/** The ACTIVE filter `arn`, compiled, checked to belong to `groupArn`. */
export function activeFilter(e: Engine, arn: string, groupArn: string): CompiledFilter {
  const rec = e.store.get('filter', arn);
  e.requireStatus(rec, ['ACTIVE'], 'use it');
  if (rec.parentArn !== groupArn) throw new InvalidInputException(`The filter ${arn} belongs to ${rec.parentArn}, not to ${groupArn}, which this model was trained in.`);
  let f = compiled.get(rec);
  if (!f) {
    f = compileFilter(rec.props.filterExpression as string, filterSchemaInfo(e, groupArn));
    compiled.set(rec, f);
  }
  return f;
}
