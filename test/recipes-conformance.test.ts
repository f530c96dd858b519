// One contract suite for every registered recipe: scores, determinism, cold queries, serialization
// and sensible results on planted structure. What a recipe does not do is a declared skip with a reason.
import { describe, expect, it } from 'vitest';
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { Rng } from '../src/lib/random.js';
import { topK } from '../src/lib/topk.js';
import { RECIPES } from '../src/recipes/index.js';
import type { ModelArtifact, Recipe, TrainingData } from '../src/recipes/types.js';

/** Words of each group's item descriptions, and words any description may carry. */
const TOPICS: Record<string, string[]> = {
  A: ['garden', 'lawn', 'mower', 'seeds', 'soil', 'hose', 'compost', 'shovel', 'flowers', 'hedge'],
  B: ['kitchen', 'skillet', 'knife', 'recipe', 'oven', 'spatula', 'pasta', 'stove', 'baking', 'whisk'],
};
const SHARED = ['durable', 'classic', 'deluxe', 'compact', 'premium', 'everyday'];

/**
 * Two user groups with disjoint tastes: group A users interact with items A00..A09, group B with
 * B00..B09, 6 each drawn by a seeded Rng, over the last 3.5 hours of the data (so trending windows
 * are not empty). Items carry a GENRE, a TITLE (the item name) and a DESCRIPTION (textual) drawn from
 * their group's topic words plus shared filler words; `Acold` (genre A) has a single interaction.
 */
function plantedData(): TrainingData {
  const rng = new Rng(42);
  const rows: { user: string; item: string; timestamp: number }[] = [];
  const end = 1_700_000_000;
  for (const g of ['A', 'B']) {
    for (let u = 0; u < 20; u++) {
      const picked = new Set<number>();
      while (picked.size < 6) picked.add(rng.int(10));
      let t = end - 12_600 + rng.int(600);
      for (const i of picked) rows.push({ user: `${g}user${String(u).padStart(2, '0')}`, item: `${g}${String(i).padStart(2, '0')}`, timestamp: (t += 60 + rng.int(1800)) });
    }
  }
  rows.push({ user: 'Auser00', item: 'Acold', timestamp: end });
  const describe = (g: string) => {
    const words = [...Array(4)].map(() => TOPICS[g]![rng.int(10)]!);
    return [...words, SHARED[rng.int(SHARED.length)]!, SHARED[rng.int(SHARED.length)]!].join(' ');
  };
  const item = (id: string, g: string) => ({ item: id, GENRE: g, TITLE: `${TOPICS[g]![rng.int(10)]} ${id}`, DESCRIPTION: describe(g) });
  const items = [...Array(10).keys()].flatMap((i) => ['A', 'B'].map((g) => item(`${g}${String(i).padStart(2, '0')}`, g)));
  items.push(item('Acold', 'A'));
  return trainingDataFromRows(rows, items, {}, { textual: 'DESCRIPTION', itemName: 'TITLE' });
}

type Query = { user: number; item: number; history: Int32Array | null };

/** How each recipe answers; `personal` = recommendations depend on the query, so planted structure shows. */
interface Behaviour { query: 'user' | 'item'; personal: boolean; coldAnswers: boolean }
const BEHAVIOUR: Record<string, Behaviour> = {
  'aws-popularity-count': { query: 'user', personal: false, coldAnswers: true },
  'aws-trending-now': { query: 'user', personal: false, coldAnswers: true },
  'aws-sims': { query: 'item', personal: true, coldAnswers: false },
  'aws-similar-items': { query: 'item', personal: true, coldAnswers: false },
  'aws-semantic-similarity': { query: 'item', personal: true, coldAnswers: false },
  'aws-user-personalization': { query: 'user', personal: true, coldAnswers: false },
  'aws-user-personalization-v2': { query: 'user', personal: true, coldAnswers: false },
  'aws-personalized-ranking': { query: 'user', personal: true, coldAnswers: false },
  'aws-personalized-ranking-v2': { query: 'user', personal: true, coldAnswers: false },
  // Segmentation models score users for items (scoreUsers, test/batch-segments.test.ts); score() is their MF side.
  'aws-item-affinity': { query: 'user', personal: true, coldAnswers: false },
  'aws-next-best-action': { query: 'user', personal: false, coldAnswers: true },
  'aws-item-attribute-affinity': { query: 'user', personal: true, coldAnswers: false },
};

/**
 * Parameters for the planted data: SIMS' default percentile filter drops the 10% most interacted
 * items (Personalize's documented default), which on 21 items removes real structure, and its
 * min_cointeraction_count of 3 is more than a 40-user toy has for most pairs.
 */
const PARAMS: Record<string, Record<string, string>> = {
  'aws-sims': { max_item_interaction_count_percentile: '1', min_cointeraction_count: '1' },
  'aws-similar-items': { min_cointeraction_count: '1' },
};

const data = plantedData();
const n = data.itemIds.length;
const item = (id: string): number => data.itemIds.indexOf(id);
const userIdx = (id: string): number => data.userIds.indexOf(id);
const historyOf = (u: number): Int32Array => data.itemIdx.slice(data.userPtr[u]!, data.userPtr[u + 1]!);

