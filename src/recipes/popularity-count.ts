// aws-popularity-count: the same list for everyone, items ranked by how many unique users interacted
// with them. Kept deliberately small: it is the template for new recipes.
import type { Model, ModelArtifact, Recipe, TrainingData } from './types.js';

/** Unique users per item, and total interactions per item. */
export function itemPopularity(data: TrainingData): { uniqueUsers: Float32Array; total: Float32Array } {
  const n = data.itemIds.length;
  const uniqueUsers = new Float32Array(n);
  const total = new Float32Array(n);
  const lastUser = new Int32Array(n).fill(-1);
  for (let u = 0; u + 1 < data.userPtr.length; u++) {
    for (let p = data.userPtr[u]!; p < data.userPtr[u + 1]!; p++) {
      const i = data.itemIdx[p]!;
      total[i]! += 1;
      if (lastUser[i] !== u) { lastUser[i] = u; uniqueUsers[i]! += 1; }
    }
  }
  return { uniqueUsers, total };
}

export const popularityCount: Recipe = {
  name: 'aws-popularity-count',
  recipeType: 'USER_PERSONALIZATION',
  hasScores: false,
  hyperParameters: [],
  train(data: TrainingData): ModelArtifact {
    const { uniqueUsers, total } = itemPopularity(data);
    // Rank once at training: unique users, then total interactions, then item id (ids are sorted).
    const order = Array.from(uniqueUsers.keys()).sort(
      (a, b) => uniqueUsers[b]! - uniqueUsers[a]! || total[b]! - total[a]! || a - b,
    );
    const score = new Float32Array(order.length);
    order.forEach((item, rank) => { score[item] = order.length - rank; });
    return { recipe: 'aws-popularity-count', meta: {}, arrays: { score } };
  },
  load(artifact: ModelArtifact): Model {
    const score = artifact.arrays.score as Float32Array;
    return {
      staticScores: score,
      score(_q, out) {
        out.set(score);
        return true;
      },
    };
  },
};
