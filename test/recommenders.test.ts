// Domain recommenders: each use case trains on its event type, asks for its parameters, leaves out what
// the user already bought or watched, and refuses requests while stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { Rng } from '../src/lib/random.js';
import { tempDir, writeCsv } from './helpers/data.js';

const p = new LocalPersonalize({ inMemory: true, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
afterAll(() => p.close());
let datasetGroupArn = '';
const schema = JSON.stringify({ type: 'record', name: 'Interactions', fields: [
  { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' },
] });

beforeAll(async () => {
  const rng = new Rng(5);
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  // Views spread over 30 items; purchases concentrate on p-0..p-4; u0 bought p-0 and p-1.
  for (let u = 0; u < 60; u++) for (let k = 0; k < 6; k++) lines.push(`u${u},item-${rng.int(30)},${1000 + k},View`);
  for (let u = 0; u < 60; u++) for (let k = 0; k < 3; k++) lines.push(`u${u},p-${(u + k) % 5},${2000 + k},Purchase`);
  const { schemaArn } = await p.createSchema({ name: 'ecomm', schema, domain: 'ECOMMERCE' });
  ({ datasetGroupArn } = await p.createDatasetGroup({ name: 'shop', domain: 'ECOMMERCE' }));
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(tempDir(), 'i.csv', lines.join('\n')) } });
});

const ids = (r: { itemList: { itemId: string }[] }) => r.itemList.map((i) => i.itemId);

describe('recommenders', () => {
  it('serves best sellers from purchases only, without scores', async () => {
    const { recommenderArn } = await p.createRecommender({ name: 'best-sellers', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-purchases' });
    const { recommender } = await p.describeRecommender({ recommenderArn });
    expect(recommender).toMatchObject({ status: 'ACTIVE', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-purchases' });
    expect(Object.keys(recommender.modelMetrics)).toContain('normalized_discounted_cumulative_gain_at_10');
    const r = await p.getRecommendations({ recommenderArn, userId: 'u7', numResults: 10 });
    expect(ids(r).sort()).toEqual(['p-0', 'p-1', 'p-2', 'p-3', 'p-4']);
    expect(r.itemList[0]).not.toHaveProperty('score');
    await expect(p.getRecommendations({ recommenderArn })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/userId is required for the aws-ecomm-popular-items-by-purchases use case/) });
  });

  it('leaves out what the user purchased for "customers who viewed X also viewed", and needs userId and itemId', async () => {
    const { recommenderArn } = await p.createRecommender({ name: 'also-viewed', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-customers-who-viewed-x-also-viewed' });
    await expect(p.getRecommendations({ recommenderArn, userId: 'u0' })).rejects.toMatchObject({ message: expect.stringMatching(/itemId is required/) });
    const r = await p.getRecommendations({ recommenderArn, userId: 'u0', itemId: 'item-3', numResults: 50 });
    expect(ids(r)).not.toContain('item-3');
    expect(ids(r).filter((i) => i === 'p-0' || i === 'p-1')).toEqual([]);
  });

  it('refuses requests while stopped, and serves again after StartRecommender', async () => {
    const { recommenderArn } = await p.createRecommender({ name: 'views', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views' });
    await p.stopRecommender({ recommenderArn });
    expect((await p.describeRecommender({ recommenderArn })).recommender.status).toBe('INACTIVE');
    await expect(p.getRecommendations({ recommenderArn, userId: 'u1' })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/INACTIVE; start it with StartRecommender/) });
    await p.startRecommender({ recommenderArn });
    expect(ids(await p.getRecommendations({ recommenderArn, userId: 'u1', numResults: 3 }))).toHaveLength(3);
  });

  it('rejects use cases of another domain and custom recipes', async () => {
    await expect(p.createRecommender({ name: 'x', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-vod-top-picks' }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/VIDEO_ON_DEMAND use case/) });
    await expect(p.createRecommender({ name: 'y', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-sims' }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/not a domain use case/) });
  });

  it('explains a recommender\'s list slot by slot, with the items the use case left out not among the candidates', async () => {
    const { recommenderArn } = await p.createRecommender({ name: 'for-you', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you' });
    const asked = { recommenderArn, userId: 'u0', numResults: 10 };
    const out = await p.explainRecommendations(asked) as { itemList: { itemId: string }[]; trace: { recipe: string; candidates: number; candidatesAfterFilter: number; items: { itemId: string; slot: string }[] } };
    // The same list an SDK user gets, each item with the slot it fills.
    expect(ids(out)).toEqual(ids(await p.getRecommendations(asked)));
    expect(out.trace.items.map((x) => x.itemId)).toEqual(ids(out));
    expect(new Set(out.trace.items.map((x) => x.slot))).not.toContain(undefined);
    // u0 purchased p-0 and p-1: recommended-for-you excludes purchased items, so fewer candidates remain.
    expect(out.trace.candidatesAfterFilter).toBeLessThan(out.trace.candidates);
  });
});
