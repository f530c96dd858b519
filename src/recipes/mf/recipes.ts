// aws-user-personalization(-v2) and aws-personalized-ranking(-v2), trained locally as implicit ALS
// (als.ts) over recency-weighted confidences; Personalize's parameter names mapped where they exist.
// Repeat-aware (repeatAware): ALS reconstructs a user's history, so its top scores are the items the user already
// had. Personalize's sequence models predict the next interaction instead; so the engine learns from the same
// training data how likely people are to come back to an item of their history (by the event type of their last
// interaction with it and how recently they had it) and moves history items by that at serving time
// (engine/training/repeat.ts): on repeat-free data they fall below unseen items, on repeat-heavy data they stay.
import { Rng } from '../../lib/random.js';
import { boolParam, intParam, numParam, quantile } from '../params.js';
import type { HyperParameterSpec, Model, ModelArtifact, Recipe, RecipeType, TrainingData, TrainingRun } from '../types.js';
import { trainAlsOn, type AlsInput } from './als.js';
import { confidenceMatrix, transpose, type RecencyOptions } from './confidence.js';
import { factorModel } from './model.js';
import { updateFactors } from './update.js';
import { coldFactorsFromText } from '../text.js';

/**
 * Our defaults where Personalize's do not carry over, measured on MovieLens-small with
 * Personalize's split (bench/quality.ts). hidden_dimension is honoured when given; when absent we
 * use 64 rather than Personalize's 149 (sized for its neural models): 128 ALS factors ranked no
 * better at 3x the training time, 32 slightly worse. 10 iterations rank as well as implicit's 15
 * (2 CG steps a little worse, 4 no better). Regularization 5 (implicit: 0.01) ranks as well or
 * better and keeps small catalogues from being memorized when factors outnumber users (a 40-user
 * toy otherwise scores every unseen item at noise level). Recency is the strongest lever: the
 * newest interactions predict the next ones, so with recency on an interaction h places from a
 * user's newest weighs 2^(-h/3) (floor 0) and alpha is 40; with it off every interaction weighs 1
 * and alpha 10 ranks best.
 */
export const MF_DEFAULTS = {
  factors: 64, regularization: 5, iterations: 10, cgSteps: 3,
  alphaWithRecency: 40, alphaWithoutRecency: 10, recencyHalfLife: 3, recencyFloor: 0,
};

export const spec = (name: string, type: HyperParameterSpec['type'], d: string, min?: number, max?: number, values?: string[]): HyperParameterSpec =>
  ({ name, type, default: d, ...(min !== undefined ? { min, max } : {}), ...(values ? { values } : {}), tunable: type !== 'categorical' });

/** Ours, accepted by all four recipes (not Personalize names). */
export const OUR_PARAMS: HyperParameterSpec[] = [
  spec('regularization', 'continuous', String(MF_DEFAULTS.regularization), 0, 1000),
  spec('iterations', 'integer', String(MF_DEFAULTS.iterations), 1, 200),
  spec('alpha', 'continuous', String(MF_DEFAULTS.alphaWithRecency), 0, 1e6),
  spec('cg_steps', 'integer', String(MF_DEFAULTS.cgSteps), 1, 64),
  spec('recency_half_life', 'continuous', String(MF_DEFAULTS.recencyHalfLife), 0.1, 1e9),
  spec('recency_floor', 'continuous', String(MF_DEFAULTS.recencyFloor), 0, 1),
  spec('seed', 'integer', '0', 0, 2 ** 31 - 1),
];

export interface MfParams {
  factors: number; regularization: number; iterations: number; alpha: number; cgSteps: number;
  recency: RecencyOptions; userPct: [number, number];
}

export function readParams(params: Record<string, string>, recencyName: 'recency_mask' | 'apply_recency_bias', maxUserPct: number): MfParams {
  const recency = boolParam(params, recencyName, true);
  return {
    factors: intParam(params, 'hidden_dimension', MF_DEFAULTS.factors, 1, 1024),
    regularization: numParam(params, 'regularization', MF_DEFAULTS.regularization, 0, 1000),
    iterations: intParam(params, 'iterations', intParam(params, 'epochs', MF_DEFAULTS.iterations, 1, 200), 1, 200),
    alpha: numParam(params, 'alpha', recency ? MF_DEFAULTS.alphaWithRecency : MF_DEFAULTS.alphaWithoutRecency, 0, 1e6),
    cgSteps: intParam(params, 'cg_steps', MF_DEFAULTS.cgSteps, 1, 64),
    recency: {
      enabled: recency,
      halfLife: numParam(params, 'recency_half_life', MF_DEFAULTS.recencyHalfLife, 0.1, 1e9),
      floor: numParam(params, 'recency_floor', MF_DEFAULTS.recencyFloor, 0, 1),
    },
    userPct: [
      numParam(params, 'min_user_history_length_percentile', 0, 0, 1),
      numParam(params, 'max_user_history_length_percentile', maxUserPct, 0, 1),
    ],
  };
}

