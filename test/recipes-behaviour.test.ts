// Recipe-specific behaviour on small hand-built data: SIMS' popularity discount, co-interaction
// minimum and percentile filters, Similar-Items' cold items, Trending-Now's windows, MF parameters
// and fold-in, and the WASM SIMD kernels against their scalar twins.
import { describe, expect, it } from 'vitest';
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { Rng } from '../src/lib/random.js';
import { recipeByName } from '../src/recipes/index.js';
import { createKernels } from '../src/recipes/mf/simd.js';
import { trendingNow } from '../src/recipes/trending-now.js';
import type { ModelArtifact, Recipe, TrainingData } from '../src/recipes/types.js';

const recipe = (name: string): Recipe => recipeByName(name)!;
type Row = { user: string; item: string; timestamp: number };

/** Score one query against a freshly loaded model. */
function run(r: Recipe, a: ModelArtifact, data: TrainingData, q: { user?: number; item?: string | number; history?: Int32Array | null }) {
  const out = new Float32Array(data.itemIds.length);
  const item = typeof q.item === 'string' ? data.itemIds.indexOf(q.item) : (q.item ?? -1);
  const ok = r.load(a, data.itemIds.length).score({ user: q.user ?? -1, item, history: q.history ?? null }, out);
  return { ok, score: (id: string) => out[data.itemIds.indexOf(id)]!, out };
}

/**
 * Q co-occurs with the popular P in 4 users and with the niche N in 3; P is in 30 users' histories.
 * Fillers f0..f39 give every user a longer history so that percentiles have something to cut.
 */
function discountData(): TrainingData {
  const rows: Row[] = [];
  const add = (u: number, item: string) => rows.push({ user: `u${String(u).padStart(2, '0')}`, item, timestamp: rows.length });
  for (let u = 0; u < 40; u++) { add(u, `f${String(u).padStart(2, '0')}`); add(u, `f${String((u + 1) % 40).padStart(2, '0')}`); }
  for (let u = 0; u < 30; u++) add(u, 'P');
  for (const u of [0, 1, 2, 3, 30, 31, 32]) add(u, 'Q');
  for (const u of [30, 31, 32]) add(u, 'N');
  return trainingDataFromRows(rows);
}

describe('aws-sims', () => {
  const sims = recipe('aws-sims');
  const data = discountData();
  const all = { max_item_interaction_count_percentile: '1', min_item_interaction_count_percentile: '0', min_user_history_length_percentile: '0', max_user_history_length_percentile: '1' };

  it('popularity_discount_factor 0 favours the popular co-item, 1 the co-interaction rate', () => {
    const at = (a: string) => run(sims, sims.train(data, { ...all, popularity_discount_factor: a }, 1) as ModelArtifact, data, { item: 'Q' });
    const raw = at('0');
    expect(raw.score('P')).toBeGreaterThan(raw.score('N')); // 4 co-interactions vs 3
    const rate = at('1');
    expect(rate.score('N')).toBeGreaterThan(rate.score('P')); // 3/3 vs 4/30
    expect(at('0.5').score('N')).toBeCloseTo(3 / Math.sqrt(7 * 3), 5); // cosine
  });

  it('min_cointeraction_count removes pairs seen together by fewer users', () => {
    const r3 = run(sims, sims.train(data, { ...all, min_cointeraction_count: '3' }, 1) as ModelArtifact, data, { item: 'Q' });
    const r4 = run(sims, sims.train(data, { ...all, min_cointeraction_count: '4' }, 1) as ModelArtifact, data, { item: 'Q' });
    expect(r3.score('N')).toBeGreaterThan(0);
    expect(r4.score('N')).toBeLessThan(0); // only the popularity tail
    expect(r4.score('P')).toBeGreaterThan(0);
  });

  it('drops items above max_item_interaction_count_percentile (default 0.9) before computing', () => {
    // Item counts: 40 fillers x 2, N 3, Q 7, P 30; the 0.9 quantile is 2, so by default P, Q and N go.
    const byDefault = sims.train(data, { min_cointeraction_count: '1' }, 1) as ModelArtifact;
    for (const id of ['P', 'Q', 'N']) expect(run(sims, byDefault, data, { item: id }).ok).toBe(false);
    // At 0.97 the cut is 7: only P (30) is dropped.
    const a = sims.train(data, { min_cointeraction_count: '1', max_item_interaction_count_percentile: '0.97' }, 1) as ModelArtifact;
    expect(run(sims, a, data, { item: 'P' }).ok).toBe(false);
    const q = run(sims, a, data, { item: 'Q' });
    expect(q.ok).toBe(true);
    expect(q.score('P')).toBeLessThan(0);
    expect(q.score('N')).toBeGreaterThan(0);
  });

  it('continues past the neighbours with popular items, and never recommends the query item', () => {
    const r = run(sims, sims.train(data, all, 1) as ModelArtifact, data, { item: 'N' });
    expect(Number.isNaN(r.score('N'))).toBe(true);
    expect(r.score('f05')).toBeLessThan(0);
    expect(r.score('P')).toBeGreaterThan(r.score('f05')); // P is the most popular of the rest
  });
});

