// Per-user metric values of ranked lists (what intervals and paired tests are computed over): Personalize's
// ranking metrics plus recall, hit rate, popularity bias, novelty and head/tail accuracy, one row per test user.
import type { TrainingData } from '../../recipes/types.js';
import { itemPopularity } from '../../recipes/popularity-count.js';
import { hitAtK, ndcgAtK, precisionAtK, recallAtK, reciprocalRankAtK } from './metrics.js';

/** The cut-offs of Personalize's metric names (normalized_discounted_cumulative_gain_at_K ...). */
export const CUTOFFS = [5, 10, 25] as const;
/** The length of every evaluated list (Personalize's metrics go up to 25). */
export const LIST_LENGTH = 25;
/** Share of training interactions the head items hold together (the rest of the items are the tail). */
export const HEAD_SHARE = 0.5;
/**
 * Upper edges of the histogram of recommended items by popularity rank (1 = the item most users had):
 * ranks 1-10, 11-30, 31-100, ... on a log scale, where a catalogue's head and long tail both show.
 */
export const POPULARITY_RANK_EDGES = [10, 30, 100, 300, 1000, 3000, 10_000, 30_000, 100_000, 300_000, 1_000_000, Infinity];

/** "1-10", "11-30", ..., "1000001+" */
export function popularityRankBins(): string[] {
  return POPULARITY_RANK_EDGES.map((e, b) => {
    const lo = b === 0 ? 1 : POPULARITY_RANK_EDGES[b - 1]! + 1;
    return Number.isFinite(e) ? `${lo}-${e}` : `${lo}+`;
  });
}

export const PER_USER_METRICS: readonly string[] = [
  ...CUTOFFS.map((k) => `normalized_discounted_cumulative_gain_at_${k}`),
  ...CUTOFFS.map((k) => `precision_at_${k}`),
  ...CUTOFFS.map((k) => `recall_at_${k}`),
  ...CUTOFFS.map((k) => `hit_rate_at_${k}`),
  'mean_reciprocal_rank_at_25',
  'popularity_percentile_at_25',
  'novelty_at_25',
  'tail_share_at_25',
  'recall_at_25_head_items',
  'recall_at_25_tail_items',
];

/** What the popularity metrics know of each item, from the training part of a split. */
export interface ItemStats {
  /** 0..100: the share of items less popular (unique users in training), ties at their mid-rank. */
  percentile: Float32Array;
  /** -log2((users of the item + 1) / (training users + 1)): how surprising recommending it is. */
  selfInformation: Float32Array;
  /** Histogram bin of the item's popularity rank (see POPULARITY_RANK_EDGES). */
  rankBin: Uint8Array;
  /** 1 for head items: the most interacted items that together hold HEAD_SHARE of the training interactions. */
  head: Uint8Array;
}

export function itemStats(train: TrainingData): ItemStats {
  const { uniqueUsers, total } = itemPopularity(train);
  const n = uniqueUsers.length, users = train.userPtr.length - 1;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => uniqueUsers[a]! - uniqueUsers[b]! || a - b);
  const percentile = new Float32Array(n);
  for (let r = 0; r < n;) {
    let e = r;
    while (e + 1 < n && uniqueUsers[order[e + 1]!] === uniqueUsers[order[r]!]) e++;
    const mid = n > 1 ? (100 * (r + e) / 2) / (n - 1) : 100; // ties share their mid-rank
    for (let q = r; q <= e; q++) percentile[order[q]!] = mid;
    r = e + 1;
  }
  const rankBin = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    let b = 0;
    while ((n - r) > POPULARITY_RANK_EDGES[b]!) b++; // order is ascending: position r has rank n - r
    rankBin[order[r]!] = b;
  }
  const selfInformation = Float32Array.from(uniqueUsers, (c) => -Math.log2((c + 1) / (users + 1)));
  const byTotal = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => total[b]! - total[a]! || a - b);
  const all = total.reduce((a, b) => a + b, 0);
  const head = new Uint8Array(n);
  let held = 0;
  for (const i of byTotal) {
    if (held >= HEAD_SHARE * all || total[i] === 0) break;
    head[i] = 1;
    held += total[i]!;
  }
  return { percentile, rankBin, selfInformation, head };
}

