// A GetRecommendations ranking as plain data, so that a worker thread can run it (ranking-worker.ts): the engine
// state a request reads (history with live events, filter and promotion masks, objective, seed) is resolved by the
// calling thread; rank() then does the same arithmetic on either thread, hence the same answer.
import { Rng } from '../../lib/random.js';
import type { ServingModel } from '../store/model-store.js';
import type { ObjectiveStage } from '../training/objective.js';
import { rank, softmaxScore, softmaxStats, type RankOptions } from './pipeline.js';

export interface RankJob {
  query: RankOptions['query'];
  numResults: number;
  excludeQueryItem: boolean;
  /** The candidate mask rank() would build (query item dropped, the request's filter applied); null: no filter. */
  mask: Uint8Array | null;
  /** The promotion's percent and mask (its own filter over all items), when the request has one. */
  promotion: { percent: number; mask: Uint8Array } | null;
  influence?: RankOptions['influence'];
  exploration?: RankOptions['exploration'];
  objective?: ObjectiveStage;
  /** The request's seed (requestSeed): the job's Rng starts from it. */
  seed: number;
  /** Whether the answer shows softmax scores (the recipe has scores). */
  withScores: boolean;
}

export interface RankedSlots {
  items: Int32Array;
  kind: Uint8Array;
  personal: boolean;
  /** Each slot's softmax score before rounding, when shown and the model personalized. */
  scores: Float64Array | null;
}

/** The job of a request: masks made the way rank() makes them, by the request's own filter functions. */
export function rankJob(n: number, o: RankOptions, seed: number, withScores: boolean): RankJob {
  const dropQuery = !!o.excludeQueryItem && o.query.item >= 0;
  const maskOf = (filter: (mask: Uint8Array) => void): Uint8Array => {
    const mask = new Uint8Array(n).fill(1);
    if (dropQuery) mask[o.query.item] = 0;
    filter(mask);
    return mask;
  };
  return {
    query: o.query, numResults: o.numResults, excludeQueryItem: !!o.excludeQueryItem,
    mask: o.filter ? maskOf(o.filter) : null,
    promotion: o.promotion ? { percent: o.promotion.percent, mask: maskOf(o.promotion.filter) } : null,
    influence: o.influence, exploration: o.exploration, objective: o.objective, seed, withScores,
  };
}

/** rank() over a job, and the slots' scores as predictedItems computes them. */
export function runRankJob(m: ServingModel, job: RankJob): RankedSlots {
  const { mask, promotion } = job;
  const r = rank(m, {
    query: job.query, numResults: job.numResults, excludeQueryItem: job.excludeQueryItem,
    // rank() starts from an all-ones mask with the query item dropped, as rankJob did: the filter's result replaces it.
    filter: mask ? (into) => into.set(mask) : undefined,
    promotion: promotion ? { percent: promotion.percent, filter: (into) => into.set(promotion.mask) } : undefined,
    influence: job.influence, exploration: job.exploration, objective: job.objective, rng: new Rng(job.seed),
  });
  const items = r.items.slice(0, r.count);
  let scores: Float64Array | null = null;
  if (job.withScores && r.personal) {
    const stats = r.softmax ?? softmaxStats(r.scores);
    scores = new Float64Array(r.count);
    for (let k = 0; k < r.count; k++) scores[k] = softmaxScore(r.scores[items[k]!]!, stats);
  }
  return { items, kind: r.kind.slice(0, r.count), personal: r.personal, scores };
}
