// aws-sims: item-to-item collaborative filtering on co-occurrence in user histories, with
// Personalize's popularity discount, co-interaction minimum and percentile filters (item-knn.ts).
import { buildCoMatrix, itemNeighbours, popularityTail, scoreNeighbours, type Neighbours } from './item-knn.js';
import { intParam, numParam } from './params.js';
import { itemPopularity } from './popularity-count.js';
import type { HyperParameterSpec, Model, ModelArtifact, Recipe, TrainingData, TrainingRun } from './types.js';

/** Neighbours kept per item when `num_neighbours` is not given (ours, not a Personalize name). */
export const DEFAULT_NEIGHBOURS = 100;
/** History items (newest first) after which a history item's vote halves, for user-history queries. */
export const DEFAULT_HALF_LIFE = 3;

export const SIMS_HYPERPARAMETERS: HyperParameterSpec[] = [
  { name: 'popularity_discount_factor', type: 'continuous', default: '0.5', min: 0, max: 1, tunable: true },
  { name: 'min_cointeraction_count', type: 'integer', default: '3', min: 0, max: 10, tunable: true },
  { name: 'num_neighbours', type: 'integer', default: String(DEFAULT_NEIGHBOURS), min: 1, max: 1000, tunable: false },
  { name: 'history_half_life', type: 'continuous', default: String(DEFAULT_HALF_LIFE), min: 0.1, max: 1e9, tunable: false },
];

export interface KnnParams {
  discount: number; minCo: number; neighbours: number; halfLife: number;
  userPct: [number, number]; itemPct: [number, number];
}

/** Personalize's SIMS parameters (algorithm + featurization), with their documented defaults. */
export function readKnnParams(params: Record<string, string>, discountDefault: number, itemMaxDefault: number): KnnParams {
  return {
    discount: numParam(params, 'popularity_discount_factor', discountDefault, 0, 1),
    minCo: intParam(params, 'min_cointeraction_count', 3, 0, 10),
    neighbours: intParam(params, 'num_neighbours', DEFAULT_NEIGHBOURS, 1, 1000),
    halfLife: numParam(params, 'history_half_life', DEFAULT_HALF_LIFE, 0.1, 1e9),
    userPct: [
      numParam(params, 'min_user_history_length_percentile', 0.005, 0, 1),
      numParam(params, 'max_user_history_length_percentile', 0.995, 0, 1),
    ],
    itemPct: [
      numParam(params, 'min_item_interaction_count_percentile', 0.01, 0, 1),
      numParam(params, 'max_item_interaction_count_percentile', itemMaxDefault, 0, 1),
    ],
  };
}

/** Train the neighbour lists and the popularity tail shared by SIMS-like recipes. */
export function trainKnn(data: TrainingData, p: KnnParams, run?: TrainingRun): { nb: Neighbours; tail: Float32Array; kept: number } {
  const m = buildCoMatrix(data, p.userPct, p.itemPct);
  const nb = itemNeighbours(m, { discount: p.discount, minCointeractions: p.minCo, neighbours: p.neighbours }, run);
  // The tail uses popularity over all the data: items the percentile filters removed are still
  // the popular items Personalize falls back to.
  return { nb, tail: popularityTail(itemPopularity(data).uniqueUsers), kept: m.nnz };
}

export function loadKnn(artifact: ModelArtifact): Model {
  const nb: Neighbours = {
    ptr: artifact.arrays.nbrPtr as Int32Array,
    idx: artifact.arrays.nbrIdx as Int32Array,
    sim: artifact.arrays.nbrSim as Float32Array,
  };
  const tail = artifact.arrays.popTail as Float32Array;
  const halfLife = Number(artifact.meta.halfLife ?? DEFAULT_HALF_LIFE);
  return { score: (q, out) => scoreNeighbours(nb, tail, q, out, halfLife) };
}

export const sims: Recipe = {
  name: 'aws-sims',
  recipeType: 'RELATED_ITEMS',
  hasScores: false,
  // Its team gains 0.8-1.3x at 5M rows (README), two trainings side by side up to 2x.
  trainsSideBySide: true,
  hyperParameters: SIMS_HYPERPARAMETERS,
  train(data: TrainingData, params: Record<string, string>, _seed: number, run?: TrainingRun): ModelArtifact {
    const p = readKnnParams(params, 0.5, 0.9);
    const { nb, tail, kept } = trainKnn(data, p, run);
    return {
      recipe: 'aws-sims',
      meta: { ...p, keptInteractions: kept, compute: 'typed-arrays' },
      arrays: { nbrPtr: nb.ptr, nbrIdx: nb.idx, nbrSim: nb.sim, popTail: tail },
    };
  },
  load: loadKnn,
};
