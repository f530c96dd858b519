// Offline quality of every local recipe on MovieLens-small with Personalize's split (reference §9),
// averaged over split seeds, against peer figures measured with the `implicit` library on this machine; and the
// same held-out users' served lists (no filter, history left in, the repeat stage on): what a user would see.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateModel } from '../src/engine/evaluation/evaluate.js';
import { loadTrainingDataCsv } from '../src/engine/evaluation/load-csv.js';
import { splitForEvaluation } from '../src/engine/evaluation/split.js';
import { learnRepeat, repeatTable } from '../src/engine/training/repeat.js';
import { RECIPES } from '../src/recipes/index.js';
import { itemPopularity } from '../src/recipes/popularity-count.js';
import type { ModelArtifact, Recipe } from '../src/recipes/types.js';
import type { BenchResult } from './types.js';

/** implicit on this protocol (NDCG@10, training seconds): what each local recipe is compared with. */
const PEERS: Record<string, { ndcg10: number; seconds: number; peer: string }> = {
  'aws-popularity-count': { ndcg10: 0.037, seconds: 0, peer: 'most-popular' },
  'aws-sims': { ndcg10: 0.060, seconds: 0.32, peer: 'implicit item-kNN K=100' },
  'aws-similar-items': { ndcg10: 0.060, seconds: 0.32, peer: 'implicit item-kNN K=100' },
  // The goal for the factor recipes is BPR's NDCG (the best peer) at ALS's training time (same algorithm).
  'aws-user-personalization': { ndcg10: 0.066, seconds: 0.41, peer: 'implicit BPR / ALS 64f' },
  'aws-user-personalization-v2': { ndcg10: 0.066, seconds: 0.41, peer: 'implicit BPR / ALS 64f' },
  'aws-personalized-ranking': { ndcg10: 0.066, seconds: 0.41, peer: 'implicit BPR / ALS 64f' },
  'aws-personalized-ranking-v2': { ndcg10: 0.066, seconds: 0.41, peer: 'implicit BPR / ALS 64f' },
};

/**
 * Configurations measured: every registered recipe with its defaults, plus SIMS without its default
 * max_item_interaction_count_percentile of 0.9, which (as Personalize documents) drops the 10% most
 * interacted items, on MovieLens exactly the films the held-out users watch next.
 */
function configurations(): { label: string; recipe: Recipe; params: Record<string, string> }[] {
  const out = [...RECIPES.values()].map((recipe) => ({ label: recipe.name, recipe, params: {} as Record<string, string> }));
  const sims = out.find((c) => c.label === 'aws-sims');
  if (sims) out.push({ label: 'aws-sims[max_item_interaction_count_percentile=1]', recipe: sims.recipe, params: { max_item_interaction_count_percentile: '1' } });
  return out;
}

export async function runQualityBench(opts: { seeds?: number[] } = {}): Promise<BenchResult[]> {
  const dir = resolve(process.cwd(), '../shared/data/ml-latest-small');
  if (!existsSync(resolve(dir, 'interactions.csv'))) {
    console.log('quality: skipped: ../shared not found');
    return [];
  }
  const seeds = opts.seeds ?? [1, 2, 3, 4, 5];
  const items = resolve(dir, 'items.csv');
  const data = loadTrainingDataCsv(resolve(dir, 'interactions.csv'), existsSync(items) ? items : undefined);
  const splits = seeds.map((seed) => ({ seed, ...splitForEvaluation(data, seed) }));
  const rows: BenchResult[] = [];
  const table: Record<string, Record<string, string>> = {};
  for (const { label, recipe, params } of configurations()) {
    const missing = recipe.checkData?.(data);
    if (missing) { console.log(`quality: ${label} skipped: ${missing}`); continue; }
    const sums = { ndcg10: 0, p10: 0, coverage: 0, seconds: 0, servedNdcg10: 0, servedSeen: 0, plainNdcg10: 0, plainSeen: 0 };
    for (const { seed, train, test } of splits) {
      const t0 = performance.now();
      const artifact: ModelArtifact = await recipe.train(train, params, seed);
      sums.seconds += (performance.now() - t0) / 1000;
      const model = recipe.load(artifact, train.itemIds.length);
      const m = evaluateModel(model, test, train.itemIds.length, itemPopularity(train).uniqueUsers);
      sums.ndcg10 += m.normalized_discounted_cumulative_gain_at_10!;
      sums.p10 += m.precision_at_10!;
      sums.coverage += m.coverage!;
      const served = evaluateModel(model, test, train.itemIds.length, itemPopularity(train).uniqueUsers, { served: { repeat: recipe.repeatAware ? repeatTable(learnRepeat(train)) : null } });
      sums.servedNdcg10 += served.normalized_discounted_cumulative_gain_at_10!;
      sums.servedSeen += served.history_items_at_25!;
      // Before the repeat stage (the same list for recipes without it): the same-run baseline of the served figures.
      const plain = recipe.repeatAware ? evaluateModel(model, test, train.itemIds.length, itemPopularity(train).uniqueUsers, { served: { repeat: null } }) : served;
      sums.plainNdcg10 += plain.normalized_discounted_cumulative_gain_at_10!;
      sums.plainSeen += plain.history_items_at_25!;
    }
    const n = splits.length;
    const peer = PEERS[recipe.name];
    const ndcg = sums.ndcg10 / n, secs = sums.seconds / n;
    rows.push(
      { name: `quality/${label}/ndcg@10`, value: ndcg, unit: 'ndcg', ...(peer ? { baseline: peer.ndcg10, ratio: ndcg / peer.ndcg10 } : {}) },
      { name: `quality/${label}/precision@10`, value: sums.p10 / n, unit: 'precision' },
      { name: `quality/${label}/coverage`, value: sums.coverage / n, unit: 'share' },
      { name: `quality/${label}/served ndcg@10`, value: sums.servedNdcg10 / n, unit: 'ndcg', baseline: sums.plainNdcg10 / n, ratio: sums.servedNdcg10 / (sums.plainNdcg10 || 1) },
      { name: `quality/${label}/served history items per 25`, value: sums.servedSeen / n, unit: 'items', baseline: sums.plainSeen / n },
      { name: `quality/${label}/train`, value: secs, unit: 's', ...(peer && peer.seconds > 0 ? { baseline: peer.seconds, ratio: secs / peer.seconds } : {}) },
    );
    table[label] = {
      'NDCG@10': ndcg.toFixed(4), 'P@10': (sums.p10 / n).toFixed(4), coverage: (sums.coverage / n).toFixed(4),
      'train s': secs.toFixed(3), 'served NDCG@10': (sums.servedNdcg10 / n).toFixed(4), 'served seen/25': (sums.servedSeen / n).toFixed(2),
      'no repeat stage': `${(sums.plainNdcg10 / n).toFixed(4)} / ${(sums.plainSeen / n).toFixed(2)}`, peer: peer ? `${peer.peer}: ${peer.ndcg10} / ${peer.seconds}s` : '',
    };
  }
  console.log(`quality: MovieLens-small, Personalize split, seeds ${seeds.join(',')}, history excluded from the top 25 (served: left in, repeat stage on)`);
  console.table(table);
  return rows;
}
