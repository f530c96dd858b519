// Item-to-item co-occurrence neighbours (the core of aws-sims and aws-similar-items): percentile
// filtering of users and items, co-interaction counts, popularity discount, top-K per item in CSR.
import { quantile } from './params.js';
import type { TrainingData } from './types.js';

export interface ItemKnnOptions {
  /** popularity_discount_factor `a` in sim(i,j) = cooc(i,j) / (pop(i)^a * pop(j)^a). */
  discount: number;
  /** min_cointeraction_count: pairs co-interacted by fewer distinct users get no similarity. */
  minCointeractions: number;
  /** Neighbours kept per item. */
  neighbours: number;
}

/** Neighbour lists in CSR: item i's neighbours are idx[ptr[i]..ptr[i+1]), best first, with their similarities. */
export interface Neighbours { ptr: Int32Array; idx: Int32Array; sim: Float32Array }

/** Distinct (user, item) pairs as CSR both ways, after the percentile filters; pop = distinct users per item. */
export interface CoMatrix {
  userPtr: Int32Array; userItems: Int32Array;
  itemPtr: Int32Array; itemUsers: Int32Array;
  pop: Float32Array;
}

/**
 * Apply Personalize's percentile filters (users whose history length, items whose interaction
 * count lie outside the given quantiles are left out) and build the distinct incidence both ways.
 */
export function buildCoMatrix(data: TrainingData, userPct: [number, number], itemPct: [number, number]): CoMatrix {
  const nUsers = data.userIds.length;
  const nItems = data.itemIds.length;
  const { userPtr: up, itemIdx } = data;
  // History length = interactions (not distinct items): that is what a bot's outsized history shows.
  const histLen = new Float64Array(nUsers);
  for (let u = 0; u < nUsers; u++) histLen[u] = up[u + 1]! - up[u]!;
  const itemCount = new Float64Array(nItems);
  for (let p = 0; p < itemIdx.length; p++) itemCount[itemIdx[p]!]!++;
  const uLo = quantile(histLen, userPct[0]), uHi = quantile(histLen, userPct[1]);
  // Item quantiles are over items that have interactions: catalogue-only items would drag them to 0.
  const interacted = itemCount.filter((c) => c > 0);
  const iLo = quantile(interacted, itemPct[0]), iHi = quantile(interacted, itemPct[1]);
  const keepItem = new Uint8Array(nItems);
  for (let i = 0; i < nItems; i++) keepItem[i] = itemCount[i]! > 0 && itemCount[i]! >= iLo && itemCount[i]! <= iHi ? 1 : 0;

  // Distinct kept items per kept user (a marker array avoids sorting each history).
  const mark = new Int32Array(nItems).fill(-1);
  const userPtr = new Int32Array(nUsers + 1);
  const userItems = new Int32Array(itemIdx.length);
  let k = 0;
  for (let u = 0; u < nUsers; u++) {
    if (histLen[u]! >= uLo && histLen[u]! <= uHi) {
      for (let p = up[u]!; p < up[u + 1]!; p++) {
        const i = itemIdx[p]!;
        if (keepItem[i] && mark[i] !== u) { mark[i] = u; userItems[k++] = i; }
      }
    }
    userPtr[u + 1] = k;
  }
  const pop = new Float32Array(nItems);
  for (let p = 0; p < k; p++) pop[userItems[p]!]!++;
  const itemPtr = new Int32Array(nItems + 1);
  for (let i = 0; i < nItems; i++) itemPtr[i + 1] = itemPtr[i]! + pop[i]!;
  const fill = itemPtr.slice(0, nItems);
  const itemUsers = new Int32Array(k);
  for (let u = 0; u < nUsers; u++) for (let p = userPtr[u]!; p < userPtr[u + 1]!; p++) itemUsers[fill[userItems[p]!]!++] = u;
  return { userPtr, userItems: userItems.slice(0, k), itemPtr, itemUsers, pop };
}

