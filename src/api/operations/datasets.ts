// Schemas, dataset groups, datasets and dataset import jobs.
import type { Engine } from '../../engine/core/engine.js';
import { createDataset, deleteDataset, updateDataset } from '../../engine/resources/datasets.js';
import { createDatasetGroup, deleteDatasetGroup } from '../../engine/resources/dataset-groups.js';
import { createDatasetImportJob, type CreateImportJobInput } from '../../engine/resources/import-jobs.js';
import { createSchema, deleteSchema } from '../../engine/resources/schemas.js';
import type { PersonalizeApi } from '../api.js';
import { registerDescribe, registerList } from './common.js';

type In = Record<string, any>;

export function registerDatasetOperations(api: PersonalizeApi, e: Engine): void {
  api.register('CreateSchema', (i: In) => ({ schemaArn: createSchema(e, i as never) }));
  api.register('DeleteSchema', (i: In) => { deleteSchema(e, i.schemaArn); return undefined; });
  registerDescribe(api, e, 'DescribeSchema', 'schema', 'schema');
  registerList(api, e, 'ListSchemas', 'schema', 'schemas');

  api.register('CreateDatasetGroup', (i: In) => createDatasetGroup(e, i as never));
  api.register('DeleteDatasetGroup', (i: In) => { deleteDatasetGroup(e, i.datasetGroupArn); return undefined; });
  registerDescribe(api, e, 'DescribeDatasetGroup', 'datasetGroup', 'datasetGroup');
  registerList(api, e, 'ListDatasetGroups', 'datasetGroup', 'datasetGroups');

  api.register('CreateDataset', (i: In) => ({ datasetArn: createDataset(e, i as never) }));
  api.register('UpdateDataset', (i: In) => ({ datasetArn: updateDataset(e, i as never) }));
  api.register('DeleteDataset', (i: In) => { deleteDataset(e, i.datasetArn); return undefined; });
  registerDescribe(api, e, 'DescribeDataset', 'dataset', 'dataset');
  registerList(api, e, 'ListDatasets', 'dataset', 'datasets', { member: 'datasetGroupArn', kind: 'datasetGroup' });

  api.register('CreateDatasetImportJob', async (i: In) => ({ datasetImportJobArn: await createDatasetImportJob(e, i as CreateImportJobInput) }));
  registerDescribe(api, e, 'DescribeDatasetImportJob', 'datasetImportJob', 'datasetImportJob');
  registerList(api, e, 'ListDatasetImportJobs', 'datasetImportJob', 'datasetImportJobs', { member: 'datasetArn', kind: 'dataset' });
}
