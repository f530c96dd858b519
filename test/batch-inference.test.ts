// Batch inference: Personalize's JSON-lines output for a small known model, per-line errors that do not
// stop the job, and the modes Personalize refuses.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const dir = tempDir();
const p = new LocalPersonalize({ inMemory: true, bucketsDir: join(dir, 'buckets') });
afterAll(() => p.close());
const role = 'arn:aws:iam::000000000000:role/r';
const data = zipfInteractions({ users: 100, items: 30, perUser: 12 });
let popularV = '';
let upV = '';

beforeAll(async () => {
  const { schemaArn } = await p.createSchema({ name: 's', schema: INTERACTIONS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await p.createDatasetImportJob({ jobName: 'j', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i.csv', data.csv) } });
  for (const [name, recipe] of [['pop', 'aws-popularity-count'], ['up', 'aws-user-personalization']] as const) {
    const { solutionArn } = await p.createSolution({ name, datasetGroupArn, performAutoTraining: false, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    if (name === 'pop') popularV = solutionVersionArn; else upV = solutionVersionArn;
  }
  mkdirSync(join(dir, 'buckets', 'jobs'), { recursive: true });
});

async function run(jobName: string, solutionVersionArn: string, lines: string[], extra: Record<string, unknown> = {}) {
  writeFileSync(join(dir, 'buckets', 'jobs', `${jobName}.json`), lines.join('\n') + '\n');
  const { batchInferenceJobArn } = await p.createBatchInferenceJob({
    jobName, solutionVersionArn, roleArn: role, numResults: 3,
    jobInput: { s3DataSource: { path: `s3://jobs/${jobName}.json` } }, jobOutput: { s3DataDestination: { path: `s3://jobs/out-${jobName}/` } }, ...extra,
  });
  const { batchInferenceJob } = await p.describeBatchInferenceJob({ batchInferenceJobArn });
  const out = readFileSync(join(dir, 'buckets', 'jobs', `out-${jobName}`, `${jobName}.json.out`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return { job: batchInferenceJob, out };
}

describe('CreateBatchInferenceJob', () => {
  it("writes one line per input in Personalize's format, and an error line for a bad input without stopping", async () => {
    const { job, out } = await run('popular', popularV, ['{"userId": "user-1"}', 'not json', '{"itemId": "x"}', '{"userId": "someone-new"}']);
    expect(job).toMatchObject({ status: 'ACTIVE', numResults: 3, batchInferenceJobMode: 'BATCH_INFERENCE' });
    const top3 = data.byUniqueUsers.slice(0, 3);
    expect(out[0]).toEqual({ input: { userId: 'user-1' }, output: { recommendedItems: top3 }, error: null });
    expect(out[1]).toEqual({ input: 'not json', error: expect.stringMatching(/JSON/) });
    expect(out[2]).toEqual({ input: { itemId: 'x' }, error: expect.stringMatching(/needs "userId"/) });
    expect(out[3]).toEqual({ input: { userId: 'someone-new' }, output: { recommendedItems: top3 }, error: null });
  });

  it('gives scores for user-personalization, equal to what the campaign answers', async () => {
    const { out } = await run('up', upV, ['{"userId": "user-5"}'], { batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0' } } });
    const { campaignArn } = await p.createCampaign({ name: 'up-c', solutionVersionArn: upV, campaignConfig: { itemExplorationConfig: { explorationWeight: '0' } } });
    const live = await p.getRecommendations({ campaignArn, userId: 'user-5', numResults: 3 });
    expect(out[0].output.recommendedItems).toEqual(live.itemList.map((i: { itemId: string }) => i.itemId));
    expect(out[0].output.scores).toEqual(live.itemList.map((i: { score: number }) => i.score));
  });

  it('refuses theme generation offline with a clear error', async () => {
    await expect(p.createBatchInferenceJob({
      jobName: 'themes', solutionVersionArn: popularV, roleArn: role, batchInferenceJobMode: 'THEME_GENERATION',
      jobInput: { s3DataSource: { path: 's3://jobs/x.json' } }, jobOutput: { s3DataDestination: { path: 's3://jobs/o/' } },
    })).rejects.toMatchObject({ name: 'NotImplementedException', message: expect.stringMatching(/THEME_GENERATION/) });
  });
});
