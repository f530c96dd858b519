// topK equals a full sort's first k (ties to the lower index), with and without a mask.
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/lib/random.js';
import { descendingOrder, maxOf, topK, topKInOrder } from '../src/lib/topk.js';

function reference(scores: Float32Array, mask: Uint8Array | null, k: number): number[] {
  return Array.from(scores.keys())
    .filter((i) => (!mask || mask[i]) && !Number.isNaN(scores[i]!))
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

/** 200 random cases with many ties, NaNs and masks: scores, mask (or null) and k. */
function* cases(seed: number): Generator<{ scores: Float32Array; mask: Uint8Array | null; k: number }> {
  const rng = new Rng(seed);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + rng.int(300);
    const scores = Float32Array.from({ length: n }, () => (rng.next() < 0.05 ? NaN : rng.int(20)));
    const mask = rng.next() < 0.5 ? Uint8Array.from({ length: n }, () => (rng.next() < 0.7 ? 1 : 0)) : null;
    yield { scores, mask, k: rng.int(n + 5) };
  }
}

describe('topK', () => {
  it('matches a full sort on random scores with many ties, NaNs and masks', () => {
    for (const { scores, mask, k } of cases(11)) {
      const out = new Int32Array(Math.max(k, 1));
      const got = topK(scores, mask, k, out);
      expect(Array.from(out.subarray(0, got))).toEqual(reference(scores, mask, k));
    }
  });

  it('walking a precomputed order (fixed scores such as popularity) gives the same answer', () => {
    for (const { scores, mask, k } of cases(12)) {
      const out = new Int32Array(Math.max(k, 1));
      const got = topKInOrder(descendingOrder(scores), mask, k, out);
      expect(Array.from(out.subarray(0, got))).toEqual(reference(scores, mask, k));
    }
  });

  it('maxOf ignores NaN, reads every length, and is -Infinity for nothing', () => {
    expect(maxOf(new Float32Array(0))).toBe(-Infinity);
    expect(maxOf(Float32Array.of(NaN, NaN))).toBe(-Infinity);
    const rng = new Rng(13);
    for (let n = 1; n < 40; n++) {
      const v = Float32Array.from({ length: n }, () => (rng.next() < 0.2 ? NaN : rng.next() * 10 - 5));
      const expected = Array.from(v).filter((x) => !Number.isNaN(x)).reduce((a, b) => Math.max(a, b), -Infinity);
      expect(maxOf(v)).toBe(expected);
    }
  });
});