describe('aws-similar-items', () => {
  it('gives cold items (< 5 interactions) neighbours by shared metadata, popular ones first', () => {
    const rows: Row[] = [];
    for (let u = 0; u < 12; u++) {
      for (const it of u < 6 ? ['c1', 'c2', 'c3'] : ['d1', 'd2', 'd3']) rows.push({ user: `u${u}`, item: it, timestamp: rows.length });
    }
    rows.push({ user: 'u0', item: 'c3', timestamp: 99 }, { user: 'u7', item: 'newComedy', timestamp: 100 });
    const items = [
      { item: 'c1', GENRES: 'Comedy' }, { item: 'c2', GENRES: 'Comedy|Romance' }, { item: 'c3', GENRES: 'Comedy' },
      { item: 'd1', GENRES: 'Drama' }, { item: 'd2', GENRES: 'Drama' }, { item: 'd3', GENRES: 'Drama|War' },
      { item: 'newComedy', GENRES: 'Comedy' }, { item: 'neverSeen', GENRES: 'Drama|War' },
    ];
    const data = trainingDataFromRows(rows, items);
    const si = recipe('aws-similar-items');
    const a = si.train(data, {}, 1) as ModelArtifact;
    const cold = run(si, a, data, { item: 'newComedy' });
    expect(cold.ok).toBe(true);
    for (const d of ['d1', 'd2', 'd3']) expect(cold.score('c1')).toBeGreaterThan(cold.score(d));
    const unseen = run(si, a, data, { item: 'neverSeen' });
    expect(unseen.ok).toBe(true);
    expect(unseen.score('d3')).toBeGreaterThan(unseen.score('d1')); // shares Drama and War
    expect(unseen.score('d1')).toBeGreaterThan(unseen.score('c1'));
    // A co-interaction neighbour of a warm item: c1's list holds c2/c3, not the dramas.
    const warm = run(si, a, data, { item: 'c1' });
    expect(warm.score('c2')).toBeGreaterThan(0);
    expect(warm.score('d1')).toBeLessThan(0);
  });
});

describe('aws-trending-now', () => {
  const H = 3600;
  // Windows for '2 hours' end at the newest interaction T: (T-4h, T-2h] and (T-2h, T].
  const T = 1_000_000;
  const rows: Row[] = [];
  const at = (item: string, times: number[]) => times.forEach((t, k) => rows.push({ user: `${item}-${k}`, item, timestamp: t }));
  at('rising', [T - 3 * H, T - H, T - H + 1, T - H + 2, T - H + 3, T - H + 4]); // 1 -> 5
  at('steady', [...Array(10).fill(T - 3 * H), ...Array(10).fill(T - 30 * 60)]); // 10 -> 10
  at('old', Array(30).fill(T - 50 * H)); // popular, outside both windows
  at('newcomer', [T]); // 0 -> 1
  const data = trainingDataFromRows(rows);

  it('ranks by growth between the last two windows, then items outside them by popularity', () => {
    const r = run(trendingNow, trendingNow.train(data, {}, 1) as ModelArtifact, data, {});
    expect(r.ok).toBe(true);
    expect(r.score('rising')).toBeGreaterThan(r.score('newcomer')); // (5-1)/2 = 2 vs (1-0)/1 = 1
    expect(r.score('newcomer')).toBeGreaterThan(r.score('steady'));
    expect(r.score('steady')).toBeGreaterThan(r.score('old'));
  });

  it('reads trend_discovery_frequency and rejects values Personalize does not offer', () => {
    const day = trendingNow.train(data, { trend_discovery_frequency: '1 day' }, 1) as ModelArtifact;
    expect(day.meta.windowSeconds).toBe(86400);
    expect(() => trendingNow.train(data, { trend_discovery_frequency: '5 hours' }, 1)).toThrow(/trend_discovery_frequency/);
  });

  it('falls back (returns false) when the last two windows hold no interactions', () => {
    const empty: TrainingData = { ...data, userIds: [], userPtr: Int32Array.of(0), itemIdx: new Int32Array(0), timestamps: new Float64Array(0), weights: new Float32Array(0), eventType: new Int32Array(0) };
    expect(run(trendingNow, trendingNow.train(empty, {}, 1) as ModelArtifact, empty, {}).ok).toBe(false);
  });
});

