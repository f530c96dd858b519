// rankingInfluence (POPULARITY, FRESHNESS): documented formula, applied to the candidates' scores in place.
//   final_i = relevance_i + wP * popularity_i + wF * freshness_i
// relevance_i is the model score min-max normalized over the candidates to [0, 1];
// popularity_i = log(1 + uniqueUsers_i) / log(1 + max uniqueUsers), in [0, 1];
// freshness_i = 1 - age_i / maxAge over the candidates, in [0, 1], age from CREATION_TIMESTAMP (else the
// item's first interaction) back from the newest one. Weight 0 leaves the ranking unchanged; a higher
// weight moves more popular / newer items up, monotonically.

export interface InfluenceArrays {
  /** log(1+uniqueUsers)/log(1+max), per item. */
  popularity: Float32Array;
  /** 1 - age/maxAge per item (0 when unknown). */
  freshness: Float32Array;
}

export function influenceArrays(uniqueUsers: Float32Array, creation: Float64Array, firstSeen: Float64Array): InfluenceArrays {
  const n = uniqueUsers.length;
  let maxPop = 0;
  for (let i = 0; i < n; i++) if (uniqueUsers[i]! > maxPop) maxPop = uniqueUsers[i]!;
  const popularity = new Float32Array(n);
  const lp = Math.log1p(maxPop) || 1;
  for (let i = 0; i < n; i++) popularity[i] = Math.log1p(uniqueUsers[i]!) / lp;
  let newest = -Infinity, oldest = Infinity;
  const born = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = Number.isNaN(creation[i]!) ? firstSeen[i]! : creation[i]!;
    born[i] = t;
    if (!Number.isNaN(t)) { if (t > newest) newest = t; if (t < oldest) oldest = t; }
  }
  const span = newest - oldest || 1;
  const freshness = new Float32Array(n);
  for (let i = 0; i < n; i++) freshness[i] = Number.isNaN(born[i]!) ? 0 : 1 - (newest - born[i]!) / span;
  return { popularity, freshness };
}

/**
 * Blend popularity and freshness into `scores` over the candidates (mask 1 or null = all). `range` (min, span)
 * normalizes relevance instead of the candidates' own min and max (the pipeline's, see relevanceRange).
 */
export function applyRankingInfluence(
  scores: Float32Array, mask: Uint8Array | null, arrays: InfluenceArrays, wPopularity: number, wFreshness: number, range?: { min: number; span: number },
): void {
  if (!(wPopularity > 0) && !(wFreshness > 0)) return;
  const n = scores.length;
  let lo = Infinity, hi = -Infinity;
  if (range) { lo = range.min; hi = range.min + range.span; } else {
    for (let i = 0; i < n; i++) {
      if (mask && !mask[i]) continue;
      const s = scores[i]!;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
  }
  const width = hi - lo || 1;
  const { popularity, freshness } = arrays;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    scores[i] = (scores[i]! - lo) / width + wPopularity * popularity[i]! + wFreshness * freshness[i]!;
  }
}
