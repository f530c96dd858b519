// One training job, run in a worker thread (or inline): TrainingData in, encoded model bundle out.
import { RECIPES } from '../../recipes/index.js';
import { itemPopularity } from '../../recipes/popularity-count.js';
import type { TrainingData } from '../../recipes/types.js';
import { isMainThread } from 'node:worker_threads';
import { encodeBundle } from './bundle.js';

export interface TrainJob {
  recipeArn: string;
  data: TrainingData;
  params: Record<string, string>;
  seed: number;
  info: Record<string, unknown>;
}

export async function runTrainJob(job: TrainJob): Promise<Uint8Array> {
  const recipe = RECIPES.get(job.recipeArn);
  if (!recipe) throw new Error(`recipe ${job.recipeArn} is not available`);
  const artifact = await recipe.train(job.data, job.params, job.seed);
  const { uniqueUsers } = itemPopularity(job.data);
  // Freshness needs an age for every item: CREATION_TIMESTAMP, else the item's first interaction.
  const itemFirstSeen = new Float64Array(job.data.itemIds.length).fill(NaN);
  for (let p = 0; p < job.data.itemIdx.length; p++) {
    const i = job.data.itemIdx[p]!, t = job.data.timestamps[p]!;
    if (!(itemFirstSeen[i]! <= t)) itemFirstSeen[i] = t;
  }
  return encodeBundle({
    artifact,
    userIds: job.data.userIds,
    itemIds: job.data.itemIds,
    serving: {
      itemPopularity: uniqueUsers,
      itemCreationTime: job.data.itemCreationTime,
      itemFirstSeen,
      userPtr: job.data.userPtr,
      userItems: job.data.itemIdx,
    },
    info: { ...job.info, trainedOn: isMainThread ? 'main thread' : 'worker thread', maxTimestamp: job.data.maxTimestamp, interactions: job.data.itemIdx.length },
  });
}

/** Every distinct ArrayBuffer under a TrainingData, to transfer it to a worker without copying. */
export function transferablesOf(data: TrainingData): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.buffer.byteLength > 0) seen.add(v.buffer);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(data);
  return [...seen];
}
