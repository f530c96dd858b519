// The ranking pipeline every recommendation goes through, over reused typed arrays:
// model scores (or popularity for cold queries) -> repeat stage (repeat-stage.ts: history items by the learned chance
// of coming back to them) -> candidate mask (query item, filters) -> optimization objective (objective.ts) -> ranking
// influence -> top-k of the relevant slots -> exploration slots interleaved.
import { expAll, expNeg, sumExp } from '../../lib/exp.js';
import { Rng } from '../../lib/random.js';
import { descendingOrder, maxOf, topK, topKInOrder } from '../../lib/topk.js';
import { ScoreTopK } from '../../lib/score-topk.js';
import { applyRankingInfluence, influenceArrays, type InfluenceArrays } from './influence.js';
import { explorationCandidates, explorationSlots, interleave, pickExplored } from './exploration.js';
import type { ServingModel } from '../store/model-store.js';
import { applyObjective, type ObjectiveStage } from '../training/objective.js';
import { RepeatScratch, repeatTerms } from '../training/repeat.js';
import { relevanceRange, repeatTableOf } from './repeat-stage.js';

const MAX_RESULTS = 500;

interface Context {
  scores: Float32Array;
  ranking: Float32Array;
  mask: Uint8Array;
  promoMask: Uint8Array;
  taken: Uint8Array;
  top: Int32Array;
  picked: Int32Array;
  promoted: Int32Array;
  merged: Int32Array;
  mergedKind: Uint8Array;
  out: Int32Array;
  kind: Uint8Array;
  /** Whether the last request was personalized (false: the popularity fallback ranked it). */
  personal: boolean;
  influence?: InfluenceArrays;
  /** e^(score - max) per item, when the request computed its softmax in rank() (see Ranked.softmax). */
  expScores: Float64Array | null;
  /** The repeat stage's scratch and what it did to the last request (count 0: nothing). */
  repeat: RepeatScratch | null;
  candidates: Map<number, { items: Int32Array; weights: Float64Array }>;
  /** The WASM memory scores, ranking and masks live in, for its top-k scan (null without WASM SIMD: lib/topk.ts). */
  scan: ScoreTopK | null;
}

const contexts = new WeakMap<ServingModel, Context>();

/** Per-model buffers and derived arrays, made once; requests reuse them (JS is single-threaded per call). */
function context(m: ServingModel): Context {
  let c = contexts.get(m);
  if (!c) {
    const n = m.bundle.itemIds.length;
    const slots = () => new Int32Array(MAX_RESULTS);
    const scan = ScoreTopK.create(n, 2, 2, MAX_RESULTS);
    c = {
      scores: scan?.floats[0] ?? new Float32Array(n), ranking: scan?.floats[1] ?? new Float32Array(n),
      mask: scan?.masks[0] ?? new Uint8Array(n), promoMask: scan?.masks[1] ?? new Uint8Array(n), taken: new Uint8Array(n), scan,
      top: slots(), picked: slots(), promoted: slots(), merged: slots(), mergedKind: new Uint8Array(MAX_RESULTS), out: slots(), kind: new Uint8Array(MAX_RESULTS),
      personal: false, expScores: null, repeat: null, candidates: new Map(),
    };
    contexts.set(m, c);
  }
  return c;
}

/** What fills a slot of the response. */
export const RELEVANT = 0, EXPLORED = 1, PROMOTED = 2;

export interface RankOptions {
  /** historyRows: each history interaction's repeat-stage row (recommend.ts queryFor); absent = the all-types row. */
  query: { user: number; item: number; history: Int32Array | null; historyRows?: Int32Array | null };
  numResults: number;
  /** Leave the query item out (related-items recipes never return it). */
  excludeQueryItem?: boolean;
  /** Narrow the candidate mask (1 = allowed): the request's filter and automatic exclusions. */
  filter?: (mask: Uint8Array) => void;
  /** One promotion: `percent` of the slots go to the best items passing its own filter (not the request's). */
  promotion?: { percent: number; filter: (mask: Uint8Array) => void };
  influence?: { POPULARITY?: number; FRESHNESS?: number };
  exploration?: { weight: number; ageCutOffDays: number };
  /** The solution's optimizationObjective (absent or OFF: the model's own order). */
  objective?: ObjectiveStage;
  rng: Rng;
}

export interface Ranked {
  items: Int32Array;
  count: number;
  /** RELEVANT, EXPLORED or PROMOTED per slot. */
  kind: Uint8Array;
  /** The model's own scores for every item (not influenced), for the response's softmax scores. */
  scores: Float32Array;
  personal: boolean;
  /** The softmax of `scores` when rank() computed it on the way (repeat stage, fused pass, exploration); else predictedItems computes it. */
  softmax: SoftmaxStats | null;
}

