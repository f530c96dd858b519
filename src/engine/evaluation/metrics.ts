// Personalize's ranking metrics (reference §9.2) over one ranked list, as functions of its hit vector:
// hits[r] = 1 when the item at rank r+1 is relevant. Averaging over users happens in evaluate.ts.

/** DCG@k with gain 1/log2(1 + position), position 1 = top (the log base cancels in NDCG). */
export function dcgAtK(hits: ArrayLike<number>, k: number): number {
  let s = 0;
  const n = Math.min(k, hits.length);
  for (let r = 0; r < n; r++) if (hits[r]) s += 1 / Math.log2(r + 2);
  return s;
}

/** NDCG@k: DCG over the ideal DCG, which puts min(relevant, k) relevant items at the top. */
export function ndcgAtK(hits: ArrayLike<number>, numRelevant: number, k: number): number {
  const ideal = Math.min(numRelevant, k);
  if (ideal <= 0) return 0;
  let idcg = 0;
  for (let r = 0; r < ideal; r++) idcg += 1 / Math.log2(r + 2);
  return dcgAtK(hits, k) / idcg;
}

/** Precision@k: relevant items in the top k over k (a list shorter than k still divides by k). */
export function precisionAtK(hits: ArrayLike<number>, k: number): number {
  let h = 0;
  const n = Math.min(k, hits.length);
  for (let r = 0; r < n; r++) if (hits[r]) h++;
  return h / k;
}

/** Recall@k: relevant items in the top k over all the user's relevant items (0 when there are none). */
export function recallAtK(hits: ArrayLike<number>, numRelevant: number, k: number): number {
  if (numRelevant <= 0) return 0;
  let h = 0;
  const n = Math.min(k, hits.length);
  for (let r = 0; r < n; r++) if (hits[r]) h++;
  return h / numRelevant;
}

/** Hit rate@k for one user: 1 when any relevant item is in the top k, else 0. */
export function hitAtK(hits: ArrayLike<number>, k: number): number {
  const n = Math.min(k, hits.length);
  for (let r = 0; r < n; r++) if (hits[r]) return 1;
  return 0;
}

/** Reciprocal rank of the first relevant item within the top k, 0 when none. */
export function reciprocalRankAtK(hits: ArrayLike<number>, k: number): number {
  const n = Math.min(k, hits.length);
  for (let r = 0; r < n; r++) if (hits[r]) return 1 / (r + 1);
  return 0;
}

/** Coverage: distinct items recommended to anyone, over all items. */
export function coverage(recommended: Uint8Array): number {
  if (recommended.length === 0) return 0;
  let c = 0;
  for (let i = 0; i < recommended.length; i++) c += recommended[i]!;
  return c / recommended.length;
}

/**
 * NDCG@k with graded gains (eventsConfig's normalized_discounted_cumulative_gain_with_event_weights_at_k):
 * gains[r] = event weight of the item at rank r+1 when relevant, else 0; the ideal DCG puts the relevant
 * items' weights (`relevantWeights`) in descending order at the top. Weights are only compared with each
 * other, so scaling them all (Personalize: "only ratios matter") leaves the value unchanged.
 * Undefined when the ideal DCG is 0 (no relevant item carries weight): such a user has nothing to rank.
 */
export function weightedNdcgAtK(gains: ArrayLike<number>, relevantWeights: ArrayLike<number>, k: number): number | undefined {
  const ideal = Float64Array.from(relevantWeights).sort().reverse();
  let idcg = 0;
  for (let r = 0; r < Math.min(k, ideal.length); r++) idcg += ideal[r]! / Math.log2(r + 2);
  if (!(idcg > 0)) return undefined;
  let dcg = 0;
  for (let r = 0; r < Math.min(k, gains.length); r++) dcg += gains[r]! / Math.log2(r + 2);
  return dcg / idcg;
}

/**
 * One user's average_rewards_at_k term: rewards (attribute values) of the relevant items found in the
 * top k over the rewards of all the user's relevant items, in [0, 1]. rankedRewards[r] = reward of the
 * item at rank r+1 when relevant, else 0. Undefined when the relevant items carry no reward at all.
 */
export function rewardShareAtK(rankedRewards: ArrayLike<number>, totalRelevantReward: number, k: number): number | undefined {
  if (!(totalRelevantReward > 0)) return undefined;
  let got = 0;
  for (let r = 0; r < Math.min(k, rankedRewards.length); r++) got += rankedRewards[r]!;
  return got / totalRelevantReward;
}