describe('matrix factorization recipes', () => {
  const rng = new Rng(5);
  const rows: Row[] = [];
  for (let u = 0; u < 30; u++) {
    const g = u % 2 ? 'x' : 'y';
    for (let t = 0; t < 8; t++) rows.push({ user: `u${String(u).padStart(2, '0')}`, item: `${g}${rng.int(12)}`, timestamp: 100 * u + t });
  }
  const data = trainingDataFromRows(rows);
  const up = recipe('aws-user-personalization');

  it('honours hidden_dimension and says which compute path ran', () => {
    const a = up.train(data, { hidden_dimension: '12', iterations: '3' }, 1) as ModelArtifact;
    expect(a.arrays.X!.length).toBe(data.userIds.length * 12);
    expect(a.arrays.Y!.length).toBe(data.itemIds.length * 12);
    expect(a.meta.compute).toBe('typed-arrays+wasm-simd');
    expect(a.meta.k).toBe(12);
  });

  it('the seed hyperparameter overrides the job seed', () => {
    const a = up.train(data, { seed: '9', iterations: '2' }, 1) as ModelArtifact;
    const b = up.train(data, { seed: '9', iterations: '2' }, 2) as ModelArtifact;
    expect(Buffer.from(a.arrays.Y!.buffer).equals(Buffer.from(b.arrays.Y!.buffer))).toBe(true);
  });

  it('folds new events of a known user in, and recency settings change the model', () => {
    const a = up.train(data, {}, 1) as ModelArtifact;
    const u = 1; // an x user
    const hist = data.itemIdx.slice(data.userPtr[u]!, data.userPtr[u + 1]!);
    const stored = run(up, a, data, { user: u, history: hist });
    const y = ['y0', 'y1', 'y2', 'y3'].map((id) => data.itemIds.indexOf(id)).filter((i) => i >= 0);
    const live = run(up, a, data, { user: u, history: Int32Array.from([...hist, ...y, ...y]) });
    expect(live.ok).toBe(true);
    expect(Buffer.from(live.out.buffer).equals(Buffer.from(stored.out.buffer))).toBe(false);
    const v2 = recipe('aws-user-personalization-v2');
    const off = v2.train(data, { apply_recency_bias: 'false' }, 1) as ModelArtifact;
    expect((off.meta.recency as { enabled: boolean }).enabled).toBe(false);
    expect(Buffer.from(off.arrays.Y!.buffer).equals(Buffer.from((v2.train(data, {}, 1) as ModelArtifact).arrays.Y!.buffer))).toBe(false);
  });

  it('rejects out-of-range hyperparameters with the parameter name', () => {
    expect(() => up.train(data, { hidden_dimension: 'big' }, 1)).toThrow(/hidden_dimension/);
    expect(() => up.train(data, { recency_mask: 'maybe' }, 1)).toThrow(/recency_mask/);
  });
});

