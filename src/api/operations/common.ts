// Shared pieces of the operation handlers: rendering a stored resource into an SDK output shape, and
// the generic Describe* and List* operations that every resource family uses.
import type { Engine } from '../../engine/core/engine.js';
import type { ResourceKind, ResourceRecord } from '../../engine/store/types.js';
import { paginate, seqKey } from '../paginate.js';
import type { PersonalizeApi } from '../api.js';
import type { Shape } from '../shape-types.js';
import { operationShape } from '../api.js';

export const ARN_MEMBER: Record<ResourceKind, string> = {
  schema: 'schemaArn', datasetGroup: 'datasetGroupArn', dataset: 'datasetArn', datasetImportJob: 'datasetImportJobArn',
  datasetExportJob: 'datasetExportJobArn', solution: 'solutionArn', solutionVersion: 'solutionVersionArn', campaign: 'campaignArn',
  filter: 'filterArn', eventTracker: 'eventTrackerArn', batchInferenceJob: 'batchInferenceJobArn', batchSegmentJob: 'batchSegmentJobArn',
  recommender: 'recommenderArn', metricAttribution: 'metricAttributionArn', dataDeletionJob: 'dataDeletionJobArn',
};

/** Computed members some resources show (e.g. a solution's latestSolutionVersion). */
export type Extras = (e: Engine, rec: ResourceRecord) => Record<string, unknown>;

/** The resource as the output shape `shape` shows it: identity, lifecycle, timestamps in epoch seconds, props. */
export function render(e: Engine, rec: ResourceRecord, shape: Shape, extras?: Extras): Record<string, unknown> {
  if (shape.type !== 'structure') throw new Error('render needs a structure shape');
  const all: Record<string, unknown> = {
    ...rec.props,
    ...(extras ? extras(e, rec) : {}),
    [ARN_MEMBER[rec.kind]]: rec.arn,
    name: rec.name,
    jobName: rec.name,
    status: e.status(rec),
    failureReason: e.status(rec) === rec.status ? rec.failureReason : undefined,
    creationDateTime: rec.createdAt / 1000,
    lastUpdatedDateTime: rec.updatedAt / 1000,
  };
  const out: Record<string, unknown> = {};
  for (const m of Object.keys(shape.members)) if (all[m] !== undefined && all[m] !== null) out[m] = all[m];
  return out;
}

function outputMember(operation: string, member: string): Shape {
  const s = operationShape(operation)!.output!;
  const m = s.members[member]!;
  return m.type === 'list' ? m.member : m;
}

/** Register `Describe<X>`: input `<arnMember>` -> `{ <wrapper>: resource }`. */
export function registerDescribe(api: PersonalizeApi, e: Engine, op: string, kind: ResourceKind, wrapper: string, extras?: Extras): void {
  const shape = outputMember(op, wrapper);
  api.register(op, (input) => {
    const rec = e.store.get(kind, input[ARN_MEMBER[kind]] as string);
    return { [wrapper]: render(e, rec, shape, extras) };
  });
}

/** Register `List<X>`: optional parent filter member, pagination, summaries in creation order. */
export function registerList(
  api: PersonalizeApi, e: Engine, op: string, kind: ResourceKind, resultKey: string,
  parent?: { member: string; kind: ResourceKind; match?: (rec: ResourceRecord, parentArn: string) => boolean },
  extras?: Extras,
  order: 'oldest first' | 'newest first' = 'oldest first',
): void {
  const shape = outputMember(op, resultKey);
  api.register(op, (input) => {
    let items = e.store.list(kind);
    const parentArn = parent ? (input[parent.member] as string | undefined) : undefined;
    if (parent && parentArn !== undefined) {
      e.store.get(parent.kind, parentArn);
      items = items.filter((r) => (parent.match ? parent.match(r, parentArn) : r.parentArn === parentArn));
    }
    if (order === 'newest first') items.reverse();
    const key = order === 'newest first' ? (r: ResourceRecord) => seqKey(1e11 - r.seq) : (r: ResourceRecord) => seqKey(r.seq);
    const { page, nextToken } = paginate(items, key, input.maxResults as number | undefined, input.nextToken as string | undefined);
    return { [resultKey]: page.map((r) => render(e, r, shape, extras)), ...(nextToken ? { nextToken } : {}) };
  });
}
