// CreateFilter / DeleteFilter: expressions checked against the group's schemas when created (requests use them
// through serving/active-filter.ts).
import type { Engine } from '../core/engine.js';
import { compileFilter, MAX_FIELDS_PER_FILTER } from '../filters/index.js';
import { InvalidInputException, LimitExceededException, ResourceInUseException } from '../errors.js';
import type { Tag } from '../store/types.js';
import { filterSchemaInfo, keepCompiled } from '../serving/active-filter.js';

const MAX_FILTERS_PER_GROUP = 30;
const MAX_FIELDS_PER_GROUP = 20;

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
  keepCompiled(rec, f);
  return arn;
}

export function deleteFilter(e: Engine, arn: string): void {
  e.store.get('filter', arn);
  const busy = [...e.store.list('batchInferenceJob'), ...e.store.list('batchSegmentJob')].find((j) => j.props.filterArn === arn && ['PENDING', 'IN PROGRESS'].includes(e.status(j)!));
  if (busy) throw new ResourceInUseException(`The ${busy.kind === 'batchSegmentJob' ? 'batch segment' : 'batch inference'} job ${busy.arn} is using this filter; wait for it to finish.`);
  e.store.remove(arn);
}