/** Collects per-user values of ranked lists: add() each user's list once, in test order. */
export class UserMetrics {
  readonly values: Record<string, Float64Array> = {};
  /** Sum over users of NDCG@k for k = 1..LIST_LENGTH (index k - 1): the NDCG@K curve. */
  readonly ndcgCurve = new Float64Array(LIST_LENGTH);
  /** Recommended slots per popularity-rank bin (POPULARITY_RANK_EDGES). */
  readonly popularityHistogram = new Float64Array(POPULARITY_RANK_EDGES.length);
  private readonly recommended: Uint8Array;
  private readonly relevant: Uint8Array;
  private readonly hits = new Uint8Array(LIST_LENGTH);

  constructor(readonly users: number, private readonly stats: ItemStats) {
    for (const key of PER_USER_METRICS) this.values[key] = new Float64Array(users);
    this.recommended = new Uint8Array(stats.head.length);
    this.relevant = new Uint8Array(stats.head.length);
  }

  /** User `u`'s list: `ranked[0..found)` best first, `relevant` their held-out items; `hits` is recomputed here. */
  add(u: number, ranked: Int32Array, found: number, relevantItems: Int32Array): void {
    const { values: v, stats, relevant, hits } = this;
    for (let p = 0; p < relevantItems.length; p++) relevant[relevantItems[p]!] = 1;
    hits.fill(0);
    let pop = 0, novelty = 0, tail = 0, headHits = 0, tailHits = 0;
    for (let r = 0; r < found; r++) {
      const i = ranked[r]!;
      hits[r] = relevant[i]!;
      this.recommended[i] = 1;
      pop += stats.percentile[i]!;
      novelty += stats.selfInformation[i]!;
      tail += stats.head[i] ? 0 : 1;
      if (hits[r]) { if (stats.head[i]) headHits++; else tailHits++; }
      this.popularityHistogram[stats.rankBin[i]!]!++;
    }
    let headRelevant = 0;
    for (let p = 0; p < relevantItems.length; p++) { relevant[relevantItems[p]!] = 0; headRelevant += stats.head[relevantItems[p]!]!; }
    const nRel = relevantItems.length, tailRelevant = nRel - headRelevant;
    for (const k of CUTOFFS) {
      v[`normalized_discounted_cumulative_gain_at_${k}`]![u] = ndcgAtK(hits, nRel, k);
      v[`precision_at_${k}`]![u] = precisionAtK(hits, k);
      v[`recall_at_${k}`]![u] = recallAtK(hits, nRel, k);
      v[`hit_rate_at_${k}`]![u] = hitAtK(hits, k);
    }
    v.mean_reciprocal_rank_at_25![u] = reciprocalRankAtK(hits, 25);
    // An empty list has no popularity: NaN leaves the user out of that mean.
    v.popularity_percentile_at_25![u] = found ? pop / found : NaN;
    v.novelty_at_25![u] = found ? novelty / found : NaN;
    v.tail_share_at_25![u] = found ? tail / found : NaN;
    v.recall_at_25_head_items![u] = headRelevant ? headHits / headRelevant : NaN;
    v.recall_at_25_tail_items![u] = tailRelevant ? tailHits / tailRelevant : NaN;
    // The curve by running sums: DCG@k and the ideal DCG@k grow one position at a time.
    let dcg = 0, idcg = 0;
    for (let k = 1; k <= LIST_LENGTH; k++) {
      const gain = 1 / Math.log2(k + 1);
      if (hits[k - 1]) dcg += gain;
      if (k <= nRel) idcg += gain;
      if (idcg > 0) this.ndcgCurve[k - 1]! += dcg / idcg;
    }
  }

  /** Distinct items recommended to any user so far over all items (Personalize's coverage). */
  coverage(): number {
    let c = 0;
    for (let i = 0; i < this.recommended.length; i++) c += this.recommended[i]!;
    return this.recommended.length ? c / this.recommended.length : 0;
  }
}
