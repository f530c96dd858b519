// The optional offline metrics on hand-computed cases: event-weighted NDCG (eventsConfig), the reward
// share behind average_rewards_at_k (optimizationObjective), the split's relevant weights, the objective formula.
import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../src/engine/evaluation/evaluate.js';
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { rewardShareAtK, weightedNdcgAtK } from '../src/engine/evaluation/metrics.js';
import { splitForEvaluation } from '../src/engine/evaluation/split.js';
import { applyObjective, normalizeAttribute } from '../src/engine/training/objective.js';
import type { Model } from '../src/recipes/types.js';

describe('weightedNdcgAtK', () => {
  it('uses each hit\'s event weight as its gain, against the ideal order of the weights', () => {
    // purchase (0.3) found at rank 2, click (0.1) at rank 4
    const v = weightedNdcgAtK([0, 0.3, 0, 0.1], [0.1, 0.3], 25)!;
    const dcg = 0.3 / Math.log2(3) + 0.1 / Math.log2(5);
    const idcg = 0.3 / Math.log2(2) + 0.1 / Math.log2(3);
    expect(v).toBeCloseTo(dcg / idcg, 12);
    expect(v).toBeCloseTo(0.63991, 4);
    // only ratios matter
    expect(weightedNdcgAtK([0, 3, 0, 1], [1, 3], 25)).toBeCloseTo(v, 12);
    // equal weights: plain NDCG
    expect(weightedNdcgAtK([0, 1], [1], 25)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(weightedNdcgAtK([0, 0], [0, 0], 25)).toBeUndefined();
  });
});

describe('rewardShareAtK', () => {
  it('is the relevant rewards found in the top k over all relevant rewards', () => {
    // relevant items with rewards 20 (rank 2), 5 (rank 4), 25 (not found)
    expect(rewardShareAtK([0, 20, 0, 5], 50, 25)).toBe(0.5);
    expect(rewardShareAtK([0, 20, 0, 5], 50, 2)).toBe(0.4);
    expect(rewardShareAtK([0, 0], 0, 25)).toBeUndefined();
  });
});

describe('objective formula', () => {
  it('min-max normalizes relevance and the attribute, then mixes them with λ', () => {
    const attr = normalizeAttribute(Float64Array.of(10, NaN, 30, 20));
    expect([...attr]).toEqual([0, 0, 1, 0.5]);
    const out = new Float32Array(4);
    applyObjective(Float32Array.of(4, 2, 0, -Infinity), { attribute: attr, lambda: 0.75 }, out);
    expect(out[0]).toBeCloseTo(0.25, 6); // relevance 1, attribute 0
    expect(out[1]).toBeCloseTo(0.125, 6); // relevance 0.5, missing attribute
    expect(out[2]).toBeCloseTo(0.75, 6); // relevance 0, attribute 1
    expect(out[3]).toBe(-Infinity); // ruled out by the model: stays out
  });
});

describe('evaluateModel extras', () => {
  // Scores item i as -i (item 0 best).
  const descending: Model = { score(_q, out) { for (let i = 0; i < out.length; i++) out[i] = -i; return true; } };
  const values = new Float64Array(40);
  values[1] = 10; values[30] = 50; values[35] = 30;
  const test = [
    { user: 'a', history: Int32Array.of(39), relevant: Int32Array.of(1, 30, 35), relevantWeights: Float32Array.of(1, 1, 1) },
    { user: 'b', history: Int32Array.of(0), relevant: Int32Array.of(3, 7), relevantWeights: Float32Array.of(0.3, 0.1) },
  ];

  it('adds no key unless asked, and leaves the others unchanged', () => {
    const plain = evaluateModel(descending, test, 40, new Float32Array(40));
    expect(Object.keys(plain)).not.toContain('average_rewards_at_k');
    expect(Object.keys(plain)).not.toContain('normalized_discounted_cumulative_gain_with_event_weights_at_k');
    const off = evaluateModel(descending, test, 40, new Float32Array(40), { objective: { values, lambda: 0 }, eventWeights: true });
    expect({ ...off, average_rewards_at_k: 0, normalized_discounted_cumulative_gain_with_event_weights_at_k: 0 })
      .toEqual({ ...plain, average_rewards_at_k: 0, normalized_discounted_cumulative_gain_with_event_weights_at_k: 0 });
  });

  it('average_rewards_at_k: OFF finds only item 1 (10 of 90); HIGH pulls items 30 and 35 into the top 25', () => {
    // user b's relevant items carry no reward: left out of the average
    const off = evaluateModel(descending, test, 40, new Float32Array(40), { objective: { values, lambda: 0 } });
    expect(off.average_rewards_at_k).toBeCloseTo(10 / 90, 12);
    const high = evaluateModel(descending, test, 40, new Float32Array(40), { objective: { values, lambda: 0.75 } });
    expect(high.average_rewards_at_k).toBeCloseTo(1, 12);
    // item 30 (attribute 1) now ranks first for a: MRR of a is 1
    expect(high.mean_reciprocal_rank_at_25).toBeGreaterThan(off.mean_reciprocal_rank_at_25!);
  });

  it('event-weighted NDCG: a finds item 1 at rank 2, b finds 0.3 at rank 3 and 0.1 at rank 7', () => {
    const m = evaluateModel(descending, test, 40, new Float32Array(40), { eventWeights: true });
    const a = (1 / Math.log2(3)) / (1 + 1 / Math.log2(3) + 1 / Math.log2(4)); // a: item 1 at rank 2; 30, 35 outside the top 25
    const b = (0.3 / Math.log2(4) + 0.1 / Math.log2(8)) / (0.3 + 0.1 / Math.log2(3));
    expect(m.normalized_discounted_cumulative_gain_with_event_weights_at_k).toBeCloseTo((a + b) / 2, 7) // weights are float32;
  });
});

describe('splitForEvaluation relevant weights', () => {
  it('carries the largest eventsConfig weight among a relevant item\'s held-out interactions', () => {
    const rows = Array.from({ length: 20 }, (_, u) => ({ user: `s${u}`, item: 'x', timestamp: 1, eventType: 'click' }));
    for (let k = 0; k < 18; k++) rows.push({ user: 'w', item: `h${k}`, timestamp: k, eventType: 'click' });
    rows.push({ user: 'w', item: 'z', timestamp: 100, eventType: 'purchase' }, { user: 'w', item: 'z', timestamp: 101, eventType: 'click' });
    const data = trainingDataFromRows(rows, [], { eventParameters: [{ eventType: 'click', weight: 0.1 }, { eventType: 'purchase', weight: 0.3 }] });
    const { test } = splitForEvaluation(data, 1);
    expect(test.map((t) => t.user)).toEqual(['w']);
    expect([...test[0]!.relevant].map((i) => data.itemIds[i])).toEqual(['z']);
    expect(test[0]!.relevantWeights![0]).toBeCloseTo(0.3, 6);
  });
});
