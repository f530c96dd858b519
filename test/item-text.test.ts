// Items' text in use, on a catalogue with planted topics: aws-semantic-similarity relates items by their text (with
// or without interactions), aws-similar-items and aws-user-personalization-v2 place a new item that has only a
// description; the related-items machinery (filters, promotions, ranking influence, batch) works for it as for SIMS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPersonalize, ManualClock } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv } from './helpers/data.js';
import { itemsCsv, TEXT_ITEMS_SCHEMA, topicCatalogue, topicInteractionsCsv, type TextItem } from './helpers/text-data.js';

const recipeArn = (name: string) => `arn:aws:personalize:::recipe/${name}`;
const { items, fresh } = topicCatalogue();
const all = [...items, ...fresh];
const topicOf = new Map(all.map((i) => [i.id, i.topic]));
const dir = tempDir();

async function itemsGroup(p: LocalPersonalize, name: string, catalogue: TextItem[], withInteractions: boolean, schema = TEXT_ITEMS_SCHEMA): Promise<string> {
  const { datasetGroupArn } = await p.createDatasetGroup({ name });
  const { schemaArn } = await p.createSchema({ name: `${name}-items`, schema });
  const { datasetArn } = await p.createDataset({ name: `${name}-items`, schemaArn, datasetGroupArn, datasetType: 'Items' });
  await p.createDatasetImportJob({ jobName: `${name}-items`, datasetArn, dataSource: { dataLocation: writeCsv(dir, `${name}-items.csv`, itemsCsv(catalogue)) } });
  if (withInteractions) {
    const { schemaArn: s } = await p.createSchema({ name: `${name}-i`, schema: INTERACTIONS_SCHEMA });
    const { datasetArn: d } = await p.createDataset({ name: `${name}-i`, schemaArn: s, datasetGroupArn, datasetType: 'Interactions' });
    await p.createDatasetImportJob({ jobName: `${name}-i`, datasetArn: d, dataSource: { dataLocation: writeCsv(dir, `${name}-i.csv`, topicInteractionsCsv(items)) } });
  }
  return datasetGroupArn;
}

async function train(p: LocalPersonalize, groupArn: string, recipe: string, name: string): Promise<{ status: string; failureReason?: string; solutionVersionArn: string }> {
  const { solutionArn } = await p.createSolution({ name, datasetGroupArn: groupArn, performAutoTraining: false, recipeArn: recipeArn(recipe) });
  const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
  const { solutionVersion } = await p.describeSolutionVersion({ solutionVersionArn });
  return { status: solutionVersion.status, failureReason: solutionVersion.failureReason, solutionVersionArn };
}

const ids = (r: { itemList: { itemId: string }[] }) => r.itemList.map((x) => x.itemId);
const sameTopic = (query: string, list: string[]) => list.filter((id) => topicOf.get(id) === topicOf.get(query)).length;

