// The registry of recipes we train locally, keyed by recipe ARN.
import { itemAffinity, itemAttributeAffinity } from './item-affinity.js';
import { personalizedRanking, personalizedRankingV2, userPersonalization, userPersonalizationV2 } from './mf/recipes.js';
import { nextBestAction } from './next-best-action.js';
import { popularityCount } from './popularity-count.js';
import { semanticSimilarity } from './semantic-similarity.js';
import { similarItems } from './similar-items.js';
import { sims } from './sims.js';
import { trendingNow } from './trending-now.js';
import type { Recipe } from './types.js';

export const RECIPES: ReadonlyMap<string, Recipe> = new Map(
  [
    popularityCount, trendingNow, sims, similarItems, semanticSimilarity,
    userPersonalization, userPersonalizationV2, personalizedRanking, personalizedRankingV2,
    nextBestAction,
    itemAffinity, itemAttributeAffinity,
  ]
    .map((r) => [`arn:aws:personalize:::recipe/${r.name}`, r]),
);

export function recipeByName(name: string): Recipe | undefined {
  return RECIPES.get(`arn:aws:personalize:::recipe/${name}`);
}

export type { Recipe, Model, ModelArtifact, TrainingData, RecipeType } from './types.js';
