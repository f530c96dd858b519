// Train one model for a dataset group: its datasets -> TrainingData -> Personalize's minimum-data check
// -> a worker of the pool -> model bytes. Shared by solution versions and recommenders.
import { hashString } from '../../lib/random.js';
import type { Recipe } from '../../recipes/types.js';
import type { Engine } from '../engine.js';
import { buildTrainingData, checkMinimumData, type TrainingDataConfig } from '../training/training-data.js';
import { datasetRows, groupDataset } from './datasets.js';

export interface TrainRequest {
  /** The ARN the model is stored under (a solution version, or a recommender's model). */
  modelArn: string;
  groupArn: string;
  recipe: Recipe;
  config: TrainingDataConfig;
  params: Record<string, string>;
  /** Extra check after Personalize's minimums (e.g. a domain use case's event count); a message fails the training. */
  check?: (data: ReturnType<typeof buildTrainingData>) => string | null;
}

/** Trains and returns the model bytes (not yet saved: the caller decides whether they are still wanted). */
export async function trainModel(e: Engine, r: TrainRequest): Promise<Uint8Array> {
  const inter = groupDataset(e, r.groupArn, 'INTERACTIONS');
  if (!inter) throw new Error('Create failed. The dataset group has no Interactions dataset; create one and import interactions.');
  const items = groupDataset(e, r.groupArn, 'ITEMS');
  // Events streamed after this point are "new since training" for real-time personalization.
  const putRowsAtTraining = e.datasets.get(inter.arn, 'put', []).rowCount;
  const data = buildTrainingData(datasetRows(e, inter).batch, items ? datasetRows(e, items) : undefined, r.config);
  const tooLittle = r.check?.(data) ?? checkMinimumData(data, e.opts.minimums);
  if (tooLittle) throw new Error(tooLittle);
  const seed = r.params.seed !== undefined ? Number(r.params.seed) : hashString(r.modelArn, e.opts.seed);
  return e.pool.train({ recipeArn: `arn:aws:personalize:::recipe/${r.recipe.name}`, data, params: r.params, seed, info: { params: r.params, seed, putRowsAtTraining } });
}
