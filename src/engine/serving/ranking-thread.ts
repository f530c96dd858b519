// Worker-thread entry of the serving worker (ranking-worker.ts): views each model's arrays in the shared memory
// the engine loaded them into (no copy of the bundle) and runs ranking jobs with the inline path's code.
import { parentPort } from 'node:worker_threads';
import { serveRpc } from '../../lib/worker-rpc.js';
import { servingModel, type ServingModel } from '../store/model-store.js';
import { bundleFromSource } from '../training/bundle.js';
import { runRankJob, type RankedSlots } from './ranking-job.js';
import type { WorkerRequest } from './ranking-worker.js';

const models = new Map<string, ServingModel>();

serveRpc<WorkerRequest, RankedSlots>(parentPort!, ({ modelArn, source, job }) => {
  if (source) models.set(modelArn, servingModel(modelArn, bundleFromSource(source), false));
  const m = models.get(modelArn);
  if (!m) throw new Error(`the serving worker has no model ${modelArn}`);
  return runRankJob(m, job);
});
