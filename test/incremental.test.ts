// Keeping up without a full retraining: trainingMode UPDATE folds new items and users into the latest
// FULL model, and campaigns of user-personalization get the same automatically every 2 hours.
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPersonalize, ManualClock } from '../src/index.js';
import { Rng } from '../src/lib/random.js';
import { INTERACTIONS_SCHEMA, ITEMS_SCHEMA, tempDir, writeCsv } from './helpers/data.js';

const HOUR = 3_600_000;
const clients: LocalPersonalize[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));
const dir = tempDir();

/** Two tastes: users a0..a29 like items A0..A9, users b0..b29 like items B0..B9. */
function twoGroups(): string {
  const rng = new Rng(9);
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (const g of ['a', 'b']) for (let u = 0; u < 30; u++) for (let k = 0; k < 6; k++) lines.push(`${g}${u},${g.toUpperCase()}${rng.int(10)},${1_700_000_000 + k},click`);
  return lines.join('\n');
}

async function setup(clock = new ManualClock(new Date('2024-01-01T00:00:00Z'))) {
  const p = new LocalPersonalize({ inMemory: true, clock, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
  clients.push(p);
  const { schemaArn } = await p.createSchema({ name: 'i', schema: INTERACTIONS_SCHEMA });
  const { schemaArn: itemSchema } = await p.createSchema({ name: 'items', schema: ITEMS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  const { datasetArn: itemsArn } = await p.createDataset({ name: 'items', schemaArn: itemSchema, datasetGroupArn, datasetType: 'Items' });
  await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, `i-${clients.length}.csv`, twoGroups()) } });
  const { trackingId } = await p.createEventTracker({ name: 't', datasetGroupArn });
  const { solutionArn } = await p.createSolution({ name: 'up', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization' });
  const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
  return { p, clock, datasetGroupArn, itemsArn, trackingId, solutionArn, solutionVersionArn };
}

/** Group-A users a20..a29 interact with a new item NEW; the others never do. */
async function newItemForGroupA(p: LocalPersonalize, trackingId: string, itemsArn: string) {
  await p.putItems({ datasetArn: itemsArn, items: [{ itemId: 'NEW', properties: JSON.stringify({ genres: 'Comedy', creationTimestamp: 1_700_000_100 }) }] });
  for (let u = 20; u < 30; u++) {
    await p.putEvents({ trackingId, userId: `a${u}`, sessionId: `s${u}`, eventList: [{ eventType: 'click', itemId: 'NEW', sentAt: 1_700_000_100 }] });
  }
}

const rankOf = (r: { itemList: { itemId: string }[] }, id: string) => r.itemList.findIndex((i) => i.itemId === id);
const noExploration = { itemExplorationConfig: { explorationWeight: '0' } };

describe('trainingMode UPDATE', () => {
  it('folds a new item into the latest FULL model: group-A users get it, group-B users do not', async () => {
    const { p, solutionArn, trackingId, itemsArn } = await setup();
    await newItemForGroupA(p, trackingId, itemsArn);
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn, trainingMode: 'UPDATE' });
    const { solutionVersion } = await p.describeSolutionVersion({ solutionVersionArn });
    expect(solutionVersion).toMatchObject({ status: 'ACTIVE', trainingMode: 'UPDATE' });
    const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn, campaignConfig: noExploration });
    const a = await p.getRecommendations({ campaignArn, userId: 'a3', numResults: 12 });
    const b = await p.getRecommendations({ campaignArn, userId: 'b3', numResults: 12 });
    const bRank = rankOf(b, 'NEW') < 0 ? Infinity : rankOf(b, 'NEW');
    expect(rankOf(a, 'NEW')).toBeGreaterThanOrEqual(0);
    expect(rankOf(a, 'NEW')).toBeLessThan(bRank);
    // Metrics are those of the FULL version it derives from.
    expect(Object.keys((await p.getSolutionMetrics({ solutionVersionArn })).metrics)).toContain('precision_at_25');
  });

  it('needs an ACTIVE FULL version, and a user-personalization recipe', async () => {
    const { p, datasetGroupArn } = await setup();
    const { solutionArn: fresh } = await p.createSolution({ name: 'fresh', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization' });
    await expect(p.createSolutionVersion({ solutionArn: fresh, trainingMode: 'UPDATE' })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/needs an ACTIVE version trained with FULL/) });
    const { solutionArn: sims } = await p.createSolution({ name: 'sims', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-sims' });
    await expect(p.createSolutionVersion({ solutionArn: sims, trainingMode: 'UPDATE' })).rejects.toMatchObject({ message: expect.stringMatching(/only available for aws-user-personalization/) });
  });
});

