// What unfiltered served lists show on generated data with planted taste clusters (test/helpers/served-data.ts):
// history items per top-25 and the share of held-out next items listed, for each user-list recipe with a default
// campaign; the same-run baseline is the same model served without its repeat statistics (as models trained before
// the repeat stage are). Plus what the stage costs a request: GetRecommendations in process on 10k items.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPersonalize } from '../src/api/client.js';
import { decodeBundle, encodeBundle } from '../src/engine/training/bundle.js';
import { Rng } from '../src/lib/random.js';
import { interactionsCsv, servedData, servedListStats, type ServedData } from '../test/helpers/served-data.js';
import type { BenchResult } from './types.js';

const SCHEMA = JSON.stringify({
  type: 'record', name: 'Interactions',
  fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' }],
});

async function trainedGroup(p: LocalPersonalize, csv: string, recipes: string[]): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'plocal-served-bench-'));
  writeFileSync(join(dir, 'i.csv'), csv);
  const { schemaArn } = await p.createSchema({ name: 'i', schema: SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: join(dir, 'i.csv') } });
  const out: Record<string, string> = {};
  for (const recipe of recipes) {
    const { solutionArn } = await p.createSolution({ name: recipe, datasetGroupArn, performAutoTraining: false, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
    out[recipe] = (await p.createSolutionVersion({ solutionArn })).solutionVersionArn;
  }
  return out;
}

/** The model of a version, served as if trained before the repeat stage (its bundle without the statistics). */
function withoutRepeat(p: LocalPersonalize, versionArn: string): void {
  const bundle = decodeBundle(p.engine.models.bytesOf(versionArn));
  delete bundle.info.repeat;
  delete bundle.serving.userEventTypes;
  p.engine.models.drop(versionArn);
  p.engine.models.save(versionArn, encodeBundle(bundle));
}

async function servedStats(p: LocalPersonalize, d: ServedData, campaignArn: string): Promise<{ seen: number; hitRate: number }> {
  let seen = 0, hits = 0, next = 0;
  for (const u of d.users) {
    const list = (await p.getRecommendations({ campaignArn, userId: u, numResults: 25 })).itemList.map((x: { itemId: string }) => x.itemId);
    const s = servedListStats(list, d.seen.get(u)!, d.heldOut.get(u)!);
    seen += s.seen; hits += s.hits; next += d.heldOut.get(u)!.length;
  }
  return { seen: seen / d.users.length, hitRate: hits / next };
}

async function listFigures(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const table: Record<string, Record<string, string>> = {};
  for (const [label, repeatShare] of [['repeat-free', 0], ['repeat-heavy', 0.7]] as const) {
    const d = servedData({ repeatShare, seed: 7 });
    const p = new LocalPersonalize({ inMemory: true, seed: 1, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
    const recipes = ['aws-popularity-count', 'aws-trending-now', 'aws-user-personalization', 'aws-user-personalization-v2'];
    const versions = await trainedGroup(p, interactionsCsv(d.train), recipes);
    for (const recipe of recipes) {
      const campaignArn = (await p.createCampaign({ name: recipe, solutionVersionArn: versions[recipe]! })).campaignArn;
      const now = await servedStats(p, d, campaignArn);
      withoutRepeat(p, versions[recipe]!);
      const before = await servedStats(p, d, campaignArn);
      const { metrics } = await p.getSolutionMetrics({ solutionVersionArn: versions[recipe]! });
      const name = `served/${label}/${recipe}`;
      out.push(
        { name: `${name}/history items per 25`, value: now.seen, unit: 'items', baseline: before.seen },
        { name: `${name}/hit rate@25`, value: now.hitRate, unit: 'share', baseline: before.hitRate, ratio: now.hitRate / (before.hitRate || 1) },
      );
      table[`${label} ${recipe}`] = {
        'history items / 25': `${now.seen.toFixed(1)} (was ${before.seen.toFixed(1)})`,
        'hit rate@25': `${now.hitRate.toFixed(3)} (was ${before.hitRate.toFixed(3)})`,
        'offline NDCG@10': metrics.normalized_discounted_cumulative_gain_at_10.toFixed(3),
      };
    }
    await p.close();
  }
  console.log('served: generated data, 300 users x 200 items in 4 taste clusters, 13 interactions each + 2 held out; default campaigns, no filter');
  console.table(table);
  return out;
}

/** Time per in-process GetRecommendations (user-personalization, 10k items, 20-item histories), rounds alternating. */
async function requestCost(): Promise<BenchResult[]> {
  const rng = new Rng(7);
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let u = 0; u < 2000; u++) for (let k = 0; k < 20; k++) lines.push(`u${u},i${rng.int(10_000)},${1_700_000_000 + k},click`);
  for (let i = 0; i < 10_000; i++) lines.push(`u0,i${i},1700000000,click`);
  const p = new LocalPersonalize({ inMemory: true, seed: 1 });
  const { 'aws-user-personalization': v } = await trainedGroup(p, lines.join('\n') + '\n', ['aws-user-personalization']);
  const bytes = p.engine.models.bytesOf(v!);
  const stripped = decodeBundle(bytes);
  delete stripped.info.repeat;
  const without = encodeBundle(stripped);
  const campaignArn = (await p.createCampaign({ name: 'c', solutionVersionArn: v! })).campaignArn;
  const time = async (model: Uint8Array): Promise<number> => {
    p.engine.models.drop(v!);
    p.engine.models.save(v!, model);
    for (let i = 0; i < 200; i++) await p.getRecommendations({ campaignArn, userId: `u${i}`, numResults: 25 }); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) await p.getRecommendations({ campaignArn, userId: `u${i}`, numResults: 25 });
    return (performance.now() - t0) / 2000;
  };
  let withStage = Infinity, withoutStage = Infinity;
  for (let round = 0; round < 3; round++) {
    withStage = Math.min(withStage, await time(bytes));
    withoutStage = Math.min(withoutStage, await time(without));
  }
  await p.close();
  console.log(`served: GetRecommendations in process, 10k items: ${withStage.toFixed(3)} ms with the repeat stage, ${withoutStage.toFixed(3)} ms without`);
  return [{ name: 'served/GetRecommendations 10k items, repeat stage on / off', value: withStage, unit: 'ms', baseline: withoutStage, ratio: withStage / withoutStage }];
}

export async function runServedBench(): Promise<BenchResult[]> {
  return [...(await listFigures()), ...(await requestCost())];
}
