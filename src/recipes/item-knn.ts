// Item-to-item co-occurrence neighbours (the core of aws-sims and aws-similar-items): percentile
// filtering of users and items, co-interaction counts, popularity discount, top-K per item in CSR.
import { programUrl, type TrainingRun } from '../lib/threads/team.js';
import * as cooc from './cooccurrence.js';
import { coocHeaps, defaultRowSlots, heapBytes, type CoocLayout, type HeapLayout } from './cooc-kernel.js';
import { coocHandler, COUNT, MERGE, type CoocData } from './cooccurrence.js';
import { NeighbourHeaps, type Neighbours } from './neighbour-heaps.js';
import { quantile } from './params.js';
import type { TrainingData } from './types.js';

export { NeighbourHeaps, type Neighbours } from './neighbour-heaps.js';

export interface ItemKnnOptions {
  /** popularity_discount_factor `a` in sim(i,j) = cooc(i,j) / (pop(i)^a * pop(j)^a). */
  discount: number;
  /** min_cointeraction_count: pairs co-interacted by fewer distinct users get no similarity. */
  minCointeractions: number;
  /** Neighbours kept per item. */
  neighbours: number;
  /** Where the pair walk runs: in WebAssembly where it can (the default), or in JS; the same bytes either way. */
  count?: 'wasm' | 'js';
  /** WebAssembly only: slots of a row's buffer, at least neighbours + 1 (cooc-kernel.ts); the same bytes for any value. */
  rowSlots?: number;
}

/**
 * Distinct (user, item) pairs after the percentile filters, as their shape (pointers both ways; pop = distinct users
 * per item) and a fill of the item-major users: itemNeighbours writes them straight into the count's arrays instead
 * of copying them there (fresh memory costs its first touch, 2.6-5.6 ms per MB on this project's VM: each 5M-pair
 * column is ~0.1 s).
 */
export interface CoMatrix {
  /** Distinct kept items of user u: userPtr[u]..userPtr[u+1] (users outside the percentiles have none). */
  userPtr: Int32Array;
  /** Distinct kept users of item i: itemPtr[i]..itemPtr[i+1]. */
  itemPtr: Int32Array;
  pop: Float32Array;
  /** The number of distinct kept pairs. */
  nnz: number;
  /** Writes each item's users, ascending, at itemPtr[i].. of `into` (nnz long). */
  fillItemUsers(into: Int32Array): void;
}

/**
 * Apply Personalize's percentile filters (users whose history length, items whose interaction
 * count lie outside the given quantiles are left out) and count the distinct incidence both ways.
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
  const keepUser = (u: number): boolean => histLen[u]! >= uLo && histLen[u]! <= uHi;

  // Distinct kept items per kept user (a marker array avoids sorting each history), and distinct users per item.
  const mark = new Int32Array(nItems).fill(-1);
  const userPtr = new Int32Array(nUsers + 1);
  const pop = new Float32Array(nItems);
  let k = 0;
  for (let u = 0; u < nUsers; u++) {
    if (keepUser(u)) {
      for (let p = up[u]!; p < up[u + 1]!; p++) {
        const i = itemIdx[p]!;
        if (keepItem[i] && mark[i] !== u) { mark[i] = u; pop[i]!++; k++; }
      }
    }
    userPtr[u + 1] = k;
  }
  const itemPtr = new Int32Array(nItems + 1);
  for (let i = 0; i < nItems; i++) itemPtr[i + 1] = itemPtr[i]! + pop[i]!;
  // The same walk again, each new pair appended to its item's users: users come in ascending order.
  const fillItemUsers = (into: Int32Array): void => {
    mark.fill(-1);
    const fill = itemPtr.slice(0, nItems);
    for (let u = 0; u < nUsers; u++) {
      if (!keepUser(u)) continue;
      for (let p = up[u]!; p < up[u + 1]!; p++) {
        const i = itemIdx[p]!;
        if (keepItem[i] && mark[i] !== u) { mark[i] = u; into[fill[i]!++] = u; }
      }
    }
  };
  return { userPtr, itemPtr, pop, nnz: k, fillItemUsers };
}

/** Co-occurrence work (pair steps, ~5 ns each) below which a team is not worth using: loading the program on its threads costs a few ms. */
export const SIMS_THREADS_MIN_PAIRS = 2_000_000;
/** Blocks of items counted (and of rows merged): fixed by the data, not by the thread count. */
const BLOCKS = 64;

/**
 * Top-K neighbours of every item by discounted co-occurrence. For a query item i only pop(j)^a
 * changes the order: a=0 ranks by raw co-counts (popular items win), a=0.5 is cosine similarity,
 * a=1 is the conditional rate cooc/pop(j) (co-interaction regardless of popularity). The pop(i)^a
 * factor matters when neighbour lists of several history items are summed.
 *
 * Each pair is counted once (j > i, walking each user's sorted list from i's position) and offered
 * to both items' rows (bounded heaps, or in WebAssembly buffers of rowSlots that keep their K best
 * when full), so the work is half of a row-by-row count and memory stays O(items x K) per thread.
 * With a team (`run`), threads claim blocks of items of equal work, each into rows of its own, which
 * are then merged row by row (cooccurrence.ts); rows order by (score desc, index asc), a total order,
 * so the result is the same bytes whatever the thread count and buffer size.
 */
