// Repeat-aware relevance: how likely a user's next interaction is with an item already in their history,
// learned from the training data (learnRepeat), and the serving stage's arithmetic (repeatTerms).
// Pure functions only: training workers, serving and offline evaluation import this file.
//
// Learning, one time-ordered pass per user. Before each interaction (after a user's first), every distinct item of
// the history so far is "exposed" to being interacted with again, in the cell (t, b) of its latest interaction's event
// type t and its recency rank b (0 = the item used last; ranks bucketed 0, 1, 2-3, 4-7, ..., 32-63, 64+); the
// interaction is a "hit" for the cell of the item it revisits, if any. The hazard of a cell, hits / exposures, is the
// rate at which the next interaction is with one given item of that cell; the new-item rate ν, the share of
// interactions with an item not yet in the history, competes with them. Cells with little evidence lean on their
// bucket's rate over all event types, and buckets on the overall rate (Gamma-Poisson posterior means, each prior
// worth one hit), so recency and event type matter exactly as much as the data shows.
//
// Serving (GetRecommendations, GetPersonalizedRanking, batch, recommenders): the model's softmax p(i) ∝ e^s(i) says
// which item comes next if it is a new one. With H = Σ hazard over the user's distinct history items, the chance
// that the next interaction is a repeat is R = H / (H + ν), and the next-item distribution becomes the mixture
//   P(i) = (1 - R) · e^s(i) / Σ_unseen e^s          for items not in the history,
//   P(i) = R · h(i) e^s(i) / Σ_seen h e^s            for history items (h = the item's hazard),
// applied as a logit term added to history items' scores only (unseen items keep their scores, and so their order):
//   repeat(i) = ln h(i) + ln(H / ν) + ln Σ_unseen e^s − ln Σ_seen h e^s        (H / ν = R / (1 - R)).
// On repeat-free data h is near 0 and history items fall below every unseen item; where people come back (groceries,
// music) they keep their place. The softmax of the adjusted scores is the mixture itself.
import { expAll, expNeg } from '../../lib/exp.js';
import type { TrainingData } from '../../recipes/types.js';

/** Lower bound of each recency bucket (distinct-item rank, 0 = the item used last); the last bucket is open. */
export const RECENCY_BUCKETS: readonly number[] = [0, 1, 2, 4, 8, 16, 32, 64];
const B = RECENCY_BUCKETS.length;
/** Ranks followed one by one; older items share the last bucket. */
const TRACKED = RECENCY_BUCKETS[B - 1]!;
/** TRACKED - 1: the mask of the ring of tracked items (TRACKED is a power of 2). */
const RING = TRACKED - 1;
/** Softmax terms this far below the best score are left out, as the response's softmax does (pipeline.ts). */
const FLOOR = 30;

/** What a model bundle keeps (info.repeat): small JSON. */
export interface RepeatStats {
  /** Row t of `hazard` is event type eventTypes[t]; the last row is over all event types (and untyped interactions). */
  eventTypes: string[];
  buckets: number[];
  /** hazard[t * buckets.length + b]. */
  hazard: number[];
  /** Interactions after a user's first, and how many of them revisited an item of the history. */
  events: number;
  repeats: number;
  /** repeats / events: the share of interactions that revisit an item. */
  repeatShare: number;
  /** ν: the rate of interactions with an item not yet in the history (posterior mean of (events - repeats) / events). */
  newItemRate: number;
}

export function bucketOf(rank: number): number {
  let b = 0;
  while (b + 1 < B && rank >= RECENCY_BUCKETS[b + 1]!) b++;
  return b;
}

/**
 * The pass's state. An item's exposures are counted when it leaves a cell (it moves to another recency bucket, is
 * interacted with again, or the user's history ends): the events since it entered the cell. Sums of whole numbers
 * below 2^53, so exactly what adding every cell's count at every event gives, in any order, with one add per move
 * (counts per cell, updated at each of their changes, took twice the work: 0.31-0.64 s at 5M rows against 0.26-0.30).
 */
interface RepeatPass {
  nItems: number; T: number;
  hits: Float64Array; expo: Float64Array;
  /** `events` when the item entered its cell. */
  entered: Float64Array;
  /** The user whose history holds the item (-2: its exposures are counted). */
  owner: Int32Array;
  /** Row of the item's latest interaction. */
  typeOf: Int32Array;
  /**
   * The TRACKED most recent distinct items, newest first, as a ring: rank r is at mtf[(head + r) & RING]. A new item
   * (most interactions) moves to the front by moving the head, not the 64 items behind it.
   */
  mtf: Int32Array;
  head: number;
  events: number; repeats: number;
}

/**
 * User u's interactions (rows from..to of the CSR) through the pass. A function per user, not a loop inside
 * learnRepeat: called 30k times, it is optimized as a whole, where the one long loop ran 1.5x slower on its first call.
 */
