// Regions as on AWS: a request is served in the region its SigV4 credential scope names (else the
// server's `region` option); ARNs carry it, and one region's resources are not visible from another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateDatasetCommand, CreateDatasetGroupCommand, CreateDatasetImportJobCommand, CreateSchemaCommand, DescribeDatasetGroupCommand,
  ListDatasetGroupsCommand, PersonalizeClient, ResourceNotFoundException, CreateSolutionCommand, CreateSolutionVersionCommand, CreateCampaignCommand,
} from '@aws-sdk/client-personalize';
import { GetRecommendationsCommand, PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { createLocalApi, LocalPersonalize, startServer } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const dir = tempDir();
const stateDir = join(dir, 'state');
const data = zipfInteractions({ users: 30, items: 12, perUser: 5 });
let local: Awaited<ReturnType<typeof createLocalApi>>;
let server: Awaited<ReturnType<typeof startServer>>;
const client = (region: string) => new PersonalizeClient({ endpoint: server.url, region, credentials });

async function boot(region?: string) {
  local = await createLocalApi({ dataDir: stateDir, region, minimums: { interactions: 10, usersWithTwoInteractions: 2 } });
  server = await startServer({ api: local.api, port: 0, admin: local });
}
async function shutdown() {
  await server.close();
  await local.close();
}
beforeAll(() => boot());
afterAll(shutdown);

/** A dataset group named `shop` with imported interactions and a popularity campaign, in the client's region. */
async function shop(c: PersonalizeClient): Promise<{ datasetGroupArn: string; campaignArn: string }> {
  const { schemaArn } = await c.send(new CreateSchemaCommand({ name: 'i', schema: INTERACTIONS_SCHEMA }));
  const { datasetGroupArn } = await c.send(new CreateDatasetGroupCommand({ name: 'shop' }));
  const { datasetArn } = await c.send(new CreateDatasetCommand({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' }));
  await c.send(new CreateDatasetImportJobCommand({ jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i.csv', data.csv) }, roleArn: 'arn:aws:iam::000000000000:role/r' }));
  const { solutionArn } = await c.send(new CreateSolutionCommand({ name: 'pop', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' }));
  const { solutionVersionArn } = await c.send(new CreateSolutionVersionCommand({ solutionArn }));
  const { campaignArn } = await c.send(new CreateCampaignCommand({ name: 'c', solutionVersionArn }));
  return { datasetGroupArn: datasetGroupArn!, campaignArn: campaignArn! };
}

describe('the region comes from the SigV4 credential scope', () => {
  let eu: { datasetGroupArn: string; campaignArn: string };

  it('a client configured for eu-west-1 gets eu-west-1 ARNs, and ARNs built from its region are found', async () => {
    eu = await shop(client('eu-west-1'));
    expect(eu.datasetGroupArn).toBe('arn:aws:personalize:eu-west-1:000000000000:dataset-group/shop');
    const { datasetGroup } = await client('eu-west-1').send(new DescribeDatasetGroupCommand({ datasetGroupArn: 'arn:aws:personalize:eu-west-1:000000000000:dataset-group/shop' }));
    expect(datasetGroup?.name).toBe('shop');
    const runtime = new PersonalizeRuntimeClient({ endpoint: server.url, region: 'eu-west-1', credentials });
    const { itemList } = await runtime.send(new GetRecommendationsCommand({ campaignArn: eu.campaignArn, userId: 'user-1', numResults: 3 }));
    expect(itemList?.map((i) => i.itemId)).toEqual(data.byUniqueUsers.slice(0, 3));
  });

  it('another region does not see them: lists are empty, lookups are ResourceNotFoundException, the same names are free', async () => {
    const us = client('us-east-1');
    expect((await us.send(new ListDatasetGroupsCommand({}))).datasetGroups).toEqual([]);
    await expect(us.send(new DescribeDatasetGroupCommand({ datasetGroupArn: eu.datasetGroupArn }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const runtime = new PersonalizeRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials });
    await expect(runtime.send(new GetRecommendationsCommand({ campaignArn: eu.campaignArn, userId: 'user-1' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const usShop = await shop(us);
    expect(usShop.datasetGroupArn).toBe('arn:aws:personalize:us-east-1:000000000000:dataset-group/shop');
    expect((await client('eu-west-1').send(new ListDatasetGroupsCommand({}))).datasetGroups?.map((g) => g.datasetGroupArn)).toEqual([eu.datasetGroupArn]);
  });

  it('unsigned requests are served in the server\'s region; a malformed signed region is refused', async () => {
    const res = await fetch(`${server.url}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonPersonalize.ListDatasetGroups' }, body: '{}' });
    expect((await res.json()).datasetGroups.map((g: { datasetGroupArn: string }) => g.datasetGroupArn)).toEqual(['arn:aws:personalize:us-east-1:000000000000:dataset-group/shop']);
    const bad = await fetch(`${server.url}/`, {
      method: 'POST', body: '{}',
      headers: { 'x-amz-target': 'AmazonPersonalize.ListDatasetGroups', authorization: 'AWS4-HMAC-SHA256 Credential=k/20260101/EU WEST/personalize/aws4_request, SignedHeaders=host, Signature=x' },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toContain('not a region name');
  });

  it('each region keeps its own files, across a restart; a server started for eu-west-1 serves unsigned requests there', async () => {
    await shutdown();
    expect(readdirSync(join(stateDir, 'datasets')).sort()).toEqual(['@eu-west-1', 'shop']);
    await boot('eu-west-1');
    const res = await fetch(`${server.url}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonPersonalize.ListDatasetGroups' }, body: '{}' });
    expect((await res.json()).datasetGroups.map((g: { datasetGroupArn: string }) => g.datasetGroupArn)).toEqual([eu.datasetGroupArn]);
    for (const region of ['eu-west-1', 'us-east-1']) {
      const runtime = new PersonalizeRuntimeClient({ endpoint: server.url, region, credentials });
      const campaignArn = eu.campaignArn.replace('eu-west-1', region);
      expect((await runtime.send(new GetRecommendationsCommand({ campaignArn, userId: 'user-1', numResults: 2 }))).itemList).toHaveLength(2);
    }
  });
});

describe('the in-process client works in its `region` option', () => {
  it('makes ARNs there; a state directory from before regions has its files moved into the region folder', async () => {
    const state = join(tempDir(), 'state');
    const opts = { dataDir: state, region: 'ap-south-1', trainingWorkers: 0, minimums: { interactions: 10, usersWithTwoInteractions: 2 } };
    let p = new LocalPersonalize(opts);
    const { schemaArn } = await p.createSchema({ name: 'i', schema: INTERACTIONS_SCHEMA });
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
    expect(datasetGroupArn).toBe('arn:aws:personalize:ap-south-1:000000000000:dataset-group/g');
    const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
    await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'j.csv', data.csv) } });
    await p.close();
    // The layout before regions: no @ap-south-1 folder.
    mkdirSync(join(state, 'datasets', 'g'), { recursive: true });
    renameSync(join(state, 'datasets', '@ap-south-1', 'g', 'INTERACTIONS'), join(state, 'datasets', 'g', 'INTERACTIONS'));
    p = new LocalPersonalize(opts);
    try {
      expect(existsSync(join(state, 'datasets', '@ap-south-1', 'g', 'INTERACTIONS', 'bulk.arrow'))).toBe(true);
      const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
      const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
      expect((await p.describeSolutionVersion({ solutionVersionArn })).solutionVersion?.status).toBe('ACTIVE');
    } finally {
      await p.close();
    }
  });
});
