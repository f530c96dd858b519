// trainingMode UPDATE of the implicit-ALS recipes: new items and users folded into a FULL model on
// planted two-group data, trained item factors kept, removed ids dropped, results deterministic.
import { describe, expect, it } from 'vitest';
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { Rng } from '../src/lib/random.js';
import { recipeByName } from '../src/recipes/index.js';
import type { ModelArtifact, Recipe, TrainingData } from '../src/recipes/types.js';

type Row = { user: string; item: string; timestamp: number };
const END = 1_700_000_000;
const pad = (n: number): string => String(n).padStart(2, '0');

/** Group A users interact with A00..A09, group B with B00..B09, 6 each (seeded), all before END. */
function plantedRows(): Row[] {
  const rng = new Rng(7);
  const rows: Row[] = [];
  for (const g of ['A', 'B']) {
    for (let u = 0; u < 20; u++) {
      const picked = new Set<number>();
      while (picked.size < 6) picked.add(rng.int(10));
      let t = END - 50_000 + rng.int(600);
      for (const i of picked) rows.push({ user: `${g}user${pad(u)}`, item: `${g}${pad(i)}`, timestamp: (t += 60 + rng.int(1800)) });
    }
  }
  return rows;
}

/**
 * The newer data: every old row except those of B09 (gone from the data), plus `Anew`, watched by
 * group-A users 0..7 after END, and a new user `Anewcomer` with four group-A items.
 */
function newerRows(old: Row[]): Row[] {
  const rows = old.filter((r) => r.item !== 'B09');
  for (let u = 0; u < 8; u++) rows.push({ user: `Auser${pad(u)}`, item: 'Anew', timestamp: END + 100 * u });
  ['A01', 'A03', 'A05', 'A07'].forEach((item, p) => rows.push({ user: 'Anewcomer', item, timestamp: END + 1000 + p }));
  return rows;
}

const oldData = trainingDataFromRows(plantedRows());
const newData = trainingDataFromRows(newerRows(plantedRows()));
const historyOf = (d: TrainingData, u: number): Int32Array => d.itemIdx.slice(d.userPtr[u]!, d.userPtr[u + 1]!);

function scoresFor(recipe: Recipe, a: ModelArtifact, d: TrainingData, user: string): Float32Array {
  const u = d.userIds.indexOf(user);
  const out = new Float32Array(d.itemIds.length);
  expect(recipe.load(a, d.itemIds.length).score({ user: u, item: -1, history: historyOf(d, u) }, out)).toBe(true);
  return out;
}

/** Rank of `item` among the items `user` has not interacted with (0 = top). */
function rankAmongUnseen(scores: Float32Array, d: TrainingData, user: string, item: string): number {
  const seen = new Set(historyOf(d, d.userIds.indexOf(user)));
  const s = scores[d.itemIds.indexOf(item)]!;
  let above = 0;
  for (let i = 0; i < scores.length; i++) if (!seen.has(i) && scores[i]! > s) above++;
  return above;
}

const NAMES = ['aws-user-personalization', 'aws-user-personalization-v2', 'aws-personalized-ranking', 'aws-personalized-ranking-v2'];

