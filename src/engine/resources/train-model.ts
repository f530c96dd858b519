// Train one model for a dataset group: its datasets -> TrainingData -> Personalize's minimum-data check
// -> a worker of the pool -> model bytes. Shared by solution versions and recommenders.
import { hashString } from '../../lib/random.js';
import type { Recipe, TrainingData } from '../../recipes/types.js';
import type { Engine } from '../core/engine.js';
import { buildActionTrainingData, buildTrainingData, checkMinimumData, type TrainingDataConfig } from '../training/training-data.js';
import { datasetRows, groupDataset } from '../core/group-data.js';
import type { ColumnBatch, FieldSpec } from '../data/types.js';
import { emptyBatch } from '../data/batch-ops.js';
import { toFilterColumn } from '../serving/filter-context.js';
import { objectiveWeight, type OptimizationObjective } from '../training/objective.js';
import { SIDE_STATS_MIN_ROWS } from '../training/train-job.js';

export interface TrainRequest {
  /** The ARN the model is stored under (a solution version, or a recommender's model). */
  modelArn: string;
  groupArn: string;
  recipe: Recipe;
  config: TrainingDataConfig;
  params: Record<string, string>;
  /** Extra check after Personalize's minimums (e.g. a domain use case's event count); a message fails the training. */
  check?: (data: ReturnType<typeof buildTrainingData>) => string | null;
  /** trainingMode UPDATE: the model bytes to derive from. */
  previous?: Uint8Array;
  /** Solution config that adds offline metrics: eventsConfig, optimizationObjective. */
  evaluation?: { eventWeights?: boolean; objective?: OptimizationObjective };
}

/** An Interactions dataset with no rows, for recipes that train without one. */
const NO_INTERACTIONS: FieldSpec[] = [
  { name: 'USER_ID', type: 'string', nullable: false, categorical: false, textual: false },
  { name: 'ITEM_ID', type: 'string', nullable: false, categorical: false, textual: false },
  { name: 'TIMESTAMP', type: 'long', nullable: false, categorical: false, textual: false },
];

/** Trains and returns the model bytes (not yet saved: the caller decides whether they are still wanted). */
export async function trainModel(e: Engine, r: TrainRequest): Promise<Uint8Array> {
  const inter = groupDataset(e, r.groupArn, 'INTERACTIONS');
  if (!inter && !r.recipe.interactionsOptional) throw new Error('Create failed. The dataset group has no Interactions dataset; create one and import interactions.');
  const items = groupDataset(e, r.groupArn, 'ITEMS');
  // Events streamed after this point are "new since training" for real-time personalization.
  let putRowsAtTraining = inter ? e.datasets.get(inter.arn, 'put', []).rowCount : 0;
  // A training worker starts while the TrainingData is built (both take ~0.2-0.6 s at millions of rows), with the
  // served model's thread when the job will want one (the rows before event filters: a bound, not a promise).
  const interRows = inter ? datasetRows(e, inter).batch : emptyBatch(NO_INTERACTIONS);
  e.pool.warm({ servedModelThread: !!r.recipe.trainsSideBySide && interRows.rowCount >= SIDE_STATS_MIN_ROWS });
  let data = buildTrainingData(interRows, items ? datasetRows(e, items) : undefined, r.config);
  const tooLittle = r.check?.(data) ?? (r.recipe.checkData ? r.recipe.checkData(data) : checkMinimumData(data, e.opts.minimums));
  if (tooLittle) throw new Error(tooLittle);
  // aws-next-best-action ranks actions: it trains on the actions, with the item interactions riding along.
  if (r.recipe.recipeType === 'PERSONALIZED_ACTIONS') ({ data, putRowsAtTraining } = actionData(e, r.groupArn, data));
  const evaluation = r.evaluation && {
    eventWeights: r.evaluation.eventWeights,
    objective: r.evaluation.objective && objectiveValues(items && datasetRows(e, items), data.itemIds, r.evaluation.objective),
  };
  const seed = r.params.seed !== undefined ? Number(r.params.seed) : hashString(r.modelArn, e.opts.seed);
  return e.pool.train({ recipeArn: `arn:aws:personalize:::recipe/${r.recipe.name}`, data, params: r.params, seed, previous: r.previous, evaluation, info: { params: r.params, seed, putRowsAtTraining } });
}

/**
 * The objective's Items column aligned with the training item numbering (read from the Items rows, so
 * trainingDataConfig excluding the column from the features does not hide it), and λ.
 */
function objectiveValues(items: { batch: ColumnBatch; fields: FieldSpec[] } | undefined, itemIds: string[], o: OptimizationObjective): { values: Float64Array; lambda: number } {
  const f = items?.fields.find((x) => x.name === o.itemAttribute);
  const index = new Map(itemIds.map((id, i) => [id, i]));
  let col;
  if (items && f) {
    const ids = items.batch.columns.ITEM_ID as { dictionary: string[]; codes: Int32Array };
    const rowTarget = Int32Array.from({ length: items.batch.rowCount }, (_, r) => index.get(ids.dictionary[ids.codes[r]!]!) ?? -1);
    col = toFilterColumn(items.batch, f, rowTarget, itemIds.length);
  }
  return { values: col?.kind === 'numeric' ? col.values : new Float64Array(itemIds.length).fill(NaN), lambda: objectiveWeight(o) };
}

/** The action TrainingData of a group (and how many streamed action interactions it saw), after its item interactions passed the minimums. */
function actionData(e: Engine, groupArn: string, itemData: TrainingData): { data: TrainingData; putRowsAtTraining: number } {
  const actions = groupDataset(e, groupArn, 'ACTIONS');
  if (!actions) throw new Error('Create failed. aws-next-best-action needs an Actions dataset; create one and import your actions (or add them with PutActions).');
  const ai = groupDataset(e, groupArn, 'ACTION_INTERACTIONS');
  const data = buildActionTrainingData(ai ? datasetRows(e, ai).batch : undefined, datasetRows(e, actions), itemData);
  if (!data.itemIds.length) throw new Error('Create failed. The Actions dataset has no actions; import them or add them with PutActions.');
  return { data, putRowsAtTraining: ai ? e.datasets.get(ai.arn, 'put', []).rowCount : 0 };
}
