// Batch inference jobs.
import type { Engine } from '../../engine/engine.js';
import { createBatchInferenceJob } from '../../engine/resources/batch-inference.js';
import type { PersonalizeApi } from '../api.js';
import { registerDescribe, registerList } from './common.js';

type In = Record<string, any>;

export function registerBatchOperations(api: PersonalizeApi, e: Engine): void {
  api.register('CreateBatchInferenceJob', async (i: In) => ({ batchInferenceJobArn: await createBatchInferenceJob(e, i as never) }));
  registerDescribe(api, e, 'DescribeBatchInferenceJob', 'batchInferenceJob', 'batchInferenceJob');
  registerList(api, e, 'ListBatchInferenceJobs', 'batchInferenceJob', 'batchInferenceJobs', { member: 'solutionVersionArn', kind: 'solutionVersion' });
}