export function itemNeighbours(m: CoMatrix, opts: ItemKnnOptions, run?: TrainingRun): Neighbours & { threads: number; wasm: boolean } {
  const nItems = m.pop.length;
  const K = Math.max(1, opts.neighbours);
  const a = opts.discount;
  // Decide on threads from the work before building the arrays, so they are built shared or not once.
  const threaded = !!run?.team && run.threads > 1 && pairWorkTotal(m) >= SIMS_THREADS_MIN_PAIRS;
  const threads = threaded ? run!.threads : 1;
  // The arrays go into one WebAssembly memory when there is one to have (the count's kernel reads them there),
  // else into buffers of their own; shared either way when a team reads them.
  // Rows of 2K slots when they fit in wasm32's 4 GiB, else of 1.25K (more compactions), else the JS count.
  let rowSlots = Math.max(K + 1, opts.rowSlots ?? defaultRowSlots(K));
  let wasm = opts.count === 'js' ? null : coocMemory(m, rowSlots, threads, threaded, run);
  if (!wasm && opts.count !== 'js' && opts.rowSlots === undefined) {
    rowSlots = Math.max(K + 1, Math.ceil(1.25 * K));
    wasm = coocMemory(m, rowSlots, threads, threaded, run);
  }
  let at = 0;
  const alloc = <T extends Int32Array | Float64Array>(Arr: { new (b: ArrayBuffer | SharedArrayBuffer, offset?: number, length?: number): T; BYTES_PER_ELEMENT: number }, n: number): T => {
    if (wasm) {
      at = align8(at);
      const a = new Arr(wasm.memory.buffer, at, n);
      at += n * Arr.BYTES_PER_ELEMENT;
      return a;
    }
    return new Arr(threaded ? new SharedArrayBuffer(n * Arr.BYTES_PER_ELEMENT) : new ArrayBuffer(n * Arr.BYTES_PER_ELEMENT));
  };
  const inc = sortedIncidence(m, alloc);
  const work = pairWork(inc, nItems);
  const popPow = alloc(Float64Array, nItems);
  for (let i = 0; i < nItems; i++) popPow[i] = m.pop[i]! > 0 ? Math.pow(m.pop[i]!, a) : 1;
  // The count's scratch (per thread: cooc, touched), then each thread's heaps, after the arrays above.
  const layout: CoocLayout | null = wasm && {
    userPtr: inc.userPtr.byteOffset, userItems: inc.userItems.byteOffset, itemUsers: inc.itemUsers.byteOffset, itemPos: inc.itemPos.byteOffset,
    popPow: popPow.byteOffset, scratch: align8(at), heaps: align8(at) + threads * 8 * nItems, rowSlots,
  };
  const heaps = Array.from({ length: threads }, (_, t) => (wasm && layout ? heapsIn(wasm.memory, coocHeaps(layout, nItems, t), nItems, K) : new NeighbourHeaps(nItems, K, { shared: threaded })));
  const data: CoocData = {
    ...inc, popPow, countBounds: equalWorkBounds(work.perItem, work.total, Math.min(BLOCKS, nItems)),
    mergeRows: Math.max(1, Math.ceil(nItems / BLOCKS)),
    minCo: Math.max(1, opts.minCointeractions), K,
    heaps: heaps.map((h) => h.arrays),
    ...(wasm && layout && { wasm: { ...wasm, layout } }),
  };
  const countBlocks = data.countBounds.length - 1, mergeBlocks = Math.ceil(nItems / data.mergeRows);
  if (threaded) {
    const team = run!.team!();
    team.install('cooc', programUrl(import.meta.url, './cooccurrence.js'), data, cooc);
    try {
      team.run('cooc', COUNT, countBlocks);
      team.run('cooc', MERGE, mergeBlocks);
    } finally {
      team.uninstall('cooc'); // the workers drop their views of this training's arrays
    }
  } else {
    const handler = coocHandler(data, 0), none = new Int32Array(0), noF = new Float64Array(0);
    for (let b = 0; b < countBlocks; b++) handler(COUNT, b, none, noF);
    for (let b = 0; b < mergeBlocks; b++) handler(MERGE, b, none, noF);
  }
  return { ...heaps[0]!.sortedToCsr(), threads, wasm: !!wasm };
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/**
 * Empty rows over arrays at `at` in `memory` (which may hold an earlier training's bytes: sizes and thresholds are
 * reset): the count's row buffers, NeighbourHeaps rows once finished (cooc-kernel.ts).
 */
function heapsIn(memory: WebAssembly.Memory, at: HeapLayout, nItems: number, K: number): NeighbourHeaps {
  const b = memory.buffer, slots = nItems * at.stride;
  const over = {
    score: new Float64Array(b, at.slots, 2 * slots), idx: new Int32Array(b, at.slots, 4 * slots),
    threshold: new Float64Array(b, at.threshold, nItems).fill(-Infinity), size: new Int32Array(b, at.size, nItems).fill(0),
  };
  return new NeighbourHeaps(nItems, K, { over, stride: at.stride });
}

/** wasm32's 4 GiB, less a page: data past it stays in plain buffers (the count runs in JS). */
const WASM_MAX_BYTES = 2 ** 32 - 65536;
/** The maximum every memory of the count declares (only address space), so one compiled kernel serves them all. */
const WASM_MAX_PAGES = 65536;

/**
 * The memory the count's arrays live in: the run's shared memory (kept across its trainings: its pages are already
 * touched), else for one thread a memory of this training's own; null when it would not fit, or the runtime lacks
 * one (then the arrays are plain buffers and the count runs in JS, to the same bytes).
 */
function coocMemory(m: CoMatrix, rowSlots: number, threads: number, threaded: boolean, run?: TrainingRun): { memory: WebAssembly.Memory; maxPages: number; shared: boolean } | null {
  const nUsers = m.userPtr.length - 1, nItems = m.itemPtr.length - 1, nnz = m.nnz;
  // userPtr, itemPtr, itemUsers, userItems, itemPos, popPow, then each thread's cooc + touched and row buffers; 8 bytes of slack each.
  const bytes = 4 * (nUsers + 1) + 4 * (nItems + 1) + 12 * nnz + 8 * nItems + threads * (8 * nItems + heapBytes(nItems, rowSlots)) + 8 * 8;
  if (bytes > WASM_MAX_BYTES) return null;
  const pages = Math.ceil(bytes / 65536);
  const kept = run?.memory?.(pages);
  if (kept) return { memory: kept.memory, maxPages: kept.maxPages, shared: true };
  if (threaded) return null; // a team needs shared memory
  try {
    return { memory: new WebAssembly.Memory({ initial: pages, maximum: WASM_MAX_PAGES }), maxPages: WASM_MAX_PAGES, shared: false };
  } catch {
    return null;
  }
}

/** Pair steps of the whole count (sum over users of n(n-1)/2), from the history lengths alone. */
function pairWorkTotal(m: CoMatrix): number {
  let total = 0;
  for (let u = 0; u + 1 < m.userPtr.length; u++) { const n = m.userPtr[u + 1]! - m.userPtr[u]!; total += (n * (n - 1)) / 2; }
  return total + m.pop.length;
}

/**
 * The incidence with each user's items sorted, and for each (item, user) entry i's position in u's list,
 * in arrays from `alloc` (shared ones when a team reads them). No sort: walking the item-major CSR in
 * item order appends each user's items in ascending order (a transpose).
 */
function sortedIncidence(
  m: CoMatrix, alloc: (Arr: Int32ArrayConstructor, n: number) => Int32Array,
): { userPtr: Int32Array; userItems: Int32Array; itemPtr: Int32Array; itemUsers: Int32Array; itemPos: Int32Array } {
  const nUsers = m.userPtr.length - 1, nItems = m.itemPtr.length - 1, nnz = m.nnz;
  const userPtr = alloc(Int32Array, nUsers + 1); userPtr.set(m.userPtr);
  const itemPtr = alloc(Int32Array, nItems + 1); itemPtr.set(m.itemPtr);
  const itemUsers = alloc(Int32Array, nnz); m.fillItemUsers(itemUsers);
  const userItems = alloc(Int32Array, nnz);
  const itemPos = alloc(Int32Array, nnz);
  const fill = userPtr.slice(0, nUsers);
  for (let i = 0; i < nItems; i++) {
    for (let q = itemPtr[i]!; q < itemPtr[i + 1]!; q++) {
      const p = fill[itemUsers[q]!]!++;
      userItems[p] = i;
      itemPos[q] = p;
    }
  }
  return { userPtr, userItems, itemPtr, itemUsers, itemPos };
}

/** Pair steps per item (the entries after it in its users' sorted lists, plus one), and their sum. */
function pairWork(inc: { userPtr: Int32Array; userItems: Int32Array }, nItems: number): { perItem: Float64Array; total: number } {
  const perItem = new Float64Array(nItems).fill(1);
  const { userPtr, userItems } = inc;
  for (let u = 0; u + 1 < userPtr.length; u++) {
    const e = userPtr[u + 1]!;
    for (let p = userPtr[u]!; p < e; p++) perItem[userItems[p]!]! += e - p - 1;
  }
  let total = 0;
  for (let i = 0; i < nItems; i++) total += perItem[i]!;
  return { perItem, total };
}

/** Bounds of `blocks` consecutive item ranges of about equal work (the early items hold most pairs). */
function equalWorkBounds(perItem: Float64Array, total: number, blocks: number): Int32Array {
  const n = perItem.length, bounds = new Int32Array(blocks + 1);
  let acc = 0, b = 1;
  for (let i = 0; i < n && b < blocks; i++) {
    acc += perItem[i]!;
    while (b < blocks && acc >= (total * b) / blocks) bounds[b++] = i + 1;
  }
  for (; b <= blocks; b++) bounds[b] = n;
  return bounds;
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