describe('aws-semantic-similarity', () => {
  const p = new LocalPersonalize({ inMemory: true, seed: 2, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
  afterAll(() => p.close());
  let campaignArn = '', groupArn = '', versionArn = '';
  beforeAll(async () => {
    groupArn = await itemsGroup(p, 'catalogue', all, false);
    const v = await train(p, groupArn, 'aws-semantic-similarity', 'semantic');
    expect(v).toMatchObject({ status: 'ACTIVE' });
    versionArn = v.solutionVersionArn;
    campaignArn = (await p.createCampaign({ name: 'semantic', solutionVersionArn: versionArn })).campaignArn;
  });

  it('trains on an Items dataset alone and lists items of the query item\'s topic, without scores or the item itself', async () => {
    let same = 0, total = 0;
    for (const query of items.filter((_, k) => k % 7 === 0)) {
      const r = await p.getRecommendations({ campaignArn, itemId: query.id, numResults: 10 });
      expect(r.itemList).toHaveLength(10);
      expect(ids(r)).not.toContain(query.id);
      expect(r.itemList.every((x: { score?: number }) => x.score === undefined)).toBe(true);
      same += sameTopic(query.id, ids(r)); total += 10;
    }
    expect(same / total).toBeGreaterThan(0.95);
  });

  it('relates a new item that has only a description to its topic', async () => {
    for (const item of fresh) expect(sameTopic(item.id, ids(await p.getRecommendations({ campaignArn, itemId: item.id, numResults: 10 })))).toBeGreaterThanOrEqual(9);
  });

  it('honours rankingInfluence FRESHNESS, filters (CurrentItem too) and promotions, as other related-items recipes', async () => {
    const query = 'garden-3';
    const fresher = (await p.createCampaign({ name: 'semantic-fresh', solutionVersionArn: versionArn, campaignConfig: { rankingInfluence: { FRESHNESS: 1 } } })).campaignArn;
    const age = (list: string[]) => list.reduce((s, id) => s + all.find((i) => i.id === id)!.created, 0) / list.length;
    const plain = ids(await p.getRecommendations({ campaignArn, itemId: query, numResults: 10 }));
    const fresh10 = ids(await p.getRecommendations({ campaignArn: fresher, itemId: query, numResults: 10 }));
    expect(age(fresh10)).toBeGreaterThan(age(plain));
    expect(fresh10).toContain('new-garden');

    const { filterArn: cheap } = await p.createFilter({ name: 'cheap', datasetGroupArn: groupArn, filterExpression: 'INCLUDE ItemID WHERE Items.PRICE < 30' });
    const { filterArn: dearer } = await p.createFilter({ name: 'dearer', datasetGroupArn: groupArn, filterExpression: 'INCLUDE ItemID WHERE Items.PRICE > CurrentItem.PRICE' });
    for (const f of [cheap, dearer]) await waitActive(p, f);
    const price = (id: string) => all.find((i) => i.id === id)!.price;
    const cheapList = ids(await p.getRecommendations({ campaignArn, itemId: query, numResults: 10, filterArn: cheap }));
    expect(cheapList.length).toBeGreaterThan(0);
    expect(cheapList.every((id) => price(id) < 30)).toBe(true);
    expect(ids(await p.getRecommendations({ campaignArn, itemId: query, numResults: 10, filterArn: dearer })).every((id) => price(id) > price(query))).toBe(true);
    const promoted = await p.getRecommendations({ campaignArn, itemId: query, numResults: 10, promotions: [{ name: 'cheap', percentPromotedItems: 20, filterArn: cheap }] });
    expect(promoted.itemList.filter((x: { promotionName?: string }) => x.promotionName === 'cheap')).toHaveLength(2);
  });

  it('answers batch inference lines by itemId, without scores', async () => {
    const input = writeCsv(dir, 'batch.jsonl', `${JSON.stringify({ itemId: 'music-4' })}\n${JSON.stringify({ itemId: 'travel-1' })}\n`);
    const out = join(dir, 'batch-out/');
    const { batchInferenceJobArn } = await p.createBatchInferenceJob({
      jobName: 'semantic-batch', solutionVersionArn: versionArn, roleArn: 'arn:aws:iam::000000000000:role/x', numResults: 5,
      jobInput: { s3DataSource: { path: input } }, jobOutput: { s3DataDestination: { path: out } },
    });
    expect((await p.describeBatchInferenceJob({ batchInferenceJobArn })).batchInferenceJob.status).toBe('ACTIVE');
    const lines = readFileSync(join(out, 'batch.jsonl.out'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].output.recommendedItems).toHaveLength(5);
    expect(lines[0].output.scores).toBeUndefined();
    expect(sameTopic('music-4', lines[0].output.recommendedItems)).toBeGreaterThanOrEqual(4);
  });

  it('fails training with a reason that says what to add when the Items schema has no textual field or no itemName', async () => {
    const noText = JSON.stringify({ type: 'record', name: 'Items', fields: [{ name: 'ITEM_ID', type: 'string' }, { name: 'TITLE', type: 'string', itemName: true }, { name: 'PRICE', type: 'float' }] });
    const g1 = await itemsGroupCsv(p, 'no-text', noText, 'ITEM_ID,TITLE,PRICE\na,x,1\nb,y,2\n');
    expect(await train(p, g1, 'aws-semantic-similarity', 'no-text')).toMatchObject({ status: 'CREATE FAILED', failureReason: expect.stringContaining('"textual": true') });
    const noName = JSON.stringify({ type: 'record', name: 'Items', fields: [{ name: 'ITEM_ID', type: 'string' }, { name: 'DESCRIPTION', type: 'string', textual: true }] });
    const g2 = await itemsGroupCsv(p, 'no-name', noName, 'ITEM_ID,DESCRIPTION\na,red garden hose\nb,green garden hose\n');
    expect(await train(p, g2, 'aws-semantic-similarity', 'no-name')).toMatchObject({ status: 'CREATE FAILED', failureReason: expect.stringContaining('"itemName": true') });
    await expect(p.createSchema({ name: 'bad', schema: JSON.stringify({ type: 'record', name: 'I', fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'N', type: 'long', itemName: true }] }) }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('itemName') });
    await expect(p.createSolution({ name: 'hp', datasetGroupArn: groupArn, recipeArn: recipeArn('aws-semantic-similarity'), solutionConfig: { algorithmHyperParameters: { hidden_dimension: '64' } } }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('has no hyperparameter') });
  });
});

