// From job results (per seed, per user) to what results.json reports: means with 95% intervals, segments,
// curves, and paired tests against the baseline over the same test users.
import { LIST_LENGTH, POPULARITY_RANK_EDGES } from '../engine/evaluation/per-user.js';
import { meanInterval, pairedTTest } from '../lib/stats.js';
import type { JobResult, ListResults } from './job.js';
import type { Comparison, Estimate, ListsResult, SegmentResult } from './results.js';

/** Users by input-history length; "0" appears only with a time split (users new since the cut). */
export const SEGMENTS: readonly { segment: string; min: number; max: number | null }[] = [
  { segment: '0', min: 0, max: 0 }, { segment: '1-4', min: 1, max: 4 }, { segment: '5-19', min: 5, max: 19 }, { segment: '20+', min: 20, max: null },
];
export const SEGMENT_METRICS = ['normalized_discounted_cumulative_gain_at_10', 'recall_at_25', 'hit_rate_at_10', 'popularity_percentile_at_25'];

/** Six significant digits: what the report needs, and stable text in results.json. */
export function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

function est(iv: { mean: number; low: number; high: number; n: number }): Estimate {
  return { mean: round(iv.mean), low: round(iv.low), high: round(iv.high), n: iv.n };
}

/** Mean of the finite values, NaN when there are none. */
function meanOf(values: ArrayLike<number>, keep?: (i: number) => boolean): number {
  let s = 0, n = 0;
  for (let i = 0; i < values.length; i++) if ((!keep || keep(i)) && Number.isFinite(values[i]!)) { s += values[i]!; n++; }
  return n ? s / n : NaN;
}

/**
 * The estimate of a per-user metric over seeds: the mean over seeds of each seed's mean over its test users,
 * with a t-interval over the seed means (which carry both the users' and the split's variation). With one
 * seed, the mean and t-interval over that seed's users.
 */
export function perUserEstimate(perSeed: ArrayLike<number>[], keep?: (seed: number, i: number) => boolean): { estimate: Estimate; seedMeans: number[] } {
  const seedMeans = perSeed.map((v, s) => meanOf(v, keep && ((i) => keep(s, i))));
  if (perSeed.length >= 2) return { estimate: est(meanInterval(seedMeans)), seedMeans };
  const only = perSeed[0]!;
  const vals = keep ? Array.from(only).filter((_, i) => keep(0, i)) : only;
  return { estimate: est(meanInterval(vals)), seedMeans };
}

/**
 * Paired test of lists `a` against lists `b` over the users both held out on the same seed: each user's
 * difference averaged over those seeds, then a paired t-test over users.
 */
export function compare(a: JobResult[], b: JobResult[], pick: (j: JobResult) => ListResults | undefined, pickB: (j: JobResult) => ListResults | undefined, key: string, against: string): Comparison | undefined {
  const sum = new Map<string, { d: number; n: number }>();
  for (let s = 0; s < a.length; s++) {
    const la = pick(a[s]!), lb = pickB(b[s]!);
    const va = la?.perUser[key], vb = lb?.perUser[key];
    if (!va || !vb) return undefined;
    const row = new Map(b[s]!.testUsers.map((u, i) => [u, i]));
    a[s]!.testUsers.forEach((u, i) => {
      const j = row.get(u);
      if (j === undefined || !Number.isFinite(va[i]!) || !Number.isFinite(vb[j]!)) return;
      const e = sum.get(u) ?? { d: 0, n: 0 };
      e.d += va[i]! - vb[j]!;
      e.n++;
      sum.set(u, e);
    });
  }
  const diffs = Float64Array.from(sum.values(), (e) => e.d / e.n);
  const t = pairedTTest(diffs);
  return { against, difference: round(t.mean), low: round(t.low), high: round(t.high), pValue: round(t.pValue), users: diffs.length };
}

/** Everything about one kind of list (model or served) of one configuration, over its seeds' jobs. */
export function summarizeLists(jobs: JobResult[], pick: (j: JobResult) => ListResults | undefined, rankBins: number): Omit<ListsResult, 'comparison'> {
  const lists = jobs.map((j) => pick(j)!);
  const metrics: Record<string, Estimate> = {}, perSeed: Record<string, number[]> = {};
  // Aggregates that are not per user (coverage; eventsConfig / objective keys): an interval over seeds.
  for (const key of Object.keys(lists[0]!.metrics).sort()) {
    if (lists[0]!.perUser[key]) continue;
    const values = lists.map((l) => l.metrics[key]!);
    metrics[key] = est(meanInterval(values));
    perSeed[key] = values.map(round);
  }
  for (const key of Object.keys(lists[0]!.perUser)) {
    const { estimate, seedMeans } = perUserEstimate(lists.map((l) => l.perUser[key]!));
    metrics[key] = estimate;
    perSeed[key] = seedMeans.map(round);
  }
  const ndcgCurve: Estimate[] = [];
  for (let k = 0; k < LIST_LENGTH; k++) ndcgCurve.push(est(meanInterval(jobs.map((j, s) => lists[s]!.ndcgCurve[k]! / Math.max(1, j.testUsers.length)))));
  const segments: SegmentResult[] = [];
  for (const seg of SEGMENTS) {
    const inSeg = (s: number, i: number) => {
      const h = jobs[s]!.historyLength[i]!;
      return h >= seg.min && (seg.max === null || h <= seg.max);
    };
    const counts = jobs.map((_, s) => { let n = 0; for (let i = 0; i < jobs[s]!.testUsers.length; i++) n += inSeg(s, i) ? 1 : 0; return n; });
    if (counts.every((c) => c === 0)) continue;
    const m: Record<string, Estimate> = {};
    for (const key of SEGMENT_METRICS) m[key] = perUserEstimate(lists.map((l) => l.perUser[key]!), inSeg).estimate;
    segments.push({ segment: seg.segment, minHistory: seg.min, maxHistory: seg.max, users: round(counts.reduce((a, b) => a + b, 0) / counts.length), metrics: m });
  }
  const hist = new Float64Array(POPULARITY_RANK_EDGES.length);
  for (const l of lists) for (let b = 0; b < hist.length; b++) hist[b]! += l.popularityHistogram[b]!;
  const total = hist.reduce((a, b) => a + b, 0) || 1;
  return { metrics, perSeed, ndcgCurve, segments, popularityHistogram: Array.from(hist.subarray(0, rankBins), (h) => round(h / total)) };
}

/** The per-seed values of a number each job reports (training seconds, model bytes) as an estimate over seeds. */
export function seedEstimate(values: number[]): Estimate {
  return est(meanInterval(values));
}
