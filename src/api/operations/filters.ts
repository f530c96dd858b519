// Filters.
import type { Engine } from '../../engine/core/engine.js';
import { createFilter, deleteFilter } from '../../engine/resources/filters.js';
import type { PersonalizeApi } from '../api.js';
import { registerDescribe, registerList } from './common.js';

type In = Record<string, any>;

export function registerFilterOperations(api: PersonalizeApi, e: Engine): void {
  api.register('CreateFilter', (i: In) => ({ filterArn: createFilter(e, i as never) }));
  api.register('DeleteFilter', (i: In) => { deleteFilter(e, i.filterArn); return undefined; });
  registerDescribe(api, e, 'DescribeFilter', 'filter', 'filter');
  // The SDK's ListFiltersResponse member really is `Filters`, with a capital F.
  registerList(api, e, 'ListFilters', 'filter', 'Filters', { member: 'datasetGroupArn', kind: 'datasetGroup' });
}