describe('WASM SIMD kernels', () => {
  it('match their scalar JS twins', () => {
    const w = createKernels(), j = createKernels(true);
    expect(w.simd).toBe(true);
    const k = 16, kb = k * 4, n = 37;
    const Y = 0, v = n * kb, out = v + kb, idxP = out + 2 * n * kb, valP = idxP + 64, G = valP + 64, X = G + k * kb, ptr = X + 8 * kb;
    const r = ptr + 64, p = r + kb, Ap = p + kb, Q = Ap + kb, tmp = Q + k * kb;
    const rng = new Rng(3);
    for (const K of [w, j]) { K.reserve(1 << 18); K.f32.fill(0); }
    const both = (f: (K: typeof w) => void) => { f(w); f(j); };
    const fillRand = (at: number, len: number, scale: number) => { for (let i = 0; i < len; i++) { const x = (rng.next() - 0.5) * scale; w.f32[at / 4 + i] = x; j.f32[at / 4 + i] = x; } };
    fillRand(Y, n * k + k, 1); fillRand(X, 4 * k, 0.1); fillRand(Q, k * k, 1);
    both((K) => {
      for (let q = 0; q < 10; q++) { K.i32[idxP / 4 + q] = (q * 7) % n; K.f32[valP / 4 + q] = 1 + q; }
      [0, 3, 3, 7, 10].forEach((x, i) => { K.i32[ptr / 4 + i] = x; });
    });
    const close = (at: number, len: number) => {
      for (let i = 0; i < len; i++) expect(w.f32[at / 4 + i]).toBeCloseTo(j.f32[at / 4 + i]!, 4);
    };
    both((K) => { K.rowpass(idxP, valP, 0, 10, Y, v, out, kb, 0); K.rowpass(idxP, valP, 2, 9, Y, v, out, kb, 1); K.matvec(Y, n, v, out + kb, kb); });
    close(out, k + n);
    both((K) => K.gramAdd(Y, n, G, kb));
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) expect(w.f32[G / 4 + a * k + b]).toBeCloseTo(j.f32[G / 4 + a * k + b]!, 3);
    both((K) => { for (let a = 0; a < k; a++) { K.f32[G / 4 + a * k + a]! += 1; for (let b = a + 1; b < k; b++) K.f32[G / 4 + b * k + a] = K.f32[G / 4 + a * k + b]!; } });
    both((K) => K.cgrows(ptr, idxP, valP, 4, X, Y, G, 0, kb, 3, r, p, Ap));
    close(X, 4 * k);
    both((K) => K.rotate(X, 4, Q, kb, tmp));
    close(X, 4 * k);
    // foldAdd: f64 sums over rows 3, 0, 5 of Y; the lower triangle of A and b are the same bytes in both.
    const fA = tmp + kb, fb = fA + (k * k + 1) * 8, fItems = fb + k * 8, fcs = fItems + 16;
    both((K) => {
      const d = new Float64Array(K.f32.buffer);
      d.fill(0.5, fA / 8, fA / 8 + k * k); d.fill(0, fb / 8, fb / 8 + k);
      [3, 0, 5].forEach((i, t) => { K.i32[fItems / 4 + t] = i; d[fcs / 8 + t] = 1 + 7 * t; });
      K.foldAdd(fA, fb, Y, fItems, fcs, 3, k, kb);
    });
    const dw = new Float64Array(w.f32.buffer), dj = new Float64Array(j.f32.buffer);
    for (let a = 0; a < k; a++) {
      expect(dw[fb / 8 + a]).toBe(dj[fb / 8 + a]);
      for (let c = 0; c <= a; c++) expect(dw[fA / 8 + a * k + c]).toBe(dj[fA / 8 + a * k + c]);
    }
    expect(dj[fA / 8 + 5 * k + 2]).not.toBe(0.5);
  });

  it("sum the fold-in's f64 terms to the scalar twin's bits for every factor count, odd ones reaching only the slack after A", () => {
    const rng = new Rng(5);
    for (const k of [1, 2, 3, 5, 8, 9, 16, 17, 31, 33, 64, 65]) {
      for (const nd of [0, 1, 7, 40]) {
        const kb = Math.ceil(k / 8) * 32, nItems = 23;
        const A = nItems * kb, b = A + (k * k + 1) * 8, items = b + k * 8, cs = Math.ceil((items + nd * 4) / 8) * 8, end = cs + nd * 8;
        const Y = Float32Array.from({ length: (nItems * kb) / 4 }, (_, i) => (i % (kb / 4) < k ? rng.next() - 0.5 : 0));
        const it = Int32Array.from({ length: nd }, () => rng.int(nItems)), c = Float64Array.from({ length: nd }, () => 1 + 40 * rng.next());
        const A0 = Float64Array.from({ length: k * k }, () => rng.next()), b0 = Float64Array.from({ length: k }, () => rng.next());
        const sums = [createKernels(), createKernels(true)].map((K) => {
          K.reserve(end + 64);
          K.f32.fill(0);
          K.f32.set(Y);
          const d = new Float64Array(K.f32.buffer);
          d.set(A0, A / 8); d.set(b0, b / 8); K.i32.set(it, items / 4); d.set(c, cs / 8);
          K.foldAdd(A, b, 0, items, cs, nd, k, kb);
          const lower = Array.from({ length: k }, (_, a) => [...d.subarray(A / 8 + a * k, A / 8 + a * k + a + 1)]).flat();
          return { lower, b: [...d.subarray(b / 8, b / 8 + k)], after: [...K.i32.subarray(items / 4, end / 4)] };
        });
        expect(sums[0]!.lower).toEqual(sums[1]!.lower);
        expect(sums[0]!.b).toEqual(sums[1]!.b);
        expect(sums[0]!.after).toEqual(sums[1]!.after); // the items and weights after b are left as they were
      }
    }
  });
});