describe('automatic updates of user-personalization campaigns', () => {
  it('makes a new item recommendable 2 hours later, without a new solution version', async () => {
    const { p, clock, solutionArn, solutionVersionArn, trackingId, itemsArn } = await setup();
    const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn, campaignConfig: noExploration });
    await newItemForGroupA(p, trackingId, itemsArn);
    clock.advance(HOUR);
    expect(rankOf(await p.getRecommendations({ campaignArn, userId: 'a3', numResults: 12 }), 'NEW')).toBe(-1);
    clock.advance(HOUR);
    expect(rankOf(await p.getRecommendations({ campaignArn, userId: 'a3', numResults: 12 }), 'NEW')).toBeGreaterThanOrEqual(0);
    expect((await p.listSolutionVersions({ solutionArn })).solutionVersions).toHaveLength(1);
  });
});

describe('real-time personalization', () => {
  it("changes a user's next recommendations as soon as they stream events, without retraining", async () => {
    const { p, solutionVersionArn, trackingId } = await setup();
    const { campaignArn } = await p.createCampaign({ name: 'rt', solutionVersionArn, campaignConfig: noExploration });
    const aItems = (r: { itemList: { itemId: string }[] }) => r.itemList.filter((i) => i.itemId.startsWith('A')).length;
    const before = await p.getRecommendations({ campaignArn, userId: 'b7', numResults: 10 });
    expect(aItems(before)).toBeLessThan(5);
    for (let k = 0; k < 12; k++) {
      await p.putEvents({ trackingId, userId: 'b7', sessionId: 's', eventList: [{ eventType: 'click', itemId: `A${k % 10}`, sentAt: 1_700_001_000 + k }] });
    }
    const after = await p.getRecommendations({ campaignArn, userId: 'b7', numResults: 10 });
    expect(aItems(after)).toBeGreaterThan(aItems(before));
    // An anonymous session's events personalize GetRecommendations with userId = sessionId.
    await p.putEvents({ trackingId, sessionId: 'guest-1', eventList: [0, 1, 2, 3].map((k) => ({ eventType: 'click', itemId: `B${k}`, sentAt: 1_700_002_000 + k })) });
    const guest = await p.getRecommendations({ campaignArn, userId: 'guest-1', numResults: 10 });
    expect(guest.itemList.filter((i: { itemId: string }) => i.itemId.startsWith('B')).length).toBeGreaterThan(5);
  });
});

describe('automatic work never fails an unrelated call', () => {
  it('keeps serving when an automatic update cannot train, and says why', async () => {
    const { p, clock, solutionVersionArn, trackingId, itemsArn, datasetGroupArn } = await setup();
    const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn, campaignConfig: noExploration });
    await newItemForGroupA(p, trackingId, itemsArn);
    // Delete almost everyone, so the update's training is below the minimum data.
    const users = [...Array.from({ length: 30 }, (_, u) => `a${u}`), ...Array.from({ length: 30 }, (_, u) => `b${u}`)];
    await p.createDataDeletionJob({ jobName: 'forget', datasetGroupArn, roleArn: 'arn:aws:iam::000000000000:role/r', dataSource: { dataLocation: writeCsv(dir, 'forget-all.csv', ['USER_ID', ...users].join('\n')) } });
    clock.advance(2 * HOUR);
    const r = await p.getRecommendations({ campaignArn, userId: 'a3', numResults: 5 });
    expect(r.itemList).toHaveLength(5);
    expect(p.engine.store.find(campaignArn)!.props.autoUpdateFailure).toMatch(/fewer than|interactions/);
  });
});

describe('trending-now', () => {
  it('takes new events into account at its next trend window, without retraining', async () => {
    const { p, clock, datasetGroupArn, trackingId } = await setup();
    const { solutionArn } = await p.createSolution({
      name: 'trending', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-trending-now',
      solutionConfig: { featureTransformationParameters: { trend_discovery_frequency: '1 hour' } },
    });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    const { campaignArn } = await p.createCampaign({ name: 'trending', solutionVersionArn });
    for (let u = 0; u < 20; u++) {
      await p.putEvents({ trackingId, userId: `b${u}`, sessionId: 's', eventList: [{ eventType: 'click', itemId: 'HOT', sentAt: 1_700_000_000 + 7200 + u }] });
    }
    const top = async () => (await p.getRecommendations({ campaignArn, userId: 'a1', numResults: 3 })).itemList.map((i: { itemId: string }) => i.itemId);
    expect(await top()).not.toContain('HOT');
    clock.advance(HOUR);
    expect((await top())[0]).toBe('HOT');
    expect((await p.listSolutionVersions({ solutionArn })).solutionVersions).toHaveLength(1);
  });
});
