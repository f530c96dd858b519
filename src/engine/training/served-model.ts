// The served model's training as a side thread's entry (lib/threads/side-task.ts): for recipes that train it beside
// the offline-metrics model instead of after it (Recipe.trainsSideBySide), with the serving statistics after it.
import { RECIPES } from '../../recipes/index.js';
import type { ModelArtifact, TrainingData } from '../../recipes/types.js';
import { servingStats, type ServingStats } from './serving-stats.js';

/** recipe.train on the calling thread alone: the same bytes as on any team (the Recipe contract). */
export function trainServedModel(recipeArn: string, data: TrainingData, params: Record<string, string>, seed: number): ModelArtifact {
  const recipe = RECIPES.get(recipeArn);
  if (!recipe) throw new Error(`recipe ${recipeArn} is not available`);
  return recipe.train(data, params, seed);
}

/**
 * The served model, then the serving statistics of the same data: the thread that trains the served model finishes
 * before the one that trains and scores the metrics model, so the statistics cost no thread of their own there
 * (starting one costs ~0.2 s of CPU on a machine whose cores the two trainings already keep busy), and the
 * recipe's item popularity is counted once for both (itemPopularity keeps it per TrainingData).
 */
export function trainServedModelAndStats(
  recipeArn: string, data: TrainingData, params: Record<string, string>, seed: number,
): { artifact: ModelArtifact; stats: ServingStats } {
  const artifact = trainServedModel(recipeArn, data, params, seed);
  return { artifact, stats: servingStats(data, !!RECIPES.get(recipeArn)!.repeatAware) };
}
