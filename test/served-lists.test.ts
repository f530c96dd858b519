// What users see: unfiltered lists of user-personalization campaigns on generated data with planted clusters. On
// repeat-free data the user's own history no longer fills the list; on repeat-heavy data it still leads; the served
// lists rank recipes as GetSolutionMetrics does; models trained before the repeat stage serve as they did.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../src/lib/random.js';
import { LocalPersonalize } from '../src/index.js';
import { decodeBundle, encodeBundle } from '../src/engine/training/bundle.js';
import { interactionsCsv, servedData, servedListStats, type ServedData } from './helpers/served-data.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv } from './helpers/data.js';

const recipeArn = (name: string) => `arn:aws:personalize:::recipe/${name}`;

async function group(p: LocalPersonalize, d: ServedData, name: string): Promise<string> {
  const { schemaArn } = await p.createSchema({ name: `${name}-i`, schema: INTERACTIONS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name });
  const { datasetArn } = await p.createDataset({ name: `${name}-i`, schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await p.createDatasetImportJob({ jobName: name, datasetArn, dataSource: { dataLocation: writeCsv(tempDir(), 'i.csv', interactionsCsv(d.train)) } });
  return datasetGroupArn;
}

async function version(p: LocalPersonalize, groupArn: string, recipe: string, name = recipe): Promise<string> {
  const { solutionArn } = await p.createSolution({ name, datasetGroupArn: groupArn, performAutoTraining: false, recipeArn: recipeArn(recipe) });
  return (await p.createSolutionVersion({ solutionArn })).solutionVersionArn;
}

/** Average history items per list and the share of held-out next items listed, over every user. */
async function served(p: LocalPersonalize, d: ServedData, campaignArn: string, numResults = 25): Promise<{ seen: number; hitRate: number; lists: Map<string, string[]> }> {
  let seen = 0, hits = 0, next = 0;
  const lists = new Map<string, string[]>();
  for (const u of d.users) {
    const ids = (await p.getRecommendations({ campaignArn, userId: u, numResults })).itemList.map((x: { itemId: string }) => x.itemId);
    lists.set(u, ids);
    const s = servedListStats(ids, d.seen.get(u)!, d.heldOut.get(u)!);
    seen += s.seen; hits += s.hits; next += d.heldOut.get(u)!.length;
  }
  return { seen: seen / d.users.length, hitRate: hits / next, lists };
}

const minimums = { interactions: 100, usersWithTwoInteractions: 5 };

describe('repeat-free data (nobody interacts with an item twice)', () => {
  const d = servedData({ repeatShare: 0, seed: 7 });
  const p = new LocalPersonalize({ inMemory: true, seed: 3, minimums });
  afterAll(() => p.close());
  let groupArn = '', up = '', popularity = '', trending = '';
  beforeAll(async () => {
    groupArn = await group(p, d, 'free');
    [up, popularity, trending] = [
      await version(p, groupArn, 'aws-user-personalization'),
      await version(p, groupArn, 'aws-popularity-count'),
      await version(p, groupArn, 'aws-trending-now'),
    ];
  });

  it('an unfiltered user-personalization campaign lists at most 2 history items in 25, and finds more next items than popularity', async () => {
    const upCampaign = (await p.createCampaign({ name: 'up', solutionVersionArn: up })).campaignArn;
    const popCampaign = (await p.createCampaign({ name: 'pop', solutionVersionArn: popularity })).campaignArn;
    const a = await served(p, d, upCampaign), b = await served(p, d, popCampaign);
    expect(a.seen).toBeLessThanOrEqual(2);
    expect(a.hitRate).toBeGreaterThan(b.hitRate);
  });

  it('ranks recipes by served hit rate as GetSolutionMetrics ranks them by NDCG@10', async () => {
    const versions = { up, popularity, trending };
    const offline: [string, number][] = [], online: [string, number][] = [];
    for (const [name, v] of Object.entries(versions)) {
      const { metrics } = await p.getSolutionMetrics({ solutionVersionArn: v });
      offline.push([name, metrics.normalized_discounted_cumulative_gain_at_10]);
      const campaignArn = (await p.createCampaign({ name: `agree-${name}`, solutionVersionArn: v })).campaignArn;
      online.push([name, (await served(p, d, campaignArn)).hitRate]);
    }
    const order = (xs: [string, number][]) => [...xs].sort((x, y) => y[1] - x[1]).map(([n]) => n);
    expect(order(online)).toEqual(order(offline));
    expect(order(offline)[0]).toBe('up');
  });

  it('leaves items streamed since training out too (PutEvents), and ranks history items last in GetPersonalizedRanking', async () => {
    const rankVersion = await version(p, groupArn, 'aws-personalized-ranking');
    const campaignArn = (await p.createCampaign({ name: 'up-live', solutionVersionArn: up, campaignConfig: { itemExplorationConfig: { explorationWeight: '0' } } })).campaignArn;
    const user = d.users[10]!;
    const before = (await p.getRecommendations({ campaignArn, userId: user, numResults: 5 })).itemList.map((x: { itemId: string }) => x.itemId);
    const { trackingId } = await p.createEventTracker({ name: 't', datasetGroupArn: groupArn });
    await p.putEvents({ trackingId, userId: user, sessionId: 's', eventList: [{ eventType: 'click', itemId: before[0]!, sentAt: new Date(1_800_000_000_000) }] });
    const after = (await p.getRecommendations({ campaignArn, userId: user, numResults: 25 })).itemList.map((x: { itemId: string }) => x.itemId);
    expect(after).not.toContain(before[0]);
    const rankCampaign = (await p.createCampaign({ name: 'rank', solutionVersionArn: rankVersion })).campaignArn;
    const history = [...d.seen.get(d.users[20]!)!].slice(0, 3);
    const fresh = d.items.filter((i) => !d.seen.get(d.users[20]!)!.has(i)).slice(0, 5);
    const ranked = (await p.getPersonalizedRanking({ campaignArn: rankCampaign, userId: d.users[20]!, inputList: [...history, ...fresh] })).personalizedRanking;
    expect(ranked.slice(5).map((x: { itemId: string }) => x.itemId).sort()).toEqual([...history].sort());
  });

  it('answers batch inference with the same lists as GetRecommendations', async () => {
    const campaignArn = (await p.createCampaign({ name: 'up-batch', solutionVersionArn: up, campaignConfig: { itemExplorationConfig: { explorationWeight: '0' } } })).campaignArn;
    const dir = tempDir();
    const users = d.users.slice(0, 5);
    const { batchInferenceJobArn } = await p.createBatchInferenceJob({
      jobName: 'served-batch', solutionVersionArn: up, roleArn: 'arn:aws:iam::000000000000:role/x', numResults: 25,
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0' } },
      jobInput: { s3DataSource: { path: writeCsv(dir, 'users.json', users.map((userId) => JSON.stringify({ userId })).join('\n')) } },
      jobOutput: { s3DataDestination: { path: join(dir, 'out/') } },
    });
    expect((await p.describeBatchInferenceJob({ batchInferenceJobArn })).batchInferenceJob.status).toBe('ACTIVE');
    const lines = readFileSync(join(dir, 'out', 'users.json.out'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    for (const [k, u] of users.entries()) {
      const listed = (await p.getRecommendations({ campaignArn, userId: u, numResults: 25 })).itemList.map((x: { itemId: string }) => x.itemId);
      expect(lines[k].output.recommendedItems).toEqual(listed);
      expect(listed.filter((i: string) => d.seen.get(u)!.has(i))).toEqual([]);
    }
  });

  it('does the same for a recommender built on user-personalization (ECOMMERCE "Recommended for you")', async () => {
    const { schemaArn } = await p.createSchema({ name: 'ecomm', schema: INTERACTIONS_SCHEMA, domain: 'ECOMMERCE' });
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'ecomm', domain: 'ECOMMERCE' });
    const { datasetArn } = await p.createDataset({ name: 'ecomm', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
    const views = d.train.map((r) => ({ ...r, eventType: 'View' }));
    await p.createDatasetImportJob({ jobName: 'ecomm', datasetArn, dataSource: { dataLocation: writeCsv(tempDir(), 'ecomm.csv', interactionsCsv(views)) } });
    const { recommenderArn } = await p.createRecommender({ name: 'for-you', datasetGroupArn, recipeArn: recipeArn('aws-ecomm-recommended-for-you') });
    let seen = 0;
    for (const u of d.users) {
      const list = (await p.getRecommendations({ recommenderArn, userId: u, numResults: 25 })).itemList.map((x: { itemId: string }) => x.itemId);
      seen += list.filter((i: string) => d.seen.get(u)!.has(i)).length;
    }
    expect(seen / d.users.length).toBeLessThanOrEqual(2);
  });

  it('serves a model trained before the repeat stage as before: its bundle has no statistics, so the history stays in', async () => {
    const campaignArn = (await p.createCampaign({ name: 'old', solutionVersionArn: up, campaignConfig: { itemExplorationConfig: { explorationWeight: '0' } } })).campaignArn;
    const bundle = decodeBundle(p.engine.models.bytesOf(up));
    delete bundle.info.repeat;
    delete bundle.serving.userEventTypes;
    p.engine.models.drop(up);
    await p.engine.models.save(up, encodeBundle(bundle));
    const old = await served(p, d, campaignArn);
    expect(old.seen).toBeGreaterThan(10); // the whole 13-item history is back, as in Personalize without a filter
    const explained = await p.explainRecommendations({ campaignArn, userId: d.users[0]!, numResults: 5 }) as { trace: { repeat?: unknown; items: { repeat?: number }[] } };
    expect(explained.trace.repeat).toBeUndefined();
    expect(explained.trace.items.every((i) => i.repeat === undefined)).toBe(true);
  });
});

describe('repeat-heavy data (people mostly come back to what they had)', () => {
  const d = servedData({ repeatShare: 0.7, seed: 11 });
  const p = new LocalPersonalize({ inMemory: true, seed: 5, minimums });
  afterAll(() => p.close());
  let campaignArn = '';
  beforeAll(async () => {
    const groupArn = await group(p, d, 'heavy');
    const v = await version(p, groupArn, 'aws-user-personalization');
    campaignArn = (await p.createCampaign({ name: 'up', solutionVersionArn: v, campaignConfig: { itemExplorationConfig: { explorationWeight: '0' } } })).campaignArn;
  });

  it('keeps history items at the top, the most recently used first', async () => {
    const { lists, hitRate } = await served(p, d, campaignArn, 10);
    let leads = 0;
    for (const u of d.users) {
      const distinct = d.seen.get(u)!.size;
      const top = lists.get(u)!.slice(0, distinct);
      if (top.every((i) => d.seen.get(u)!.has(i))) leads++;
    }
    expect(leads / d.users.length).toBeGreaterThan(0.9);
    expect(hitRate).toBeGreaterThan(0.6);
  });

  it('shows the repeat term in /_personalize/explain traces', async () => {
    const user = d.users[3]!;
    const out = await p.explainRecommendations({ campaignArn, userId: user, numResults: 10 }) as {
      trace: { repeat: { repeatShare: number; probability: number; historyItems: number }; items: { itemId: string; modelScore: number; repeat?: number }[] };
    };
    expect(out.trace.repeat.repeatShare).toBeGreaterThan(0.4);
    expect(out.trace.repeat.historyItems).toBe(d.seen.get(user)!.size);
    expect(out.trace.repeat.probability).toBeGreaterThan(0.4);
    const seenItems = out.trace.items.filter((i) => d.seen.get(user)!.has(i.itemId));
    expect(seenItems.length).toBeGreaterThan(0);
    for (const i of out.trace.items) expect(i.repeat !== undefined).toBe(d.seen.get(user)!.has(i.itemId));
    expect(seenItems[0]!.repeat!).toBeGreaterThan(0);
  });
});

describe('event types: viewed items come back (to be bought), bought items do not', () => {
  // Each user views an item and buys it right after, six times, then views one more without buying it yet.
  const rng = new Rng(17);
  const rows: string[] = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  const bought = new Map<string, string[]>(), pending = new Map<string, string>();
  for (let u = 0; u < 150; u++) {
    const user = `user-${u}`, cluster = u % 3;
    const picks = new Set<number>();
    while (picks.size < 7) picks.add(cluster + 3 * rng.int(30));
    const items = [...picks].map((i) => `item-${i}`);
    let t = 1_700_000_000 + u * 1000;
    for (const item of items.slice(0, 6)) rows.push(`${user},${item},${t++},View`, `${user},${item},${t++},Purchase`);
    rows.push(`${user},${items[6]},${t++},View`);
    bought.set(user, items.slice(0, 6));
    pending.set(user, items[6]!);
  }
  const p = new LocalPersonalize({ inMemory: true, seed: 8, minimums });
  afterAll(() => p.close());
  let campaignArn = '', groupArn = '';
  beforeAll(async () => {
    const { schemaArn } = await p.createSchema({ name: 'typed', schema: INTERACTIONS_SCHEMA });
    ({ datasetGroupArn: groupArn } = await p.createDatasetGroup({ name: 'typed' }));
    const { datasetArn } = await p.createDataset({ name: 'typed', schemaArn, datasetGroupArn: groupArn, datasetType: 'Interactions' });
    await p.createDatasetImportJob({ jobName: 'typed', datasetArn, dataSource: { dataLocation: writeCsv(tempDir(), 'typed.csv', rows.join('\n')) } });
    const v = await version(p, groupArn, 'aws-user-personalization');
    campaignArn = (await p.createCampaign({ name: 'typed', solutionVersionArn: v, campaignConfig: { itemExplorationConfig: { explorationWeight: '0' } } })).campaignArn;
  });

  it('lists the item a user viewed but has not bought first, and none of the bought ones', async () => {
    let first = 0;
    for (const [user, item] of pending) {
      const list = (await p.getRecommendations({ campaignArn, userId: user, numResults: 10 })).itemList.map((x: { itemId: string }) => x.itemId);
      if (list[0] === item) first++;
      expect(list.filter((i: string) => bought.get(user)!.includes(i))).toEqual([]);
    }
    expect(first / pending.size).toBeGreaterThan(0.9);
  });

  it('reads the event types of events streamed since training', async () => {
    const user = 'user-0';
    const { trackingId } = await p.createEventTracker({ name: 'typed', datasetGroupArn: groupArn });
    await p.putEvents({ trackingId, userId: user, sessionId: 's', eventList: [{ eventType: 'Purchase', itemId: pending.get(user)!, sentAt: 1_800_000_000 }] });
    const afterPurchase = (await p.getRecommendations({ campaignArn, userId: user, numResults: 10 })).itemList.map((x: { itemId: string }) => x.itemId);
    expect(afterPurchase).not.toContain(pending.get(user));
    const next = afterPurchase[5]!;
    await p.putEvents({ trackingId, userId: user, sessionId: 's', eventList: [{ eventType: 'View', itemId: next, sentAt: 1_800_000_100 }] });
    const afterView = (await p.getRecommendations({ campaignArn, userId: user, numResults: 10 })).itemList.map((x: { itemId: string }) => x.itemId);
    expect(afterView[0]).toBe(next);
  });
});
