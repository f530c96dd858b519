// trainingMode UPDATE against FULL on MovieLens-small: FULL on the oldest 90% of the training
// interactions, then UPDATE with the newest 10% added vs FULL on 100%, timed and ranked in one run.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateModel } from '../src/engine/evaluation/evaluate.js';
import { loadTrainingDataCsv, trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { splitForEvaluation } from '../src/engine/evaluation/split.js';
import { recipeByName } from '../src/recipes/index.js';
import { mapIds, mapRows } from '../src/recipes/mf/update.js';
import { itemPopularity } from '../src/recipes/popularity-count.js';
import type { ModelArtifact, Recipe, TrainingData } from '../src/recipes/types.js';
import type { BenchResult } from './types.js';

const RECIPE = 'aws-user-personalization';

/**
 * The oldest `share` of the interactions, by timestamp over the whole data set (ties broken by
 * position), rebuilt with its own numbering: what a FULL training run before the newest data
 * arrived would have seen. Holding back by time rather than by user gives the mix an UPDATE
 * meets in practice: new users, new interactions of known users, and items first seen lately.
 */
function oldestShare(data: TrainingData, share: number): TrainingData {
  const n = data.itemIdx.length;
  const order = Int32Array.from({ length: n }, (_, p) => p).sort((a, b) => data.timestamps[a]! - data.timestamps[b]! || a - b);
  const keep = new Uint8Array(n);
  for (let r = 0; r < Math.round(share * n); r++) keep[order[r]!] = 1;
  const rows: { user: string; item: string; timestamp: number; eventType?: string }[] = [];
  for (let u = 0; u < data.userIds.length; u++) {
    for (let p = data.userPtr[u]!; p < data.userPtr[u + 1]!; p++) {
      if (!keep[p]) continue;
      const et = data.eventType[p]!;
      rows.push({ user: data.userIds[u]!, item: data.itemIds[data.itemIdx[p]!]!, timestamp: data.timestamps[p]!, ...(et >= 0 ? { eventType: data.eventTypes[et]! } : {}) });
    }
  }
  return trainingDataFromRows(rows);
}

/** The result of `f` and its median wall time over `reps` runs (seconds): the host is shared, so single runs are noisy. */
function timed<T>(f: () => T, reps = 3): [T, number] {
  const times: number[] = [];
  let out!: T;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    out = f();
    times.push((performance.now() - t0) / 1000);
  }
  return [out, times.sort((a, b) => a - b)[reps >> 1]!];
}

/**
 * Per split seed (Personalize's split, §9.1: 10% of users held out for scoring): FULL on the oldest
 * 90% of the remaining users' interactions, then UPDATE with the newest 10% added and FULL on 100%.
 * Test users are unknown to every model (their histories are folded in), so NDCG measures the item
 * factors: trained on 100% (FULL), kept from 90% with new items folded in (UPDATE), or kept from
 * 90% with new items left unscored (stale: no UPDATE at all, the floor UPDATE should beat).
 * Items come from interactions only (no items.csv), so items first seen in the newest 10% are new
 * to the numbering, as they are to a model trained before they existed.
 */
export async function runUpdateBench(opts: { seeds?: number[] } = {}): Promise<BenchResult[]> {
  const dir = resolve(process.cwd(), '../shared/data/ml-latest-small');
  if (!existsSync(resolve(dir, 'interactions.csv'))) {
    console.log('update: skipped: ../shared/data/ml-latest-small not found');
    return [];
  }
  const recipe = recipeByName(RECIPE) as Recipe & Required<Pick<Recipe, 'update'>>;
  const seeds = opts.seeds ?? [1, 2, 3];
  const data = loadTrainingDataCsv(resolve(dir, 'interactions.csv'));
  const sums = { update: 0, full: 0, ndcgUpdate: 0, ndcgFull: 0, ndcgStale: 0 };
  const table: Record<string, Record<string, string | number>> = {};
  let warm = false;
  for (const seed of seeds) {
    const { train, test } = splitForEvaluation(data, seed);
    const old = oldestShare(train, 0.9);
    const previous = { artifact: recipe.train(old, {}, seed), userIds: old.userIds, itemIds: old.itemIds };
    if (!warm) { // JIT and WASM compilation out of the timings (a cold first UPDATE in a fresh process is ~3x slower)
      for (let r = 0; r < 3; r++) recipe.update(previous, train, {}, seed);
      recipe.train(train, {}, seed);
      warm = true;
    }
    const [upd, tUpdate] = timed(() => recipe.update(previous, train, {}, seed));
    const [full, tFull] = timed(() => recipe.train(train, {}, seed));
    const nItems = train.itemIds.length;
    const k = Number(previous.artifact.meta.k);
    const stale: ModelArtifact = {
      ...previous.artifact,
      arrays: {
        X: mapRows(previous.artifact.arrays.X as Float32Array, k, mapIds(old.userIds, train.userIds)),
        Y: mapRows(previous.artifact.arrays.Y as Float32Array, k, mapIds(old.itemIds, train.itemIds)),
        userCount: new Int32Array(train.userIds.length),
      },
    };
    const fallback = itemPopularity(train).uniqueUsers;
    const ndcg = (a: ModelArtifact): number =>
      evaluateModel(recipe.load(a, nItems), test, nItems, fallback).normalized_discounted_cumulative_gain_at_10!;
    const [nu, nf, ns] = [ndcg(upd), ndcg(full), ndcg(stale)];
    sums.update += tUpdate; sums.full += tFull; sums.ndcgUpdate += nu; sums.ndcgFull += nf; sums.ndcgStale += ns;
    const c = upd.meta.update as Record<string, number>;
    table[`seed ${seed}`] = {
      'UPDATE s': tUpdate.toFixed(3), 'FULL s': tFull.toFixed(3), 'NDCG@10 UPDATE': nu.toFixed(4), 'NDCG@10 FULL': nf.toFixed(4),
      'NDCG@10 stale': ns.toFixed(4), 'new items': c.newItems!, folded: c.itemsFolded!, 'new users': c.newUsers!, 'user solves': c.userSolves!,
      'added': c.interactionsAdded!,
    };
  }
  const n = seeds.length;
  const u = sums.update / n, f = sums.full / n, nu = sums.ndcgUpdate / n, nf = sums.ndcgFull / n, ns = sums.ndcgStale / n;
  console.log(`update: MovieLens-small, ${RECIPE}, FULL on the oldest 90% of training interactions, then +10% by UPDATE vs FULL on 100% (seeds ${seeds.join(',')})`);
  console.table(table);
  return [
    { name: `update/${RECIPE}/update-seconds`, value: u, unit: 's', baseline: f, ratio: u / f },
    { name: `update/${RECIPE}/full-seconds`, value: f, unit: 's' },
    { name: `update/${RECIPE}/update-ndcg@10`, value: nu, unit: 'ndcg', baseline: nf, ratio: nu / nf },
    { name: `update/${RECIPE}/full-ndcg@10`, value: nf, unit: 'ndcg' },
    { name: `update/${RECIPE}/stale-ndcg@10`, value: ns, unit: 'ndcg', baseline: nf, ratio: ns / nf },
  ];
}
