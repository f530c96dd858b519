// One training job, run in a worker thread (or inline): TrainingData in, encoded model bundle out.
import { RECIPES } from '../../recipes/index.js';
import { evaluateActions } from '../../recipes/next-best-action.js';
import { itemPopularity } from '../../recipes/popularity-count.js';
import type { ModelArtifact, Recipe, TrainingData } from '../../recipes/types.js';
import type { EvaluateOptions } from '../evaluation/evaluate.js';
import { evaluateOnThreads } from '../evaluation/evaluate-threads.js';
import { segmentationMetrics } from '../evaluation/segmentation.js';
import { splitForEvaluation } from '../evaluation/split.js';
import { isMainThread } from 'node:worker_threads';
import { callSpare, dropSpare, sideTask, type SideTask, type SpareThread } from '../../lib/threads/side-task.js';
import { programUrl, trainingRun, type TrainingRun } from '../../lib/threads/team.js';
import { decodeBundle, encodeBundle, type ModelBundle } from './bundle.js';
import { servingStats, type ServingStats, type ServingStatsInput } from './serving-stats.js';
import { trainServedModelAndStats } from './served-model.js';

export interface TrainJob {
  recipeArn: string;
  data: TrainingData;
  params: Record<string, string>;
  seed: number;
  info: Record<string, unknown>;
  /** Compute GetSolutionMetrics' metrics (default true). */
  metrics?: boolean;
  /** trainingMode UPDATE: the bundle of the model to derive from (recipe.update keeps what it learned). */
  previous?: Uint8Array;
  /** Extra GetSolutionMetrics keys the solution's config asks for (see EvaluateOptions). */
  evaluation?: Pick<EvaluateOptions, 'objective' | 'eventWeights'>;
  /** Threads this job may use (engine option trainingThreads; default 1: the calling thread only). */
  threads?: number;
  /** The thread servedModelAside trains the served model on, started ahead by the training pool (TrainingPool.warm). */
  servedModelThread?: SpareThread;
}

/** Train on 90% of users, score the held-out 10% (oldest 90% of each as input, newest 10% as truth). */
function offlineMetrics(recipe: Recipe, job: TrainJob, run: TrainingRun): Record<string, number> {
  // Actions are judged on held-out users' take / not-take outcomes (keys in next-best-action.ts).
  if (recipe.recipeType === 'PERSONALIZED_ACTIONS') return evaluateActions(job.data, job.params, job.seed);
  // Segmentation recipes are judged the other way round, on a per-user 80/20 split (evaluation/segmentation.ts).
  if (recipe.recipeType === 'USER_SEGMENTATION') return segmentationMetrics(recipe, job.data, job.params, job.seed);
  const { train, test } = splitForEvaluation(job.data, job.seed);
  if (!test.length) return {};
  const artifact = recipe.train(train, job.params, job.seed, run);
  const model = recipe.load(artifact, train.itemIds.length);
  const fallback = itemPopularity(train).uniqueUsers;
  // The held-out users are scored over the job's threads (same bytes whatever their count).
  return evaluateOnThreads(run, job.recipeArn, artifact, model, test, train.itemIds.length, fallback, {
    queryItem: recipe.recipeType === 'RELATED_ITEMS' ? 'last' : 'none', ...job.evaluation,
  });
}

/** Rows from which the serving statistics are worth a thread of their own (starting one costs tens of ms). */
export const SIDE_STATS_MIN_ROWS = 200_000;

/**
 * The serving statistics on a side thread while the models train, when the job may use more than one thread and the
 * data is big and on SharedArrayBuffers (training-data.ts: sent without a copy); else null (computed at the end).
 * The caller's serial steps (split, confidences, transposes) leave a core idle that this fills.
 */
function servingStatsAside(job: TrainJob, recipe: Recipe): SideTask<ServingStats> | null {
  const d = job.data;
  if ((job.threads ?? 1) < 2 || d.itemIdx.length < SIDE_STATS_MIN_ROWS || !sharedData(d)) return null;
  const input: ServingStatsInput = {
    itemIds: d.itemIds, userPtr: d.userPtr, itemIdx: d.itemIdx, timestamps: d.timestamps, eventType: d.eventType, eventTypes: d.eventTypes,
  };
  try {
    return sideTask<ServingStats>(programUrl(import.meta.url, './serving-stats.js'), 'servingStats', [input, !!recipe.repeatAware]);
  } catch {
    return null;
  }
}

/** Whether the job's interaction arrays are on SharedArrayBuffers (training-data.ts), so a side thread reads them without a copy. */
function sharedData(d: TrainingData): boolean {
  return [d.userPtr, d.itemIdx, d.timestamps, d.weights, d.eventType].every((a) => a.buffer instanceof SharedArrayBuffer);
}

type ServedAndStats = { artifact: ModelArtifact; stats: ServingStats };

/**
 * The served model trained on a side thread while the calling thread trains and scores the offline-metrics model,
 * for recipes whose team gains less than a second training's thread (Recipe.trainsSideBySide), then the serving
 * statistics on the same thread (served-model.ts); null when the job has one thread, computes no metrics, or is
 * small (a thread and its module loading cost ~0.1 s).
 */
