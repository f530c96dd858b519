// aws-next-best-action end to end: training on planted action-taking groups, Personalize's score rules
// (50/50 interactions in 6 weeks), expiry, REPEAT_FREQUENCY, VALUE tie-breaks, ActionID filters,
// request checks and GetSolutionMetrics.
import { GetActionRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPersonalize, ManualClock } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv } from './helpers/data.js';

const DAY = 86_400;
const T0 = 1_700_000_000;
const NOW = T0 + 30 * DAY;
const dir = tempDir('plocal-nba-');
const clock = new ManualClock(NOW * 1000);
const p = new LocalPersonalize({ inMemory: true, clock, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
afterAll(() => p.close());

const ACTIONS_SCHEMA = JSON.stringify({ type: 'record', name: 'Actions', fields: [
  { name: 'ACTION_ID', type: 'string' }, { name: 'VALUE', type: ['null', 'long'] }, { name: 'KIND', type: ['null', 'string'], categorical: true },
  { name: 'EXPIRATION_TIMESTAMP', type: ['null', 'long'] }, { name: 'REPEAT_FREQUENCY', type: ['null', 'long'] },
] });
const ACTION_INTERACTIONS_SCHEMA = JSON.stringify({ type: 'record', name: 'ActionInteractions', fields: [
  { name: 'USER_ID', type: 'string' }, { name: 'ACTION_ID', type: 'string' }, { name: 'EVENT_TYPE', type: 'string' }, { name: 'TIMESTAMP', type: 'long' },
] });

const GROUP_ACTIONS = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'];
const user = (i: number) => `u${String(i).padStart(3, '0')}`;

/** 120 users in two taste groups (A: even, B: odd): items of their group, and mostly their group's actions taken. */
function data(): { items: string; actions: string; actionInteractions: string } {
  const items = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  const ai = ['USER_ID,ACTION_ID,EVENT_TYPE,TIMESTAMP'];
  for (let i = 0; i < 120; i++) {
    const g = i % 2 ? 'B' : 'A', j = i >> 1;
    for (let k = 0; k < 10; k++) items.push(`${user(i)},${g}-item${(i + k) % 10},${T0 + i * 100 + k},click`);
    GROUP_ACTIONS.forEach((a, x) => {
      const own = a[0]!.toUpperCase() === g;
      const t = T0 + DAY * (1 + (i % 20)) + ((x + i) % 6) * 600; // each user ends on a different action
      ai.push(`${user(i)},${a},Viewed,${t}`, `${user(i)},${a},${(own ? j % 5 !== 0 : j % 6 === 0) ? 'Taken' : 'Not taken'},${t + 60}`);
    });
    // Exactly at and just below Personalize's 50 / 50 rule; `stale` has plenty, but older than 6 weeks.
    if (i < 50) ai.push(`${user(i)},edge-49,Taken,${T0 + DAY}`, `${user(i)},edge-50,Taken,${T0 + DAY}`);
    else if (i < 100) ai.push(`${user(i)},edge-50,NOT_TAKEN,${T0 + DAY}`, ...(i < 99 ? [`${user(i)},edge-49,NOT_TAKEN,${T0 + DAY}`] : []));
    if (i < 10) ai.push(`${user(i)},rare,${i < 5 ? 'Taken' : 'Not taken'},${T0 + DAY}`);
    for (const a of ['expiring', 'repeat']) ai.push(`${user(i)},${a},${i < 60 ? 'Taken' : 'Not taken'},${T0 + 2 * DAY}`);
    ai.push(`${user(i)},stale,${i < 60 ? 'Taken' : 'Not taken'},${T0 - 60 * DAY}`);
  }
  // Users of one taste group who never saw an action: only their items can place them.
  for (const g of ['A', 'B']) for (let k = 0; k < 10; k++) items.push(`itemonly-${g},${g}-item${k},${T0 + k},click`);
  const actions = ['ACTION_ID,VALUE,KIND,EXPIRATION_TIMESTAMP,REPEAT_FREQUENCY',
    ...GROUP_ACTIONS.map((a) => `${a},10,group${a[0]!.toUpperCase()},,`),
    'edge-49,10,other,,', 'edge-50,10,other,,', 'rare,10,other,,', 'stale,10,other,,',
    `expiring,10,other,${NOW + DAY},`, 'repeat,10,other,,3',
    'q-hi,100,quiet,,', 'q-mid-y,50,quiet,,', 'q-mid-x,50,quiet,,', 'q-lo,1,quiet,,', 'q-none,,quiet,,'];
  return { items: items.join('\n') + '\n', actions: actions.join('\n') + '\n', actionInteractions: ai.join('\n') + '\n' };
}

let groupArn = '', actionsArn = '', trackingId = '', campaignArn = '', solutionVersionArn = '';

async function dataset(name: string, schema: string, datasetType: string, csv?: string): Promise<string> {
  const { schemaArn } = await p.createSchema({ name, schema });
  const { datasetArn } = await p.createDataset({ name, schemaArn, datasetGroupArn: groupArn, datasetType });
  if (csv) await p.createDatasetImportJob({ jobName: name, datasetArn, dataSource: { dataLocation: writeCsv(dir, `${name}.csv`, csv) } });
  return datasetArn;
}

beforeAll(async () => {
  const d = data();
  ({ datasetGroupArn: groupArn } = await p.createDatasetGroup({ name: 'nba' }));
  await dataset('interactions', INTERACTIONS_SCHEMA, 'Interactions', d.items);
  actionsArn = await dataset('actions', ACTIONS_SCHEMA, 'Actions', d.actions);
  const aiArn = await dataset('action-interactions', ACTION_INTERACTIONS_SCHEMA, 'Action_Interactions', d.actionInteractions);
  trackingId = (await p.describeDataset({ datasetArn: aiArn })).dataset.trackingId;
  const { solutionArn } = await p.createSolution({ name: 'nba', datasetGroupArn: groupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-next-best-action' });
  ({ solutionVersionArn } = await p.createSolutionVersion({ solutionArn }));
  const { solutionVersion } = await p.describeSolutionVersion({ solutionVersionArn });
  expect(solutionVersion).toMatchObject({ status: 'ACTIVE' });
  ({ campaignArn } = await p.createCampaign({ name: 'nba', solutionVersionArn }));
}, 60_000);

async function all(userId: string, extra: Record<string, unknown> = {}): Promise<Map<string, number>> {
  const { actionList } = await p.getActionRecommendations({ campaignArn, userId, numResults: 100, ...extra });
  return new Map(actionList.map((a: { actionId: string; score: number }) => [a.actionId, a.score]));
}

describe('aws-next-best-action scores', () => {
  it('gives a propensity only to actions with >= 50 TAKEN and >= 50 NOT_TAKEN/VIEWED interactions within 6 weeks', async () => {
    clock.set(NOW * 1000);
    const s = await all('u000');
    for (const a of [...GROUP_ACTIONS, 'edge-50', 'expiring', 'repeat']) expect(s.get(a), a).toBeGreaterThan(0);
    for (const a of ['edge-49', 'rare', 'stale', 'q-hi', 'q-none']) expect(s.get(a), a).toBe(0);
    for (const v of s.values()) expect(v).toBeLessThanOrEqual(1);
  });

  it('ranks the actions of the group whose actions a user took higher (planted structure)', async () => {
    // u002 / u003 took their own group's actions (u000 / u001 are the planted exceptions: j = 0).
    const a = await all('u002'), b = await all('u003');
    for (const x of ['a1', 'a2', 'a3']) for (const y of ['b1', 'b2', 'b3']) {
      expect(a.get(x)!).toBeGreaterThan(a.get(y)! + 0.2);
      expect(b.get(y)!).toBeGreaterThan(b.get(x)! + 0.2);
    }
    const { actionList } = await p.getActionRecommendations({ campaignArn, userId: 'u004', numResults: 3 });
    expect(actionList.map((x: { actionId: string }) => x.actionId).sort()).toEqual(['a1', 'a2', 'a3']);
  });

  it('personalizes users without action interactions from their item interactions', async () => {
    const a = await all('itemonly-A'), b = await all('itemonly-B');
    expect(a.get('a3')!).toBeGreaterThan(a.get('b3')!);
    expect(b.get('b3')!).toBeGreaterThan(b.get('a3')!);
  });

  it('folds streamed PutActionInteractions into the user at once', async () => {
    const before = await all('live-1');
    expect(Math.abs(before.get('a3')! - before.get('b3')!)).toBeLessThan(0.2);
    await p.putActionInteractions({ trackingId, actionInteractions: [
      ...['a1', 'a2'].map((actionId) => ({ actionId, userId: 'live-1', sessionId: 's', eventType: 'Taken', timestamp: NOW - 10 * DAY })),
      ...['b1', 'b2'].map((actionId) => ({ actionId, userId: 'live-1', sessionId: 's', eventType: 'Not taken', timestamp: NOW - 10 * DAY })),
    ] });
    const after = await all('live-1');
    expect(after.get('a3')!).toBeGreaterThan(after.get('b3')! + 0.2);
  });

  it('orders equal propensities by higher VALUE (missing last), then action id', async () => {
    const filter = await p.createFilter({ name: 'quiet', datasetGroupArn: groupArn, filterExpression: 'INCLUDE ActionID WHERE Actions.KIND IN ("quiet")' });
    const { actionList } = await p.getActionRecommendations({ campaignArn, userId: 'u000', numResults: 10, filterArn: filter.filterArn });
    expect(actionList).toEqual(['q-hi', 'q-mid-x', 'q-mid-y', 'q-lo', 'q-none'].map((actionId) => ({ actionId, score: 0 })));
  });
});

describe("Personalize's automatic action rules", () => {
  it('never returns an expired action (EXPIRATION_TIMESTAMP before the clock), including one expired by PutActions', async () => {
    clock.set(NOW * 1000);
    expect((await all('u000')).has('expiring')).toBe(true);
    clock.advance(2 * DAY * 1000);
    expect((await all('u000')).has('expiring')).toBe(false);
    expect((await all('u000')).has('q-lo')).toBe(true);
    await p.putActions({ datasetArn: actionsArn, actions: [{ actionId: 'q-lo', properties: JSON.stringify({ value: 1, kind: 'quiet', expirationTimestamp: NOW }) }] });
    expect((await all('u000')).has('q-lo')).toBe(false);
    clock.set(NOW * 1000);
  });

  it('waits REPEAT_FREQUENCY days after the user interacted before recommending the action again', async () => {
    clock.set(NOW * 1000);
    expect((await all('fresh-1')).has('repeat')).toBe(true);
    await p.putActionInteractions({ trackingId, actionInteractions: [{ actionId: 'repeat', userId: 'fresh-1', sessionId: 's', eventType: 'Viewed', timestamp: NOW }] });
    expect((await all('fresh-1')).has('repeat')).toBe(false);
    expect((await all('fresh-2')).has('repeat')).toBe(true);
    clock.advance(2 * DAY * 1000);
    expect((await all('fresh-1')).has('repeat')).toBe(false);
    clock.advance(1.5 * DAY * 1000);
    expect((await all('fresh-1')).has('repeat')).toBe(true);
    clock.set(NOW * 1000);
  });
});

describe('GetActionRecommendations requests', () => {
  it('filters with ActionID filters on Actions metadata, placeholders, and the user action interactions', async () => {
    const taken = await p.createFilter({ name: 'not-taken', datasetGroupArn: groupArn, filterExpression: 'EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("TAKEN")' });
    // u002 (group A, j = 1) took a1-a3, no b action, and the edge, rare, expiring and repeat actions.
    const s = await all('u002', { filterArn: taken.filterArn });
    for (const a of ['a1', 'a2', 'a3', 'edge-49', 'edge-50', 'rare', 'expiring', 'repeat']) expect(s.has(a), a).toBe(false);
    expect(s.has('b1')).toBe(true);
    const kind = await p.createFilter({ name: 'kind', datasetGroupArn: groupArn, filterExpression: 'INCLUDE ActionID WHERE Actions.KIND IN ($KIND)' });
    expect([...(await all('u000', { filterArn: kind.filterArn, filterValues: { KIND: '"groupB"' } })).keys()].sort()).toEqual(['b1', 'b2', 'b3']);
    const value = await p.createFilter({ name: 'value', datasetGroupArn: groupArn, filterExpression: 'INCLUDE ActionID WHERE Actions.VALUE > 20' });
    expect([...(await all('u000', { filterArn: value.filterArn })).keys()].sort()).toEqual(['q-hi', 'q-mid-x', 'q-mid-y']);
    const items = await p.createFilter({ name: 'items', datasetGroupArn: groupArn, filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")' });
    await expect(p.getActionRecommendations({ campaignArn, userId: 'u000', filterArn: items.filterArn }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/use an ActionID filter/) });
  });

  it('returns 5 actions by default, sorted by score, with a recommendationId; numResults is 1..100', async () => {
    const out = await p.send(new GetActionRecommendationsCommand({ campaignArn, userId: 'u000' }));
    expect(out.actionList).toHaveLength(5);
    const scores = out.actionList.map((a: { score: number }) => a.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    expect(out.recommendationId).toMatch(/^RID-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await p.getActionRecommendations({ campaignArn, userId: 'u000', numResults: 100 })).actionList.length).toBeGreaterThan(10);
    for (const numResults of [0, 101, 2.5]) {
      await expect(p.getActionRecommendations({ campaignArn, userId: 'u000', numResults }))
        .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/numResults must be an integer/) });
    }
    await expect(p.getActionRecommendations({ campaignArn })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/userId is required/) });
  });

  it('refuses a campaign of another recipe, naming aws-next-best-action', async () => {
    const { solutionArn } = await p.createSolution({ name: 'pop', datasetGroupArn: groupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const { solutionVersionArn: v } = await p.createSolutionVersion({ solutionArn });
    const { campaignArn: other } = await p.createCampaign({ name: 'pop', solutionVersionArn: v });
    await expect(p.getActionRecommendations({ campaignArn: other, userId: 'u000' }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/aws-popularity-count model; GetActionRecommendations needs a campaign of aws-next-best-action/) });
  });
});

describe('training and metrics', () => {
  it('reports precision, recall, area_under_the_curve and coverage from held-out users', async () => {
    const { metrics } = await p.getSolutionMetrics({ solutionVersionArn });
    expect(Object.keys(metrics).sort()).toEqual(['area_under_the_curve', 'coverage', 'precision', 'recall']);
    // The held-out users' last outcomes follow their group, which their earlier outcomes reveal.
    expect(metrics.area_under_the_curve).toBeGreaterThan(0.75);
    expect(metrics.precision).toBeGreaterThan(0.5);
    expect(metrics.recall).toBeGreaterThan(0.5);
    for (const v of Object.values(metrics) as number[]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  it('fails training without an Actions dataset, saying so, and ranks by VALUE before any action interaction', async () => {
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'no-actions' });
    const { schemaArn } = await p.createSchema({ name: 'i2', schema: INTERACTIONS_SCHEMA });
    const { datasetArn } = await p.createDataset({ name: 'i2', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
    await p.createDatasetImportJob({ jobName: 'i2', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i2.csv', data().items) } });
    const { solutionArn } = await p.createSolution({ name: 'nba2', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-next-best-action' });
    const { solutionVersionArn: v } = await p.createSolutionVersion({ solutionArn });
    const { solutionVersion } = await p.describeSolutionVersion({ solutionVersionArn: v });
    expect(solutionVersion).toMatchObject({ status: 'CREATE FAILED', failureReason: expect.stringMatching(/needs an Actions dataset/) });

    // With actions but no action interactions yet: every score is 0.0, so VALUE orders them.
    const { schemaArn: actionsSchema } = await p.createSchema({ name: 'actions2', schema: ACTIONS_SCHEMA });
    const { datasetArn: actions } = await p.createDataset({ name: 'actions2', schemaArn: actionsSchema, datasetGroupArn, datasetType: 'Actions' });
    await p.putActions({ datasetArn: actions, actions: [['low', 1], ['high', 9], ['mid', 5]].map(([actionId, value]) => ({ actionId, properties: JSON.stringify({ value }) })) });
    const { solutionVersionArn: v2 } = await p.createSolutionVersion({ solutionArn });
    const { campaignArn: c2 } = await p.createCampaign({ name: 'nba2', solutionVersionArn: v2 });
    const { actionList } = await p.getActionRecommendations({ campaignArn: c2, userId: 'u000' });
    expect(actionList).toEqual([{ actionId: 'high', score: 0 }, { actionId: 'mid', score: 0 }, { actionId: 'low', score: 0 }]);
  });
});
