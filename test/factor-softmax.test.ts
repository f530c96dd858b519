// FactorSoftmax: the serving pass of factor models gives the same bits as the path it replaces — the ALS matvec's
// scores (recipes/mf/simd.ts), their max, lib/exp.ts's expAll terms and their sum — whatever the spread of scores.
import { describe, expect, it } from 'vitest';
import { FactorSoftmax } from '../src/lib/factor-softmax.js';
import { expAll } from '../src/lib/exp.js';
import { maxOf } from '../src/lib/topk.js';
import { Rng } from '../src/lib/random.js';
import { createKernels } from '../src/recipes/mf/simd.js';

/** Scores as the ALS kernels' matvec computes them (the JS path of factor models). */
function matvecScores(Y: Float32Array, n: number, k: number, kb: number, q: Float32Array): Float32Array {
  const K = createKernels(), w = kb >> 2, qAt = n * kb, outAt = qAt + kb;
  K.reserve(outAt + n * 4);
  for (let i = 0; i < n; i++) K.f32.set(Y.subarray(i * k, i * k + k), i * w);
  K.f32.set(q, qAt >> 2);
  K.matvec(0, n, qAt, outAt, kb);
  return K.f32.slice(outAt >> 2, (outAt >> 2) + n);
}

describe('FactorSoftmax', () => {
  for (const [n, k, scale] of [[1001, 64, 0.3], [10_000, 64, 0.25], [37, 10, 2], [5, 3, 8], [1, 8, 1]] as const) {
    it(`scores ${n} items x ${k} factors and their softmax terms bit for bit (factor scale ${scale})`, () => {
      const rng = new Rng(n * 31 + k);
      const Y = Float32Array.from({ length: n * k }, () => rng.normal() * scale);
      const kb = Math.ceil(k / 8) * 32;
      const fs = FactorSoftmax.create(Y, n, k, kb);
      expect(fs).not.toBeNull(); // Node 20 has WASM SIMD
      const q = new Float32Array(kb >> 2);
      for (let a = 0; a < k; a++) q[a] = rng.normal() * scale * 3;
      fs!.query.set(q);
      const pass = fs!.softmax(30);
      const expected = matvecScores(Y, n, k, kb, q);
      expect(Buffer.from(fs!.scores.buffer, fs!.scores.byteOffset, n * 4).equals(Buffer.from(expected.buffer, 0, n * 4))).toBe(true);
      expect(pass.max).toBe(maxOf(expected));
      const exps = new Float64Array(n);
      expect(pass.sum).toBe(expAll(expected, pass.max, 30, exps));
      expect(Array.from(pass.exps)).toEqual(Array.from(exps));
      // Terms below the floor are 0, and some of the wide spreads have them.
      if (scale >= 2) expect(exps.some((x) => x === 0)).toBe(true);
      // Scores alone: the same scores, the terms left as they were.
      fs!.query[0] = q[0]! + 1;
      fs!.score();
      expect(Array.from(fs!.scores)).toEqual(Array.from(matvecScores(Y, n, k, kb, fs!.query)));
    });
  }
});
