// Exact top-25 over N x 64 item factors (N = 10k, 100k, 1M): the memory-bandwidth floor, bare
// scoring, the full pipeline (filter mask + ranking influence + exploration) and a scalar-JS baseline.
import { FactorScorer } from '../src/lib/score.js';
import { topK as heapTopK } from '../src/lib/topk.js';
import { Rng } from '../src/lib/random.js';
import type { BenchResult } from './types.js';

const D = 64, K = 25, QUERIES = 16;
/** numpy + OpenBLAS (2 threads), exact top-25, from DESIGN.md "Measured facts" (not this run). */
const NUMPY_MS: Record<number, number> = { 100_000: 1.85, 1_000_000: 21.9 };

/** Median milliseconds per call of each task, sampled round-robin so load changes hit all alike. */
function measure(tasks: Array<{ fn: (round: number) => void; reps: number }>, rounds: number, warmup: number): number[] {
  const samples = tasks.map(() => [] as number[]);
  let call = 0; // each call gets the next query in rotation
  for (let r = -warmup; r < rounds; r++) {
    tasks.forEach((t, k) => {
      const t0 = performance.now();
      for (let j = 0; j < t.reps; j++) t.fn(call++);
      const ms = (performance.now() - t0) / t.reps;
      if (r >= 0) samples[k]!.push(ms);
    });
  }
  return samples.map((s) => s.sort((a, b) => a - b)[s.length >> 1]!);
}

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

    const floor = () => { sink += scorer.readFloor(); };
    const bare = (r: number) => { sink += scorer.topK(queries[r % QUERIES]!, K, null, top); };
    const bare2 = (r: number) => { sink += twoCores.topK(queries[r % QUERIES]!, K, null, top); };
    const pipelineOn = (s: FactorScorer) => (r: number) => {
      const c = s.topK(queries[r % QUERIES]!, K, mask, top, topScores, { influenceWeight: 0.5 });
      // Exploration: 3 of the lower slots go to cold items the filter allows, drawn with a seeded Rng.
      for (let e = 0; e < 3 && cold.length > 0; e++) {
        const item = cold[explore.int(cold.length)]!;
        let dup = mask[item] === 0;
        for (let j = 0; j < c && !dup; j++) dup = top[j] === item;
        if (!dup) top[c - 1 - explore.int(Math.max(1, c >> 1))] = item;
      }
      sink += top[0]!;
    };
    const exactScan = (r: number) => { sink += exactOnly.topK(queries[r % QUERIES]!, K, null, top); };
    const scoreAll = (r: number) => { scorer.scoreAll(queries[r % QUERIES]!, all); sink += all[0]!; };
    const scalar = (r: number) => { sink += scalarTopK(factors, n, queries[r % QUERIES]!, all, top); };

    const reps = n <= 10_000 ? 20 : n <= 100_000 ? 3 : 1;
    const rounds = n >= 1e6 ? 15 : 41;
    const tasks = [floor, bare, pipelineOn(scorer), exactScan, scoreAll, bare2, pipelineOn(twoCores)];
    const [tFloor, tBare, tPipe, tExact, tAll, tBare2, tPipe2] = measure(tasks.map((fn) => ({ fn, reps })), rounds, 5);
    twoCores.close();
    const [tScalar] = measure([{ fn: scalar, reps: 1 }], n >= 1e6 ? 5 : 15, 2);
    if (sink === 0.123) console.log(sink); // keeps the work observable
    console.log(`scoring N=${label}: path ${scorer.path}, first pass ${scorer.firstPass}, ${(scorer.bytesPerQuery / 2 ** 20).toFixed(1)} MiB read per query; 2-core scorer ran on ${n >= 100_000 ? 2 : 1} thread(s)`);

    const name = (what: string) => `scoring N=${label} x ${D}: ${what}`;
    out.push({ name: name('floor, one vectorized read of the f32 factors'), value: tFloor!, unit: 'ms' });
    out.push({ name: name(`bare exact top-${K} (${scorer.path} ${scorer.firstPass}) / floor`), value: tBare!, unit: 'ms', baseline: tFloor!, ratio: tBare! / tFloor! });
    out.push({ name: name('pipeline (mask 30% + influence + exploration) / bare'), value: tPipe!, unit: 'ms', baseline: tBare!, ratio: tPipe! / tBare! });
    out.push({ name: name('bare on 2 threads / floor (1 thread)'), value: tBare2!, unit: 'ms', baseline: tFloor!, ratio: tBare2! / tFloor! });
    out.push({ name: name('pipeline on 2 threads / bare on 2 threads'), value: tPipe2!, unit: 'ms', baseline: tBare2!, ratio: tPipe2! / tBare2! });
    out.push({ name: name(`exact f32 scan top-${K}, no int8 pass / floor`), value: tExact!, unit: 'ms', baseline: tFloor!, ratio: tExact! / tFloor! });
    out.push({ name: name('scoreAll, all n exact scores / floor'), value: tAll!, unit: 'ms', baseline: tFloor!, ratio: tAll! / tFloor! });
    out.push({ name: name(`scalar JS loop + heap top-${K} / bare`), value: tScalar!, unit: 'ms', baseline: tBare!, ratio: tScalar! / tBare! });
    const numpy = NUMPY_MS[n];
    if (numpy !== undefined) out.push({ name: name('bare / numpy+OpenBLAS 2 threads (DESIGN.md figure)'), value: tBare!, unit: 'ms', baseline: numpy, ratio: tBare! / numpy });
  }
  return out;
}
