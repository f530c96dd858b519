// aws-popularity-count: the same list for everyone, items ranked by how many unique users interacted
// with them. Kept deliberately small: it is the template for new recipes.
import type { Model, ModelArtifact, Recipe, TrainingData } from './types.js';

/**
 * Unique users per item, and total interactions per item. One pass over the interactions (tens of ms at millions
 * of rows) per TrainingData: a job asks for the same data's popularity several times (the recipe's popularity tail,
 * the metrics' fallback and item statistics), so the counts are kept per TrainingData object and each caller gets
 * its own copies (items-long, so cheap), which it may change or transfer without touching the kept counts.
 */
export function itemPopularity(data: TrainingData): { uniqueUsers: Float32Array; total: Float32Array } {
  let kept = counted.get(data);
  // The arrays are compared too: a TrainingData is never mutated, but an object could be given other arrays.
  if (!kept || kept.userPtr !== data.userPtr || kept.itemIdx !== data.itemIdx) {
    kept = { ...countPopularity(data), userPtr: data.userPtr, itemIdx: data.itemIdx };
    counted.set(data, kept);
  }
  return { uniqueUsers: kept.uniqueUsers.slice(), total: kept.total.slice() };
}

const counted = new WeakMap<TrainingData, { uniqueUsers: Float32Array; total: Float32Array; userPtr: Int32Array; itemIdx: Int32Array }>();

function countPopularity(data: TrainingData): { uniqueUsers: Float32Array; total: Float32Array } {
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
