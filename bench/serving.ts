// Per-request serving steps on tinybench (micro.ts): the softmax over the catalogue (table exp vs
// Math.exp), filter masks (compiled filters vs a hand-written loop over the same typed arrays), and
// whole in-process GetRecommendations calls on a 10k-item catalogue.
import { compileFilter, type FilterColumn, type FilterContext, type FilterSchemaInfo } from '../src/engine/filters/index.js';
import { softmaxStats } from '../src/engine/serving/pipeline.js';
import { LocalPersonalize } from '../src/api/client.js';
import { Rng } from '../src/lib/random.js';
import { trainedCampaigns } from './http.js';
import { micro, row } from './micro.js';
import type { BenchResult } from './types.js';

let sink = 0;

/** The softmax's denominator as written before lib/exp.ts: the same max and cut-off, Math.exp per term. */
function mathExpSoftmax(scores: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > max) max = scores[i]!;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const x = scores[i]! - max;
    if (x > -30) sum += Math.exp(x);
  }
  return sum;
}

async function softmaxBench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const n of [10_000, 100_000]) {
    const rng = new Rng(n);
    // Dot products of 64 factors of ~0.3: spread like a trained model's scores.
    const scores = Float32Array.from({ length: n }, () => rng.normal() * 1.5);
    const f = await micro({
      mathExp: () => { sink += mathExpSoftmax(scores); },
      table: () => { sink += softmaxStats(scores).denom; },
    }, { time: 700, iterations: 64 });
    const label = `${n / 1000}k`;
    out.push(row(`softmax over ${label} scores, Math.exp`, f.mathExp!));
    out.push(row(`softmax over ${label} scores, table exp (lib/exp.ts) / Math.exp`, f.table!, f.mathExp));
  }
  return out;
}

const N_ITEMS = 100_000, GENRES = 20;
const INFO: FilterSchemaInfo = {
  items: [
    { name: 'ITEM_ID', type: 'string', categorical: false, textual: false },
    { name: 'GENRES', type: 'string', categorical: true, textual: false },
    { name: 'PRICE', type: 'float', categorical: false, textual: false },
  ],
  interactions: { hasEventType: true },
};

/** 100k items with 1-3 of 20 genres and a price (5% missing), and a user with 200 interactions. */
function itemContext(): { ctx: FilterContext; genres: Extract<FilterColumn, { kind: 'categorical' }>; price: Float64Array } {
  const rng = new Rng(11);
  const ptr = new Int32Array(N_ITEMS + 1);
  const codes: number[] = [];
  for (let i = 0; i < N_ITEMS; i++) {
    const count = 1 + rng.int(3);
    for (let g = 0; g < count; g++) codes.push(rng.int(GENRES));
    ptr[i + 1] = codes.length;
  }
  const genres = { kind: 'categorical' as const, dictionary: Array.from({ length: GENRES }, (_, g) => `g${g}`), ptr, codes: Int32Array.from(codes) };
  const price = Float64Array.from({ length: N_ITEMS }, () => (rng.int(20) === 0 ? NaN : rng.next() * 100));
  const history = {
    candidates: Int32Array.from({ length: 200 }, () => rng.int(N_ITEMS)),
    eventTypeCodes: Int32Array.from({ length: 200 }, (_, k) => (k % 4 === 0 ? 1 : 0)),
    eventTypeNames: ['click', 'purchase'],
  };
  const columns: Record<string, FilterColumn> = { GENRES: genres, PRICE: { kind: 'numeric', values: price } };
  const ctx: FilterContext = {
    candidateCount: N_ITEMS,
    column: (name) => columns[name],
    currentUser: () => null,
    userInteractions: () => history,
  };
  return { ctx, genres, price };
}

async function filterBench(): Promise<BenchResult[]> {
  const { ctx, genres, price } = itemContext();
  const mask = new Uint8Array(N_ITEMS);
  const genre = compileFilter('INCLUDE ItemID WHERE Items.GENRES IN ("g3")', INFO);
  const cheap = compileFilter('EXCLUDE ItemID WHERE Items.PRICE > 50', INFO);
  const both = compileFilter('INCLUDE ItemID WHERE Items.GENRES IN ($GENRES) AND Items.PRICE < $MAX', INFO);
  const purchased = compileFilter('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")', INFO);
  const values = { GENRES: '"g3","g7"', MAX: '50' };
  const g3 = genres.dictionary.indexOf('g3');
  const f = await micro({
    // The same work written by hand over the same arrays: the floor a compiled filter is held to.
    genreByHand: () => {
      mask.fill(1);
      for (let i = 0; i < N_ITEMS; i++) {
        let hit = 0;
        for (let p = genres.ptr[i]!; p < genres.ptr[i + 1]!; p++) if (genres.codes[p] === g3) { hit = 1; break; }
        mask[i] = hit;
      }
      sink += mask[7]!;
    },
    genre: () => { genre.apply(ctx, {}, mask.fill(1)); sink += mask[7]!; },
    priceByHand: () => {
      mask.fill(1);
      for (let i = 0; i < N_ITEMS; i++) if (price[i]! > 50) mask[i] = 0; // NaN (missing) stays: never > 50
      sink += mask[7]!;
    },
    price: () => { cheap.apply(ctx, {}, mask.fill(1)); sink += mask[7]!; },
    both: () => { both.apply(ctx, { filterValues: values }, mask.fill(1)); sink += mask[7]!; },
    purchased: () => { purchased.apply(ctx, {}, mask.fill(1)); sink += mask[7]!; },
  }, { time: 700, iterations: 64 });
  const at = `100k items`;
  return [
    row(`filter mask, ${at}: Items.GENRES IN ("g3"), hand-written loop`, f.genreByHand!),
    row(`filter mask, ${at}: INCLUDE Items.GENRES IN ("g3") / hand-written`, f.genre!, f.genreByHand),
    row(`filter mask, ${at}: Items.PRICE > 50, hand-written loop`, f.priceByHand!),
    row(`filter mask, ${at}: EXCLUDE Items.PRICE > 50 / hand-written`, f.price!, f.priceByHand),
    row(`filter mask, ${at}: GENRES IN ($GENRES) AND PRICE < $MAX, 2 placeholders / GENRES by hand`, f.both!, f.genreByHand),
    row(`filter mask, ${at}: EXCLUDE Interactions.EVENT_TYPE IN ("purchase"), 200 interactions`, f.purchased!),
  ];
}

async function requestBench(): Promise<BenchResult[]> {
  const p = new LocalPersonalize({ inMemory: true });
  try {
    const campaigns = await trainedCampaigns(p, 10_000);
    let i = 0;
    const ask = (campaignArn: string) => async () => {
      const r = await p.getRecommendations({ campaignArn, userId: `u${i++ % 2000}`, numResults: 25 });
      sink += (r.itemList as unknown[]).length;
    };
    const f = await micro({
      popularity: ask(campaigns['aws-popularity-count']!),
      personalized: ask(campaigns['aws-user-personalization']!),
    }, { time: 1500, iterations: 256, async: true });
    return [
      row('GetRecommendations in process, 10k items, popularity-count', f.popularity!),
      row('GetRecommendations in process, 10k items, user-personalization (64 factors, softmax, exploration 0.3) / popularity-count', f.personalized!, f.popularity),
    ];
  } finally {
    await p.close();
  }
}

export async function runServingBench(): Promise<BenchResult[]> {
  const out = [...await softmaxBench(), ...await filterBench(), ...await requestBench()];
  if (sink === 0.123) console.log(sink); // keeps the work observable
  return out;
}
