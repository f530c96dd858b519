// Offline metrics of a trained model on held-out users: each user's input history is scored,
// the top 25 taken, and Personalize's metric keys averaged over users (reference §9.2), plus the keys of
// optimizationObjective and eventsConfig when the solution has them.
import { descendingOrder, topK, topKInOrder } from '../../lib/topk.js';
import { ScoreTopK } from '../../lib/score-topk.js';
import type { Model } from '../../recipes/types.js';
import { coverage, ndcgAtK, precisionAtK, reciprocalRankAtK, rewardShareAtK, weightedNdcgAtK } from './metrics.js';
import { applyObjective, attributeRewards, normalizeAttribute, type ObjectiveStage } from '../training/objective.js';
import type { TestUser } from './split.js';
import { RepeatScratch, repeatTerms, type RepeatTable } from '../training/repeat.js';

export interface EvaluateOptions {
  /**
   * Leave the user's input-history items out of the ranked list. Default true: a recommender is
   * judged on what it adds, as the implicit library's protocol does, and Personalize deployments
   * usually exclude seen items with a filter. Personalize does not document its choice.
   */
  excludeHistory?: boolean;
  /**
   * What a RELATED_ITEMS model is asked: 'none' (default) passes item -1 with the history, which
   * item-kNN models answer by summing neighbours over the history; 'last' passes the newest
   * history item as the query item, as a GetRecommendations(itemId) call would.
   */
  queryItem?: 'none' | 'last';
  /**
   * optimizationObjective: the attribute's raw values per item (NaN = missing) and λ. The list is ranked
   * with the same objective stage as serving, and average_rewards_at_k is added: per user, the rewards
   * (values; missing or negative = 0) of the relevant items in the top 25 over those of all relevant
   * items, averaged over the users whose relevant items carry any reward.
   */
  objective?: { values: Float64Array; lambda: number };
  /**
   * eventsConfig: add normalized_discounted_cumulative_gain_with_event_weights_at_k (K = 25, the list
   * length every other metric uses), each relevant item's gain its TestUser.relevantWeights entry (1 when
   * absent), averaged over users whose relevant items carry any weight.
   */
  eventWeights?: boolean;
  /**
   * Called with every test user's ranked list (best first, `found` items) and its hit vector, in test order:
   * how callers take per-user values (the evaluation workbench) from the same lists as the averages.
   */
  onList?: (index: number, user: TestUser, ranked: Int32Array, found: number, hits: Uint8Array) => void;
  /**
   * Judge the list a campaign serves with no filter instead (not Personalize's protocol: for benches and tests):
   * the history stays in, the repeat stage moves history items (`repeat`, the model's table; null = no stage), and
   * `history_items_at_25` (history items per list) and `hit_rate_at_25` (share of relevant items listed) are added.
   */
  served?: { repeat: RepeatTable | null };
}

const K = 25;
/** Test users per block of sums: fixed, so the averages are the same bytes however many threads score the blocks. */
export const EVAL_BLOCK = 256;
/** Slots of a block's sums (evaluateRange). */
export const SUM_SLOTS = 13;
const MRR = 0, N5 = 1, N10 = 2, N25 = 3, P5 = 4, P10 = 5, P25 = 6, REWARDS = 7, REWARD_USERS = 8, WN = 9, WN_USERS = 10, HIST = 11, HIT = 12;

/**
 * Metrics over test users, all unknown to the model (user -1), so user models fold the history in.
 * When score() returns false the `fallback` scores (popularity) rank the items, as the engine does.
 * Users are summed per block of EVAL_BLOCK, the blocks added in order (as the threaded path does: evaluate-threads.ts).
 */