function queryFor(b: Behaviour, user: string, queryItem: string): Query {
  const u = userIdx(user);
  return b.query === 'item' ? { user: -1, item: item(queryItem), history: null } : { user: u, item: -1, history: historyOf(u) };
}

function scores(recipe: Recipe, artifact: ModelArtifact, q: Query): { ok: boolean; out: Float32Array } {
  const out = new Float32Array(n).fill(-12345);
  const ok = recipe.load(artifact, n).score(q, out);
  return { ok, out };
}

function expectSameArtifact(a: ModelArtifact, b: ModelArtifact): void {
  expect(b.recipe).toBe(a.recipe);
  expect(b.meta).toEqual(a.meta);
  expect(Object.keys(b.arrays).sort()).toEqual(Object.keys(a.arrays).sort());
  for (const [key, arr] of Object.entries(a.arrays)) {
    const other = b.arrays[key]!;
    expect(other.constructor, key).toBe(arr.constructor);
    expect(Buffer.from(other.buffer, other.byteOffset, other.byteLength).equals(Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength)), key).toBe(true);
  }
}

describe.each([...RECIPES.values()].map((r) => [r.name, r] as const))('recipe contract: %s', (name, recipe) => {
  const b = BEHAVIOUR[name];
  const params = PARAMS[name] ?? {};
  it('has a declared behaviour in this suite', () => expect(b, `add ${name} to BEHAVIOUR`).toBeDefined());
  if (!b) return;
  const artifact = recipe.train(data, params, 1) as ModelArtifact;

  it('writes a finite score (or NaN for non-candidates) for every item', () => {
    const { ok, out } = scores(recipe, artifact, queryFor(b, 'Auser03', 'A01'));
    expect(ok).toBe(true);
    let finite = 0;
    for (let i = 0; i < n; i++) {
      expect(Number.isFinite(out[i]) || Number.isNaN(out[i]), `item ${data.itemIds[i]}`).toBe(true);
      if (Number.isFinite(out[i])) finite++;
    }
    expect(finite).toBeGreaterThanOrEqual(n - 1);
  });

  it('is deterministic: the same data and seed give identical artifact bytes', () => {
    expectSameArtifact(artifact, recipe.train(data, params, 1) as ModelArtifact);
  });

  it('trains with another seed (results may differ) and still answers', () => {
    const other = recipe.train(data, params, 2) as ModelArtifact;
    expect(scores(recipe, other, queryFor(b, 'Auser03', 'A01')).ok).toBe(true);
  });

  it('survives a structured-clone round trip with identical scores', () => {
    const copy = structuredClone(artifact);
    const q = queryFor(b, 'Buser05', 'B02');
    const x = scores(recipe, artifact, q), y = scores(recipe, copy, q);
    expect(y.ok).toBe(x.ok);
    expect(Buffer.from(y.out.buffer).equals(Buffer.from(x.out.buffer))).toBe(true);
  });

  it(b.coldAnswers ? 'answers cold queries (the same list for everyone)' : 'returns false for unknown users/items and empty histories', () => {
    const cold: Query[] = b.query === 'item'
      ? [{ user: -1, item: -1, history: null }, { user: -1, item: n + 5, history: null }, { user: -1, item: -1, history: new Int32Array(0) }]
      : [{ user: -1, item: -1, history: null }, { user: -1, item: -1, history: new Int32Array(0) }];
    for (const q of cold) expect(scores(recipe, artifact, q).ok).toBe(b.coldAnswers);
  });

  it.skipIf(!b.personal)(`ranks a group's own items first on planted structure${b.personal ? '' : ' (skipped: not personalized, the same list for everyone)'}`, () => {
    for (const [user, qItem, g] of [['Auser07', 'A03', 'A'], ['Buser11', 'B04', 'B']] as const) {
      const q = queryFor(b, user, qItem);
      const { ok, out } = scores(recipe, artifact, q);
      expect(ok).toBe(true);
      const mask = new Uint8Array(n).fill(1);
      if (q.history) for (const i of q.history) mask[i] = 0;
      if (q.item >= 0) mask[q.item] = 0;
      const top = new Int32Array(3);
      const found = topK(out, mask, 3, top);
      expect(found).toBe(3);
      for (const i of top) expect(data.itemIds[i]!.startsWith(g), `${user}: ${data.itemIds[i]}`).toBe(true);
    }
  });

  it.skipIf(b.query !== 'user' || !b.personal)(`folds an unknown user's history in${b.query === 'user' && b.personal ? '' : ' (skipped: not a user-history model)'}`, () => {
    const { ok, out } = scores(recipe, artifact, { user: -1, item: -1, history: Int32Array.of(item('B01'), item('B02'), item('B03')) });
    expect(ok).toBe(true);
    const mask = new Uint8Array(n).fill(1);
    for (const id of ['B01', 'B02', 'B03']) mask[item(id)] = 0;
    const top = new Int32Array(3);
    topK(out, mask, 3, top);
    for (const i of top) expect(data.itemIds[i]!.startsWith('B')).toBe(true);
  });
});