export interface SoftmaxStats { max: number; denom: number }

/** Softmax terms this far below the best score are left out (see softmaxStats). */
const SOFTMAX_FLOOR = 30;

/**
 * The query's relevance into c.scores: the model's scores, then the repeat stage when the model has learned it and
 * the user has a history. Returns whether the model personalized, and the softmax when it was computed on the way:
 * by the repeat stage, or (`withSoftmax`) by models that score and compute the softmax terms in one pass, into
 * c.expScores either way.
 */
function relevance(m: ServingModel, c: Context, query: RankOptions['query'], withSoftmax: boolean): { personal: boolean; softmax: SoftmaxStats | null } {
  if (c.repeat) c.repeat.count = 0;
  const fused = withSoftmax && m.model.scoreSoftmax ? m.model.scoreSoftmax(query, c.scores, SOFTMAX_FLOOR) : null;
  const personal = (c.personal = fused === null ? m.model.score(query, c.scores) : fused !== false);
  // A pass over no finite score leaves the softmax to softmaxStats (its max = -Infinity case).
  const pass = fused && fused.max > -Infinity ? fused : null;
  if (pass) c.expScores = pass.exps;
  const table = personal && query.history?.length ? repeatTableOf(m) : null;
  if (!table) return { personal, softmax: pass && { max: pass.max, denom: pass.sum } };
  const n = c.scores.length;
  c.repeat ??= new RepeatScratch(n);
  const e = (c.expScores ??= new Float64Array(n)); // the pass's terms when it ran
  const moved = repeatTerms(c.scores, query.history!, query.historyRows ?? null, table, c.repeat, e, pass);
  // Nothing moved: the scores, and so the pass's softmax, are as they were.
  return { personal, softmax: moved ?? (pass && { max: pass.max, denom: pass.sum }) };
}

export function rank(m: ServingModel, o: RankOptions): Ranked {
  const c = context(m);
  const n = m.bundle.itemIds.length;
  const { personal, softmax: relevanceSoftmax } = relevance(m, c, o.query, true);
  const popularity = m.bundle.serving.itemPopularity as Float32Array;
  if (!personal) c.scores.set(popularity); // cold start: popular items
  // Scores that are the same for every query are sorted once; top-k is then a walk down that order.
  const fixed = personal ? m.model.staticScores : popularity;
  const dropQuery = o.excludeQueryItem && o.query.item >= 0;
  let mask: Uint8Array | null = null;
  if (o.filter || dropQuery || o.promotion) {
    mask = c.mask.fill(1);
    if (dropQuery) mask[o.query.item] = 0;
    o.filter?.(mask);
  }
  let ranking = c.scores;
  // The objective is the solution's: it re-weights the popularity fallback of cold queries too.
  if (o.objective && o.objective.lambda > 0) {
    ranking = c.ranking;
    applyObjective(c.scores, o.objective, ranking, relevanceRange(c.scores, null, c.repeat));
  }
  const wP = o.influence?.POPULARITY ?? 0, wF = o.influence?.FRESHNESS ?? 0;
  if (wP > 0 || wF > 0) {
    c.influence ??= influenceArrays(m.bundle.serving.itemPopularity as Float32Array, m.bundle.serving.itemCreationTime as Float64Array, m.bundle.serving.itemFirstSeen as Float64Array);
    if (ranking !== c.ranking) c.ranking.set(c.scores);
    ranking = c.ranking;
    applyRankingInfluence(ranking, mask, c.influence, wP, wF, relevanceRange(c.scores, mask, c.repeat));
  }
  const k = Math.min(o.numResults, n, MAX_RESULTS);
  const order = fixed && ranking === c.scores && !c.repeat?.count ? descendingOrder(fixed) : null;
  const best = (allowed: Uint8Array | null, count: number, out: Int32Array): number =>
    order ? topKInOrder(order, allowed, count, out) : c.scan ? c.scan.topK(ranking, allowed, count, out) : topK(ranking, allowed, count, out, n);

  // Promoted slice first: its own filter over all items; the request's filter does not apply to it.
  let nPromo = 0;
  if (o.promotion && k > 0) {
    const promoMask = c.promoMask.fill(1);
    if (dropQuery) promoMask[o.query.item] = 0;
    o.promotion.filter(promoMask);
    nPromo = best(promoMask, Math.round((k * o.promotion.percent) / 100), c.promoted);
    for (let r = 0; r < nPromo; r++) mask![c.promoted[r]!] = 0; // never listed twice
  }
  const rest = k - nPromo;
  const slots = o.exploration ? explorationSlots(o.exploration.weight, rest, o.rng) : 0;
  let nRel = best(mask, rest - slots, c.top);
  let nExp = 0;
  let softmax: SoftmaxStats | null = relevanceSoftmax;
  if (slots) {
    const cand = explorationPool(m, c, o.exploration!.ageCutOffDays);
    for (let r = 0; r < nRel; r++) c.taken[c.top[r]!] = 1;
    // Exploration weighs candidates by their softmax weight: computed once here, reused for the scores.
    if (personal && !softmax) {
      const e = (c.expScores ??= new Float64Array(n));
      softmax = softmaxStats(c.scores, e);
    }
    nExp = pickExplored(c.scores, mask, cand.items, c.taken, slots, o.rng, c.picked, cand.weights, softmax ? c.expScores : null);
    for (let r = 0; r < nRel; r++) c.taken[c.top[r]!] = 0;
    for (let r = 0; r < nExp; r++) c.taken[c.picked[r]!] = 0;
    if (nExp < slots) {
      // Slots exploration could not fill go back to relevance (without the explored items).
      const without = mask ?? c.mask.fill(1);
      for (let r = 0; r < nExp; r++) without[c.picked[r]!] = 0;
      nRel = best(without, rest - nExp, c.top);
      for (let r = 0; r < nExp; r++) without[c.picked[r]!] = 1;
    }
  }
  for (let r = 0; r < nPromo; r++) mask![c.promoted[r]!] = 1;
  c.mergedKind.fill(RELEVANT, 0, nRel);
  const nMerged = interleave(c.top, c.mergedKind, nRel, c.picked, nExp, EXPLORED, o.rng, c.merged, c.kind);
  c.mergedKind.set(c.kind.subarray(0, nMerged));
  const count = interleave(c.merged, c.mergedKind, nMerged, c.promoted, nPromo, PROMOTED, o.rng, c.out, c.kind);
  return { items: c.out, count, kind: c.kind, scores: c.scores, personal, softmax };
}

