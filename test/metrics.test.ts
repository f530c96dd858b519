// Personalize's offline metrics on hand-computed cases, the evaluation split, and evaluateModel end to end.
import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../src/engine/evaluation/evaluate.js';
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { coverage, dcgAtK, ndcgAtK, precisionAtK, reciprocalRankAtK } from '../src/engine/evaluation/metrics.js';
import { splitForEvaluation } from '../src/engine/evaluation/split.js';
import type { Model } from '../src/recipes/types.js';

/** A hit vector with 1 at the given 1-based positions. */
const hitsAt = (positions: number[], length = 25): Uint8Array => {
  const h = new Uint8Array(length);
  for (const p of positions) h[p - 1] = 1;
  return h;
};

describe('ranking metrics (reference §9.2 examples)', () => {
  it('NDCG@5 with relevant items at positions 2 and 5 is 0.6241', () => {
    // (1/log(3) + 1/log(6)) / (1/log(2) + 1/log(3))
    expect(ndcgAtK(hitsAt([2, 5]), 2, 5)).toBeCloseTo(0.6241, 4);
  });

  it('NDCG is 1 for a perfect ranking, 0 without hits, and counts at most k ideal positions', () => {
    expect(ndcgAtK(hitsAt([1, 2, 3]), 3, 10)).toBeCloseTo(1, 12);
    expect(ndcgAtK(hitsAt([]), 3, 10)).toBe(0);
    // 30 relevant items, all of the top 5 hit: still perfect at k=5.
    expect(ndcgAtK(hitsAt([1, 2, 3, 4, 5]), 30, 5)).toBeCloseTo(1, 12);
    expect(dcgAtK(hitsAt([1]), 5)).toBe(1);
  });

  it('MRR over three users with first hits at 4, 2 and 6 is 0.3056', () => {
    const rr = [hitsAt([4, 9]), hitsAt([2]), hitsAt([6, 7])].map((h) => reciprocalRankAtK(h, 25));
    expect(rr.reduce((a, b) => a + b) / 3).toBeCloseTo(0.3056, 4);
    expect(reciprocalRankAtK(hitsAt([26], 30), 25)).toBe(0);
  });

  it('precision@10 with 3 hits in the top 10 is 3/10, and a short list still divides by k', () => {
    expect(precisionAtK(hitsAt([1, 4, 10, 11]), 10)).toBeCloseTo(0.3, 12);
    expect(precisionAtK(hitsAt([1], 3), 10)).toBeCloseTo(0.1, 12);
  });

  it('coverage is the share of items recommended to anyone', () => {
    expect(coverage(Uint8Array.of(1, 0, 1, 0))).toBe(0.5);
    expect(coverage(new Uint8Array(0))).toBe(0);
  });
});

/** 30 users; user u has 10 + u interactions with items (u + t) mod 40 at times t (oldest first). */
function syntheticData(extraUsers: { user: string; items: number }[] = []) {
  const rows: { user: string; item: string; timestamp: number }[] = [];
  for (let u = 0; u < 30; u++) {
    for (let t = 0; t < 10 + u; t++) rows.push({ user: `u${String(u).padStart(2, '0')}`, item: `i${String((u + t) % 40).padStart(2, '0')}`, timestamp: 1000 + t });
  }
  for (const e of extraUsers) for (let t = 0; t < e.items; t++) rows.push({ user: e.user, item: `i${String(t).padStart(2, '0')}`, timestamp: 5000 + t });
  return trainingDataFromRows(rows);
}

