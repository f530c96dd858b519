// A filter as requests and jobs use it: the ACTIVE filter of the model's dataset group, compiled against the
// group's schemas once and kept in memory (recompiled on first use after a restart).
import type { Engine } from '../core/engine.js';
import { datasetFields, groupDataset } from '../core/group-data.js';
import { InvalidInputException } from '../errors.js';
import { compileFilter, type CompiledFilter, type FilterSchemaInfo } from '../filters/index.js';
import type { ResourceRecord } from '../store/types.js';

const compiled = new WeakMap<ResourceRecord, CompiledFilter>();

/** What a filter expression of the group may refer to: its datasets' fields. */
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

/** CreateFilter compiled it already: keep that for the first request. */
export function keepCompiled(rec: ResourceRecord, f: CompiledFilter): void {
  compiled.set(rec, f);
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
