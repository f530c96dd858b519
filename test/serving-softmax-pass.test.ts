// User-personalization requests give the same bytes whether the model scores and computes the softmax terms in one
// WASM pass (FactorSoftmax, the default where WASM SIMD runs) or the pipeline computes them from score()'s scores in
// JS: scores, repeat stage, exploration draws and promotions alike.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LocalPersonalize, ManualClock } from '../src/index.js';
import type { ServingModel } from '../src/engine/store/model-store.js';
import { INTERACTIONS_SCHEMA, ITEMS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const dir = tempDir();
const USERS = 100, ITEMS = 90;
const clients: LocalPersonalize[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));

async function world(): Promise<{ p: LocalPersonalize; campaignArn: string; promoFilterArn: string; m: ServingModel }> {
  const p = new LocalPersonalize({ inMemory: true, seed: 5, clock: new ManualClock(Date.UTC(2024, 0, 1)), trainingWorkers: 0, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
  clients.push(p);
  const { schemaArn } = await p.createSchema({ name: 'i', schema: INTERACTIONS_SCHEMA });
  const { schemaArn: itemsSchema } = await p.createSchema({ name: 'm', schema: ITEMS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  const { datasetArn: itemsArn } = await p.createDataset({ name: 'm', schemaArn: itemsSchema, datasetGroupArn, datasetType: 'Items' });
  const csv = zipfInteractions({ users: USERS, items: ITEMS, perUser: 12, seed: 8 }).csv;
  await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i.csv', csv) } });
  const items = ['ITEM_ID,GENRES,CREATION_TIMESTAMP', ...Array.from({ length: ITEMS }, (_, i) => `item-${i},${i % 2 ? 'comedy' : 'drama'},${1_700_000_000 + i}`)];
  await p.createDatasetImportJob({ jobName: 'm', datasetArn: itemsArn, dataSource: { dataLocation: writeCsv(dir, 'm.csv', items.join('\n') + '\n') } });
  const { solutionArn } = await p.createSolution({ name: 'up', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization' });
  const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
  const { campaignArn } = await p.createCampaign({ name: 'up', solutionVersionArn, campaignConfig: { itemExplorationConfig: { explorationWeight: '0.5', explorationItemAgeCutOff: '10000' } } });
  const { filterArn: promoFilterArn } = await p.createFilter({ name: 'promo', datasetGroupArn, filterExpression: 'INCLUDE ItemID WHERE Items.GENRES IN ("comedy")' });
  const m = p.engine.models.load(p.engine.store.get('campaign', campaignArn!).props.servingVersionArn as string);
  return { p, campaignArn: campaignArn!, promoFilterArn: promoFilterArn!, m };
}

async function answers(w: Awaited<ReturnType<typeof world>>): Promise<string> {
  const out: unknown[] = [];
  for (let u = 0; u < USERS + 3; u += 2) {
    const userId = `user-${u}`;
    out.push(await w.p.getRecommendations({ campaignArn: w.campaignArn, userId, numResults: 15 }));
    out.push(await w.p.getRecommendations({ campaignArn: w.campaignArn, userId, numResults: 8, promotions: [{ name: 'c', percentPromotedItems: 25, filterArn: w.promoFilterArn }] }));
  }
  return JSON.stringify(out.map((r) => ({ ...(r as object), $metadata: undefined })));
}

describe('the fused scoring and softmax pass', () => {
  it('gives the bytes of the JS softmax over score()\'s scores', async () => {
    const [fused, js] = [await world(), await world()];
    expect(fused.m.model.scoreSoftmax).toBeTypeOf('function'); // Node 20 has WASM SIMD
    const pass = vi.spyOn(fused.m.model, 'scoreSoftmax' as never);
    delete (js.m.model as { scoreSoftmax?: unknown }).scoreSoftmax;
    const a = await answers(fused), b = await answers(js);
    expect(pass).toHaveBeenCalled();
    expect(a).toBe(b);
    expect(a).toContain('"score":'); // softmax scores shown
    expect(a).toContain('"promotionName":"c"');
  });
});
