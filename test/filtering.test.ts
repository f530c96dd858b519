// Filters, promotions and metadata through GetRecommendations, on a popularity model whose order is known:
// item-0 is the most popular, then item-1, ... (every user interacted with items 0..k).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { tempDir, writeCsv } from './helpers/data.js';

const p = new LocalPersonalize({ inMemory: true, minimums: { interactions: 10, usersWithTwoInteractions: 2 } });
afterAll(() => p.close());
let datasetGroupArn = '';
let campaignArn = '';
let trackingId = '';
let itemsArn = '';
const GENRES = ['Comedy', 'Drama', 'Comedy|Drama', 'Horror'];

beforeAll(async () => {
  const dir = tempDir();
  const inter = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let u = 0; u < 12; u++) for (let i = 0; i <= 11 - u; i++) inter.push(`u${u},item-${i},${100 + i},click`);
  inter.push('u0,item-1,200,purchase', 'u0,item-4,201,purchase');
  const items = ['ITEM_ID,GENRES,PRICE'];
  for (let i = 0; i < 12; i++) items.push(`item-${i},${GENRES[i % 4]},${i * 10}`);
  const mk = (name: string, fields: unknown[]) => p.createSchema({ name, schema: JSON.stringify({ type: 'record', name, fields }) });
  const { schemaArn: si } = await mk('Interactions', [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' }]);
  const { schemaArn: sm } = await mk('Items', [{ name: 'ITEM_ID', type: 'string' }, { name: 'GENRES', type: 'string', categorical: true }, { name: 'PRICE', type: 'float' }]);
  ({ datasetGroupArn } = await p.createDatasetGroup({ name: 'g' }));
  const { datasetArn: di } = await p.createDataset({ name: 'i', schemaArn: si, datasetGroupArn, datasetType: 'Interactions' });
  const { datasetArn: dm } = await p.createDataset({ name: 'm', schemaArn: sm, datasetGroupArn, datasetType: 'Items' });
  itemsArn = dm as string;
  await p.createDatasetImportJob({ jobName: 'i', datasetArn: di, dataSource: { dataLocation: writeCsv(dir, 'i.csv', inter.join('\n')) } });
  await p.createDatasetImportJob({ jobName: 'm', datasetArn: dm, dataSource: { dataLocation: writeCsv(dir, 'm.csv', items.join('\n')) } });
  const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
  const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
  ({ campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn, campaignConfig: { enableMetadataWithRecommendations: true } }));
  ({ trackingId } = await p.createEventTracker({ name: 't', datasetGroupArn }));
});

const filter = async (name: string, filterExpression: string) => (await p.createFilter({ name, datasetGroupArn, filterExpression })).filterArn as string;
const ids = (r: { itemList: { itemId: string }[] }) => r.itemList.map((i) => i.itemId);