/**
 * Top-K neighbours of every item by discounted co-occurrence. For a query item i only pop(j)^a
 * changes the order: a=0 ranks by raw co-counts (popular items win), a=0.5 is cosine similarity,
 * a=1 is the conditional rate cooc/pop(j) (co-interaction regardless of popularity). The pop(i)^a
 * factor matters when neighbour lists of several history items are summed.
 *
 * Each pair is counted once (j > i, walking each user's sorted list from i's position) and offered
 * to both items' bounded heaps, so the work is half of a row-by-row count and memory stays
 * O(items x K). The heaps order by (score desc, index asc), so the result does not depend on the
 * order pairs arrive in.
 */
export function itemNeighbours(m: CoMatrix, opts: ItemKnnOptions): Neighbours {
  const nItems = m.pop.length;
  const K = Math.max(1, opts.neighbours);
  const minCo = Math.max(1, opts.minCointeractions);
  const a = opts.discount;
  const popPow = Float64Array.from(m.pop, (p) => (p > 0 ? Math.pow(p, a) : 1));
  const { userPtr, userItems, itemPtr, itemUsers, itemPos } = sortedIncidence(m);
  const heaps = new NeighbourHeaps(nItems, K);
  const cooc = new Int32Array(nItems);
  const touched = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let nt = 0;
    for (let q = itemPtr[i]!; q < itemPtr[i + 1]!; q++) {
      const u = itemUsers[q]!;
      const end = userPtr[u + 1]!;
      for (let p = itemPos[q]! + 1; p < end; p++) {
        const j = userItems[p]!;
        const c = cooc[j]!;
        cooc[j] = c + 1;
        // Branch-free "first touch": first touches are unpredictable, a branch here costs ~2x.
        touched[nt] = j;
        nt += (c - 1) >>> 31;
      }
    }
    const pi = popPow[i]!;
    for (let t = 0; t < nt; t++) {
      const j = touched[t]!;
      const c = cooc[j]!;
      cooc[j] = 0;
      if (c < minCo) continue;
      const s = c / (pi * popPow[j]!);
      heaps.offer(i, j, s);
      heaps.offer(j, i, s);
    }
  }
  return heaps.toCsr();
}

/** The incidence with each user's items sorted, and for each (item, user) entry i's position in u's list. */
function sortedIncidence(m: CoMatrix): { userPtr: Int32Array; userItems: Int32Array; itemPtr: Int32Array; itemUsers: Int32Array; itemPos: Int32Array } {
  const { userPtr, itemPtr } = m;
  const nUsers = userPtr.length - 1, nItems = itemPtr.length - 1;
  const userItems = m.userItems.slice();
  for (let u = 0; u < nUsers; u++) userItems.subarray(userPtr[u]!, userPtr[u + 1]!).sort();
  const itemUsers = new Int32Array(userItems.length);
  const itemPos = new Int32Array(userItems.length);
  const fill = itemPtr.slice(0, nItems);
  for (let u = 0; u < nUsers; u++) {
    for (let p = userPtr[u]!; p < userPtr[u + 1]!; p++) {
      const at = fill[userItems[p]!]!++;
      itemUsers[at] = u;
      itemPos[at] = p;
    }
  }
  return { userPtr, userItems, itemPtr, itemUsers, itemPos };
}

/**
 * One bounded min-heap of (score, index) per row, K slots each, worst at the root; the order is
 * score desc then index asc, a total order, so the kept set is deterministic.
 */
export class NeighbourHeaps {
  readonly idx: Int32Array;
  readonly score: Float64Array;
  readonly size: Int32Array;
  constructor(readonly rows: number, readonly K: number) {
    this.idx = new Int32Array(rows * K);
    this.score = new Float64Array(rows * K);
    this.size = new Int32Array(rows);
  }

  offer(i: number, j: number, s: number): void {
    const { idx, score, K } = this;
    const base = i * K;
    const size = this.size[i]!;
    if (size < K) {
      let c = size;
      this.size[i] = size + 1;
      while (c > 0) {
        const par = (c - 1) >> 1;
        const ps = score[base + par]!, pj = idx[base + par]!;
        if (!(s < ps || (s === ps && j > pj))) break;
        score[base + c] = ps; idx[base + c] = pj;
        c = par;
      }
      score[base + c] = s; idx[base + c] = j;
      return;
    }
    const rs = score[base]!;
    if (s < rs || (s === rs && j > idx[base]!)) return;
    this.siftDown(base, K, s, j);
  }

