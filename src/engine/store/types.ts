// A stored resource: identity, lifecycle and the attributes Personalize shows for it.

export type ResourceKind =
  | 'schema'
  | 'datasetGroup'
  | 'dataset'
  | 'datasetImportJob'
  | 'datasetExportJob'
  | 'solution'
  | 'solutionVersion'
  | 'campaign'
  | 'filter'
  | 'eventTracker'
  | 'batchInferenceJob'
  | 'batchSegmentJob'
  | 'recommender'
  | 'metricAttribution'
  | 'dataDeletionJob';

export interface Tag { tagKey: string; tagValue: string }

export interface ResourceRecord {
  kind: ResourceKind;
  arn: string;
  name: string;
  /** The resource it belongs to (dataset group of a dataset, solution of a version, ...). */
  parentArn?: string;
  /** Clock milliseconds. */
  createdAt: number;
  updatedAt: number;
  /**
   * The real state: `CREATE PENDING` / `CREATE IN_PROGRESS` while work runs, then the final status.
   * What Describe shows is derived from it and the transitions policy (see lifecycle.ts).
   * Undefined for resources without a status (schemas).
   */
  status?: string;
  failureReason?: string;
  /** Attributes shown by Describe under their Personalize names (datasetType, recipeArn, ...). */
  props: Record<string, unknown>;
  tags: Tag[];
  /** Creation order, for stable listings. */
  seq: number;
}