function passUser(s: RepeatPass, u: number, itemIdx: Int32Array, eventType: Int32Array, from: number, to: number): void {
  const { nItems, T, hits, expo, entered, owner, typeOf, mtf } = s;
  let head = s.head, events = s.events, repeats = s.repeats;
  let size = 0; // items in mtf
  let distinct = 0;
  for (let p = from; p < to; p++) {
    const i = itemIdx[p]!;
    if (i < 0 || i >= nItems) continue;
    const seen = owner[i] === u;
    let rank = size; // position in mtf; size = not in it (new, or older than TRACKED)
    if (seen) for (let r = 0; r < size; r++) if (mtf[(head + r) & RING] === i) { rank = r; break; }
    if (distinct > 0) events++;
    if (seen) {
      const c = typeOf[i]! * B + (rank < size ? bucketOf(rank) : B - 1);
      if (distinct > 0) { repeats++; hits[c]!++; }
      expo[c]! += events - entered[i]!;
    }
    // Move i to the front: the items ahead of it age by one rank, and those on a bucket's edge change bucket.
    for (let b = 1; b < B; b++) {
      const edge = RECENCY_BUCKETS[b]! - 1; // last rank of bucket b - 1
      if (edge >= rank) break;
      const x = mtf[(head + edge) & RING]!;
      expo[typeOf[x]! * B + b - 1]! += events - entered[x]!;
      entered[x] = events;
    }
    if (rank === size) {
      // Not in the ring: it takes the slot before the head (the oldest item's, once the ring is full).
      if (size < TRACKED) size++;
      head = (head - 1) & RING;
    } else {
      for (let r = rank; r > 0; r--) mtf[(head + r) & RING] = mtf[(head + r - 1) & RING]!;
    }
    mtf[head] = i;
    const t = eventType[p]!;
    typeOf[i] = t >= 0 && t < T ? t : T;
    entered[i] = events;
    if (!seen) { owner[i] = u; distinct++; }
  }
  // The user's last exposures: the ring's items by their rank's bucket, then the older ones (the last bucket).
  for (let r = 0; r < size; r++) {
    const x = mtf[(head + r) & RING]!;
    expo[typeOf[x]! * B + bucketOf(r)]! += events - entered[x]!;
    owner[x] = -2;
  }
  for (let p = from; p < to; p++) {
    const x = itemIdx[p]!;
    if (x < 0 || x >= nItems || owner[x] !== u) continue;
    expo[typeOf[x]! * B + B - 1]! += events - entered[x]!;
    owner[x] = -2;
  }
  s.head = head; s.events = events; s.repeats = repeats;
}

/** One time-ordered pass over every user's history (TrainingData keeps each user's oldest first). */
export function learnRepeat(data: TrainingData): RepeatStats {
  const nItems = data.itemIds.length;
  const T = data.eventTypes.length; // typed rows 0..T-1, row T for interactions without an event type
  const rows = T + 1;
  const s: RepeatPass = {
    nItems, T, hits: new Float64Array(rows * B), expo: new Float64Array(rows * B),
    entered: new Float64Array(nItems), owner: new Int32Array(nItems).fill(-1), typeOf: new Int32Array(nItems),
    mtf: new Int32Array(TRACKED), head: 0, events: 0, repeats: 0,
  };
  const { userPtr, itemIdx, eventType } = data;
  for (let u = 0; u + 1 < userPtr.length; u++) passUser(s, u, itemIdx, eventType, userPtr[u]!, userPtr[u + 1]!);
  const { hits, expo, events, repeats } = s;
  // Posterior means: overall rate <- bucket rate <- (event type, bucket) rate, each prior worth one hit.
  let allHits = 0, allExpo = 0;
  for (let c = 0; c < hits.length; c++) { allHits += hits[c]!; allExpo += expo[c]!; }
  const overall = (allHits + 0.5) / (allExpo + 1);
  const pooled = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let h = 0, e = 0;
    for (let t = 0; t < rows; t++) { h += hits[t * B + b]!; e += expo[t * B + b]!; }
    pooled[b] = (h + 1) / (e + 1 / overall);
  }
  const hazard: number[] = [];
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) hazard.push((hits[t * B + b]! + 1) / (expo[t * B + b]! + 1 / pooled[b]!));
  for (let b = 0; b < B; b++) hazard.push(pooled[b]!);
  return {
    eventTypes: [...data.eventTypes], buckets: [...RECENCY_BUCKETS], hazard, events, repeats,
    repeatShare: events ? repeats / events : 0, newItemRate: (events - repeats + 0.5) / (events + 1),
  };
}

/** RepeatStats ready for requests: typed hazards and event types by name. */
export interface RepeatTable {
  hazard: Float64Array;
  newItemRate: number;
  /** Row of an event type name (exact, else case-insensitive); absent -> the all-types row. */
  rowOf: (eventType: string) => number;
  allTypesRow: number;
  stats: RepeatStats;
}

