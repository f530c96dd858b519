// ARNs exactly as Personalize forms them (reference §12.1).
import { InvalidInputException } from '../errors.js';
import type { ResourceKind } from './types.js';
import { currentRegion } from '../region.js';

const SEGMENT: Record<ResourceKind, string> = {
  schema: 'schema',
  datasetGroup: 'dataset-group',
  dataset: 'dataset',
  datasetImportJob: 'dataset-import-job',
  datasetExportJob: 'dataset-export-job',
  solution: 'solution',
  solutionVersion: 'solution',
  campaign: 'campaign',
  filter: 'filter',
  eventTracker: 'event-tracker',
  batchInferenceJob: 'batch-inference-job',
  batchSegmentJob: 'batch-segment-job',
  recommender: 'recommender',
  metricAttribution: 'metric-attribution',
  dataDeletionJob: 'data-deletion-job',
};

export class Arns {
  /** `region`: the default, for calls that name none (the in-process client, unsigned requests). */
  constructor(readonly region: string, readonly accountId: string) {}
  /** An ARN in the region of the call being served. */
  make(kind: ResourceKind, ...path: string[]): string {
    return `arn:aws:personalize:${currentRegion() ?? this.region}:${this.accountId}:${SEGMENT[kind]}/${path.join('/')}`;
  }
}

export const recipeArn = (name: string): string => `arn:aws:personalize:::recipe/${name}`;
export const RECIPE_PREFIX = 'arn:aws:personalize:::recipe/';
export const ALGORITHM_PREFIX = 'arn:aws:personalize:::algorithm/';
export const FEATURE_TRANSFORMATION_PREFIX = 'arn:aws:personalize:::feature-transformation/';

const ARN_PATTERN = /^arn:([a-z\d-]+):personalize:.*:.*:.+$/;

/** Check the shape of an ARN argument before looking it up. */
export function checkArn(member: string, value: string): void {
  if (value.length > 256 || !ARN_PATTERN.test(value)) {
    throw new InvalidInputException(
      `${member} "${value}" is not a Personalize ARN (expected arn:aws:personalize:<region>:<account>:<resource>/<name>, at most 256 characters).`,
    );
  }
}