describe.each(NAMES)('trainingMode UPDATE: %s', (name) => {
  const recipe = recipeByName(name)!;
  const full = recipe.train(oldData, {}, 3);
  const previous = { artifact: full, userIds: oldData.userIds, itemIds: oldData.itemIds };
  const updated = recipe.update!(previous, newData, {}, 3);
  const k = Number(full.meta.k);

  it('records the mode and what was folded in', () => {
    expect(full.meta.trainingMode).toBe('FULL');
    expect(updated.meta.trainingMode).toBe('UPDATE');
    expect(updated.meta.update).toMatchObject({ newItems: 1, newUsers: 1, removedItems: 1, removedUsers: 0, itemsFolded: 1, interactionsAdded: 12 });
  });

  it('makes a new item that group-A users took up score high for the other group-A users, without a FULL retrain', () => {
    for (let u = 8; u < 20; u++) {
      const user = `Auser${pad(u)}`;
      const s = scoresFor(recipe, updated, newData, user);
      const anew = s[newData.itemIds.indexOf('Anew')]!;
      for (let i = 0; i < newData.itemIds.length; i++) if (newData.itemIds[i]!.startsWith('B')) expect(anew).toBeGreaterThan(s[i]!);
      expect(rankAmongUnseen(s, newData, user, 'Anew')).toBeLessThan(5);
    }
    for (let u = 0; u < 20; u++) { // and not for group B
      const s = scoresFor(recipe, updated, newData, `Buser${pad(u)}`);
      expect(rankAmongUnseen(s, newData, `Buser${pad(u)}`, 'Anew')).toBeGreaterThanOrEqual(5);
    }
  });

  it('keeps the factors of items trained before unchanged', () => {
    const Y0 = full.arrays.Y as Float32Array, Y1 = updated.arrays.Y as Float32Array;
    expect(Y1.length).toBe(newData.itemIds.length * k);
    let kept = 0;
    newData.itemIds.forEach((id, i) => {
      const p = oldData.itemIds.indexOf(id);
      if (p < 0) return;
      expect(Array.from(Y1.subarray(i * k, i * k + k))).toEqual(Array.from(Y0.subarray(p * k, p * k + k)));
      kept++;
    });
    expect(kept).toBe(19);
  });

  it('gives a new user personalized scores from its own vector', () => {
    const s = scoresFor(recipe, updated, newData, 'Anewcomer');
    const u = newData.userIds.indexOf('Anewcomer');
    expect((updated.arrays.userCount as Int32Array)[u]).toBe(4); // known to the model: no fold-in at serving
    const mean = (g: string): number => {
      const ids = newData.itemIds.map((id, i) => [id, i] as const).filter(([id]) => id.startsWith(g) && id !== 'Anew');
      return ids.reduce((acc, [, i]) => acc + s[i]!, 0) / ids.length;
    };
    expect(mean('A')).toBeGreaterThan(mean('B'));
    expect(Math.min(...['A00', 'A02', 'A04'].map((id) => s[newData.itemIds.indexOf(id)]!)))
      .toBeGreaterThan(Math.max(...newData.itemIds.filter((id) => id.startsWith('B')).map((id) => s[newData.itemIds.indexOf(id)]!)));
  });

  it('is deterministic: the same inputs give byte-identical arrays', () => {
    const again = recipe.update!(previous, newData, {}, 3);
    expect(again.meta).toEqual(updated.meta);
    for (const [key, arr] of Object.entries(updated.arrays)) {
      expect(Buffer.from(again.arrays[key]!.buffer).equals(Buffer.from(arr.buffer)), key).toBe(true);
    }
  });

  it('drops an item that left the data from the numbering', () => {
    expect(newData.itemIds).not.toContain('B09');
    expect(oldData.itemIds).toContain('B09');
    const out = new Float32Array(newData.itemIds.length);
    expect(recipe.load(updated, newData.itemIds.length).score({ user: 0, item: -1, history: historyOf(newData, 0) }, out)).toBe(true);
    expect(out.every(Number.isFinite)).toBe(true);
  });
});

describe('trainingMode UPDATE: catalogue items and mismatches', () => {
  const recipe = recipeByName('aws-user-personalization')!;

  it('folds in a catalogue item that had no interactions at the FULL training', () => {
    const items = [...Array(10).keys()].flatMap((i) => ['A', 'B'].map((g) => ({ item: `${g}${pad(i)}` }))).concat([{ item: 'Acat' }]);
    const before = trainingDataFromRows(plantedRows(), items);
    expect(before.itemIds).toContain('Acat');
    const rows = plantedRows();
    for (let u = 0; u < 8; u++) rows.push({ user: `Auser${pad(u)}`, item: 'Acat', timestamp: END + u });
    const after = trainingDataFromRows(rows, items);
    const full = recipe.train(before, {}, 1);
    const upd = recipe.update!({ artifact: full, userIds: before.userIds, itemIds: before.itemIds }, after, {}, 1);
    expect(upd.meta.update).toMatchObject({ newItems: 0, itemsFolded: 1 });
    const s = scoresFor(recipe, upd, after, 'Auser15');
    expect(rankAmongUnseen(s, after, 'Auser15', 'Acat')).toBeLessThan(5);
  });

  it('refuses a previous model of another recipe', () => {
    const other = recipeByName('aws-personalized-ranking')!.train(oldData, {}, 1);
    expect(() => recipe.update!({ artifact: other, userIds: oldData.userIds, itemIds: oldData.itemIds }, newData, {}, 1)).toThrow(/cannot UPDATE/);
  });
});