describe('aws-semantic-similarity with performIncrementalUpdate', () => {
  it('relates items added to the catalogue within 30 minutes of the clock, without a new solution version', async () => {
    const clock = new ManualClock();
    const p = new LocalPersonalize({ inMemory: true, seed: 6, clock });
    try {
      const groupArn = await itemsGroup(p, 'incremental', items, false);
      const { solutionArn } = await p.createSolution({ name: 'inc', datasetGroupArn: groupArn, performIncrementalUpdate: true, performAutoTraining: false, recipeArn: recipeArn('aws-semantic-similarity') });
      expect((await p.describeSolution({ solutionArn })).solution.performIncrementalUpdate).toBe(true);
      const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
      const campaignArn = (await p.createCampaign({ name: 'inc', solutionVersionArn })).campaignArn;
      const { datasets } = await p.listDatasets({ datasetGroupArn: groupArn });
      const newcomer = fresh.find((f) => f.topic === 'music')!;
      await p.putItems({ datasetArn: datasets[0].datasetArn, items: [{ itemId: newcomer.id, properties: { title: newcomer.title, description: newcomer.description, price: newcomer.price, creationTimestamp: newcomer.created } }] });
      const before = ids(await p.getRecommendations({ campaignArn, itemId: newcomer.id, numResults: 10 }));
      expect(sameTopic(newcomer.id, before)).toBeLessThan(9); // unknown to the model: popular items
      clock.advance(31 * 60_000);
      const after = ids(await p.getRecommendations({ campaignArn, itemId: newcomer.id, numResults: 10 }));
      expect(sameTopic(newcomer.id, after)).toBeGreaterThanOrEqual(9);
      expect((await p.listSolutionVersions({ solutionArn })).solutionVersions).toHaveLength(1);
    } finally {
      await p.close();
    }
  });
});

describe('a new item that has only a description', () => {
  const p = new LocalPersonalize({ inMemory: true, seed: 4, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
  afterAll(() => p.close());
  let groupArn = '';
  beforeAll(async () => { groupArn = await itemsGroup(p, 'shop', all, true); });

  it('gets neighbours of its topic from aws-similar-items (text blended with co-occurrence)', async () => {
    const v = await train(p, groupArn, 'aws-similar-items', 'similar');
    expect(v.status).toBe('ACTIVE');
    const campaignArn = (await p.createCampaign({ name: 'similar', solutionVersionArn: v.solutionVersionArn })).campaignArn;
    for (const item of fresh) expect(sameTopic(item.id, ids(await p.getRecommendations({ campaignArn, itemId: item.id, numResults: 10 })))).toBeGreaterThanOrEqual(9);
    // Warm items keep co-interaction neighbours of their own topic.
    expect(sameTopic('kitchen-2', ids(await p.getRecommendations({ campaignArn, itemId: 'kitchen-2', numResults: 10 })))).toBe(10);
  });

  it('is ranked for the users of its topic by aws-user-personalization-v2, from its look-alikes\' factors', async () => {
    const v = await train(p, groupArn, 'aws-user-personalization-v2', 'v2');
    expect(v.status).toBe('ACTIVE');
    const campaignArn = (await p.createCampaign({ name: 'v2', solutionVersionArn: v.solutionVersionArn, campaignConfig: { itemExplorationConfig: { explorationWeight: '0' } } })).campaignArn;
    const topics = Object.keys(topicCatalogue().fresh.map((f) => f.topic).reduce((a, t) => ({ ...a, [t]: 1 }), {}));
    let own = 0, users = 0;
    for (let u = 0; u < 40; u++) {
      const topic = topics[u % topics.length]!;
      const list = ids(await p.getRecommendations({ campaignArn, userId: `user-${u}`, numResults: 200 }));
      const ranks = fresh.map((f) => list.indexOf(f.id));
      const mine = list.indexOf(`new-${topic}`);
      if (ranks.every((r) => r === mine || r > mine)) own++;
      users++;
      // It comes after the items the users of its topic know best (Personalize's v2 favours existing items too).
      expect(mine).toBeGreaterThan(0);
    }
    expect(own / users).toBeGreaterThan(0.9);
  });
});

async function itemsGroupCsv(p: LocalPersonalize, name: string, schema: string, csv: string): Promise<string> {
  const { datasetGroupArn } = await p.createDatasetGroup({ name });
  const { schemaArn } = await p.createSchema({ name, schema });
  const { datasetArn } = await p.createDataset({ name, schemaArn, datasetGroupArn, datasetType: 'Items' });
  await p.createDatasetImportJob({ jobName: name, datasetArn, dataSource: { dataLocation: writeCsv(dir, `${name}.csv`, csv) } });
  return datasetGroupArn;
}

async function waitActive(p: LocalPersonalize, filterArn: string): Promise<void> {
  expect((await p.describeFilter({ filterArn })).filter.status).toBe('ACTIVE');
}
