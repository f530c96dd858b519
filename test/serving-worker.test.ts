// The serving worker (option servingWorker): user-personalization requests ranked on a worker thread give the same
// bytes as the inline path (item list, scores, exploration draws, promotions, filters, recommendationIds), also
// after PutEvents, and the worker really ranks them; close() ends it.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LocalPersonalize, ManualClock } from '../src/index.js';
import { rankingWorker } from '../src/engine/serving/ranking-worker.js';
import { INTERACTIONS_SCHEMA, ITEMS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const dir = tempDir();
const USERS = 120, ITEMS = 80;
const GENRES = ['comedy', 'drama', 'action'];
const clients: LocalPersonalize[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));

interface World { p: LocalPersonalize; campaignArn: string; v2CampaignArn: string; filterArn: string; promoFilterArn: string; trackingId: string }

async function world(servingWorker: boolean): Promise<World> {
  const p = new LocalPersonalize({
    inMemory: true, seed: 9, clock: new ManualClock(Date.UTC(2024, 0, 1)), trainingWorkers: 0, servingWorker,
    minimums: { interactions: 100, usersWithTwoInteractions: 5 },
  });
  clients.push(p);
  const { schemaArn } = await p.createSchema({ name: 'i', schema: INTERACTIONS_SCHEMA });
  const { schemaArn: itemsSchema } = await p.createSchema({ name: 'm', schema: ITEMS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  const { datasetArn: itemsArn } = await p.createDataset({ name: 'm', schemaArn: itemsSchema, datasetGroupArn, datasetType: 'Items' });
  const csv = zipfInteractions({ users: USERS, items: ITEMS, perUser: 10, seed: 4 }).csv;
  await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i.csv', csv) } });
  // Young items (exploration candidates) with a genre each (filters).
  const items = ['ITEM_ID,GENRES,CREATION_TIMESTAMP', ...Array.from({ length: ITEMS }, (_, i) => `item-${i},${GENRES[i % 3]},${1_700_000_000 + i}`)];
  await p.createDatasetImportJob({ jobName: 'm', datasetArn: itemsArn, dataSource: { dataLocation: writeCsv(dir, 'm.csv', items.join('\n') + '\n') } });
  const campaigns: string[] = [];
  for (const recipe of ['aws-user-personalization', 'aws-user-personalization-v2']) {
    const { solutionArn } = await p.createSolution({ name: recipe, datasetGroupArn, performAutoTraining: false, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    campaigns.push((await p.createCampaign({ name: recipe, solutionVersionArn, campaignConfig: { itemExplorationConfig: { explorationWeight: '0.4', explorationItemAgeCutOff: '10000' } } })).campaignArn as string);
  }
  const { filterArn } = await p.createFilter({ name: 'f', datasetGroupArn, filterExpression: 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)' });
  const { filterArn: promoFilterArn } = await p.createFilter({ name: 'promo', datasetGroupArn, filterExpression: 'INCLUDE ItemID WHERE Items.GENRES IN ("comedy")' });
  const { trackingId } = await p.createEventTracker({ name: 't', datasetGroupArn });
  return { p, campaignArn: campaigns[0]!, v2CampaignArn: campaigns[1]!, filterArn: filterArn as string, promoFilterArn: promoFilterArn as string, trackingId: trackingId as string };
}

/**
 * Requests of every kind, answers in request order. Concurrent: the worker takes one at a time and the calling
 * thread ranks the rest meanwhile; one by one: every request goes to the worker.
 */
async function requests(w: World, concurrent = true): Promise<Record<string, unknown>[]> {
  const all: Promise<Record<string, unknown>>[] = [];
  const out = { push: async (r: Promise<Record<string, unknown>>) => { all.push(r); if (!concurrent) await r; } };
  for (let u = 0; u < USERS + 5; u += 3) {
    const userId = `user-${u}`;
    await out.push(w.p.getRecommendations({ campaignArn: w.campaignArn, userId, numResults: 20 }));
    await out.push(w.p.getRecommendations({ campaignArn: w.campaignArn, userId, numResults: 10, filterArn: w.filterArn, filterValues: { GENRES: `"${GENRES[u % 3]}"` } }));
    await out.push(w.p.getRecommendations({ campaignArn: w.campaignArn, userId, numResults: 12, promotions: [{ name: 'comedies', percentPromotedItems: 25, filterArn: w.promoFilterArn }] }));
    await out.push(w.p.getRecommendations({ campaignArn: w.v2CampaignArn, userId, numResults: 15, filterArn: w.filterArn, filterValues: { GENRES: '"drama"' } }));
  }
  // $metadata.requestId is the client's own per-call id; the answer is the rest.
  return Promise.all(all).then((all) => all.map(({ $metadata: _, ...answer }) => answer));
}

describe('serving worker', () => {
  it('gives the inline path\'s bytes for user-personalization requests, before and after PutEvents, and ranks them off the main thread', async () => {
    const [inline, worker] = await Promise.all([world(false), world(true)]);
    const ranked = vi.spyOn(rankingWorker(worker.p.engine), 'rank');
    const before = [await requests(inline, false), await requests(worker, false)];
    expect(ranked).toHaveBeenCalledTimes(before[0]!.length);
    expect(JSON.stringify(before[1])).toBe(JSON.stringify(before[0]));
    // Concurrent: some on the worker, some inline, the same bytes (recommendationIds in arrival order too).
    ranked.mockClear();
    const mixed = [await requests(inline), await requests(worker)];
    expect(ranked.mock.calls.length).toBeGreaterThan(0);
    expect(ranked.mock.calls.length).toBeLessThan(mixed[0]!.length);
    expect(JSON.stringify(mixed[1])).toBe(JSON.stringify(mixed[0]));
    // Some answers explored, some promoted: the test covers the seeded draws, not only the plain ranking.
    const text = JSON.stringify(before[0]);
    expect(text).toContain('"reason":["Exploration"]');
    expect(text).toContain('"promotionName":"comedies"');

    // Events streamed after training move the users' histories (folded in on the worker from the sent history).
    for (const w of [inline, worker]) {
      for (let u = 0; u < USERS; u += 2) {
        await w.p.putEvents({ trackingId: w.trackingId, userId: `user-${u}`, sessionId: 's', eventList: [{ eventType: 'click', itemId: `item-${(u * 7) % ITEMS}`, sentAt: 1_700_100_000 + u }] });
      }
    }
    const after = [await requests(inline), await requests(worker)];
    expect(JSON.stringify(after[1])).toBe(JSON.stringify(after[0]));
    expect(JSON.stringify(after[0])).not.toBe(JSON.stringify(before[0]));
  });

  it('answers bad requests with the inline path\'s typed errors, and close() ends the thread', async () => {
    const w = await world(true);
    await expect(w.p.getRecommendations({ campaignArn: w.campaignArn })).rejects.toThrow(/userId is required/);
    await expect(w.p.getRecommendations({ campaignArn: w.campaignArn, userId: 'user-1', promotions: [{ name: 'p', percentPromotedItems: 0, filterArn: w.promoFilterArn }] })).rejects.toThrow(/percentPromotedItems/);
    const ok = await w.p.getRecommendations({ campaignArn: w.campaignArn, userId: 'user-1' });
    expect(ok.itemList?.length).toBe(25);
    await w.p.close();
  });
});
