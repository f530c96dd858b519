// The served model's training as a side thread's entry (lib/threads/side-task.ts): for recipes that train it beside
// the offline-metrics model instead of after it (Recipe.trainsSideBySide).
import { RECIPES } from '../../recipes/index.js';
import type { ModelArtifact, TrainingData } from '../../recipes/types.js';

/** recipe.train on the calling thread alone: the same bytes as on any team (the Recipe contract). */
export function trainServedModel(recipeArn: string, data: TrainingData, params: Record<string, string>, seed: number): ModelArtifact {
  const recipe = RECIPES.get(recipeArn);
  if (!recipe) throw new Error(`recipe ${recipeArn} is not available`);
  return recipe.train(data, params, seed);
}