export function servedModelAside(job: TrainJob, recipe: Recipe): SideTask<ServedAndStats> | null {
  if (!recipe.trainsSideBySide || job.metrics === false || (job.threads ?? 1) < 2) return null;
  if (job.data.itemIdx.length < SIDE_STATS_MIN_ROWS || !sharedData(job.data)) return null;
  const args = [job.recipeArn, job.data, job.params, job.seed];
  try {
    const ahead = job.servedModelThread;
    job.servedModelThread = undefined; // taken: runTrainJob does not drop it
    if (ahead) return callSpare<ServedAndStats>(ahead, 'trainServedModelAndStats', args);
    return sideTask<ServedAndStats>(servedModelUrl(import.meta.url), 'trainServedModelAndStats', args);
  } catch {
    return null;
  }
}

/** The served model's side-thread module (also for TrainingPool, which starts that thread ahead). */
export const servedModelUrl = (from: string): string => programUrl(from, './served-model.js');

export async function runTrainJob(job: TrainJob): Promise<Uint8Array> {
  const recipe = RECIPES.get(job.recipeArn);
  if (!recipe) throw new Error(`recipe ${job.recipeArn} is not available`);
  if (job.previous) {
    if (job.servedModelThread) dropSpare(job.servedModelThread);
    if (!recipe.update) throw new Error(`${recipe.name} cannot derive a model from a previous one (trainingMode UPDATE).`);
    const prev = decodeBundle(job.previous);
    const artifact = recipe.update({ artifact: prev.artifact, userIds: prev.userIds, itemIds: prev.itemIds }, job.data, job.params, job.seed);
    // As in Personalize, an update brings no new metrics: it keeps those of the model it derives from.
    return bundleOf(job, recipe, artifact, prev.info.metrics as Record<string, number> | undefined);
  }
  // Personalize's offline metrics come from a second model trained without the held-out users.
  // One team of threads serves both trainings (opened on first use, closed here).
  // Recipes that train side by side give the served model its own thread and the metrics model the calling one.
  // The serving statistics come with a served model trained aside, else from a side thread of their own.
  const served = servedModelAside(job, recipe);
  if (job.servedModelThread) dropSpare(job.servedModelThread); // started ahead for a job that does not want it
  const run = trainingRun(served ? 1 : job.threads ?? 1);
  const aside = served ? null : servingStatsAside(job, recipe);
  try {
    const metrics = job.metrics === false ? undefined : offlineMetrics(recipe, job, run);
    if (served) {
      const { artifact, stats } = served.join(() => trainServedModelAndStats(job.recipeArn, job.data, job.params, job.seed));
      return bundleOf(job, recipe, artifact, metrics, stats);
    }
    const artifact = recipe.train(job.data, job.params, job.seed, run);
    return bundleOf(job, recipe, artifact, metrics, aside?.join(() => servingStats(job.data, !!recipe.repeatAware)));
  } finally {
    run.close();
  }
}

function bundleOf(job: TrainJob, recipe: Recipe, artifact: ModelArtifact, metrics: Record<string, number> | undefined, stats?: ServingStats): Uint8Array {
  return encodeBundle(servingBundle(job.data, recipe, artifact, {
    ...job.info, metrics, trainedOn: isMainThread ? 'main thread' : 'worker thread', maxTimestamp: job.data.maxTimestamp, interactions: job.data.itemIdx.length,
  }, stats));
}

/**
 * A trained artifact with what serving needs beside it (popularity, item ages, training histories, the repeat
 * stage's statistics): a model file's content.
 */
export function servingBundle(
  data: TrainingData, recipe: Recipe, artifact: ModelArtifact, info: Record<string, unknown>, stats = servingStats(data, !!recipe.repeatAware),
): ModelBundle {
  // The repeat stage's statistics, and each training interaction's event type when they differ by type.
  const repeat = stats.repeat;
  const typed = repeat && repeat.eventTypes.length >= 2 && repeat.eventTypes.length < 255;
  return {
    artifact,
    userIds: data.userIds,
    itemIds: data.itemIds,
    serving: {
      itemPopularity: stats.itemPopularity,
      itemCreationTime: data.itemCreationTime,
      itemFirstSeen: stats.itemFirstSeen,
      userPtr: data.userPtr,
      userItems: itemIndexes(data.itemIdx, data.itemIds.length),
      ...(typed ? { userEventTypes: Uint8Array.from(data.eventType, (t) => (t >= 0 ? t : 255)) } : {}),
    },
    info: { ...info, ...(repeat ? { repeat } : {}) },
  };
}

/**
 * The training histories' item indexes as the model file keeps them: 2 bytes each when every index fits (catalogues up
 * to 65,536 items, MovieLens-25M's 59k too), which halves the file's biggest array and the time its write takes.
 */
export function itemIndexes(itemIdx: Int32Array, numItems: number): Int32Array | Uint16Array {
  if (numItems > 65_536) return itemIdx;
  const narrow = new Uint16Array(itemIdx.length);
  narrow.set(itemIdx);
  return narrow;
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