describe('filters in GetRecommendations', () => {
  it("excludes what the user purchased, including a purchase streamed a moment ago", async () => {
    const filterArn = await filter('no-purchased', 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")');
    expect(ids(await p.getRecommendations({ campaignArn, userId: 'u0', numResults: 5, filterArn }))).toEqual(['item-0', 'item-2', 'item-3', 'item-5', 'item-6']);
    await p.putEvents({ trackingId, userId: 'u0', sessionId: 's', eventList: [{ eventType: 'purchase', itemId: 'item-0', sentAt: 300 }] });
    expect(ids(await p.getRecommendations({ campaignArn, userId: 'u0', numResults: 5, filterArn }))).toEqual(['item-2', 'item-3', 'item-5', 'item-6', 'item-7']);
    expect(ids(await p.getRecommendations({ campaignArn, userId: 'u5', numResults: 3, filterArn }))).toEqual(['item-0', 'item-1', 'item-2']);
  });

  it('includes by metadata with placeholder values, and requires INCLUDE values', async () => {
    const filterArn = await filter('by-genre', 'INCLUDE ItemID WHERE Items.GENRES IN ($GENRE) AND Items.PRICE <= $MAX');
    const r = await p.getRecommendations({ campaignArn, userId: 'u3', numResults: 10, filterArn, filterValues: { GENRE: '"Drama"', MAX: '60' } });
    expect(ids(r)).toEqual(['item-1', 'item-2', 'item-5', 'item-6']);
    await expect(p.getRecommendations({ campaignArn, userId: 'u3', filterArn, filterValues: { GENRE: '"Drama"' } }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/MAX/) });
  });

  it('answers every repeat of the same values alike, and sees item metadata streamed a moment ago', async () => {
    const filterArn = await filter('not-genre', 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRE)');
    const get = async (genre: string) => ids(await p.getRecommendations({ campaignArn, userId: 'u3', numResults: 4, filterArn, filterValues: { GENRE: `"${genre}"` } }));
    expect(await get('Comedy')).toEqual(['item-1', 'item-3', 'item-5', 'item-7']);
    expect(await get('Horror')).toEqual(['item-0', 'item-1', 'item-2', 'item-4']);
    expect(await get('Comedy')).toEqual(['item-1', 'item-3', 'item-5', 'item-7']);
    await p.putItems({ datasetArn: itemsArn, items: [{ itemId: 'item-1', properties: { genres: 'Comedy', price: 10 } }] });
    expect(await get('Comedy')).toEqual(['item-3', 'item-5', 'item-7', 'item-9']);
    await p.putItems({ datasetArn: itemsArn, items: [{ itemId: 'item-1', properties: { genres: 'Drama', price: 10 } }] }); // as the other tests expect
    expect(await get('Comedy')).toEqual(['item-1', 'item-3', 'item-5', 'item-7']);
    await expect(p.getRecommendations({ campaignArn, userId: 'u3', filterArn, filterValues: { GENRE: 'Comedy' } }))
      .rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('rejects bad expressions at CreateFilter, naming the position and the rule', async () => {
    await expect(filter('broken', 'INCLUDE ItemID WHERE Items.GENRES ("x")'))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/position \d+/) });
    await expect(filter('unknown-field', 'INCLUDE ItemID WHERE Items.COLOR IN ("red")'))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/COLOR/) });
    const currentItem = await filter('current-item', 'INCLUDE ItemID WHERE Items.GENRES IN CurrentItem.GENRES');
    await expect(p.getRecommendations({ campaignArn, userId: 'u1', filterArn: currentItem }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/CurrentItem/) });
    expect((await p.listFilters({ datasetGroupArn })).Filters.length).toBeGreaterThan(0);
  });
});

describe('promotions', () => {
  it('gives percentPromotedItems of the slots to the promotion filter, in order, with promotionName', async () => {
    const horror = await filter('horror', 'INCLUDE ItemID WHERE Items.GENRES IN ("Horror")');
    const comedyOnly = await filter('comedy', 'INCLUDE ItemID WHERE Items.GENRES IN ("Comedy")');
    const r = await p.getRecommendations({
      campaignArn, userId: 'u2', numResults: 5, filterArn: comedyOnly,
      promotions: [{ name: 'spooky', percentPromotedItems: 40, filterArn: horror }],
    });
    const promoted = r.itemList.filter((i: { promotionName?: string }) => i.promotionName === 'spooky').map((i: { itemId: string }) => i.itemId);
    const rest = r.itemList.filter((i: { promotionName?: string }) => !i.promotionName).map((i: { itemId: string }) => i.itemId);
    expect(promoted).toEqual(['item-3', 'item-7']); // the request's filter does not apply to promoted slots
    expect(rest).toEqual(['item-0', 'item-2', 'item-4']);
  });
});

describe('metadataColumns', () => {
  it('returns the requested item columns as strings', async () => {
    const r = await p.getRecommendations({ campaignArn, userId: 'u9', numResults: 2, metadataColumns: { ITEMS: ['GENRES', 'PRICE'] } });
    expect(r.itemList).toEqual([{ itemId: 'item-0', metadata: { GENRES: 'Comedy', PRICE: '0' } }, { itemId: 'item-1', metadata: { GENRES: 'Drama', PRICE: '10' } }]);
    await expect(p.getRecommendations({ campaignArn, userId: 'u9', numResults: 51, metadataColumns: { ITEMS: ['GENRES'] } }))
      .rejects.toMatchObject({ message: expect.stringMatching(/at most 50/) });
  });
});

describe('context', () => {
  it('must name contextual columns of the Interactions schema', async () => {
    await expect(p.getRecommendations({ campaignArn, userId: 'u1', context: { DEVICE: 'mobile' } }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/context key DEVICE is not a contextual column .*it has none/) });
  });
});