  /** Place (s, j) at the root of the heap at `base` holding `size` entries and sift it down. */
  private siftDown(base: number, size: number, s: number, j: number): void {
    const { idx, score } = this;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= size) break;
      let w = l;
      const r = l + 1;
      if (r < size) {
        const ls = score[base + l]!, rsc = score[base + r]!;
        if (rsc < ls || (rsc === ls && idx[base + r]! > idx[base + l]!)) w = r;
      }
      const ws = score[base + w]!, wj = idx[base + w]!;
      if (!(ws < s || (ws === s && wj > j))) break;
      score[base + c] = ws; idx[base + c] = wj;
      c = w;
    }
    score[base + c] = s; idx[base + c] = j;
  }

  /** Each row's entries, best first, as CSR with Float32 similarities (heap-sorts the rows in place). */
  toCsr(): Neighbours {
    const { rows, K, idx: hi, score: hs } = this;
    const ptr = new Int32Array(rows + 1);
    for (let i = 0; i < rows; i++) ptr[i + 1] = ptr[i]! + this.size[i]!;
    const idx = new Int32Array(ptr[rows]!);
    const sim = new Float32Array(ptr[rows]!);
    for (let i = 0; i < rows; i++) {
      const base = i * K;
      // Heap-sort: move the worst to the end repeatedly, leaving the row best first.
      for (let n = this.size[i]!; n > 1; n--) {
        const ws = hs[base]!, wj = hi[base]!;
        this.siftDown(base, n - 1, hs[base + n - 1]!, hi[base + n - 1]!);
        hs[base + n - 1] = ws; hi[base + n - 1] = wj;
      }
      const o = ptr[i]!;
      for (let t = 0; t < this.size[i]!; t++) { idx[o + t] = hi[base + t]!; sim[o + t] = hs[base + t]!; }
      this.size[i] = 0; // the rows are no longer heaps
    }
    return { ptr, idx, sim };
  }
}

/**
 * Scores for one query: the neighbours of `item`, or (no item) a recency-weighted sum of neighbour
 * similarities over the history, as item-kNN recommends for a user: the h-th newest history item
 * weighs 2^(-h / halfLife), because the next interactions resemble the latest ones most (measured:
 * the newest item alone beats an unweighted sum). Items outside the neighbour lists score below
 * every neighbour, ordered by popularity, so a long list continues with popular items; the query
 * item gets NaN. Returns false when no query item has neighbours.
 */
export function scoreNeighbours(
  nb: Neighbours, popScore: Float32Array, query: { item: number; history: Int32Array | null },
  out: Float32Array, halfLife = Infinity,
): boolean {
  const n = popScore.length;
  const { item, history } = query;
  if (item >= 0) {
    if (item >= n || nb.ptr[item + 1]! === nb.ptr[item]!) return false;
    out.set(popScore);
    for (let p = nb.ptr[item]!; p < nb.ptr[item + 1]!; p++) out[nb.idx[p]!] = nb.sim[p]!;
    out[item] = NaN;
    return true;
  }
  if (!history || history.length === 0) return false;
  out.set(popScore);
  let any = false;
  const decay = Math.pow(2, -1 / halfLife);
  let w = 1;
  for (let h = history.length - 1; h >= 0; h--, w *= decay) {
    const i = history[h]!;
    if (i < 0 || i >= n) continue;
    for (let p = nb.ptr[i]!; p < nb.ptr[i + 1]!; p++) {
      const j = nb.idx[p]!;
      // The tail is negative, so the first hit replaces it and later hits add up.
      out[j] = out[j]! < 0 ? w * nb.sim[p]! : out[j]! + w * nb.sim[p]!;
      any = true;
    }
  }
  return any;
}

/** Popularity mapped into (-1, 0): below any similarity, most popular first, ties to the lower index. */
export function popularityTail(pop: Float32Array): Float32Array {
  let max = 0;
  for (let i = 0; i < pop.length; i++) if (pop[i]! > max) max = pop[i]!;
  return Float32Array.from(pop, (p) => -1 + 0.999 * (p / (max || 1)));
}
