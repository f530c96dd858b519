// Lifecycles under the two transition policies, on a manual clock.
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPersonalize, ManualClock } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const clients: LocalPersonalize[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));
const dir = tempDir();
const csv = writeCsv(dir, 'i.csv', zipfInteractions({ users: 100, items: 30, perUser: 12 }).csv);

describe('realistic transitions', () => {
  it('shows CREATE PENDING, then CREATE IN_PROGRESS, then ACTIVE as the clock moves', async () => {
    const clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));
    const p = new LocalPersonalize({ inMemory: true, clock, transitions: { mode: 'realistic', pendingSeconds: 2, inProgressSeconds: 5 } });
    clients.push(p);
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
    const status = async () => (await p.describeDatasetGroup({ datasetGroupArn })).datasetGroup.status;
    expect(await status()).toBe('CREATE PENDING');
    const { schemaArn } = await p.createSchema({ name: 's', schema: INTERACTIONS_SCHEMA });
    await expect(p.createDataset({ name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' }))
      .rejects.toMatchObject({ name: 'ResourceInUseException', message: expect.stringMatching(/is CREATE PENDING; it must be ACTIVE/) });
    clock.advance(2000);
    expect(await status()).toBe('CREATE IN_PROGRESS');
    clock.advance(5000);
    expect(await status()).toBe('ACTIVE');
    expect((await p.describeDatasetGroup({ datasetGroupArn })).datasetGroup.creationDateTime).toEqual(new Date('2025-01-01T00:00:00Z'));
  });

  it('returns from CreateSolutionVersion at once and trains in the background', async () => {
    const clock = new ManualClock();
    const p = new LocalPersonalize({ inMemory: true, clock, transitions: { mode: 'realistic', pendingSeconds: 1, inProgressSeconds: 1 } });
    clients.push(p);
    const { schemaArn } = await p.createSchema({ name: 's', schema: INTERACTIONS_SCHEMA });
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
    clock.advance(2000);
    const { datasetArn } = await p.createDataset({ name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
    clock.advance(2000);
    const { datasetImportJobArn } = await p.createDatasetImportJob({ jobName: 'j', datasetArn, dataSource: { dataLocation: csv } });
    expect((await p.describeDatasetImportJob({ datasetImportJobArn })).datasetImportJob.status).toBe('CREATE PENDING');
    await p.idle();
    clock.advance(2000);
    expect((await p.describeDatasetImportJob({ datasetImportJobArn })).datasetImportJob.status).toBe('ACTIVE');
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    clock.advance(2000);
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    expect((await p.describeSolutionVersion({ solutionVersionArn })).solutionVersion.status).toBe('CREATE PENDING');
    await expect(p.createCampaign({ name: 'c', solutionVersionArn })).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await p.idle();
    clock.advance(2000);
    const { solution } = await p.describeSolution({ solutionArn });
    expect(solution.latestSolutionVersion).toMatchObject({ solutionVersionArn, status: 'ACTIVE', trainingMode: 'FULL', trainingType: 'MANUAL' });
  });

  it('stops a version that is still training: CREATE STOPPED, and its model is never used', async () => {
    const clock = new ManualClock();
    const p = new LocalPersonalize({ inMemory: true, clock, transitions: { mode: 'realistic', pendingSeconds: 0, inProgressSeconds: 0 } });
    clients.push(p);
    const { schemaArn } = await p.createSchema({ name: 's', schema: INTERACTIONS_SCHEMA });
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
    const { datasetArn } = await p.createDataset({ name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
    await p.createDatasetImportJob({ jobName: 'j', datasetArn, dataSource: { dataLocation: csv } });
    await p.idle();
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    await p.stopSolutionVersionCreation({ solutionVersionArn });
    expect((await p.describeSolutionVersion({ solutionVersionArn })).solutionVersion.status).toBe('CREATE STOPPING');
    await p.idle();
    expect((await p.describeSolutionVersion({ solutionVersionArn })).solutionVersion.status).toBe('CREATE STOPPED');
    await expect(p.stopSolutionVersionCreation({ solutionVersionArn })).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await expect(p.createCampaign({ name: 'c', solutionVersionArn })).rejects.toMatchObject({ name: 'ResourceInUseException' });
  });
});
