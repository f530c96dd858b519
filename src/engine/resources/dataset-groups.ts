// CreateDatasetGroup / DeleteDatasetGroup: the container of datasets, solutions, filters and trackers.
import type { Engine } from '../core/engine.js';
import { ResourceInUseException } from '../errors.js';
import type { ResourceKind, Tag } from '../store/types.js';
import { checkDomain } from './schemas.js';

export function createDatasetGroup(
  e: Engine,
  input: { name: string; roleArn?: string; kmsKeyArn?: string; domain?: string; tags?: Tag[] },
): { datasetGroupArn: string; domain?: string } {
  const name = e.checkName('name', input.name);
  const domain = checkDomain(input.domain);
  const arn = e.arns.make('datasetGroup', name);
  e.create('datasetGroup', arn, name, { roleArn: input.roleArn, kmsKeyArn: input.kmsKeyArn, domain }, { status: 'ACTIVE', tags: input.tags });
  return { datasetGroupArn: arn, ...(domain ? { domain } : {}) };
}

const CHILDREN: ResourceKind[] = ['dataset', 'solution', 'eventTracker', 'recommender', 'filter', 'metricAttribution'];

export function deleteDatasetGroup(e: Engine, arn: string): void {
  e.store.get('datasetGroup', arn);
  const left = CHILDREN.flatMap((k) => e.store.list(k, arn));
  if (left.length) {
    throw new ResourceInUseException(
      `The dataset group ${arn} still has ${left.length} resource(s): ${left.map((r) => r.arn).join(', ')}. Delete them first.`,
    );
  }
  for (const job of e.store.list('dataDeletionJob', arn)) e.store.remove(job.arn);
  e.store.remove(arn);
}
