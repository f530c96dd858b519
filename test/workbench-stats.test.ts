// The statistics behind the workbench's intervals and paired tests, checked against reference values
// (scipy.stats), and the per-user metric values checked on hand-computed lists.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { itemStats, UserMetrics } from '../src/engine/evaluation/per-user.js';
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { meanInterval, pairedTTest, tQuantile, tTwoSided } from '../src/lib/stats.js';
import { evaluate } from '../src/workbench/evaluate.js';
import { tempDir } from './helpers/data.js';
import { writePlanted } from './helpers/planted.js';

describe("Student's t", () => {
  test('quantiles and two-sided p-values match scipy.stats.t', () => {
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.7764451051977934, 9);
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706204736174694, 8);
    expect(tTwoSided(2.0, 10)).toBeCloseTo(0.07338803477074037, 12);
    expect(tTwoSided(0.5, 3)).toBeCloseTo(0.651447964848151, 12);
    expect(tTwoSided(3.3, 200)).toBeCloseTo(0.0011447226651288877, 12);
  });

  test('a mean interval is mean +- t(0.975, n-1) * sd / sqrt(n)', () => {
    const iv = meanInterval([1, 2, 3, 4, 5]);
    const half = 2.7764451051977934 * Math.sqrt(2.5 / 5);
    expect(iv.mean).toBe(3);
    expect(iv.low).toBeCloseTo(3 - half, 10);
    expect(iv.high).toBeCloseTo(3 + half, 10);
    expect(meanInterval([7])).toEqual({ mean: 7, low: 7, high: 7, n: 1 });
  });

  test('a paired test of differences: scipy.stats.ttest_1samp([0.1, 0.2, 0.3, -0.1]) has p = 0.2394', () => {
    const t = pairedTTest([0.1, 0.2, 0.3, -0.1]);
    expect(t.mean).toBeCloseTo(0.125, 12);
    expect(t.t).toBeCloseTo(1.4638501094227998, 10);
    expect(t.pValue).toBeCloseTo(0.23944259863600273, 10);
    expect(pairedTTest([0, 0, 0]).pValue).toBe(1);
  });
});

describe('per-user values of a ranked list', () => {
  // Item popularity: a by 3 users, b by 2, c by 1, d by none.
  const data = trainingDataFromRows([
    { user: 'u1', item: 'a', timestamp: 1 }, { user: 'u1', item: 'b', timestamp: 2 }, { user: 'u1', item: 'c', timestamp: 3 },
    { user: 'u2', item: 'a', timestamp: 1 }, { user: 'u2', item: 'b', timestamp: 2 }, { user: 'u3', item: 'a', timestamp: 1 },
  ], [{ item: 'd', GENRES: 'x' }]);
  const [a, b, c, d] = [0, 1, 2, 3];

  test('popularity percentile, novelty and head items come from the training counts', () => {
    const s = itemStats(data);
    expect(Array.from(s.percentile)).toEqual([100, 100 * 2 / 3, 100 / 3, 0].map(Math.fround));
    expect(s.selfInformation[a]).toBeCloseTo(-Math.log2(4 / 4), 6);
    expect(s.selfInformation[d]).toBeCloseTo(-Math.log2(1 / 4), 6);
    // a holds 3 of 6 interactions: half, so a alone is the head.
    expect(Array.from(s.head)).toEqual([1, 0, 0, 0]);
  });

  test('one list [d, b, a] against held-out {a, c}', () => {
    const m = new UserMetrics(1, itemStats(data));
    m.add(0, Int32Array.from([d, b, a]), 3, Int32Array.from([a, c]));
    const v = (k: string) => m.values[k]![0]!;
    expect(v('precision_at_5')).toBeCloseTo(1 / 5, 12);
    expect(v('recall_at_5')).toBeCloseTo(1 / 2, 12);
    expect(v('hit_rate_at_5')).toBe(1);
    expect(v('mean_reciprocal_rank_at_25')).toBeCloseTo(1 / 3, 12);
    expect(v('normalized_discounted_cumulative_gain_at_5')).toBeCloseTo((1 / Math.log2(4)) / (1 + 1 / Math.log2(3)), 12);
    expect(v('popularity_percentile_at_25')).toBeCloseTo((0 + 200 / 3 + 100) / 3, 5);
    expect(v('recall_at_25_head_items')).toBe(1); // a found
    expect(v('recall_at_25_tail_items')).toBe(0); // c not
    expect(v('tail_share_at_25')).toBeCloseTo(2 / 3, 12);
    expect(m.coverage()).toBe(3 / 4);
    expect(m.ndcgCurve[2]).toBeCloseTo(v('normalized_discounted_cumulative_gain_at_5'), 12);
  });
});

describe('intervals', () => {
  test('shrink with more seeds; with one seed they are over the test users', async () => {
    const data = writePlanted(join(tempDir('wb-'), 'clusters'), 'clusters');
    const width = async (seeds: number) => {
      const r = await evaluate({ data, recipes: ['aws-user-personalization'], seeds, workers: 0, out: false });
      const e = r.configurations[0]!.model.metrics.normalized_discounted_cumulative_gain_at_10!;
      return { width: e.high - e.low, n: e.n, e };
    };
    const [one, two, eight] = [await width(1), await width(2), await width(8)];
    expect(one.n).toBe(40); // 10% of 400 users
    expect(two.n).toBe(2);
    expect(eight.n).toBe(8);
    expect(eight.width).toBeLessThan(two.width);
    expect(eight.e.low).toBeLessThan(eight.e.mean);
  });
});
