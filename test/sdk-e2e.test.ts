// The official SDK v3 clients, unchanged, against the server as `start` runs it (work in the background,
// so the code polls Describe as users' code does): the whole path from schema to recommendations, the
// modeled errors, paginators, and a restart on the same state directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateCampaignCommand, CreateDatasetCommand, CreateDatasetGroupCommand, CreateDatasetImportJobCommand, CreateSchemaCommand,
  CreateSolutionCommand, CreateSolutionVersionCommand, DescribeSolutionVersionCommand, DescribeDatasetImportJobCommand, InvalidInputException, InvalidNextTokenException,
  ListDatasetGroupsCommand, ResourceAlreadyExistsException, ResourceInUseException, ResourceNotFoundException, PersonalizeClient,
  DeleteSchemaCommand, paginateListSchemas, DescribeDatasetGroupCommand,
} from '@aws-sdk/client-personalize';
import { GetRecommendationsCommand, PersonalizeRuntimeClient, ResourceNotFoundException as RuntimeNotFound } from '@aws-sdk/client-personalize-runtime';
import { createLocalApi, startServer } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const dir = tempDir();
const stateDir = `${dir}/state`;
let local: Awaited<ReturnType<typeof createLocalApi>>;
let server: Awaited<ReturnType<typeof startServer>>;
let personalize: PersonalizeClient;
let runtime: PersonalizeRuntimeClient;

async function boot() {
  local = await createLocalApi({ dataDir: stateDir, transitions: 'background' });
  server = await startServer({ api: local.api, port: 0, admin: local });
  personalize = new PersonalizeClient({ endpoint: server.url, region: 'us-east-1', credentials });
  runtime = new PersonalizeRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials });
}
async function shutdown() {
  await server.close();
  await local.close();
}
beforeAll(boot);
afterAll(shutdown);

/** Polls until the status is final, as code written for AWS does (no waiters for Personalize in the SDK). */
async function settled<T extends { status?: string }>(describe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const r = await describe();
    if (r && !/PENDING|IN_PROGRESS/.test(r.status ?? '')) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

const data = zipfInteractions({ users: 100, items: 30, perUser: 12 });
let campaignArn = '';
let schemaArn = '';

describe('the official SDK against `personalize-local start`', () => {
  it('runs the whole path: schema -> dataset -> import -> solution -> version -> campaign -> recommendations', async () => {
    ({ schemaArn } = await personalize.send(new CreateSchemaCommand({ name: 'interactions', schema: INTERACTIONS_SCHEMA })) as { schemaArn: string });
    const { datasetGroupArn } = await personalize.send(new CreateDatasetGroupCommand({ name: 'shop' }));
    const { datasetArn } = await personalize.send(new CreateDatasetCommand({ name: 'events', schemaArn, datasetGroupArn, datasetType: 'Interactions' }));
    const { datasetImportJobArn } = await personalize.send(new CreateDatasetImportJobCommand({
      jobName: 'import-1', datasetArn, dataSource: { dataLocation: `file://${writeCsv(dir, 'i.csv', data.csv)}` }, roleArn: 'arn:aws:iam::000000000000:role/r',
    }));
    const job = await settled(async () => (await personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob);
    expect(job.status).toBe('ACTIVE');
    const { solutionArn } = await personalize.send(new CreateSolutionCommand({ name: 'popular', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' }));
    const { solutionVersionArn } = await personalize.send(new CreateSolutionVersionCommand({ solutionArn }));
    const solutionVersion = await settled(async () => (await personalize.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion);
    expect(solutionVersion.status).toBe('ACTIVE');
    expect(solutionVersion?.creationDateTime).toBeInstanceOf(Date);
    ({ campaignArn } = await personalize.send(new CreateCampaignCommand({ name: 'popular-now', solutionVersionArn })) as { campaignArn: string });
    const { itemList } = await runtime.send(new GetRecommendationsCommand({ campaignArn, userId: 'user-1', numResults: 5 }));
    expect(itemList?.map((i) => i.itemId)).toEqual(data.byUniqueUsers.slice(0, 5));
  });

  it('raises each modeled error as its SDK class, with the status AWS answers (400 on the control plane, the modeled one on runtime) and no retries', async () => {
    const cases: [() => Promise<unknown>, new (...a: never[]) => Error, number][] = [
      [() => personalize.send(new CreateDatasetGroupCommand({ name: 'bad name!' })), InvalidInputException, 400],
      [() => personalize.send(new CreateDatasetGroupCommand({ name: 'shop' })), ResourceAlreadyExistsException, 400],
      [() => personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn: 'arn:aws:personalize:us-east-1:000000000000:dataset-group/none' })), ResourceNotFoundException, 400],
      [() => personalize.send(new DeleteSchemaCommand({ schemaArn })), ResourceInUseException, 400],
      [() => personalize.send(new ListDatasetGroupsCommand({ nextToken: 'garbage' })), InvalidNextTokenException, 400],
      [() => runtime.send(new GetRecommendationsCommand({ campaignArn: `${campaignArn}-missing`, userId: 'u' })), RuntimeNotFound, 404],
    ];
    for (const [call, cls, status] of cases) {
      const err = (await call().then(() => null, (e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number; attempts: number } };
      expect(err).toBeInstanceOf(cls);
      expect(err.name).toBe(cls.name);
      expect(err.$metadata.httpStatusCode).toBe(status);
      expect(err.$metadata.attempts).toBe(1);
    }
  });

  it('pages List operations with the SDK paginators', async () => {
    for (let i = 0; i < 5; i++) await personalize.send(new CreateSchemaCommand({ name: `extra-${i}`, schema: INTERACTIONS_SCHEMA }));
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListSchemas({ client: personalize, pageSize: 2 }, {})) {
      pages++;
      names.push(...(page.schemas ?? []).map((s) => s.name!));
    }
    expect(pages).toBe(3);
    expect(names).toEqual(['interactions', 'extra-0', 'extra-1', 'extra-2', 'extra-3', 'extra-4']);
  });

  it('is found through AWS_ENDPOINT_URL with no endpoint in code', async () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = server.url;
    try {
      const plain = new PersonalizeRuntimeClient({ region: 'us-east-1', credentials });
      const { itemList } = await plain.send(new GetRecommendationsCommand({ campaignArn, userId: 'user-2', numResults: 3 }));
      expect(itemList).toHaveLength(3);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });

  it('keeps resources, data and models across a restart on the same data directory', async () => {
    await shutdown();
    await boot();
    const { datasetGroups } = await personalize.send(new ListDatasetGroupsCommand({}));
    expect(datasetGroups?.map((g) => g.name)).toEqual(['shop']);
    const { itemList } = await runtime.send(new GetRecommendationsCommand({ campaignArn, userId: 'user-1', numResults: 5 }));
    expect(itemList?.map((i) => i.itemId)).toEqual(data.byUniqueUsers.slice(0, 5));
  });
});
