// The text representation at catalogue scale (generated descriptions: 40 words each, half from one of 200 topics'
// 100 words, half from 300 common words): aws-semantic-similarity's training and one request's scoring, and
// aws-similar-items' training when most items are cold (their neighbours come from text). Baseline: the tokenizer
// alone over the same descriptions, same run.
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { Rng } from '../src/lib/random.js';
import { tokenize } from '../src/lib/text/tokenize.js';
import { semanticSimilarity } from '../src/recipes/semantic-similarity.js';
import { similarItems } from '../src/recipes/similar-items.js';
import type { BenchResult } from './types.js';

function catalogue(n: number, rng: Rng) {
  const common = Array.from({ length: 300 }, (_, i) => `c${i}`);
  const words = (topic: number) => Array.from({ length: 40 }, () => (rng.next() < 0.5 ? `w${((topic * 100 + rng.int(100)) % 20_000).toString(36)}` : common[Math.floor(300 * rng.next() ** 2)]!)).join(' ');
  return Array.from({ length: n }, (_, i) => ({ item: `i${i}`, TITLE: `t${i % 997}`, DESC: words(i % 200) }));
}

export async function runTextBench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const n of [10_000, 100_000]) {
    const rng = new Rng(1);
    const items = catalogue(n, rng);
    const rows: { user: string; item: string; timestamp: number }[] = [];
    for (let u = 0; u < 2000; u++) for (let k = 0; k < 10; k++) rows.push({ user: `u${u}`, item: `i${rng.int(n)}`, timestamp: 1e9 + k });
    const data = trainingDataFromRows(rows, items, {}, { textual: 'DESC', itemName: 'TITLE' });
    let t = performance.now();
    for (const it of items) tokenize(`${it.TITLE}\n${it.DESC}`);
    const tokens = (performance.now() - t) / 1000;
    t = performance.now();
    const artifact = semanticSimilarity.train(data, {}, 1);
    const train = (performance.now() - t) / 1000;
    const model = semanticSimilarity.load(artifact, n);
    const scores = new Float32Array(n);
    t = performance.now();
    for (let q = 0; q < 200; q++) model.score({ user: -1, item: (q * 7919) % n, history: null }, scores);
    const request = (performance.now() - t) / 200;
    t = performance.now();
    similarItems.train(data, { min_cointeraction_count: '1' }, 1);
    const similar = (performance.now() - t) / 1000;
    const k = `${n / 1000}k`;
    out.push(
      { name: `text/semantic-similarity ${k} items: training`, value: train, unit: 's', baseline: tokens, ratio: train / tokens },
      { name: `text/semantic-similarity ${k} items: one request's scores`, value: request, unit: 'ms' },
      { name: `text/similar-items ${k} items, ${data.itemIdx.length} interactions (most items cold): training`, value: similar, unit: 's' },
    );
    console.log(`text: ${k} items: tokenizing ${tokens.toFixed(2)} s, semantic training ${train.toFixed(2)} s, request ${request.toFixed(2)} ms, similar-items training ${similar.toFixed(2)} s`);
  }
  return out;
}
