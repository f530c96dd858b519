// What a careless or hostile HTTP client gets: prototype-named map keys are plain keys, an over-limit
// body is answered (not reset), a body that never ends times out with an answer, whole doubles stay
// doubles on the wire, and control-plane errors answer 400 as AWS's awsJson services do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { createLocalApi, startServer } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const dir = tempDir();
let local: Awaited<ReturnType<typeof createLocalApi>>;
let server: Awaited<ReturnType<typeof startServer>>;
let campaignArn = '';
let filterArn = '';
let solutionArn = '';

const ITEM_SCHEMA = JSON.stringify({
  type: 'record', name: 'Items', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [{ name: 'ITEM_ID', type: 'string' }, { name: 'GENRE', type: ['null', 'string'], categorical: true }],
});

async function control(op: string, body: unknown): Promise<{ status: number; text: string; json: any }> {
  const res = await fetch(`${server.url}/`, {
    method: 'POST', headers: { 'x-amz-target': `AmazonPersonalize.${op}`, 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

async function rest(path: string, body: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  local = await createLocalApi({ inMemory: true, bucketsDir: dir, minimums: { interactions: 10, usersWithTwoInteractions: 2 } });
  server = await startServer({ api: local.api, port: 0, admin: local });
  const api = local.api;
  const data = zipfInteractions({ users: 40, items: 20, perUser: 6 });
  const { schemaArn } = (await api.call('CreateSchema', { name: 'i', schema: INTERACTIONS_SCHEMA }))!;
  const { schemaArn: itemSchemaArn } = (await api.call('CreateSchema', { name: 'items', schema: ITEM_SCHEMA }))!;
  const { datasetGroupArn } = (await api.call('CreateDatasetGroup', { name: 'g' }))!;
  const { datasetArn } = (await api.call('CreateDataset', { name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' }))!;
  const { datasetArn: itemsArn } = (await api.call('CreateDataset', { name: 'items', schemaArn: itemSchemaArn, datasetGroupArn, datasetType: 'Items' }))!;
  await api.call('CreateDatasetImportJob', { jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i.csv', data.csv) } });
  const items = ['ITEM_ID,GENRE', ...Array.from({ length: 20 }, (_, i) => `item-${i},${i % 2 ? 'drama' : 'comedy'}`)].join('\n') + '\n';
  await api.call('CreateDatasetImportJob', { jobName: 'items', datasetArn: itemsArn, dataSource: { dataLocation: writeCsv(dir, 'items.csv', items) } });
  ({ solutionArn } = (await api.call('CreateSolution', {
    name: 's', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count',
    solutionConfig: { eventsConfig: { eventParametersList: [{ eventType: 'click', weight: 1 }] } },
  }))! as { solutionArn: string });
  const { solutionVersionArn } = (await api.call('CreateSolutionVersion', { solutionArn }))!;
  ({ campaignArn } = (await api.call('CreateCampaign', {
    name: 'c', solutionVersionArn, campaignConfig: { enableMetadataWithRecommendations: true, rankingInfluence: { POPULARITY: 1 } },
  }))! as { campaignArn: string });
  ({ filterArn } = (await api.call('CreateFilter', { name: 'f', datasetGroupArn, filterExpression: 'INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)' }))! as { filterArn: string });
});
afterAll(async () => {
  await server.close();
  await local.close();
});

describe('prototype-named map keys are plain keys', () => {
  const names = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

  it('in filterValues: a value for a placeholder the filter does not have; the filter still needs its own', async () => {
    for (const k of names) {
      const body = `{"campaignArn":"${campaignArn}","userId":"user-1","filterArn":"${filterArn}","filterValues":{"${k}":"\\"x\\""}}`;
      const r = await rest('/recommendations', body);
      expect(r.status, k).toBe(400);
      expect(r.json.__type).toBe('InvalidInputException');
      expect(r.json.message).toContain('$GENRE');
    }
    const both = await rest('/recommendations', `{"campaignArn":"${campaignArn}","userId":"user-1","filterArn":"${filterArn}","filterValues":{"__proto__":"\\"x\\"","GENRE":"\\"drama\\""}}`);
    expect(both.status).toBe(200);
    expect(both.json.itemList.length).toBe(10);
  });

  it('in context: refused as a column the Interactions schema does not have', async () => {
    for (const k of names) {
      const r = await rest('/recommendations', `{"campaignArn":"${campaignArn}","userId":"user-1","context":{"${k}":"a"}}`);
      expect(r.status, k).toBe(400);
      expect(r.json).toMatchObject({ __type: 'InvalidInputException', message: expect.stringContaining(`context key ${k}`) });
    }
  });

  it('in metadataColumns: refused as a dataset type other than ITEMS', async () => {
    for (const k of names) {
      const r = await rest('/recommendations', `{"campaignArn":"${campaignArn}","userId":"user-1","metadataColumns":{"${k}":["GENRE"]}}`);
      expect(r.status, k).toBe(400);
      expect(r.json.message).toContain('ITEMS');
    }
  });

  it('in GetPersonalizedRanking and GetActionRecommendations as well', async () => {
    for (const k of names) {
      const r = await rest('/personalize-ranking', `{"campaignArn":"${campaignArn}","userId":"user-1","inputList":["item-1"],"context":{"${k}":"a"}}`);
      expect(r.status, k).toBeLessThan(500);
      expect(r.json.__type).toMatch(/Exception$/);
      const a = await rest('/action-recommendations', `{"campaignArn":"${campaignArn}","userId":"user-1","filterValues":{"${k}":"\\"x\\""}}`);
      expect(a.status, k).toBeLessThan(500);
      expect(a.json.__type).toMatch(/Exception$/);
    }
  });

  it('as hyperparameter names: kept and named in the error (over HTTP and in process), no prototype touched', async () => {
    const solutionConfig = JSON.parse('{"algorithmHyperParameters":{"__proto__":"1","constructor":"2"}}');
    const body = { name: 'proto', datasetGroupArn: campaignArn.replace(/campaign\/.*/, 'dataset-group/g'), recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count', solutionConfig };
    const r = await control('CreateSolution', body);
    expect([r.status, r.json.__type]).toEqual([400, 'InvalidInputException']);
    expect(r.json.message).toContain('no hyperparameter "__proto__"');
    const { LocalPersonalize } = await import('../src/index.js');
    const p = new LocalPersonalize({ inMemory: true, trainingWorkers: 0 });
    try {
      const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
      await expect(p.createSolution({ ...body, datasetGroupArn })).rejects.toThrow('no hyperparameter "__proto__"');
    } finally {
      await p.close();
    }
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });

  it('a map value is checked by the map\'s rules, not by a member that shares the key\'s name', async () => {
    // "name" as a placeholder: its value is not held to the rules of resource names.
    const r = await rest('/recommendations', `{"campaignArn":"${campaignArn}","userId":"user-1","filterArn":"${filterArn}","filterValues":{"name":"\\"not a name!\\"","GENRE":"\\"drama\\""}}`);
    expect(r.status).toBe(200);
  });
});

describe('whole-number doubles keep a decimal point on the wire', () => {
  it('eventsConfig weight 1 -> 1.0; rankingInfluence 1 -> 1.0; integers stay integers', async () => {
    const d = await control('DescribeSolution', { solutionArn });
    expect(d.text).toContain('"weight":1.0');
    const c = await control('DescribeCampaign', { campaignArn });
    expect(c.text).toContain('"POPULARITY":1.0');
    expect(c.text).toMatch(/"minProvisionedTPS":1[,}]/);
  });
});

describe('control-plane errors answer 400, runtime keeps the modelled statuses', () => {
  it('not found, already exists, in use: 400 with the exception name', async () => {
    const nf = await control('DescribeCampaign', { campaignArn: `${campaignArn}x` });
    expect([nf.status, nf.json.__type]).toEqual([400, 'ResourceNotFoundException']);
    const dup = await control('CreateDatasetGroup', { name: 'g' });
    expect([dup.status, dup.json.__type]).toEqual([400, 'ResourceAlreadyExistsException']);
    const rt = await rest('/recommendations', `{"campaignArn":"${campaignArn}x","userId":"u"}`);
    expect([rt.status, rt.json.__type]).toEqual([404, 'ResourceNotFoundException']);
  });
});

/** A raw HTTP/1.1 exchange that writes the whole request before reading, as urllib3 (boto3, the AWS CLI) does. */
function rawExchange(port: number, head: string, body: Buffer | null, opts: { stallAfter?: number } = {}): Promise<{ status: number; headers: string; body: string; writeError?: string }> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let got = '';
    let writeError: string | undefined;
    sock.on('data', (d) => { got += d.toString('latin1'); });
    sock.on('error', (e) => { writeError = (e as NodeJS.ErrnoException).code; });
    sock.on('close', () => {
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) { reject(new Error(`no reply (${writeError ?? 'closed'})`)); return; }
      resolve({ status: Number(got.slice(9, 12)), headers: got.slice(0, end), body: got.slice(end + 4), writeError });
    });
    sock.on('connect', () => {
      sock.write(head);
      if (body) sock.write(opts.stallAfter !== undefined ? body.subarray(0, opts.stallAfter) : body);
    });
  });
}

describe('request bodies that are too large or never end get an answer', () => {
  it('20 MB sent in full before reading: 413 InvalidInputException with Connection: close, not a reset', async () => {
    const body = Buffer.alloc(20 * 1024 * 1024, 'a');
    for (const [path, target] of [['/', 'AmazonPersonalize.CreateSchema'], ['/events', '']] as const) {
      const head = `POST ${path} HTTP/1.1\r\nHost: x\r\n${target ? `X-Amz-Target: ${target}\r\n` : ''}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      const r = await rawExchange(server.port, head, body);
      expect(r.status).toBe(413);
      expect(r.headers.toLowerCase()).toContain('connection: close');
      expect(JSON.parse(r.body)).toMatchObject({ __type: 'InvalidInputException', message: expect.stringContaining('larger than') });
    }
  });

  it('chunked without a length: 413 once the limit is passed, after the rest is read', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'b');
    const pieces = Array.from({ length: 12 }, () => `${chunk.length.toString(16)}\r\n${chunk.toString()}\r\n`).join('') + '0\r\n\r\n';
    const head = 'POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonPersonalize.CreateSchema\r\nTransfer-Encoding: chunked\r\n\r\n';
    const r = await rawExchange(server.port, head, Buffer.from(pieces));
    expect(r.status).toBe(413);
  });

  it('Expect: 100-continue with an over-limit length: 413 before any body is sent', async () => {
    const head = `POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonPersonalize.CreateSchema\r\nExpect: 100-continue\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`;
    const r = await rawExchange(server.port, head, null);
    expect(r.status).toBe(413);
  });

  it('a body that stops arriving: 408 RequestTimeoutException after the body timeout, not a hang', async () => {
    const quick = await startServer({ api: local.api, port: 0, bodyTimeoutMs: 300 });
    try {
      const head = 'POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonPersonalize.CreateDatasetGroup\r\nContent-Length: 100\r\n\r\n';
      const r = await rawExchange(quick.port, head, Buffer.from('{"name":'), { stallAfter: 8 });
      expect(r.status).toBe(408);
      expect(JSON.parse(r.body)).toMatchObject({ __type: 'RequestTimeoutException', message: expect.stringContaining('8 bytes arrived of the 100 announced') });
    } finally {
      await quick.close();
    }
  });

  it('a request that is not HTTP/1.1, or has both Content-Length and chunked encoding: a typed 400', async () => {
    for (const head of ['GARBAGE\r\n\r\n', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}']) {
      const r = await rawExchange(server.port, head, null);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body)).toMatchObject({ __type: 'InvalidInputException', message: expect.stringContaining('not valid HTTP/1.1') });
    }
    const huge = await rawExchange(server.port, `POST / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`, null);
    expect([huge.status, JSON.parse(huge.body).__type]).toEqual([431, 'InvalidInputException']);
  });

  it('an unknown route with a large body is answered after the body is read', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 'c');
    const r = await rawExchange(server.port, `POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, body);
    expect(r.status).toBe(404);
    expect(r.writeError).toBeUndefined();
  });
});
