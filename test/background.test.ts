// `start` answers Create calls that do work at once (as AWS does) and does the work in the background:
// CREATE IN_PROGRESS until done, CREATE FAILED with the reason, close() waits for it. A client with a
// read timeout (boto3: 60 s, then retries) would otherwise send a long training several times.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalPersonalize } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';
import { controlCall, startCli } from './helpers/start.js';

const start = startCli;
const call = controlCall;

/** Polls a Describe until the status is final, like users' code does. */
async function waitFor(url: string, op: string, arnMember: string, arn: string, wrapper: string): Promise<any> {
  for (;;) {
    const r = (await call(url, op, { [arnMember]: arn }))[wrapper];
    if (!/PENDING|IN_PROGRESS|IN PROGRESS/.test(r.status)) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** A dataset group with interactions, and a solution whose training takes seconds (96 factors, 15 ALS iterations). */
async function slowSolution(url: string, dir: string): Promise<string> {
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  let s = 1;
  for (let u = 0; u < 1000; u++) for (let j = 0; j < 20; j++) { s = (s * 48271) % 2147483647; lines.push(`u${u},i${s % 500},${1_700_000_000 + u * 50 + j},click`); }
  writeFileSync(join(dir, 'big.csv'), lines.join('\n') + '\n');
  const { schemaArn } = await call(url, 'CreateSchema', { name: 'i', schema: INTERACTIONS_SCHEMA });
  const { datasetGroupArn } = await call(url, 'CreateDatasetGroup', { name: 'g' });
  const { datasetArn } = await call(url, 'CreateDataset', { name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  const { datasetImportJobArn } = await call(url, 'CreateDatasetImportJob', { jobName: 'i', datasetArn, dataSource: { dataLocation: join(dir, 'big.csv') } });
  expect((await waitFor(url, 'DescribeDatasetImportJob', 'datasetImportJobArn', datasetImportJobArn, 'datasetImportJob')).status).toBe('ACTIVE');
  const { solutionArn } = await call(url, 'CreateSolution', {
    name: 'slow', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization',
    solutionConfig: { algorithmHyperParameters: { hidden_dimension: '96', iterations: '15' } },
  });
  return solutionArn;
}

describe('start: Create calls return while the work goes on', () => {
  it('CreateSolutionVersion answers at once; Describe shows CREATE IN_PROGRESS, then ACTIVE; one version', async () => {
    const server = await start([]);
    try {
      const solutionArn = await slowSolution(server.url, tempDir());
      const started = Date.now();
      const { solutionVersionArn } = await call(server.url, 'CreateSolutionVersion', { solutionArn });
      const answeredMs = Date.now() - started;
      const first = (await call(server.url, 'DescribeSolutionVersion', { solutionVersionArn })).solutionVersion;
      expect(first.status).toBe('CREATE IN_PROGRESS'); // the call returned before the training was done
      expect(answeredMs).toBeLessThan(1000);
      expect((await waitFor(server.url, 'DescribeSolutionVersion', 'solutionVersionArn', solutionVersionArn, 'solutionVersion')).status).toBe('ACTIVE');
      expect((await call(server.url, 'ListSolutionVersions', { solutionArn })).solutionVersions).toHaveLength(1);
    } finally {
      server.kill();
    }
  });

  it('--transitions immediate: the call returns when the work is done', async () => {
    const server = await start(['--transitions', 'immediate']);
    try {
      const dir = tempDir();
      const { schemaArn } = await call(server.url, 'CreateSchema', { name: 'i', schema: INTERACTIONS_SCHEMA });
      const { datasetGroupArn } = await call(server.url, 'CreateDatasetGroup', { name: 'g' });
      const { datasetArn } = await call(server.url, 'CreateDataset', { name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
      const { datasetImportJobArn } = await call(server.url, 'CreateDatasetImportJob', {
        jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i.csv', zipfInteractions({ users: 40, items: 10, perUser: 30 }).csv) },
      });
      expect((await call(server.url, 'DescribeDatasetImportJob', { datasetImportJobArn })).datasetImportJob.status).toBe('ACTIVE');
    } finally {
      server.kill();
    }
  });
});

describe('background transitions in process (the same mode start uses)', () => {
  it('work shows CREATE IN_PROGRESS until done; a failing training ends CREATE FAILED with its reason; close() waits', async () => {
    const dir = tempDir();
    const p = new LocalPersonalize({ inMemory: true, transitions: 'background', minimums: { interactions: 10, usersWithTwoInteractions: 2 } });
    const { schemaArn } = await p.createSchema({ name: 'i', schema: INTERACTIONS_SCHEMA });
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
    const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
    const { datasetImportJobArn } = await p.createDatasetImportJob({
      jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i.csv', zipfInteractions({ users: 20, items: 10, perUser: 3 }).csv) },
    });
    expect((await p.describeDatasetImportJob({ datasetImportJobArn })).datasetImportJob?.status).toBe('CREATE IN_PROGRESS');
    await p.idle();
    expect((await p.describeDatasetImportJob({ datasetImportJobArn })).datasetImportJob?.status).toBe('ACTIVE');
    const recipeArn = 'arn:aws:personalize:::recipe/aws-popularity-count';
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, recipeArn });
    const { solutionArn: noEvents } = await p.createSolution({ name: 'none', datasetGroupArn, recipeArn, eventType: 'purchase' });
    const { solutionVersionArn: failing } = await p.createSolutionVersion({ solutionArn: noEvents });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    expect((await p.describeSolutionVersion({ solutionVersionArn })).solutionVersion?.status).toBe('CREATE IN_PROGRESS');
    await p.close(); // waits for the training to end
    expect(p.engine.store.get('solutionVersion', solutionVersionArn).status).toBe('ACTIVE');
    const v = p.engine.store.get('solutionVersion', failing);
    expect(v.status).toBe('CREATE FAILED');
    expect(v.failureReason).toMatch(/0 interactions after filtering by event type/);
  });
});
