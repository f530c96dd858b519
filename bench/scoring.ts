// Exact top-25 over N x 64 item factors (N = 10k, 100k, 1M): the memory-bandwidth floor, bare
// scoring, the full pipeline (filter mask + ranking influence + exploration) and a scalar-JS baseline,
// each a tinybench figure with its margin of error (micro.ts).
import { FactorScorer } from '../src/lib/score.js';
import { topK as heapTopK } from '../src/lib/topk.js';
import { Rng } from '../src/lib/random.js';
import type { BenchResult } from './types.js';
import { micro, row } from './micro.js';

const D = 64, K = 25, QUERIES = 16;
/** numpy + OpenBLAS (2 threads), exact top-25, from DESIGN.md "Measured facts" (not this run). */
const NUMPY_MS: Record<number, number> = { 100_000: 1.85, 1_000_000: 21.9 };

/** The reference a plain JS engine would write: 4-accumulator scalar loop, then a bounded heap. */
function scalarTopK(f: Float32Array, n: number, q: Float32Array, scores: Float32Array, top: Int32Array): number {
  for (let i = 0, o = 0; i < n; i++, o += D) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let j = 0; j < D; j += 4) {
      a0 += f[o + j]! * q[j]!; a1 += f[o + j + 1]! * q[j + 1]!; a2 += f[o + j + 2]! * q[j + 2]!; a3 += f[o + j + 3]! * q[j + 3]!;
    }
    scores[i] = a0 + a1 + a2 + a3;
  }
  return heapTopK(scores, null, K, top, n);
}

export async function runScoringBench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const n of [10_000, 100_000, 1_000_000]) {
    const label = n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`;
    const rng = new Rng(n);
    const factors = new Float32Array(n * D);
    for (let i = 0; i < factors.length; i++) factors[i] = rng.normal() * 0.3;
    const queries = Array.from({ length: QUERIES }, () => Float32Array.from({ length: D }, () => rng.normal() * 0.3));
    // Pipeline inputs: a filter excluding ~30% of items, popularity in [0, 1], the 10% least popular items.
    const mask = Uint8Array.from({ length: n }, () => (rng.next() < 0.3 ? 0 : 1));
    const popularity = Float32Array.from({ length: n }, () => rng.next() ** 3);
    const cold = Int32Array.from([...popularity.keys()].filter((i) => popularity[i]! < 0.001));

    const scorer = new FactorScorer(factors, n, D);
    const exactOnly = new FactorScorer(factors, n, D, { quantized: false });
    const twoCores = new FactorScorer(factors, n, D, { threads: 2 });
    scorer.setInfluence(popularity);
    twoCores.setInfluence(popularity);
    for (let t = 0; t < 300 && twoCores.threads < 2 && n >= 100_000; t++) await new Promise((r) => setTimeout(r, 10));
    const top = new Int32Array(K), topScores = new Float32Array(K), all = new Float32Array(n);
    const explore = new Rng(42);
    let sink = 0;

    // Each call takes the next query in rotation, so no task sees one query's cache state only.
    let call = 0;
    const query = () => queries[call++ % QUERIES]!;
    const pipelineOn = (s: FactorScorer) => () => {
      const c = s.topK(query(), K, mask, top, topScores, { influenceWeight: 0.5 });
      // Exploration: 3 of the lower slots go to cold items the filter allows, drawn with a seeded Rng.
      for (let e = 0; e < 3 && cold.length > 0; e++) {
        const item = cold[explore.int(cold.length)]!;
        let dup = mask[item] === 0;
        for (let j = 0; j < c && !dup; j++) dup = top[j] === item;
        if (!dup) top[c - 1 - explore.int(Math.max(1, c >> 1))] = item;
      }
      sink += top[0]!;
    };
    // Each ratio's baseline sits near its figure in this (cyclic) order, so they run close together in every pass.
    const time = n >= 1e6 ? 1500 : 700;
    const f = await micro({
      floor: () => { sink += scorer.readFloor(); },
      bare: () => { sink += scorer.topK(query(), K, null, top); },
      pipeline: pipelineOn(scorer),
      exact: () => { sink += exactOnly.topK(query(), K, null, top); },
      scoreAll: () => { scorer.scoreAll(query(), all); sink += all[0]!; },
      bare2: () => { sink += twoCores.topK(query(), K, null, top); },
      pipeline2: pipelineOn(twoCores),
      scalar: () => { sink += scalarTopK(factors, n, query(), all, top); },
    }, { time, iterations: n >= 1e6 ? 8 : 32 });
    twoCores.close();
    if (sink === 0.123) console.log(sink); // keeps the work observable
    console.log(`scoring N=${label}: path ${scorer.path}, first pass ${scorer.firstPass}, ${(scorer.bytesPerQuery / 2 ** 20).toFixed(1)} MiB read per query; 2-core scorer ran on ${n >= 100_000 ? 2 : 1} thread(s)`);

    const name = (what: string) => `scoring N=${label} x ${D}: ${what}`;
    out.push(row(name('floor, one vectorized read of the f32 factors'), f.floor!));
    out.push(row(name(`bare exact top-${K} (${scorer.path} ${scorer.firstPass}) / floor`), f.bare!, f.floor));
    out.push(row(name('pipeline (mask 30% + influence + exploration) / bare'), f.pipeline!, f.bare));
    out.push(row(name('bare on 2 threads / floor (1 thread)'), f.bare2!, f.floor));
    out.push(row(name('pipeline on 2 threads / bare on 2 threads'), f.pipeline2!, f.bare2));
    out.push(row(name(`exact f32 scan top-${K}, no int8 pass / floor`), f.exact!, f.floor));
    out.push(row(name('scoreAll, all n exact scores / floor'), f.scoreAll!, f.floor));
    out.push(row(name(`scalar JS loop + heap top-${K} / bare`), f.scalar!, f.bare));
    const numpy = NUMPY_MS[n];
    if (numpy !== undefined) out.push(row(name('bare / numpy+OpenBLAS 2 threads (DESIGN.md figure)'), f.bare!, numpy));
  }
  return out;
}
