// FactorScorer: exact scores in the documented f32 order, exact top-k (ties to the lower index),
// masks, offsets, padding, and the int8 first pass / JS fallback giving identical answers.
import { describe, it, expect } from 'vitest';
import { FactorScorer } from '../src/lib/score.js';
import { Rng } from '../src/lib/random.js';

const fr = Math.fround;

function randomFactors(seed: number, n: number, d: number, scale = 1): Float32Array {
  const rng = new Rng(seed);
  const f = new Float32Array(n * d);
  for (let i = 0; i < f.length; i++) f[i] = rng.normal() * scale;
  return f;
}

/** The documented order: chunk j of 4 lanes into accumulator j % 4 (from +0), (a0+a1)+(a2+a3), then (l0+l2)+(l1+l3). */
function documentedDot(f: Float32Array, row: number, q: Float32Array, d: number): number {
  const dp = Math.ceil(d / 4) * 4;
  const acc = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  for (let j = 0; j < dp / 4; j++) {
    for (let l = 0; l < 4; l++) {
      const c = 4 * j + l;
      const p = c < d ? fr(f[row * d + c]! * q[c]!) : 0;
      acc[j % 4]![l] = fr(acc[j % 4]![l]! + p);
    }
  }
  const v = [0, 1, 2, 3].map((l) => fr(fr(acc[0]![l]! + acc[1]![l]!) + fr(acc[2]![l]! + acc[3]![l]!)));
  return fr(fr(v[0]! + v[2]!) + fr(v[1]! + v[3]!));
}

/** Reference top-k: full sort by (score desc, index asc) over finite-or-infinite, unmasked scores. */
function sortTopK(scores: Float32Array, mask: Uint8Array | null, k: number): number[] {
  const idx = [...scores.keys()].filter((i) => (mask === null || mask[i] !== 0) && !Number.isNaN(scores[i]));
  idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return idx.slice(0, k);
}

function topOf(s: FactorScorer, q: Float32Array, k: number, mask: Uint8Array | null, w = 0): { idx: number[]; scores: number[] } {
  const top = new Int32Array(Math.max(k, 1)), sc = new Float32Array(Math.max(k, 1));
  const c = s.topK(q, k, mask, top, sc, { influenceWeight: w });
  return { idx: [...top.subarray(0, c)], scores: [...sc.subarray(0, c)] };
}