/** Train factors; users outside the history-length percentiles do not shape the item factors but still get a vector. */
export function trainFactors(
  data: TrainingData, p: MfParams, seed: number, run?: TrainingRun,
): { X: Float32Array; Y: Float32Array; userCount: Int32Array; itemCount: Int32Array; simd: boolean; threads: number } {
  const nUsers = data.userIds.length, nItems = data.itemIds.length;
  const userCount = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) userCount[u] = data.userPtr[u + 1]! - data.userPtr[u]!;
  // Which items had interactions: an UPDATE folds in the rest (catalogue items untrained here).
  const itemCount = new Int32Array(nItems);
  for (let q = 0; q < data.itemIdx.length; q++) itemCount[data.itemIdx[q]!]!++;
  const lo = quantile(userCount, p.userPct[0]), hi = quantile(userCount, p.userPct[1]);
  // Filtered users keep their rows for the user half-step but are left out of what items see.
  let keep: Uint8Array | undefined;
  if (lo > 0 || userCount.some((c) => c > hi)) keep = Uint8Array.from(userCount, (c) => (c >= lo && c <= hi ? 1 : 0));
  const rng = new Rng(seed);
  // The confidences and their transpose are written straight into ALS's memory.
  const input: AlsInput = {
    nnz: data.itemIdx.length,
    R: (into) => confidenceMatrix(data.userPtr, data.itemIdx, data.weights, nItems, p.alpha, p.recency, into),
    Rt: (R, into) => transpose(R, nItems, keep, into),
  };
  const { X, Y, simd, threads } = trainAlsOn(input, nUsers, nItems, p, rng, { run });
  return { X, Y, userCount, itemCount, simd, threads };
}

/**
 * v1 recipes carry Personalize's featurization default max_user_history_length_percentile 0.99; v2 has none.
 * `textColdItems`: items with a textual description but no interactions get factors from their look-alikes by text
 * (recipes/text.ts), as user-personalization-v2 reads item text to recommend cold items.
 */
function mfRecipe(
  name: string, recipeType: RecipeType, recencyName: 'recency_mask' | 'apply_recency_bias', personalizeParams: HyperParameterSpec[], maxUserPct: number,
  textColdItems = false,
): Recipe {
  return {
    name,
    recipeType,
    hasScores: true,
    repeatAware: true,
    hyperParameters: [...personalizeParams, ...OUR_PARAMS],
    train(data: TrainingData, params: Record<string, string>, seed: number, run?: TrainingRun): ModelArtifact {
      const p = readParams(params, recencyName, maxUserPct);
      const s = params.seed !== undefined ? intParam(params, 'seed', 0, 0, 2 ** 31 - 1) : seed;
      // The thread count stays out of the artifact: the model is the same bytes whatever it is.
      const { X, Y, userCount, itemCount, simd } = trainFactors(data, p, s, run);
      const coldFromText = textColdItems ? coldFactorsFromText(data, Y, p.factors, itemCount) : 0;
      return {
        recipe: name,
        meta: {
          algorithm: 'implicit-als-cg', compute: simd ? 'typed-arrays+wasm-simd' : 'typed-arrays', trainingMode: 'FULL', k: p.factors,
          regularization: p.regularization, alpha: p.alpha, iterations: p.iterations, cgSteps: p.cgSteps, recency: p.recency, seed: s,
          ...(textColdItems ? { coldItemsFromText: coldFromText } : {}),
        },
        arrays: { X, Y, userCount, itemCount },
      };
    },
    update(previous, data, params): ModelArtifact {
      if (previous.artifact.recipe !== name) throw new Error(`cannot UPDATE a ${previous.artifact.recipe} model with ${name}`);
      // Only the history-length percentiles come from params: the factors fix k, alpha, regularization
      // and recency. The seed is unused: fold-ins are exact solves, with nothing random to draw.
      const p = readParams(params, recencyName, maxUserPct);
      const { X, Y, userCount, itemCount, counts } = updateFactors(previous, data, p.userPct);
      const coldFromText = textColdItems ? coldFactorsFromText(data, Y, Number(previous.artifact.meta.k), itemCount) : 0;
      return {
        recipe: name,
        meta: { ...previous.artifact.meta, trainingMode: 'UPDATE', update: counts, ...(textColdItems ? { coldItemsFromText: coldFromText } : {}) },
        arrays: { X, Y, userCount, itemCount },
      };
    },
    load(artifact: ModelArtifact): Model {
      const m = artifact.meta;
      return factorModel({
        k: Number(m.k), X: artifact.arrays.X as Float32Array, Y: artifact.arrays.Y as Float32Array,
        userCount: artifact.arrays.userCount as Int32Array, regularization: Number(m.regularization),
        alpha: Number(m.alpha), recency: m.recency as RecencyOptions,
      });
    },
  };
}

const V1 = [
  spec('hidden_dimension', 'integer', String(MF_DEFAULTS.factors), 1, 1024),
  spec('bptt', 'integer', '32', 2, 32), // accepted for compatibility; ALS has no backpropagation window
  spec('recency_mask', 'categorical', 'true', undefined, undefined, ['true', 'false']),
];
const V2 = [
  spec('apply_recency_bias', 'categorical', 'true', undefined, undefined, ['true', 'false']),
  spec('hidden_dimension', 'integer', String(MF_DEFAULTS.factors), 1, 1024),
];

export const userPersonalization = mfRecipe('aws-user-personalization', 'USER_PERSONALIZATION', 'recency_mask', V1, 0.99);
export const userPersonalizationV2 = mfRecipe('aws-user-personalization-v2', 'USER_PERSONALIZATION', 'apply_recency_bias', V2, 1, true);
export const personalizedRanking = mfRecipe('aws-personalized-ranking', 'PERSONALIZED_RANKING', 'recency_mask', V1, 0.99);
export const personalizedRankingV2 = mfRecipe('aws-personalized-ranking-v2', 'PERSONALIZED_RANKING', 'apply_recency_bias', V2, 1);
