// optimizationObjective end to end (validation, the objective stage in GetRecommendations /
// GetPersonalizedRanking / batch inference, average_rewards_at_k) and eventsConfig's weighted NDCG key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalPersonalize } from '../src/index.js';
import { Rng } from '../src/lib/random.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv } from './helpers/data.js';

const ITEMS = JSON.stringify({
  type: 'record', name: 'Items', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'PRICE', type: 'double' },
    { name: 'NAME', type: 'string' },
    { name: 'DISCOUNT', type: ['null', 'double'] },
  ],
});
const N_ITEMS = 80;
/** Price unrelated to popularity (item i is picked with a falling probability). */
const price = (i: number) => ((i * 37) % N_ITEMS) + 1;
const UP = 'arn:aws:personalize:::recipe/aws-user-personalization';
// The same seed everywhere: every solution trains the same model, so only the objective differs.
const SEED = { featureTransformationParameters: { seed: '11' } };

const p = new LocalPersonalize({ inMemory: true, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
afterAll(() => p.close());
let datasetGroupArn = '';
let dir = '';
const versions: Record<string, string> = {};
const campaigns: Record<string, string> = {};

async function train(name: string, solutionConfig: Record<string, unknown>, recipeArn = UP): Promise<string> {
  const { solutionArn } = await p.createSolution({ name, datasetGroupArn, performAutoTraining: false, recipeArn, solutionConfig: { ...SEED, ...solutionConfig } });
  const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
  expect((await p.describeSolutionVersion({ solutionVersionArn })).solutionVersion).toMatchObject({ status: 'ACTIVE' });
  return solutionVersionArn as string;
}

beforeAll(async () => {
  dir = tempDir();
  const rng = new Rng(5);
  const inter = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let u = 0; u < 200; u++) {
    for (let k = 0; k < 15; k++) inter.push(`u${u},i${Math.floor(N_ITEMS * rng.next() ** 2)},${1_600_000_000 + u * 100 + k},${k % 4 === 3 ? 'purchase' : 'click'}`);
  }
  const items = ['ITEM_ID,PRICE,NAME,DISCOUNT'];
  for (let i = 0; i < N_ITEMS; i++) items.push(`i${i},${price(i)},item ${i},${i % 2 ? 0.1 : ''}`);
  const { schemaArn } = await p.createSchema({ name: 'i', schema: INTERACTIONS_SCHEMA });
  const { schemaArn: itemSchema } = await p.createSchema({ name: 'items', schema: ITEMS });
  ({ datasetGroupArn } = await p.createDatasetGroup({ name: 'g' }));
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  const { datasetArn: itemsArn } = await p.createDataset({ name: 'items', schemaArn: itemSchema, datasetGroupArn, datasetType: 'Items' });
  await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i.csv', inter.join('\n')) } });
  await p.createDatasetImportJob({ jobName: 'items', datasetArn: itemsArn, dataSource: { dataLocation: writeCsv(dir, 'items.csv', items.join('\n')) } });
  versions.none = await train('none', {});
  for (const s of ['OFF', 'LOW', 'MEDIUM', 'HIGH']) versions[s] = await train(s, { optimizationObjective: { itemAttribute: 'PRICE', objectiveSensitivity: s } });
  for (const [k, v] of Object.entries(versions)) {
    // Exploration off: its slots are random draws the objective does not steer.
    ({ campaignArn: campaigns[k] } = await p.createCampaign({ name: `c-${k}`, solutionVersionArn: v, campaignConfig: { itemExplorationConfig: { explorationWeight: '0' } } }));
  }
});

const recs = async (key: string, userId: string, numResults = 10) =>
  (await p.getRecommendations({ campaignArn: campaigns[key]!, userId, numResults })).itemList as { itemId: string; score: number }[];
const priceOf = (id: string) => price(Number(id.slice(1)));

describe('optimizationObjective validation (CreateSolution)', () => {
  const create = (name: string, optimizationObjective: Record<string, unknown>, recipe = UP) =>
    p.createSolution({ name, datasetGroupArn, recipeArn: recipe, solutionConfig: { optimizationObjective } });
  it('rejects an unknown column, a string column, a nullable column, a bad sensitivity and other recipes', async () => {
    const bad = { name: 'InvalidInputException' };
    await expect(create('v1', { itemAttribute: 'COST', objectiveSensitivity: 'HIGH' })).rejects.toMatchObject({ ...bad, message: expect.stringMatching(/not a column/) });
    await expect(create('v2', { itemAttribute: 'NAME' })).rejects.toMatchObject({ ...bad, message: expect.stringMatching(/numeric/) });
    await expect(create('v3', { itemAttribute: 'DISCOUNT' })).rejects.toMatchObject({ ...bad, message: expect.stringMatching(/nullable/) });
    await expect(create('v4', { itemAttribute: 'PRICE', objectiveSensitivity: 'EXTREME' })).rejects.toMatchObject({ ...bad, message: expect.stringMatching(/objectiveSensitivity/) });
    await expect(create('v5', { objectiveSensitivity: 'LOW' })).rejects.toMatchObject({ ...bad, message: expect.stringMatching(/itemAttribute is required/) });
    for (const r of ['aws-user-personalization-v2', 'aws-personalized-ranking-v2', 'aws-similar-items']) {
      await expect(create(`v-${r}`, { itemAttribute: 'PRICE' }, `arn:aws:personalize:::recipe/${r}`)).rejects.toMatchObject({ ...bad, message: expect.stringMatching(/only supported by aws-user-personalization and aws-personalized-ranking/) });
    }
    await expect(create('ok-pr', { itemAttribute: 'PRICE', objectiveSensitivity: 'LOW' }, 'arn:aws:personalize:::recipe/aws-personalized-ranking')).resolves.toHaveProperty('solutionArn');
  });
});

describe('the objective stage', () => {
  it('OFF leaves the ranking and scores exactly as without an objective', async () => {
    for (let u = 100; u < 130; u++) expect(await recs('OFF', `u${u}`, 30)).toEqual(await recs('none', `u${u}`, 30));
  });

  it('moves high-PRICE items up monotonically over OFF, LOW, MEDIUM, HIGH; scores stay the model softmax', async () => {
    const mean: Record<string, number> = {};
    for (const s of ['OFF', 'LOW', 'MEDIUM', 'HIGH']) {
      let sum = 0;
      for (let u = 100; u < 200; u++) for (const i of await recs(s, `u${u}`)) sum += priceOf(i.itemId);
      mean[s] = sum / 1000;
    }
    expect(mean.LOW).toBeGreaterThanOrEqual(mean.OFF!);
    expect(mean.MEDIUM).toBeGreaterThanOrEqual(mean.LOW!);
    expect(mean.HIGH).toBeGreaterThanOrEqual(mean.MEDIUM!);
    expect(mean.HIGH! - mean.OFF!).toBeGreaterThan(10); // prices run 1..80
    // Same model: each item's score is the same softmax whatever the order.
    const all = (l: { itemId: string; score: number }[]) => new Map(l.map((i) => [i.itemId, i.score]));
    const off = all(await recs('OFF', 'u150', 80)), high = all(await recs('HIGH', 'u150', 80));
    for (const [id, s] of high) expect(s).toBe(off.get(id));
    expect([...high.keys()]).not.toEqual([...off.keys()]);
  });

  it('applies to batch inference of a version with an objective', async () => {
    const input = writeCsv(dir, 'batch.json', ['u150', 'u151'].map((u) => JSON.stringify({ userId: u })).join('\n'));
    for (const s of ['OFF', 'HIGH']) {
      const out = join(dir, `out-${s}`);
      const { batchInferenceJobArn } = await p.createBatchInferenceJob({
        jobName: `b-${s}`, solutionVersionArn: versions[s]!, numResults: 10, roleArn: 'arn:aws:iam::000000000000:role/x',
        jobInput: { s3DataSource: { path: input } }, jobOutput: { s3DataDestination: { path: out } },
        batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0' } },
      });
      expect((await p.describeBatchInferenceJob({ batchInferenceJobArn })).batchInferenceJob).toMatchObject({ status: 'ACTIVE' });
      const lines = readdirSync(out).flatMap((f) => readFileSync(join(out, f), 'utf8').trim().split('\n')).map((l) => JSON.parse(l));
      for (const l of lines) expect(l.output.recommendedItems).toEqual((await recs(s, l.input.userId)).map((i) => i.itemId));
    }
  });

  it('reorders GetPersonalizedRanking lists toward PRICE (aws-personalized-ranking)', async () => {
    const pr = 'arn:aws:personalize:::recipe/aws-personalized-ranking';
    const ranked: Record<string, string[]> = {};
    for (const s of ['OFF', 'HIGH']) {
      const v = await train(`pr-${s}`, { optimizationObjective: { itemAttribute: 'PRICE', objectiveSensitivity: s } }, pr);
      const { campaignArn } = await p.createCampaign({ name: `pr-${s}`, solutionVersionArn: v });
      const inputList = Array.from({ length: 40 }, (_, i) => `i${i}`);
      ranked[s] = ((await p.getPersonalizedRanking({ campaignArn, userId: 'u150', inputList })).personalizedRanking as { itemId: string }[]).map((i) => i.itemId);
    }
    const top = (l: string[]) => l.slice(0, 10).reduce((a, id) => a + priceOf(id), 0);
    expect(top(ranked.HIGH!)).toBeGreaterThan(top(ranked.OFF!));
  });
});

describe('GetSolutionMetrics keys', () => {
  it('adds average_rewards_at_k only with an objective, with the objective applied', async () => {
    const none = (await p.getSolutionMetrics({ solutionVersionArn: versions.none! })).metrics as Record<string, number>;
    expect(none).not.toHaveProperty('average_rewards_at_k');
    expect(none).not.toHaveProperty('normalized_discounted_cumulative_gain_with_event_weights_at_k');
    const off = (await p.getSolutionMetrics({ solutionVersionArn: versions.OFF! })).metrics as Record<string, number>;
    const high = (await p.getSolutionMetrics({ solutionVersionArn: versions.HIGH! })).metrics as Record<string, number>;
    // OFF ranks as the plain model: same keys' values, plus the reward share.
    expect({ ...off, average_rewards_at_k: undefined }).toEqual({ ...none, average_rewards_at_k: undefined });
    for (const m of [off, high]) {
      expect(m.average_rewards_at_k).toBeGreaterThan(0);
      expect(m.average_rewards_at_k).toBeLessThanOrEqual(1);
    }
    expect(high.average_rewards_at_k).not.toBe(off.average_rewards_at_k);
  });

  it('adds the event-weighted NDCG only with eventsConfig', async () => {
    const v = await train('weighted', { eventsConfig: { eventParametersList: [{ eventType: 'click', weight: 0.1 }, { eventType: 'purchase', weight: 0.3 }] } });
    const m = (await p.getSolutionMetrics({ solutionVersionArn: v })).metrics as Record<string, number>;
    expect(m.normalized_discounted_cumulative_gain_with_event_weights_at_k).toBeGreaterThan(0);
    expect(m.normalized_discounted_cumulative_gain_with_event_weights_at_k).toBeLessThanOrEqual(1);
    expect(m).not.toHaveProperty('average_rewards_at_k');
  });
});
