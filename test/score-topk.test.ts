// ScoreTopK: the WASM top-k scan over its own buffers picks the same items in the same order as lib/topk.ts's topK —
// ties to the lower index, NaN never chosen, -Infinity last, masks honoured — and other arrays go to topK itself.
import { describe, expect, it } from 'vitest';
import { ScoreTopK } from '../src/lib/score-topk.js';
import { topK } from '../src/lib/topk.js';
import { Rng } from '../src/lib/random.js';

describe('ScoreTopK', () => {
  for (const n of [1, 3, 7, 64, 1001, 10_000]) {
    it(`ranks ${n} scores as topK does, with ties, NaN, -Infinity and masks`, () => {
      const rng = new Rng(n);
      const tk = ScoreTopK.create(n, 1, 1, 500)!;
      expect(tk).not.toBeNull();
      const scores = tk.floats[0]!, mask = tk.masks[0]!;
      for (let i = 0; i < n; i++) {
        const u = rng.next();
        // Coarse values: many ties; a few NaN and -Infinity.
        scores[i] = u < 0.05 ? NaN : u < 0.1 ? -Infinity : Math.round(rng.normal() * 8) / 4;
        mask[i] = rng.next() < 0.7 ? 1 : 0;
      }
      for (const k of [1, 2, 5, 25, 100, 500]) {
        for (const m of [null, mask]) {
          const want = new Int32Array(k), got = new Int32Array(k);
          const a = topK(Float32Array.from(scores), m && Uint8Array.from(m), k, want);
          const b = tk.topK(scores, m, k, got);
          expect(b).toBe(a);
          expect(Array.from(got.subarray(0, b))).toEqual(Array.from(want.subarray(0, a)));
        }
      }
    });
  }

  it('falls back to topK for arrays outside its memory and for k above its capacity', () => {
    const tk = ScoreTopK.create(10, 1, 1, 3)!;
    const outside = Float32Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]);
    const out = new Int32Array(5);
    expect(tk.topK(outside, null, 3, out)).toBe(3);
    expect(Array.from(out.subarray(0, 3))).toEqual([5, 7, 4]);
    tk.floats[0]!.set(outside);
    expect(tk.topK(tk.floats[0]!, null, 5, out)).toBe(5);
    expect(Array.from(out)).toEqual([5, 7, 4, 8, 2]);
  });
});
