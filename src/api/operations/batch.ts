// Batch inference jobs and batch segment jobs.
import type { Engine } from '../../engine/core/engine.js';
import { createBatchInferenceJob } from '../../engine/resources/batch-inference.js';
import { createBatchSegmentJob } from '../../engine/resources/batch-segments.js';
import type { PersonalizeApi } from '../api.js';
import { registerDescribe, registerList } from './common.js';

type In = Record<string, any>;

export function registerBatchOperations(api: PersonalizeApi, e: Engine): void {
  api.register('CreateBatchInferenceJob', async (i: In) => ({ batchInferenceJobArn: await createBatchInferenceJob(e, i as never) }));
  registerDescribe(api, e, 'DescribeBatchInferenceJob', 'batchInferenceJob', 'batchInferenceJob');
  registerList(api, e, 'ListBatchInferenceJobs', 'batchInferenceJob', 'batchInferenceJobs', { member: 'solutionVersionArn', kind: 'solutionVersion' });
  api.register('CreateBatchSegmentJob', async (i: In) => ({ batchSegmentJobArn: await createBatchSegmentJob(e, i as never) }));
  registerDescribe(api, e, 'DescribeBatchSegmentJob', 'batchSegmentJob', 'batchSegmentJob');
  registerList(api, e, 'ListBatchSegmentJobs', 'batchSegmentJob', 'batchSegmentJobs', { member: 'solutionVersionArn', kind: 'solutionVersion' });
}
