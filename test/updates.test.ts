// Solutions that keep up with new data: automatic training on the clock, UpdateSolution, campaigns
// that follow $LATEST, and model swaps that never fail a request.
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPersonalize, ManualClock, createLocalApi, startServer } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const HOUR = 3_600_000;
const clients: LocalPersonalize[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));
const dir = tempDir();
const csv = writeCsv(dir, 'i.csv', zipfInteractions({ users: 60, items: 20, perUser: 5 }).csv);

async function trainedGroup(clock = new ManualClock()) {
  const p = new LocalPersonalize({ inMemory: true, clock, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
  clients.push(p);
  const { schemaArn } = await p.createSchema({ name: 's', schema: INTERACTIONS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await p.createDatasetImportJob({ jobName: 'j', datasetArn, dataSource: { dataLocation: csv } });
  const { trackingId } = await p.createEventTracker({ name: 't', datasetGroupArn });
  return { p, clock, datasetGroupArn, trackingId };
}

const versions = async (p: LocalPersonalize, solutionArn: string) =>
  (await p.listSolutionVersions({ solutionArn })).solutionVersions.map((v: { trainingType: string; status: string }) => `${v.trainingType}:${v.status}`);

describe('automatic training', () => {
  it('trains one hour after creation, then every rate(N days) when interactions changed', async () => {
    const { p, clock, datasetGroupArn, trackingId } = await trainedGroup();
    const { solutionArn } = await p.createSolution({
      name: 'auto', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count',
      solutionConfig: { autoTrainingConfig: { schedulingExpression: 'rate(2 days)' } },
    });
    clock.advance(HOUR - 1);
    expect(await versions(p, solutionArn)).toEqual([]);
    clock.advance(1);
    expect(await versions(p, solutionArn)).toEqual(['AUTOMATIC:ACTIVE']);
    clock.advance(2 * 24 * HOUR); // due, but nothing new happened
    expect(await versions(p, solutionArn)).toEqual(['AUTOMATIC:ACTIVE']);
    await p.putEvents({ trackingId, sessionId: 's', userId: 'user-1', eventList: [{ eventType: 'click', itemId: 'item-3', sentAt: 1_800_000_000 }] });
    expect(await versions(p, solutionArn)).toEqual(['AUTOMATIC:ACTIVE']); // waits for the next slot
    clock.advance(2 * 24 * HOUR);
    expect(await versions(p, solutionArn)).toEqual(['AUTOMATIC:ACTIVE', 'AUTOMATIC:ACTIVE']);
  });

  it('is skipped when performAutoTraining is false, and UpdateSolution turns it on', async () => {
    const { p, clock, datasetGroupArn } = await trainedGroup();
    const { solutionArn } = await p.createSolution({ name: 'manual', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    clock.advance(2 * HOUR);
    expect(await versions(p, solutionArn)).toEqual([]);
    await p.updateSolution({ solutionArn, performAutoTraining: true, solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(1 day)' } } });
    const { solution } = await p.describeSolution({ solutionArn });
    expect(solution.performAutoTraining).toBe(true);
    expect(solution.latestSolutionUpdate).toMatchObject({ status: 'ACTIVE', performAutoTraining: true, solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(1 day)' } } });
    expect(solution.solutionConfig.autoTrainingConfig.schedulingExpression).toBe('rate(1 day)');
    clock.advance(1);
    expect(await versions(p, solutionArn)).toEqual(['AUTOMATIC:ACTIVE']);
    await expect(p.updateSolution({ solutionArn, solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(31 days)' } } }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/1 to 30/) });
  });
});

describe('campaigns and new versions', () => {
  it('follows $LATEST when syncWithLatestSolutionVersion is on, and stays put otherwise', async () => {
    const { p, datasetGroupArn } = await trainedGroup();
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const { solutionVersionArn: v1 } = await p.createSolutionVersion({ solutionArn });
    const { campaignArn: synced } = await p.createCampaign({ name: 'synced', solutionVersionArn: `${solutionArn}/$LATEST`, campaignConfig: { syncWithLatestSolutionVersion: true } });
    const { campaignArn: pinned } = await p.createCampaign({ name: 'pinned', solutionVersionArn: `${solutionArn}/$LATEST` });
    await expect(p.createCampaign({ name: 'bad', solutionVersionArn: v1, campaignConfig: { syncWithLatestSolutionVersion: true } }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/\$LATEST/) });
    const { solutionVersionArn: v2 } = await p.createSolutionVersion({ solutionArn });
    expect(p.engine.store.find(synced)!.props.servingVersionArn).toBe(v2);
    expect(p.engine.store.find(pinned)!.props.servingVersionArn).toBe(v1);
    expect((await p.describeCampaign({ campaignArn: synced })).campaign.solutionVersionArn).toBe(`${solutionArn}/$LATEST`);
  });

  it('keeps answering every request while UpdateCampaign swaps models under load', async () => {
    const { p, datasetGroupArn } = await trainedGroup();
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const { solutionVersionArn: v1 } = await p.createSolutionVersion({ solutionArn });
    const { solutionVersionArn: v2 } = await p.createSolutionVersion({ solutionArn });
    const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn: v1 });
    let failures = 0;
    let answered = 0;
    const load = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 200; i++) {
        await p.getRecommendations({ campaignArn, userId: `user-${i % 50}`, numResults: 5 }).then(() => answered++, () => failures++);
      }
    });
    const swaps = (async () => {
      for (let i = 0; i < 20; i++) await p.updateCampaign({ campaignArn, solutionVersionArn: i % 2 ? v1 : v2 });
    })();
    await Promise.all([...load, swaps]);
    expect(failures).toBe(0);
    expect(answered).toBe(800);
    expect((await p.describeCampaign({ campaignArn })).campaign.latestCampaignUpdate).toMatchObject({ status: 'ACTIVE', solutionVersionArn: v1 });
  });
});

describe('clock control over HTTP', () => {
  it('moves a manual clock with POST /_personalize/clock', async () => {
    const clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));
    const local = await createLocalApi({ inMemory: true, clock });
    const server = await startServer({ api: local.api, port: 0, admin: local });
    try {
      const post = (body: unknown) => fetch(`${server.url}/_personalize/clock`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
      expect(await post({ advanceSeconds: 3600 })).toEqual({ now: Date.UTC(2025, 0, 1, 1) / 1000 });
      expect(await post({ now: 1_800_000_000 })).toEqual({ now: 1_800_000_000 });
      expect(clock.now()).toBe(1_800_000_000_000);
    } finally {
      await server.close();
      await local.close();
    }
  });
});
