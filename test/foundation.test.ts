// The whole foundation path, in process: schema -> dataset -> CSV import -> training in a worker ->
// campaign -> recommendations, on generated data whose true popularity order is known.
import { afterEach, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const clients: LocalPersonalize[] = [];
function client(opts: ConstructorParameters<typeof LocalPersonalize>[0] = {}): LocalPersonalize {
  const c = new LocalPersonalize({ inMemory: true, ...opts });
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function importedGroup(p: LocalPersonalize, csvPath: string) {
  const { schemaArn } = await p.createSchema({ name: 'interactions', schema: INTERACTIONS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'shop' });
  const { datasetArn } = await p.createDataset({ name: 'events', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  const { datasetImportJobArn } = await p.createDatasetImportJob({
    jobName: 'first-import', datasetArn, dataSource: { dataLocation: csvPath }, roleArn: 'arn:aws:iam::000000000000:role/personalize',
  });
  return { schemaArn, datasetGroupArn, datasetArn, datasetImportJobArn };
}

describe('the foundation path', () => {
  it('recommends the true most popular items after importing, training and deploying popularity-count', async () => {
    const dir = tempDir();
    const data = zipfInteractions({ users: 120, items: 40, perUser: 12 });
    const p = client();
    const { datasetGroupArn, datasetImportJobArn } = await importedGroup(p, writeCsv(dir, 'interactions.csv', data.csv));
    expect((await p.describeDatasetImportJob({ datasetImportJobArn })).datasetImportJob.status).toBe('ACTIVE');

    const { solutionArn } = await p.createSolution({ name: 'popular', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    expect(solutionVersionArn).toMatch(/^arn:aws:personalize:us-east-1:000000000000:solution\/popular\/[0-9a-f]{8}$/);
    const { solutionVersion } = await p.describeSolutionVersion({ solutionVersionArn });
    expect(solutionVersion.status).toBe('ACTIVE');
    expect(solutionVersion.trainingMode).toBe('FULL');
    expect(typeof solutionVersion.trainingHours).toBe('number');
    expect(solutionVersion.creationDateTime).toBeInstanceOf(Date);

    const { metrics } = await p.getSolutionMetrics({ solutionVersionArn });
    expect(Object.keys(metrics).sort()).toEqual([
      'coverage', 'mean_reciprocal_rank_at_25',
      'normalized_discounted_cumulative_gain_at_10', 'normalized_discounted_cumulative_gain_at_25', 'normalized_discounted_cumulative_gain_at_5',
      'precision_at_10', 'precision_at_25', 'precision_at_5',
    ]);
    for (const v of Object.values(metrics) as number[]) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(1);
    expect(metrics.normalized_discounted_cumulative_gain_at_25).toBeGreaterThan(0);

    const { campaignArn } = await p.createCampaign({ name: 'popular-now', solutionVersionArn });
    const rec = await p.getRecommendations({ campaignArn, userId: 'user-3', numResults: 10 });
    expect(rec.itemList.map((i: { itemId: string }) => i.itemId)).toEqual(data.byUniqueUsers.slice(0, 10));
    expect(rec.itemList[0]).not.toHaveProperty('score'); // Personalize shows no score for popularity-count
    expect(rec.recommendationId).toMatch(/^RID-[0-9a-f-]{36}$/);
    // Default numResults is 25; an unknown user gets the same popular list.
    const anon = await p.getRecommendations({ campaignArn, userId: 'someone-new' });
    expect(anon.itemList.map((i: { itemId: string }) => i.itemId)).toEqual(data.byUniqueUsers.slice(0, 25));
  });

  it('trains off the main thread, in a worker of the pool', async () => {
    const dir = tempDir();
    const p = client({ minimums: { interactions: 10, usersWithTwoInteractions: 2 } });
    const { datasetGroupArn } = await importedGroup(p, writeCsv(dir, 'i.csv', zipfInteractions({ users: 10, items: 5, perUser: 3 }).csv));
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    expect(p.engine.models.load(solutionVersionArn).bundle.info.trainedOn).toBe('worker thread');
  });

  it("fails a version with Personalize's message when there is too little data", async () => {
    const dir = tempDir();
    const p = client();
    const { datasetGroupArn } = await importedGroup(p, writeCsv(dir, 'i.csv', zipfInteractions({ users: 20, items: 5, perUser: 3 }).csv));
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    const { solutionVersion } = await p.describeSolutionVersion({ solutionVersionArn });
    expect(solutionVersion.status).toBe('CREATE FAILED');
    expect(solutionVersion.failureReason).toMatch(/There are 60 interactions .* at least 1000 are needed/);
  });

  it('keeps every resource, imported row and trained model across a restart on the same state directory', async () => {
    const dir = tempDir();
    const stateDir = `${dir}/state`;
    const data = zipfInteractions({ users: 100, items: 30, perUser: 12 });
    const first = new LocalPersonalize({ dataDir: stateDir });
    const { datasetGroupArn } = await importedGroup(first, writeCsv(dir, 'i.csv', data.csv));
    const { solutionArn } = await first.createSolution({ name: 's', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const { solutionVersionArn } = await first.createSolutionVersion({ solutionArn });
    const { campaignArn } = await first.createCampaign({ name: 'c', solutionVersionArn });
    const before = await first.getRecommendations({ campaignArn, userId: 'user-1', numResults: 5 });
    await first.close();

    const second = client({ inMemory: false, dataDir: stateDir });
    expect((await second.listDatasetGroups({})).datasetGroups.map((g: { name: string }) => g.name)).toEqual(['shop']);
    const after = await second.getRecommendations({ campaignArn, userId: 'user-1', numResults: 5 });
    expect(after.itemList).toEqual(before.itemList);
    // The imported rows are still there: a new version trains on them.
    const { solutionVersionArn: v2 } = await second.createSolutionVersion({ solutionArn });
    expect((await second.describeSolutionVersion({ solutionVersionArn: v2 })).solutionVersion.status).toBe('ACTIVE');
  });
});