describe('splitForEvaluation (reference §9.1)', () => {
  it('holds out 10% of users; each keeps its oldest 90% as history and newest 10% as relevant', () => {
    const data = syntheticData();
    const { train, test } = splitForEvaluation(data, 7);
    expect(test).toHaveLength(3);
    expect(train.userIds).toHaveLength(27);
    expect(train.itemIds).toEqual(data.itemIds);
    for (const t of test) {
      expect(train.userIds).not.toContain(t.user);
      const u = data.userIds.indexOf(t.user);
      const n = data.userPtr[u + 1]! - data.userPtr[u]!;
      const nRel = Math.max(1, n - Math.ceil(0.9 * n));
      expect(t.history.length).toBe(n - nRel);
      expect([...t.history]).toEqual([...data.itemIdx.subarray(data.userPtr[u]!, data.userPtr[u]! + n - nRel)]);
      expect(new Set(t.relevant)).toEqual(new Set(data.itemIdx.subarray(data.userPtr[u]! + n - nRel, data.userPtr[u + 1]!)));
    }
    // train is a valid CSR over the remaining interactions
    expect(train.userPtr[train.userIds.length]).toBe(train.itemIdx.length);
    const heldOut = test.reduce((s, t) => s + t.history.length + t.relevant.length, 0);
    expect(train.itemIdx.length + heldOut).toBe(data.itemIdx.length);
  });

  it("gives train each kept user's rows: items, times, weights and event types (the last three made when first read)", () => {
    const data = syntheticData();
    data.weights.forEach((_, p) => { data.weights[p] = 1 + (p % 3); data.eventType[p] = p % 2; });
    const { train } = splitForEvaluation(data, 7);
    expect(Object.getOwnPropertyDescriptor(train, 'timestamps')!.get).toBeDefined(); // not copied yet
    for (let v = 0; v < train.userIds.length; v++) {
      const u = data.userIds.indexOf(train.userIds[v]!);
      const [s, e, ts, te] = [data.userPtr[u]!, data.userPtr[u + 1]!, train.userPtr[v]!, train.userPtr[v + 1]!];
      expect([...train.itemIdx.subarray(ts, te)]).toEqual([...data.itemIdx.subarray(s, e)]);
      expect([...train.timestamps.subarray(ts, te)]).toEqual([...data.timestamps.subarray(s, e)]);
      expect([...train.weights.subarray(ts, te)]).toEqual([...data.weights.subarray(s, e)]);
      expect([...train.eventType.subarray(ts, te)]).toEqual([...data.eventType.subarray(s, e)]);
    }
    expect(train.maxTimestamp).toBe(Math.max(...train.timestamps));
    expect({ ...train }.weights).toBe(train.weights); // made once, then a plain property
  });

  it('is a pure function of the seed, and different seeds hold out different users', () => {
    const data = syntheticData();
    const a = splitForEvaluation(data, 1).test.map((t) => t.user);
    expect(splitForEvaluation(data, 1).test.map((t) => t.user)).toEqual(a);
    const others = [2, 3, 4, 5].map((s) => splitForEvaluation(data, s).test.map((t) => t.user).join());
    expect(others.some((o) => o !== a.join())).toBe(true);
  });

  it('never holds out users with fewer than 2 interactions', () => {
    const rows = Array.from({ length: 20 }, (_, u) => ({ user: `s${u}`, item: 'x', timestamp: 1 }));
    rows.push({ user: 'two', item: 'x', timestamp: 1 }, { user: 'two', item: 'y', timestamp: 2 });
    const { test, train } = splitForEvaluation(trainingDataFromRows(rows), 3);
    expect(test.map((t) => t.user)).toEqual(['two']);
    expect([...test[0]!.history]).toHaveLength(1);
    expect([...test[0]!.relevant]).toHaveLength(1);
    expect(train.userIds).toHaveLength(20);
  });
});

describe('evaluateModel', () => {
  // Scores item i as -i (item 0 best) unless the history is empty.
  const descending: Model = {
    score(q, out) {
      if (!q.history || q.history.length === 0) return false;
      for (let i = 0; i < out.length; i++) out[i] = -i;
      return true;
    },
  };

  it('averages the metrics over users, leaving history items out of the ranked list by default', () => {
    const test = [
      // history holds items 0 and 1, so the list is 2, 3, 4, ...: relevant 3 sits at rank 2
      { user: 'a', history: Int32Array.of(0, 1), relevant: Int32Array.of(3) },
      // relevant 10 at rank 11 with items 0..29 ranked: outside the top 10, inside the top 25
      { user: 'b', history: Int32Array.of(29), relevant: Int32Array.of(10) },
    ];
    const m = evaluateModel(descending, test, 40, new Float32Array(40));
    expect(m.mean_reciprocal_rank_at_25).toBeCloseTo((1 / 2 + 1 / 11) / 2, 12);
    expect(m.precision_at_10).toBeCloseTo((1 / 10 + 0) / 2, 12);
    expect(m.normalized_discounted_cumulative_gain_at_5).toBeCloseTo((1 / Math.log2(3)) / 2, 12);
    // items 2..26 for a, 0..24 for b: 27 distinct of 40
    expect(m.coverage).toBeCloseTo(27 / 40, 12);
    const kept = evaluateModel(descending, test, 40, new Float32Array(40), { excludeHistory: false });
    expect(kept.mean_reciprocal_rank_at_25).toBeCloseTo((1 / 4 + 1 / 11) / 2, 12);
  });

  it('ranks by the fallback scores when the model has nothing for a user', () => {
    const fallback = Float32Array.from({ length: 10 }, (_, i) => i); // item 9 most popular
    const test = [{ user: 'cold', history: new Int32Array(0), relevant: Int32Array.of(9) }];
    const m = evaluateModel(descending, test, 10, fallback);
    expect(m.mean_reciprocal_rank_at_25).toBe(1);
    expect(m.precision_at_5).toBeCloseTo(0.2, 12);
  });
});
