// aws-trending-now: the items whose interactions grow fastest between the last two complete
// windows of `trend_discovery_frequency` ending at the newest interaction; the same list for everyone.
import type { HyperParameterSpec, Model, ModelArtifact, Recipe, TrainingData } from './types.js';
import { itemPopularity } from './popularity-count.js';

/** Personalize's allowed trend_discovery_frequency values, in seconds. */
export const TREND_WINDOWS: Readonly<Record<string, number>> = {
  '30 minutes': 1800, '1 hour': 3600, '2 hours': 7200, '3 hours': 10800, '1 day': 86400,
};

/** Growth smoothing: an item going 0 -> 1 is not as trending as one going 10 -> 30. */
const PRIOR = 1;

export function trendWindowSeconds(params: Record<string, string>): number {
  const raw = (params.trend_discovery_frequency ?? '2 hours').trim();
  const secs = TREND_WINDOWS[raw];
  if (secs === undefined) {
    throw new RangeError(`trend_discovery_frequency=${JSON.stringify(raw)} must be one of: ${Object.keys(TREND_WINDOWS).join(', ')}.`);
  }
  return secs;
}

export const trendingNow: Recipe = {
  name: 'aws-trending-now',
  recipeType: 'POPULAR_ITEMS',
  hasScores: false,
  hyperParameters: [] as HyperParameterSpec[],
  train(data: TrainingData, params: Record<string, string>): ModelArtifact {
    const W = trendWindowSeconds(params);
    const n = data.itemIds.length;
    const end = data.maxTimestamp, mid = end - W, start = end - 2 * W;
    // Windows are (start, mid] and (mid, end]: the newest interaction closes the last window.
    const last = new Float32Array(n), prev = new Float32Array(n);
    let inWindows = 0;
    for (let p = 0; p < data.itemIdx.length; p++) {
      const t = data.timestamps[p]!;
      if (t <= start || t > end) continue;
      (t > mid ? last : prev)[data.itemIdx[p]!]! += 1;
      inWindows++;
    }
    // growth = (last - prev) / (prev + PRIOR), in (-1, last]; items absent from both windows come
    // after every windowed item, by overall popularity, so long lists continue sensibly.
    const pop = itemPopularity(data).uniqueUsers;
    let maxPop = 1;
    for (let i = 0; i < n; i++) if (pop[i]! > maxPop) maxPop = pop[i]!;
    const score = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      score[i] = last[i]! + prev[i]! > 0
        ? (last[i]! - prev[i]!) / (prev[i]! + PRIOR) + 1e-3 * last[i]!
        : -2 + pop[i]! / maxPop;
    }
    return {
      recipe: 'aws-trending-now',
      meta: { windowSeconds: W, windowEnd: end, interactionsInWindows: inWindows, empty: inWindows === 0 },
      arrays: { score, last, prev },
    };
  },
  load(artifact: ModelArtifact): Model {
    const score = artifact.arrays.score as Float32Array;
    // No interactions in the last two windows: Personalize falls back to popular items.
    const empty = artifact.meta.empty === true;
    return {
      score(_q, out) {
        if (empty) return false;
        out.set(score);
        return true;
      },
    };
  },
};
