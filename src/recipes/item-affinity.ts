// aws-item-affinity and aws-item-attribute-affinity (USER_SEGMENTATION): the implicit-ALS factors of mf/
// read the other way round, every user scored for an item set; plus the attribute-query language.
import { factorScorer } from './mf/model.js';
import { OUR_PARAMS, readParams, spec, trainFactors, MF_DEFAULTS } from './mf/recipes.js';
import type { RecencyOptions } from './mf/confidence.js';
import { intParam, numParam } from './params.js';
import type { Model, ModelArtifact, Recipe, TrainingData, TrainingRun } from './types.js';

/**
 * Segment defaults, measured on MovieLens-small with the segmentation split (evaluation/segmentation.ts,
 * hit / recall at the top 1% of users). Which users will interact with an item next depends on how much
 * each user interacts at all, not only on taste: x_u·y_i estimates whether u would ever take i, and a
 * user with n_u interactions takes n_u items in a period, so the expected interactions are about
 * n_u · x_u·y_i. That raised hit from 0.45 (x_u·y_i alone) to 0.67, where ranking users by n_u alone
 * (the same list for every item) scores 0.62; exponents 1.25-2 were no better. A longer recency half-life
 * than user-personalization's 3 (the user's whole taste matters here, not the next click): 20 ranked
 * best of 3/10/20/50; recency off was worse (0.55).
 */
export const SEGMENT_DEFAULTS = { activityExponent: 1, recencyHalfLife: 20 };

/**
 * Affinity of every user to an item set: n_u^e times the mean over the set of x_u·y_i (e =
 * user_activity_exponent; 0 gives the plain mean dot product). By linearity the mean is x_u·ȳ with ȳ the
 * set's mean item factor: one pass over the items and one over the users, O(k(|set| + users)), instead
 * of |set| passes over the users.
 */
export function userScorer(k: number, X: Float32Array, Y: Float32Array, userCount: Int32Array, exponent: number): (items: Int32Array, out: Float32Array) => boolean {
  const nItems = Y.length / k, nUsers = X.length / k;
  const mean = new Float64Array(k);
  const weight = Float32Array.from(userCount.subarray(0, nUsers), (n) => Math.pow(Math.max(n, 1), exponent));
  return (items, out) => {
    mean.fill(0);
    let n = 0;
    for (let t = 0; t < items.length; t++) {
      const i = items[t]!;
      if (i < 0 || i >= nItems) continue;
      n++;
      for (let a = 0, o = i * k; a < k; a++) mean[a]! += Y[o + a]!;
    }
    if (n === 0) return false;
    for (let a = 0; a < k; a++) mean[a]! /= n;
    for (let u = 0, o = 0; u < nUsers; u++, o += k) {
      let s = 0;
      for (let a = 0; a < k; a++) s += X[o + a]! * mean[a]!;
      out[u] = s * weight[u]!;
    }
    return true;
  };
}

/**
 * Both recipes train the same factors as aws-user-personalization (no user-history percentile cut:
 * every user belongs in a segment). Personalize's only hyperparameter is hidden_dimension (149 there,
 * sized for its neural model; 64 here for the reasons in mf/recipes.ts); ours are accepted as for MF,
 * plus user_activity_exponent.
 */
function segmentRecipe(name: string, needsItemMetadata: boolean): Recipe {
  const halfLife = String(SEGMENT_DEFAULTS.recencyHalfLife);
  return {
    name,
    recipeType: 'USER_SEGMENTATION',
    hasScores: false,
    hyperParameters: [
      spec('hidden_dimension', 'integer', String(MF_DEFAULTS.factors), 1, 1024),
      ...OUR_PARAMS.map((h) => (h.name === 'recency_half_life' ? { ...h, default: halfLife } : h)),
      spec('user_activity_exponent', 'continuous', String(SEGMENT_DEFAULTS.activityExponent), 0, 4),
    ],
    train(data: TrainingData, params: Record<string, string>, seed: number, run?: TrainingRun): ModelArtifact {
      if (needsItemMetadata && data.itemCategorical.length + data.itemNumeric.length === 0) {
        throw new Error(`${name} needs an Items dataset with at least one categorical or numeric metadata column (not textual, not reserved).`);
      }
      const p = readParams({ recency_half_life: halfLife, ...params }, 'recency_mask', 1);
      const exponent = numParam(params, 'user_activity_exponent', SEGMENT_DEFAULTS.activityExponent, 0, 4);
      const s = params.seed !== undefined ? intParam(params, 'seed', 0, 0, 2 ** 31 - 1) : seed;
      const { X, Y, userCount, simd } = trainFactors(data, p, s, run);
      return {
        recipe: name,
        meta: {
          algorithm: 'implicit-als-cg', compute: simd ? 'typed-arrays+wasm-simd' : 'typed-arrays', k: p.factors, regularization: p.regularization,
          alpha: p.alpha, iterations: p.iterations, cgSteps: p.cgSteps, recency: p.recency, seed: s, userActivityExponent: exponent,
        },
        arrays: { X, Y, userCount },
      };
    },
    load(artifact: ModelArtifact): Model {
      const m = artifact.meta, k = Number(m.k);
      const X = artifact.arrays.X as Float32Array, Y = artifact.arrays.Y as Float32Array, userCount = artifact.arrays.userCount as Int32Array;
      // score() (items for a user) keeps the Model contract whole; segments use scoreUsers().
      const score = factorScorer({
        k, X, Y, userCount, regularization: Number(m.regularization), alpha: Number(m.alpha), recency: m.recency as RecencyOptions,
      });
      return { score, scoreUsers: userScorer(k, X, Y, userCount, Number(m.userActivityExponent ?? SEGMENT_DEFAULTS.activityExponent)) };
    },
  };
}

export const itemAffinity = segmentRecipe('aws-item-affinity', false);
export const itemAttributeAffinity = segmentRecipe('aws-item-attribute-affinity', true);

/** One `ITEMS.<column> = "<value>"` condition of an item-attribute query. */
export interface AttributeCondition { column: string; value: string }

const CONDITION = /^\s*items\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*/i;
const AND = /^and\b/i;

/**
 * Parse Personalize's item-attribute query: `ITEMS.genres = "Comedy" AND ITEMS.genres = "Action"`.
 * Only `=` against a double-quoted string and AND are allowed (reference §11.2); `ITEMS` and AND are
 * case-insensitive, column names are matched case-insensitively by the caller, values exactly.
 */
export function parseAttributeQuery(text: string): AttributeCondition[] {
  const out: AttributeCondition[] = [];
  let rest = text;
  for (;;) {
    const m = CONDITION.exec(rest);
    if (!m) {
      const at = text.length - rest.length;
      throw new Error(`itemAttributes: expected ITEMS.<column> = "<value>" at position ${at} of ${JSON.stringify(text)}; only = on string values, joined by AND, is supported.`);
    }
    out.push({ column: m[1]!, value: m[2]!.replace(/\\(.)/g, '$1') });
    rest = rest.slice(m[0].length);
    if (rest === '') return out;
    const and = AND.exec(rest);
    if (!and) throw new Error(`itemAttributes: expected AND at position ${text.length - rest.length} of ${JSON.stringify(text)}.`);
    rest = rest.slice(and[0].length);
  }
}