describe('FactorScorer', () => {
  it('runs the WASM SIMD kernels here, with the int8 first pass', () => {
    const s = new FactorScorer(randomFactors(1, 100, 64), 100, 64);
    expect(s.path).toBe('wasm-simd');
    expect(s.firstPass).toBe('int8+exact');
  });

  for (const [n, d] of [[1, 1], [7, 3], [33, 5], [257, 17], [1001, 64], [130, 100]] as const) {
    it(`scores ${n} x ${d} in the documented order, bit for bit, and close to a double dot product`, () => {
      const f = randomFactors(n * 31 + d, n, d), q = randomFactors(7, 1, d);
      for (const path of ['wasm-simd', 'js'] as const) {
        const s = new FactorScorer(f, n, d, { path });
        const out = new Float32Array(n);
        s.scoreAll(q, out);
        for (let i = 0; i < n; i++) {
          expect(out[i]).toBe(documentedDot(f, i, q, d));
          let exact = 0, mag = 0;
          for (let j = 0; j < d; j++) { exact += f[i * d + j]! * q[j]!; mag += Math.abs(f[i * d + j]! * q[j]!); }
          expect(Math.abs(out[i]! - exact)).toBeLessThanOrEqual(1e-6 * mag + 1e-30);
        }
      }
    });
  }

  for (const [n, d, k] of [[1, 4, 1], [5, 3, 10], [257, 17, 25], [1001, 64, 25], [4099, 13, 100], [3000, 64, 3000]] as const) {
    it(`top-${k} of ${n} x ${d} equals a full sort, with and without mask, on every path`, () => {
      const f = randomFactors(n + d + k, n, d), rng = new Rng(n);
      const mask = new Uint8Array(n).map(() => (rng.next() < 0.7 ? 1 : 0));
      const bias = randomFactors(3, 1, n, 0.5), infl = randomFactors(4, 1, n, 0.2);
      for (let trial = 0; trial < 3; trial++) {
        const q = randomFactors(100 + trial, 1, d);
        const results: unknown[] = [];
        for (const opts of [{}, { quantized: false }, { path: 'js' as const }]) {
          for (const withBias of [false, true]) {
            const s = new FactorScorer(f, n, d, { ...opts, bias: withBias ? bias : undefined });
            s.setInfluence(infl);
            for (const m of [null, mask]) {
              for (const w of [0, 0.75]) {
                const scores = new Float32Array(n);
                s.scoreAll(q, scores, w);
                const got = topOf(s, q, k, m, w);
                expect(got.idx).toEqual(sortTopK(scores, m, k));
                expect(got.scores).toEqual(got.idx.map((i) => scores[i]));
                results.push([withBias, m !== null, w, got]);
              }
            }
          }
        }
        expect(results.slice(8)).toEqual(results.slice(0, 8).concat(results.slice(0, 8)));
      }
    });
  }

  it('breaks ties to the lower index (duplicated items, integer factors)', () => {
    const n = 2000, d = 8, rng = new Rng(5);
    const f = new Float32Array(n * d).map(() => rng.int(3) - 1); // many identical scores
    const q = new Float32Array(d).fill(1);
    for (const opts of [{}, { quantized: false }, { path: 'js' as const }]) {
      const s = new FactorScorer(f, n, d, opts), scores = new Float32Array(n);
      s.scoreAll(q, scores);
      expect(topOf(s, q, 50, null).idx).toEqual(sortTopK(scores, null, 50));
    }
  });

  it('stays exact when scores are closer together than the int8 error (near-duplicate rows)', () => {
    const n = 5000, d = 64, base = randomFactors(9, 1, d), noise = randomFactors(10, n, d, 1e-6);
    const f = new Float32Array(n * d).map((_, x) => base[x % d]! + noise[x]!);
    const q = randomFactors(11, 1, d);
    const exact = new FactorScorer(f, n, d, { quantized: false }), fast = new FactorScorer(f, n, d);
    expect(topOf(fast, q, 25, null)).toEqual(topOf(exact, q, 25, null));
  });

  it('keeps a row whose int8 error is at the worst case (every residual aligned with the query)', () => {
    // Every row has max 1 (scale a = 1/127). Decoys: 126.476 steps per coordinate (exact 63.740, int8 63.504);
    // the target, last: 126.4999 steps (exact 63.752, int8 63.504). Only a bound within ~6% of the
    // true worst case lets the target past the decoys' threshold.
    const d = 64, decoys = 300, n = decoys + 1, a = 1 / 127; // past the first kernel call, so a threshold is set
    const f = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      f[i * d] = 1;
      for (let j = 1; j < d; j++) f[i * d + j] = a * (i < decoys ? 126.476 : 126.4999);
    }
    const q = new Float32Array(d).fill(1);
    const exact = new FactorScorer(f, n, d, { quantized: false }), fast = new FactorScorer(f, n, d);
    const want = topOf(exact, q, 25, null);
    expect(want.idx[0]).toBe(decoys);
    expect(topOf(fast, q, 25, null)).toEqual(want);
  });

  it('matches the exact scan on many random queries and scales', () => {
    for (const [seed, scale, d] of [[1, 1, 32], [2, 1e-20, 32], [3, 1e15, 32], [4, 0.01, 32], [5, 1, 600]] as const) {
      const n = 3001, f = randomFactors(seed, n, d, scale);
      const exact = new FactorScorer(f, n, d, { quantized: false }), fast = new FactorScorer(f, n, d);
      for (let t = 0; t < 10; t++) {
        const q = randomFactors(seed * 100 + t, 1, d, t % 2 ? 1 : 3);
        expect(topOf(fast, q, 25, null)).toEqual(topOf(exact, q, 25, null));
      }
    }
  });

  it('handles k > n, k = 0, an all-masked catalogue, and ascending scores', () => {
    const n = 10, d = 4, f = new Float32Array(n * d).map((_, x) => Math.floor(x / d)); // row i = (i, i, i, i)
    const s = new FactorScorer(f, n, d), q = new Float32Array([1, 1, 1, 1]);
    expect(topOf(s, q, 50, null).idx).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(s.topK(q, 0, null, new Int32Array(1))).toBe(0);
    expect(topOf(s, q, 5, new Uint8Array(n)).idx).toEqual([]);
  });

  it('never picks NaN scores and falls back to the exact scan for non-finite queries', () => {
    const n = 20, d = 4, f = randomFactors(12, n, d);
    f[3 * d] = NaN;
    const s = new FactorScorer(f, n, d);
    expect(s.firstPass).toBe('f32'); // a non-finite factor disables the int8 bound
    const scores = new Float32Array(n), q = randomFactors(13, 1, d);
    s.scoreAll(q, scores);
    expect(topOf(s, q, n, null).idx).toEqual(sortTopK(scores, null, n));
    expect(topOf(s, q, n, null).idx).not.toContain(3);
    const g = new FactorScorer(randomFactors(14, n, d), n, d), inf = new Float32Array([Infinity, 0, 0, 0]);
    g.scoreAll(inf, scores);
    expect(topOf(g, inf, 5, null).idx).toEqual(sortTopK(scores, null, 5));
  });

  it('reads a mask written into its own buffer without copying, and is deterministic', () => {
    const n = 1000, d = 16, f = randomFactors(15, n, d), q = randomFactors(16, 1, d);
    const s = new FactorScorer(f, n, d), view = s.maskView();
    for (let i = 0; i < n; i++) view[i] = i % 3 === 0 ? 0 : 1;
    const copy = Uint8Array.from(view);
    const a = topOf(s, q, 25, view), b = topOf(s, q, 25, copy), c = topOf(new FactorScorer(f, n, d), q, 25, copy);
    expect(a).toEqual(b);
    expect(a).toEqual(c);
    expect(a.idx.every((i) => i % 3 !== 0)).toBe(true);
  });

  it('gives the same answers on two threads (worker + shared memory) as on one', async () => {
    const n = 70_001, d = 24, f = randomFactors(17, n, d), rng = new Rng(18);
    const mask = new Uint8Array(n).map(() => (rng.next() < 0.8 ? 1 : 0)), infl = randomFactors(19, 1, n, 0.1);
    const one = new FactorScorer(f, n, d), two = new FactorScorer(f, n, d, { threads: 2 });
    const twoExact = new FactorScorer(f, n, d, { threads: 2, quantized: false });
    for (const s of [one, two, twoExact]) s.setInfluence(infl);
    for (let t = 0; t < 300 && (two.threads < 2 || twoExact.threads < 2); t++) await new Promise((r) => setTimeout(r, 10));
    expect([two.threads, twoExact.threads]).toEqual([2, 2]);
    for (let t = 0; t < 6; t++) {
      const q = randomFactors(200 + t, 1, d), m = t % 2 ? mask : null, w = t % 3 ? 0.5 : 0;
      const want = topOf(one, q, 25, m, w);
      expect(topOf(two, q, 25, m, w)).toEqual(want);
      expect(topOf(twoExact, q, 25, m, w)).toEqual(want);
      expect(topOf(two, q, 1000, m, w)).toEqual(topOf(one, q, 1000, m, w));
    }
    two.close();
    twoExact.close();
    expect(two.threads).toBe(1);
    const q = randomFactors(300, 1, d);
    expect(topOf(two, q, 25, null)).toEqual(topOf(one, q, 25, null));
  });
});