export function evaluateModel(
  model: Model, test: readonly TestUser[], numItems: number, fallback: Float32Array, opts: EvaluateOptions = {},
): Record<string, number> {
  const range = evaluator(model, numItems, fallback, opts);
  const recommended = new Uint8Array(numItems);
  const blocks = Math.ceil(test.length / EVAL_BLOCK), sums = new Float64Array(blocks * SUM_SLOTS);
  for (let b = 0; b < blocks; b++) range(test, b * EVAL_BLOCK, Math.min(test.length, (b + 1) * EVAL_BLOCK), sums.subarray(b * SUM_SLOTS, (b + 1) * SUM_SLOTS), recommended);
  return metricsOf(sums, test.length, recommended, opts);
}

/** The averages from blocks' sums (added in block order) and the items recommended to anyone. */
export function metricsOf(blockSums: Float64Array, users: number, recommended: Uint8Array, opts: EvaluateOptions): Record<string, number> {
  const t = new Float64Array(SUM_SLOTS);
  for (let b = 0; b < blockSums.length / SUM_SLOTS; b++) for (let q = 0; q < SUM_SLOTS; q++) t[q]! += blockSums[b * SUM_SLOTS + q]!;
  const n = users || 1;
  return {
    coverage: coverage(recommended),
    mean_reciprocal_rank_at_25: t[MRR]! / n,
    normalized_discounted_cumulative_gain_at_5: t[N5]! / n,
    normalized_discounted_cumulative_gain_at_10: t[N10]! / n,
    normalized_discounted_cumulative_gain_at_25: t[N25]! / n,
    precision_at_5: t[P5]! / n,
    precision_at_10: t[P10]! / n,
    precision_at_25: t[P25]! / n,
    ...(opts.objective ? { average_rewards_at_k: t[REWARD_USERS]! ? t[REWARDS]! / t[REWARD_USERS]! : 0 } : {}),
    ...(opts.eventWeights ? { normalized_discounted_cumulative_gain_with_event_weights_at_k: t[WN_USERS]! ? t[WN]! / t[WN_USERS]! : 0 } : {}),
    ...(opts.served ? { history_items_at_25: t[HIST]! / n, hit_rate_at_25: t[HIT]! / n } : {}),
  };
}

/**
 * A scorer of test users [from, to) into `sums` (SUM_SLOTS slots, added to) and `recommended` (1 for every listed
 * item), with its own scratch: one per thread.
 */
