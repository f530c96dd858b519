// Item exploration (itemExplorationConfig), our documented mechanism (Personalize does not publish one):
// - candidates: items whose age (CREATION_TIMESTAMP, else first interaction) is within explorationItemAgeCutOff
//   days of the newest interaction AND that are cold: fewer than 5 unique users, or among the 25% least
//   interacted items;
// - slots: explorationWeight x numResults, rounded stochastically with the request's seeded Rng, so the
//   share of explored items averages the weight (and is exactly 0 at weight 0);
// - which: sampled without replacement among candidates that pass the filters and are not already
//   recommended, with probability proportional to exp(score - max), so more relevant cold items win
//   (a draw that hits an item already picked is redrawn, up to 64 times per request);
// - where: at seeded random positions; the relevant items keep their order around them (promotions are
//   placed the same way).
import { cumulativeExp } from '../../lib/exp.js';
import type { Rng } from '../../lib/random.js';

const DAY = 86_400;

export function explorationCandidates(uniqueUsers: Float32Array, creation: Float64Array, firstSeen: Float64Array, newest: number, ageCutOffDays: number): Int32Array {
  const n = uniqueUsers.length;
  const sorted = Float32Array.from(uniqueUsers).sort();
  const q25 = n ? sorted[Math.floor((n - 1) * 0.25)]! : 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const born = Number.isNaN(creation[i]!) ? firstSeen[i]! : creation[i]!;
    const young = !Number.isNaN(born) && newest - born <= ageCutOffDays * DAY;
    const cold = uniqueUsers[i]! < 5 || uniqueUsers[i]! <= q25;
    if (young && cold) out.push(i);
  }
  return Int32Array.from(out);
}

/** How many of `numResults` slots go to exploration for one request. */
export function explorationSlots(weight: number, numResults: number, rng: Rng): number {
  if (!(weight > 0) || numResults <= 0) return 0;
  const exact = weight * numResults;
  const whole = Math.floor(exact);
  return Math.min(numResults, whole + (rng.next() < exact - whole ? 1 : 0));
}

/**
 * Pick up to `slots` explored items into `picked` (returns the count). `taken[i]` = 1 marks items already
 * in the list; it is updated. Weights are exp(score - max) over the eligible candidates; `weights` holds
 * their running sums, so each draw is a binary search (a drawn item is zeroed out by a redraw).
 * `expScores` (e^(score - catalogue max) per item, from the request's softmax) saves recomputing them;
 * the draw is the same up to the terms under e^-30 that the softmax leaves out.
 */
export function pickExplored(
  scores: Float32Array, mask: Uint8Array | null, candidates: Int32Array, taken: Uint8Array, slots: number, rng: Rng, picked: Int32Array, weights: Float64Array,
  expScores: Float64Array | null = null,
): number {
  const m = candidates.length;
  let total = 0;
  if (expScores) {
    for (let c = 0; c < m; c++) {
      const i = candidates[c]!;
      if (!((mask && !mask[i]) || taken[i])) total += expScores[i]!;
      weights[c] = total;
    }
  }
  // Without the softmax, or when every candidate is too far below the best item for it: relative to the best candidate.
  if (!(total > 0)) total = candidateWeights(scores, mask, candidates, taken, weights);
  let k = 0;
  // Redraws (draws - k) stop at 64. Counted from the draws, which every iteration increments: a counter bumped only on
  // the rare redraw had no type feedback when TurboFan compiled this loop, so each redraw threw the function out of
  // optimized code (52 deopts per 2,000 requests, a quarter of a request's time).
  for (let draws = 0; k < slots && total > 0 && draws - k < 64; draws++) {
    const r = rng.next() * total;
    let lo = 0, hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (weights[mid]! > r) hi = mid; else lo = mid + 1;
    }
    const i = candidates[lo]!;
    if (taken[i]) continue; // drawn before in this request: draw again
    picked[k++] = i;
    taken[i] = 1;
  }
  return k;
}

/** Cumulative exp(score - best candidate's score) over the eligible candidates into `weights`; returns the total. */
function candidateWeights(scores: Float32Array, mask: Uint8Array | null, candidates: Int32Array, taken: Uint8Array, weights: Float64Array): number {
  const m = candidates.length;
  let max = -Infinity;
  for (let c = 0; c < m; c++) {
    const i = candidates[c]!;
    if ((mask && !mask[i]) || taken[i]) continue;
    const s = scores[i]!;
    if (s > max) max = s;
  }
  if (max === -Infinity) return 0;
  // Like softmaxStats, terms 30 below the max are negligible and left at 0.
  for (let c = 0; c < m; c++) {
    const i = candidates[c]!;
    const s = scores[i]!;
    weights[c] = !((mask && !mask[i]) || taken[i]) && s > max - 30 ? s - max : -Infinity;
  }
  return cumulativeExp(weights, m);
}

/** interleave()'s position scratch, reused by every call (calls never overlap: each runs to its end). */
let scratch = { pos: new Int32Array(1024), isExtra: new Uint8Array(1024) };

/**
 * Place `extra` (in its order) at seeded random positions among `base` (kept in order): out has
 * nBase + nExtra slots; outKind carries base's kinds and `extraKind` for the placed ones.
 */
export function interleave(
  base: Int32Array, baseKind: Uint8Array, nBase: number, extra: Int32Array, nExtra: number, extraKind: number, rng: Rng, out: Int32Array, outKind: Uint8Array,
): number {
  const n = nBase + nExtra;
  if (nExtra === 0) {
    out.set(base.subarray(0, nBase));
    outKind.set(baseKind.subarray(0, nBase));
    return n;
  }
  // Choose nExtra distinct positions out of n (partial Fisher-Yates over position indices).
  if (scratch.pos.length < n) scratch = { pos: new Int32Array(2 * n), isExtra: new Uint8Array(2 * n) };
  const { pos, isExtra } = scratch;
  for (let i = 0; i < n; i++) { pos[i] = i; isExtra[i] = 0; }
  for (let j = 0; j < nExtra; j++) {
    const r = j + rng.int(n - j);
    const t = pos[j]!; pos[j] = pos[r]!; pos[r] = t;
  }
  for (let j = 0; j < nExtra; j++) isExtra[pos[j]!] = 1;
  let a = 0, b = 0;
  for (let p = 0; p < n; p++) {
    if (isExtra[p]) { out[p] = extra[b++]!; outKind[p] = extraKind; }
    else { outKind[p] = baseKind[a]!; out[p] = base[a++]!; }
  }
  return n;
}
