// A factor model ranks a user's best items two ways: every score then top-k, or the exact top-k scorer
// (offline metrics use the second). Both give the same items.
import { describe, expect, it } from 'vitest';
import { factorModel } from '../src/recipes/mf/model.js';
import { topK } from '../src/lib/topk.js';
import { Rng } from '../src/lib/random.js';

describe('factor model top-k', () => {
  const rng = new Rng(3), k = 16, nUsers = 50, nItems = 3000;
  const X = Float32Array.from({ length: nUsers * k }, () => rng.next() - 0.5);
  const Y = Float32Array.from({ length: nItems * k }, () => rng.next() - 0.5);
  const model = factorModel({ k, X, Y, userCount: new Int32Array(nUsers).fill(3), regularization: 0.1, alpha: 1,
    recency: { enabled: false, halfLife: 10, floor: 1 } });

  it('gives the items of topK over all scores, for trained and folded-in users, with a mask', () => {
    const scores = new Float32Array(nItems), mask = new Uint8Array(nItems).fill(1);
    for (let i = 0; i < nItems; i += 7) mask[i] = 0;
    const queries = [
      { user: 4, item: -1, history: null },
      { user: -1, item: -1, history: Int32Array.of(10, 20, 30, 20) },
      { user: 9, item: -1, history: Int32Array.of(1, 2, 3, 4, 5) }, // more events than at training: folded in
    ];
    for (const q of queries) {
      const a = new Int32Array(25), b = new Int32Array(25);
      expect(model.score(q, scores)).toBe(true);
      const n = topK(scores, mask, 25, a);
      expect(model.topK(q, 25, mask, b)).toBe(n);
      expect(Array.from(b)).toEqual(Array.from(a));
    }
  });

  it('answers -1 when there is nothing to rank for (unknown user, no history)', () => {
    expect(model.topK({ user: -1, item: -1, history: new Int32Array(0) }, 25, new Uint8Array(nItems).fill(1), new Int32Array(25))).toBe(-1);
  });
});