export function evaluator(
  model: Model, numItems: number, fallback: Float32Array, opts: EvaluateOptions = {},
): (test: readonly TestUser[], from: number, to: number, sums: Float64Array, recommended: Uint8Array) => void {
  const served = opts.served;
  const excludeHistory = served ? false : (opts.excludeHistory ?? true);
  const repeat = served?.repeat ?? null;
  const scratch = repeat ? new RepeatScratch(numItems) : null;
  const expScores = repeat ? new Float64Array(numItems) : null;
  const typed = !!repeat && repeat.stats.eventTypes.length >= 2;
  // Scores and mask in WASM memory, where the top-k is a SIMD scan with topK's exact answer (13 us vs ~3 per user at
  // 12k items); plain arrays where the runtime has no WASM SIMD.
  const scan = ScoreTopK.create(numItems, 1, 1, K);
  const scores = scan?.floats[0] ?? new Float32Array(numItems);
  const mask = (scan?.masks[0] ?? new Uint8Array(numItems)).fill(1); // each user's history is masked out, then back in
  const relevant = new Uint8Array(numItems);
  const ranked = new Int32Array(K);
  const hits = new Uint8Array(K);
  const stage: ObjectiveStage | undefined = opts.objective && { attribute: normalizeAttribute(opts.objective.values), lambda: opts.objective.lambda };
  const rewards = opts.objective && attributeRewards(opts.objective.values);
  const weightOf = new Float32Array(opts.eventWeights ? numItems : 0);
  const gains = new Float64Array(K);
  // Scores that are the same for every user (popularity) are ranked once; each list is then a walk.
  const reranked = !!stage && stage.lambda > 0;
  const fixedOrder = model.staticScores && !reranked ? descendingOrder(model.staticScores) : null;
  return (test, from, to, sums, recommended) => {
    for (let u = from; u < to; u++) {
      const t = test[u]!, h = t.history;
      const item = opts.queryItem === 'last' && h.length > 0 ? h[h.length - 1]! : -1;
      if (excludeHistory) for (let p = 0; p < h.length; p++) mask[h[p]!] = 0;
      const query = { user: -1, item, history: h };
      let order = fixedOrder, found = -1; // found < 0: not ranked yet
      if (!order && !reranked && model.topK && !repeat) {
        // A model that ranks without writing every score does (factor models: a quarter of the memory traffic).
        found = model.topK(query, K, mask, ranked);
        if (found < 0) order = descendingOrder(fallback);
      } else if (!order) {
        if (!model.score(query, scores)) {
          if (reranked) scores.set(fallback); else order = descendingOrder(fallback);
        } else if (repeat && h.length) {
          const rows = typed && t.historyTypes ? Int32Array.from(t.historyTypes, (c) => (c >= 0 ? c : repeat.allTypesRow)) : null;
          repeatTerms(scores, h, rows, repeat, scratch!, expScores!);
        }
        if (!order && reranked) applyObjective(scores, stage!, scores); // in place: the range is taken first
      }
      if (found < 0) found = order ? topKInOrder(order, mask, K, ranked) : scan ? scan.topK(scores, mask, K, ranked) : topK(scores, mask, K, ranked);
      if (excludeHistory) for (let p = 0; p < h.length; p++) mask[h[p]!] = 1;
      for (let p = 0; p < t.relevant.length; p++) relevant[t.relevant[p]!] = 1;
      hits.fill(0);
      for (let r = 0; r < found; r++) { hits[r] = relevant[ranked[r]!]!; recommended[ranked[r]!] = 1; }
      const nRel = t.relevant.length;
      if (served) {
        for (let p = 0; p < h.length; p++) mask[h[p]!] = 2; // marks the history (the mask is all 1 here)
        let inHistory = 0, listed = 0;
        for (let r = 0; r < found; r++) { if (mask[ranked[r]!] === 2) inHistory++; if (hits[r]) listed++; }
        for (let p = 0; p < h.length; p++) mask[h[p]!] = 1;
        sums[HIST]! += inHistory;
        sums[HIT]! += nRel ? listed / nRel : 0;
      }
      for (let p = 0; p < t.relevant.length; p++) relevant[t.relevant[p]!] = 0;
      opts.onList?.(u, t, ranked, found, hits);
      if (rewards) {
        let total = 0;
        for (let p = 0; p < nRel; p++) total += rewards[t.relevant[p]!]!;
        for (let r = 0; r < found; r++) gains[r] = hits[r] ? rewards[ranked[r]!]! : 0;
        const share = rewardShareAtK(gains.subarray(0, found), total, K);
        if (share !== undefined) { sums[REWARDS]! += share; sums[REWARD_USERS]!++; }
      }
      if (opts.eventWeights) {
        const w = t.relevantWeights ?? new Float32Array(nRel).fill(1);
        for (let p = 0; p < nRel; p++) weightOf[t.relevant[p]!] = w[p]!;
        for (let r = 0; r < found; r++) gains[r] = hits[r] ? weightOf[ranked[r]!]! : 0;
        for (let p = 0; p < nRel; p++) weightOf[t.relevant[p]!] = 0;
        const v = weightedNdcgAtK(gains.subarray(0, found), w, K);
        if (v !== undefined) { sums[WN]! += v; sums[WN_USERS]!++; }
      }
      sums[MRR]! += reciprocalRankAtK(hits, 25);
      sums[N5]! += ndcgAtK(hits, nRel, 5);
      sums[N10]! += ndcgAtK(hits, nRel, 10);
      sums[N25]! += ndcgAtK(hits, nRel, 25);
      sums[P5]! += precisionAtK(hits, 5);
      sums[P10]! += precisionAtK(hits, 10);
      sums[P25]! += precisionAtK(hits, 25);
    }
  };
}
