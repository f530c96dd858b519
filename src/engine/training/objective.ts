// The optimization-objective stage (solutionConfig.optimizationObjective): re-weights relevance toward a
// numeric Items column. Shared by training (its weight), serving (serving/objective-stage.ts) and offline evaluation.
//
// Formula (Personalize does not document its own; this one is monotone in the sensitivity):
//   relNorm(i)  = (s(i) - min s) / (max s - min s)      over the model's finite scores, all items
//   attrNorm(i) = (a(i) - min a) / (max a - min a)      over the column's present values; missing = 0
//   final(i)    = (1 - λ) · relNorm(i) + λ · attrNorm(i),  λ = 0 / 0.25 / 0.5 / 0.75 for OFF / LOW / MEDIUM / HIGH
// OFF skips the stage (the ranking is the model's own). Personalize's score (softmax of the model's
// scores) is not changed by the stage; only the order is.
// Pure functions only: training workers import this file.

export const SENSITIVITY_WEIGHT: Readonly<Record<string, number>> = { OFF: 0, LOW: 0.25, MEDIUM: 0.5, HIGH: 0.75 };
/** objectiveSensitivity is optional in the API and its default undocumented; MEDIUM (equal balance) is assumed. */
export const DEFAULT_SENSITIVITY = 'MEDIUM';

export interface OptimizationObjective { itemAttribute?: string; objectiveSensitivity?: string }

/** The stage's inputs: the attribute min-max normalized per item, and λ. */
export interface ObjectiveStage { attribute: Float32Array; lambda: number }

export function objectiveWeight(o: OptimizationObjective | undefined): number {
  if (!o?.itemAttribute) return 0;
  return SENSITIVITY_WEIGHT[o.objectiveSensitivity ?? DEFAULT_SENSITIVITY] ?? 0;
}

/** Min-max normalized attribute values in [0, 1]; missing (NaN) and a constant column give 0 (no pull). */
export function normalizeAttribute(values: Float64Array): Float32Array {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v; // NaN compares false: skipped
    if (v > max) max = v;
  }
  const out = new Float32Array(values.length);
  const span = max - min;
  if (!(span > 0)) return out;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) out[i] = (v - min) / span;
  }
  return out;
}

/** Reward per item for average_rewards_at_k: the raw attribute value, missing and negative values as 0. */
export function attributeRewards(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! > 0 ? values[i]! : 0;
  return out;
}

/** The min and span of the finite scores (span 0 when all equal), for relNorm. */
export function scoreRange(scores: Float32Array): { min: number; span: number } {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (s === -Infinity || s === Infinity || s !== s) continue;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return min <= max ? { min, span: max - min } : { min: 0, span: 0 };
}

/** One item's final score; non-finite model scores (items a model rules out) stay below every other item. */
export function objectiveScore(s: number, min: number, span: number, attr: number, lambda: number): number {
  if (s === -Infinity || s !== s) return -Infinity;
  const rel = span > 0 ? (s - min) / span : 1;
  return (1 - lambda) * rel + lambda * attr;
}

/** final(i) for every item into `out` (same length as `scores`); `range` replaces the scores' own (serving's repeat stage). */
export function applyObjective(scores: Float32Array, stage: ObjectiveStage, out: Float32Array, range = scoreRange(scores)): void {
  const { min, span } = range;
  const a = stage.attribute, l = stage.lambda;
  for (let i = 0; i < scores.length; i++) out[i] = objectiveScore(scores[i]!, min, span, a[i]!, l);
}