export function repeatTable(stats: RepeatStats): RepeatTable {
  const exact = new Map<string, number>(), folded = new Map<string, number>();
  stats.eventTypes.forEach((t, r) => { exact.set(t, r); if (!folded.has(t.toLowerCase())) folded.set(t.toLowerCase(), r); });
  const all = stats.eventTypes.length;
  return {
    hazard: Float64Array.from(stats.hazard), allTypesRow: all, stats, newItemRate: stats.newItemRate,
    rowOf: (t) => exact.get(t) ?? folded.get(t.toLowerCase()) ?? all,
  };
}

/** Per-request scratch over a catalogue of n items, allocated once per model. */
export class RepeatScratch {
  readonly stamp: Int32Array;
  epoch = 0;
  /** The request's distinct history items, newest first, their hazards and the logit terms added (count 0: none moved). */
  readonly items: Int32Array;
  readonly hz: Float64Array;
  readonly terms: Float64Array;
  count = 0;
  /** This request's repeat probability R. */
  probability = 0;
  constructor(n: number, maxHistory = 1024) {
    this.stamp = new Int32Array(n);
    this.items = new Int32Array(maxHistory);
    this.hz = new Float64Array(maxHistory);
    this.terms = new Float64Array(maxHistory);
  }
  /** Room for a history of `len` distinct items. */
  reserve(len: number): void {
    if (len <= this.items.length) return;
    const m = Math.max(len, this.items.length * 2);
    (this as { items: Int32Array }).items = new Int32Array(m);
    (this as { hz: Float64Array }).hz = new Float64Array(m);
    (this as { terms: Float64Array }).terms = new Float64Array(m);
  }
}

/**
 * Add the repeat term to the scores of the history's items, in place; `history` oldest first, `rows` each
 * interaction's hazard row (null: the all-types row). `expOut` receives e^(score - max) for every item after the
 * change (the response's softmax and exploration reuse it); returns that softmax's reference `max` and `denom`, or
 * null when nothing changed (no history item among the scores, or every item in the history). `pass`: expOut already
 * holds the terms of the scores (their max and sum given, as expAll computes them), so they are not recomputed.
 */
export function repeatTerms(
  scores: Float32Array, history: Int32Array, rows: Int32Array | null, table: RepeatTable, s: RepeatScratch, expOut: Float64Array,
  pass: { max: number; sum: number } | null = null,
): { max: number; denom: number } | null {
  const n = scores.length;
  s.reserve(history.length);
  s.count = 0;
  s.probability = 0;
  if (++s.epoch === 0x7fffffff) { s.stamp.fill(0); s.epoch = 1; }
  // Distinct items newest first: the rank of each is its recency bucket; its newest interaction gives the type row.
  let H = 0;
  for (let p = history.length - 1; p >= 0; p--) {
    const i = history[p]!;
    if (i < 0 || i >= n || s.stamp[i] === s.epoch || !(scores[i]! > -Infinity)) continue;
    s.stamp[i] = s.epoch;
    const row = rows ? rows[p]! : table.allTypesRow;
    const h = table.hazard[row * B + bucketOf(s.count)]!;
    s.items[s.count] = i; s.hz[s.count++] = h;
    H += h;
  }
  if (s.count === 0 || s.count >= n) { s.count = 0; return null; }
  // Softmax mass of unseen items, relative to the catalogue's best score.
  let max = pass ? pass.max : -Infinity;
  if (!pass) for (let i = 0; i < n; i++) if (scores[i]! > max) max = scores[i]!;
  const all = pass ? pass.sum : expAll(scores, max, FLOOR, expOut);
  let seenMass = 0;
  for (let k = 0; k < s.count; k++) seenMass += expOut[s.items[k]!]!;
  const unseen = all - seenMass;
  if (!(unseen > 0)) { s.count = 0; return null; }
  s.probability = H / (H + table.newItemRate);
  // ln Σ_seen h e^s, in the log domain (the history's scores may lie far below the best).
  let top = -Infinity;
  for (let k = 0; k < s.count; k++) top = Math.max(top, Math.log(s.hz[k]!) + scores[s.items[k]!]!);
  let sum = 0;
  for (let k = 0; k < s.count; k++) sum += Math.exp(Math.log(s.hz[k]!) + scores[s.items[k]!]! - top);
  const shift = Math.log(H / table.newItemRate) + (max + Math.log(unseen)) - (top + Math.log(sum));
  let denom = unseen;
  for (let k = 0; k < s.count; k++) {
    const i = s.items[k]!;
    const before = scores[i]!;
    scores[i] = before + Math.log(s.hz[k]!) + shift;
    s.terms[k] = scores[i]! - before; // as stored (float32)
    expOut[i] = scores[i]! - max < -FLOOR ? 0 : expNeg(scores[i]! - max);
    denom += expOut[i]!;
  }
  return { max, denom };
}
