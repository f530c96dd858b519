// The ranking pipeline's stages on a trained user-personalization model: exploration shares, ranking
// influence monotonicity, determinism of a request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { Rng } from '../src/lib/random.js';
import { ITEMS_SCHEMA, INTERACTIONS_SCHEMA, tempDir, writeCsv } from './helpers/data.js';

const DAY = 86_400;
const NEWEST = 1_700_000_000;
const p = new LocalPersonalize({ inMemory: true, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
afterAll(() => p.close());
let solutionVersionArn = '';
let v2VersionArn = '';

/** 80 old items with real popularity, 20 items created in the last week with one or two interactions each. */
beforeAll(async () => {
  const dir = tempDir();
  const rng = new Rng(3);
  const inter = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let u = 0; u < 200; u++) for (let k = 0; k < 15; k++) inter.push(`u${u},old-${Math.floor(80 * rng.next() ** 2)},${NEWEST - 400 * DAY + u * 100 + k},click`);
  for (let i = 0; i < 20; i++) inter.push(`u${i},new-${i},${NEWEST - i * 1000},click`);
  const items = ['ITEM_ID,GENRES,CREATION_TIMESTAMP'];
  for (let i = 0; i < 80; i++) items.push(`old-${i},Drama,${NEWEST - 900 * DAY}`);
  for (let i = 0; i < 20; i++) items.push(`new-${i},Comedy,${NEWEST - 7 * DAY}`);
  const { schemaArn } = await p.createSchema({ name: 'i', schema: INTERACTIONS_SCHEMA });
  const { schemaArn: itemSchema } = await p.createSchema({ name: 'items', schema: ITEMS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  const { datasetArn: itemsArn } = await p.createDataset({ name: 'items', schemaArn: itemSchema, datasetGroupArn, datasetType: 'Items' });
  await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i.csv', inter.join('\n')) } });
  await p.createDatasetImportJob({ jobName: 'items', datasetArn: itemsArn, dataSource: { dataLocation: writeCsv(dir, 'items.csv', items.join('\n')) } });
  for (const [name, recipe] of [['up', 'aws-user-personalization'], ['up2', 'aws-user-personalization-v2']]) {
    const { solutionArn } = await p.createSolution({ name: name!, datasetGroupArn, performAutoTraining: false, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
    const { solutionVersionArn: v } = await p.createSolutionVersion({ solutionArn });
    expect((await p.describeSolutionVersion({ solutionVersionArn: v })).solutionVersion).toMatchObject({ status: 'ACTIVE' });
    if (name === 'up') solutionVersionArn = v; else v2VersionArn = v;
  }
});

async function campaign(name: string, campaignConfig: Record<string, unknown>, version = solutionVersionArn) {
  return (await p.createCampaign({ name, solutionVersionArn: version, campaignConfig })).campaignArn as string;
}
const ids = (r: { itemList: { itemId: string }[] }) => r.itemList.map((i) => i.itemId);
const isNew = (id: string) => id.startsWith('new-');

describe('exploration', () => {
  it('is off at weight 0 and mixes new cold items in at about the weight otherwise', async () => {
    const off = await campaign('explore-0', { itemExplorationConfig: { explorationWeight: '0' } });
    const on = await campaign('explore-03', { itemExplorationConfig: { explorationWeight: '0.3', explorationItemAgeCutOff: '30' } });
    let offNew = 0, onNew = 0, total = 0;
    for (let u = 100; u < 200; u++) {
      offNew += ids(await p.getRecommendations({ campaignArn: off, userId: `u${u}`, numResults: 10 })).filter(isNew).length;
      onNew += ids(await p.getRecommendations({ campaignArn: on, userId: `u${u}`, numResults: 10 })).filter(isNew).length;
      total += 10;
    }
    expect(offNew).toBe(0);
    expect(onNew / total).toBeGreaterThan(0.25);
    expect(onNew / total).toBeLessThan(0.35);
  });

  it('leaves items older than the age cut-off out of exploration', async () => {
    const c = await campaign('explore-cutoff', { itemExplorationConfig: { explorationWeight: '1', explorationItemAgeCutOff: '1' } });
    const r = await p.getRecommendations({ campaignArn: c, userId: 'u150', numResults: 10 });
    expect(ids(r).filter(isNew)).toEqual([]); // new items are 7 days old
  });

  it('gives the same answer to the same request, and marks explored items for v2', async () => {
    const c = await campaign('explore-v2', {}, v2VersionArn);
    const a = await p.getRecommendations({ campaignArn: c, userId: 'u120', numResults: 20 });
    const b = await p.getRecommendations({ campaignArn: c, userId: 'u120', numResults: 20 });
    expect(a.itemList).toEqual(b.itemList);
    const explored = a.itemList.filter((i: { reason?: string[] }) => i.reason?.includes('Exploration'));
    expect(explored.length).toBe(6);
    expect(explored.every((i: { itemId: string }) => isNew(i.itemId))).toBe(true);
  });
});

describe('rankingInfluence', () => {
  it('moves more popular items up as POPULARITY grows, and changes nothing at 0', async () => {
    const popularity = new Map<string, number>();
    // old-0 is the most popular by construction (rng^2 skews to low indices).
    const popRank = (id: string) => (id.startsWith('old-') ? Number(id.slice(4)) : 200);
    const base = await campaign('influence-none', { itemExplorationConfig: { explorationWeight: '0' } });
    const zero = await campaign('influence-zero', { itemExplorationConfig: { explorationWeight: '0' }, rankingInfluence: { POPULARITY: 0, FRESHNESS: 0 } });
    let last = Infinity;
    for (const w of [0, 0.5, 1]) {
      const c = await campaign(`influence-pop-${w * 10}`, { itemExplorationConfig: { explorationWeight: '0' }, rankingInfluence: { POPULARITY: w } });
      let sum = 0;
      for (let u = 0; u < 50; u++) sum += ids(await p.getRecommendations({ campaignArn: c, userId: `u${u}`, numResults: 10 })).reduce((s, id) => s + popRank(id), 0);
      popularity.set(String(w), sum);
      expect(sum).toBeLessThanOrEqual(last);
      last = sum;
    }
    expect(popularity.get('1')!).toBeLessThan(popularity.get('0')!);
    for (let u = 0; u < 20; u++) {
      expect(ids(await p.getRecommendations({ campaignArn: zero, userId: `u${u}` }))).toEqual(ids(await p.getRecommendations({ campaignArn: base, userId: `u${u}` })));
    }
  });

  it('moves newer items up as FRESHNESS grows', async () => {
    const counts: number[] = [];
    for (const w of [0, 0.5, 1]) {
      const c = await campaign(`influence-fresh-${w * 10}`, { itemExplorationConfig: { explorationWeight: '0' }, rankingInfluence: { FRESHNESS: w } });
      let n = 0;
      for (let u = 0; u < 50; u++) n += ids(await p.getRecommendations({ campaignArn: c, userId: `u${u}`, numResults: 10 })).filter(isNew).length;
      counts.push(n);
    }
    expect(counts[0]).toBeLessThanOrEqual(counts[1]!);
    expect(counts[1]).toBeLessThanOrEqual(counts[2]!);
    expect(counts[2]).toBeGreaterThan(counts[0]!);
  });
});

describe('explain (beyond Personalize)', () => {
  it("reports each returned item's slot, model score, softmax score and influence terms", async () => {
    const c = await campaign('explained', { itemExplorationConfig: { explorationWeight: '0.2' }, rankingInfluence: { POPULARITY: 0.5 } });
    const out = await p.explainRecommendations({ campaignArn: c, userId: 'u42', numResults: 10 }) as {
      itemList: { itemId: string; score: number }[];
      trace: { recipe: string; personalized: boolean; exploration: { slots: number }; items: { itemId: string; slot: string; softmaxScore: number; influence: { popularity: number; rankingScore: number } }[] };
    };
    expect(out.trace.recipe).toBe('aws-user-personalization');
    expect(out.trace.personalized).toBe(true);
    expect(out.trace.items.map((i) => i.itemId)).toEqual(out.itemList.map((i) => i.itemId));
    expect(out.trace.items.filter((i) => i.slot === 'exploration')).toHaveLength(out.trace.exploration.slots);
    expect(out.trace.exploration.slots).toBe(2);
    const first = out.trace.items.find((i) => i.slot === 'relevance')!;
    expect(first.softmaxScore).toBeCloseTo(out.itemList.find((i) => i.itemId === first.itemId)!.score, 5);
    expect(first.influence.popularity).toBeGreaterThanOrEqual(0);
    // Relevance slots are in ranking-score order.
    const rel = out.trace.items.filter((i) => i.slot === 'relevance').map((i) => i.influence.rankingScore);
    expect([...rel].sort((a, b) => b - a)).toEqual(rel);
  });

  it('answers POST /_personalize/explain over HTTP', async () => {
    const { startServer } = await import('../src/index.js');
    const { wrapEngine } = await import('../src/api/local.js');
    const local = wrapEngine(p.engine);
    const server = await startServer({ api: local.api, port: 0, admin: local });
    try {
      const c = await campaign('explained-http', {});
      const res = await fetch(`${server.url}/_personalize/explain`, { method: 'POST', body: JSON.stringify({ campaignArn: c, userId: 'u1', numResults: 3 }) });
      const body = await res.json() as { trace: { items: unknown[] } };
      expect(res.status).toBe(200);
      expect(body.trace.items).toHaveLength(3);
      const bad = await fetch(`${server.url}/_personalize/explain`, { method: 'POST', body: JSON.stringify({ userId: 'u1' }) });
      expect(bad.status).toBe(400);
    } finally {
      await server.close();
    }
  });
});