function explorationPool(m: ServingModel, c: Context, ageCutOffDays: number) {
  let p = c.candidates.get(ageCutOffDays);
  if (!p) {
    const s = m.bundle.serving;
    const items = explorationCandidates(s.itemPopularity as Float32Array, s.itemCreationTime as Float64Array, s.itemFirstSeen as Float64Array, (m.bundle.info.maxTimestamp as number) ?? 0, ageCutOffDays);
    p = { items, weights: new Float64Array(items.length) };
    c.candidates.set(ageCutOffDays, p);
  }
  return p;
}

/**
 * The buffers of the model's last request, for explaining it right after rank() returned: the model's
 * scores, the influenced ranking scores (when influence was on), the request's candidate mask.
 */
export function lastRequestBuffers(m: ServingModel): {
  scores: Float32Array; ranking: Float32Array; mask: Uint8Array; kind: Uint8Array; personal: boolean; influence?: InfluenceArrays; repeat: RepeatScratch | null;
} {
  const c = context(m);
  c.influence ??= influenceArrays(m.bundle.serving.itemPopularity as Float32Array, m.bundle.serving.itemCreationTime as Float64Array, m.bundle.serving.itemFirstSeen as Float64Array);
  return { scores: c.scores, ranking: c.ranking, mask: c.mask, kind: c.kind, personal: c.personal, influence: c.influence, repeat: c.repeat && c.repeat.count > 0 ? c.repeat : null };
}

/** The query's relevance (model scores after the repeat stage) into the model's reused buffer (valid until the next request). */
export function modelScores(m: ServingModel, query: RankOptions['query']): { scores: Float32Array; personal: boolean } {
  const c = context(m);
  return { scores: c.scores, personal: relevance(m, c, query, false).personal };
}

/**
 * Personalize's score: softmax of the model's scores over the whole catalogue. Returns (max, denominator);
 * an item's score is softmaxScore(its score). Terms more than 30 below the max are skipped: each adds less
 * than e^-30 to a sum of at least 1, far below the 7 significant digits responses carry.
 */
export function softmaxStats(scores: Float32Array, expOut?: Float64Array): SoftmaxStats {
  const max = maxOf(scores);
  if (max === -Infinity) return { max, denom: 1 };
  return { max, denom: expOut ? expAll(scores, max, 30, expOut) : sumExp(scores, max, 30) };
}

/** One item's softmax score, with the same exponential as the denominator. */
export function softmaxScore(score: number, stats: SoftmaxStats): number {
  return expNeg(score - stats.max) / stats.denom;
}
