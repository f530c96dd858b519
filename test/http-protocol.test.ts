// The HTTP layer against the real SDK v3 clients: routing, success and error shapes, retries, limits.
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { Agent, request } from 'node:http';
import {
  PersonalizeClient, DescribeSchemaCommand, DescribeCampaignCommand, CreateDatasetGroupCommand,
  ListCampaignsCommand, CreateSchemaCommand,
} from '@aws-sdk/client-personalize';
import { PersonalizeRuntimeClient, GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { PersonalizeEventsClient, PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { PersonalizeApi } from '../src/api/api.js';
import { startServer } from '../src/api/http/server.js';
import { InvalidInputException, ResourceNotFoundException } from '../src/engine/errors.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const SCHEMA_ARN = 'arn:aws:personalize:us-east-1:000000000000:schema/s1';

type Running = Awaited<ReturnType<typeof startServer>>;
let srv: Running;
let resets = 0;
const putEventsInputs: unknown[] = [];

function fakeApi(): PersonalizeApi {
  const api = new PersonalizeApi();
  api.register('DescribeSchema', (input) => {
    if (input.schemaArn !== SCHEMA_ARN) throw new ResourceNotFoundException(`Could not find schema ${String(input.schemaArn)}.`);
    return { schema: { name: 's1', schemaArn: SCHEMA_ARN, schema: '{}', creationDateTime: 1700000000.5, lastUpdatedDateTime: 1700000001 } };
  });
  api.register('DescribeCampaign', (input) => { throw new ResourceNotFoundException(`Could not find campaign ${String(input.campaignArn)}.`); });
  api.register('CreateDatasetGroup', (input) => {
    if (typeof input.name !== 'string') throw new InvalidInputException('name is required.');
    return { datasetGroupArn: `arn:aws:personalize:us-east-1:000000000000:dataset-group/${input.name}` };
  });
  api.register('CreateSchema', () => ({ schemaArn: SCHEMA_ARN }));
  api.register('ListSchemas', () => { throw new TypeError('a bug'); });
  api.register('GetRecommendations', (input) => ({
    itemList: [{ itemId: 'i1', score: 0.9 }, { itemId: `for-${String(input.userId)}`, score: 0.1 }],
    recommendationId: 'RID-1',
  }));
  api.register('PutEvents', (input) => { putEventsInputs.push(input); return undefined; });
  return api;
}

const control = (endpoint = srv.url, extra: object = {}) =>
  new PersonalizeClient({ endpoint, region: 'us-east-1', credentials, ...extra });

async function caught(p: Promise<unknown>): Promise<any> {
  try { await p; } catch (e) { return e; }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  srv = await startServer({
    api: fakeApi(), port: 0,
    admin: { reset: async () => { resets++; }, health: () => ({ resources: 3 }) },
  });
});
afterAll(async () => { await srv.close(); });

describe('success replies', () => {
  it('control plane: output parsed, epoch-second timestamps become Dates, request id set', async () => {
    const out = await control().send(new DescribeSchemaCommand({ schemaArn: SCHEMA_ARN }));
    expect(out.schema?.name).toBe('s1');
    expect(out.schema?.creationDateTime).toEqual(new Date('2023-11-14T22:13:20.500Z'));
    expect(out.schema?.lastUpdatedDateTime).toEqual(new Date('2023-11-14T22:13:21.000Z'));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('runtime and events clients on the same port', async () => {
    const rt = new PersonalizeRuntimeClient({ endpoint: srv.url, region: 'us-east-1', credentials });
    const recs = await rt.send(new GetRecommendationsCommand({ campaignArn: 'arn:aws:personalize:us-east-1:000000000000:campaign/c', userId: 'u1' }));
    expect(recs.itemList).toEqual([{ itemId: 'i1', score: 0.9 }, { itemId: 'for-u1', score: 0.1 }]);
    expect(recs.recommendationId).toBe('RID-1');
    const ev = new PersonalizeEventsClient({ endpoint: srv.url, region: 'us-east-1', credentials });
    const put = await ev.send(new PutEventsCommand({
      trackingId: 't', sessionId: 's', userId: 'u1',
      eventList: [{ eventType: 'click', itemId: 'i1', sentAt: new Date('2024-01-02T03:04:05.678Z') }],
    }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect(putEventsInputs.at(-1)).toMatchObject({ trackingId: 't', eventList: [{ sentAt: 1704164645.678 }] });
  });

  it('an endpoint with a path prefix works for all clients', async () => {
    const out = await control(`${srv.url}/some/prefix`).send(new DescribeSchemaCommand({ schemaArn: SCHEMA_ARN }));
    expect(out.schema?.schemaArn).toBe(SCHEMA_ARN);
    const rt = new PersonalizeRuntimeClient({ endpoint: `${srv.url}/some/prefix`, region: 'us-east-1', credentials });
    expect((await rt.send(new GetRecommendationsCommand({ campaignArn: 'arn:aws:personalize:us-east-1:000000000000:campaign/c', userId: 'u2' }))).recommendationId).toBe('RID-1');
  });

  it('AWS_ENDPOINT_URL points a client built without endpoint at the server', async () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = srv.url;
    try {
      const c = new PersonalizeClient({ region: 'us-east-1', credentials });
      const out = await c.send(new DescribeSchemaCommand({ schemaArn: SCHEMA_ARN }));
      expect(out.schema?.name).toBe('s1');
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL; else process.env.AWS_ENDPOINT_URL = saved;
    }
  });

  it('keeps connections alive: two calls on one agent use one connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let connections = 0;
    const count = () => { connections++; };
    srv.server.on('connection', count);
    try {
      const c = control(srv.url, { requestHandler: { httpAgent: agent } });
      await c.send(new DescribeSchemaCommand({ schemaArn: SCHEMA_ARN }));
      await c.send(new DescribeSchemaCommand({ schemaArn: SCHEMA_ARN }));
      expect(connections).toBe(1);
    } finally {
      srv.server.off('connection', count);
      agent.destroy();
    }
  });
});

describe('error replies', () => {
  it('ResourceNotFoundException: 400 on the control plane (as AWS answers awsJson errors), caught by name, one attempt', async () => {
    const e = await caught(control().send(new DescribeCampaignCommand({ campaignArn: 'arn:aws:personalize:us-east-1:000000000000:campaign/x' })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.message).toContain('campaign/x');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.$metadata.attempts).toBe(1);
    expect(e.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.$fault).toBe('client');
  });

  it('InvalidInputException: 400, one attempt', async () => {
    const e = await caught(control().send(new CreateDatasetGroupCommand({} as never)));
    expect(e.name).toBe('InvalidInputException');
    expect(e.message).toBe('name is required.');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.$metadata.attempts).toBe(1);
  });

  it('a not-implemented operation: NotImplementedException 501 naming the operation, not retried', async () => {
    const e = await caught(control().send(new ListCampaignsCommand({})));
    expect(e.name).toBe('NotImplementedException');
    expect(e.message).toContain('ListCampaigns');
    expect(e.$metadata.httpStatusCode).toBe(501);
    expect(e.$metadata.attempts).toBe(1);
  });

  it('an unexpected exception is a 500 InternalFailure and the server stays up', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await fetch(`${srv.url}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonPersonalize.ListSchemas' }, body: '{}' });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ __type: 'InternalFailure', message: expect.stringContaining('a bug') });
      expect(log).toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
    const out = await control().send(new DescribeSchemaCommand({ schemaArn: SCHEMA_ARN }));
    expect(out.schema?.name).toBe('s1');
  });

  it('unknown target, unknown path, missing target, wrong method', async () => {
    const post = (path: string, headers: Record<string, string> = {}, method = 'POST') =>
      fetch(`${srv.url}${path}`, { method, headers, body: method === 'POST' ? '{}' : undefined });
    let res = await post('/', { 'X-Amz-Target': 'AmazonPersonalize.DescribeNothing' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await res.json()).message).toContain('AmazonPersonalize.DescribeNothing');
    res = await post('/nowhere');
    expect(res.status).toBe(404);
    expect((await res.json()).message).toContain('/nowhere');
    res = await post('/');
    expect(res.status).toBe(404);
    expect((await res.json()).message).toContain('X-Amz-Target');
    res = await post('/recommendations', {}, 'GET');
    expect(res.status).toBe(405);
    expect((await res.json()).__type).toBe('MethodNotAllowedException');
  });

  it('a body that is not JSON is InvalidInputException 400; an empty body is {}', async () => {
    const res = await fetch(`${srv.url}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonPersonalize.DescribeSchema' }, body: '{"schemaArn":' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.__type).toBe('InvalidInputException');
    expect(body.message).toContain('not valid JSON');
    const empty = await fetch(`${srv.url}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonPersonalize.CreateDatasetGroup' } });
    expect(empty.status).toBe(400);
    expect((await empty.json()).message).toBe('name is required.');
  });
});

describe('body limit', () => {
  it('a body over the default 10 MiB gets 413 InvalidInputException', async () => {
    const res = await fetch(`${srv.url}/`, {
      method: 'POST', headers: { 'x-amz-target': 'AmazonPersonalize.CreateSchema' },
      body: JSON.stringify({ name: 'big', schema: 'x'.repeat(11 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body.__type).toBe('InvalidInputException');
    expect(body.message).toContain('larger than 10485760 bytes');
  });

  it('with a small limit: the SDK sees 413 InvalidInputException once; chunked bodies are cut too', async () => {
    const small = await startServer({ api: fakeApi(), port: 0, maxBodyBytes: 1024 });
    try {
      const e = await caught(control(small.url).send(new CreateSchemaCommand({ name: 'big', schema: 'x'.repeat(4000) })));
      expect(e.name).toBe('InvalidInputException');
      expect(e.$metadata.httpStatusCode).toBe(413);
      expect(e.$metadata.attempts).toBe(1);
      // No Content-Length: the limit is enforced while reading.
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${small.url}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonPersonalize.CreateSchema' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        for (let i = 0; i < 8; i++) req.write('x'.repeat(512));
        req.end();
      });
      expect(status).toBe(413);
      const ok = await control(small.url).send(new CreateSchemaCommand({ name: 'ok', schema: '{}' }));
      expect(ok.schemaArn).toBe(SCHEMA_ARN);
    } finally {
      await small.close();
    }
  });
});

describe('admin routes', () => {
  it('localstack health, own health, reset, and no clock when none is given', async () => {
    const ls = await fetch(`${srv.url}/_localstack/health`);
    expect(ls.status).toBe(200);
    expect(await ls.json()).toMatchObject({
      services: { personalize: 'running', 'personalize-runtime': 'running', 'personalize-events': 'running' },
      edition: 'community',
    });
    const h = await fetch(`${srv.url}/_personalize/health`);
    expect(await h.json()).toMatchObject({ status: 'ok', resources: 3 });
    const before = resets;
    const r = await fetch(`${srv.url}/_personalize/reset`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({});
    expect(resets).toBe(before + 1);
    expect((await fetch(`${srv.url}/_personalize/reset`)).status).toBe(405);
    const c = await fetch(`${srv.url}/_personalize/clock`, { method: 'POST', body: '{}' });
    expect(c.status).toBe(404);
  });

  it('the clock hook receives the JSON body', async () => {
    const s = await startServer({
      api: new PersonalizeApi(), port: 0,
      admin: { reset: async () => {}, health: () => ({}), clock: async (body) => ({ got: body }) },
    });
    try {
      const c = await fetch(`${s.url}/_personalize/clock`, { method: 'POST', body: '{"advanceSeconds":5}' });
      expect(await c.json()).toEqual({ got: { advanceSeconds: 5 } });
    } finally {
      await s.close();
    }
  });
});

describe('close()', () => {
  it('stops accepting but lets an in-flight request finish', async () => {
    const api = new PersonalizeApi();
    let release!: () => void;
    const started = new Promise<void>((r) => {
      api.register('CreateSchema', async () => { r(); await new Promise<void>((done) => { release = done; }); return { schemaArn: SCHEMA_ARN }; });
    });
    const s = await startServer({ api, port: 0 });
    const pending = control(s.url, { maxAttempts: 1 }).send(new CreateSchemaCommand({ name: 'slow', schema: '{}' }));
    await started;
    let closed = false;
    const closing = s.close().then(() => { closed = true; });
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    await expect(fetch(`${s.url}/_personalize/health`)).rejects.toThrow();
    release();
    expect((await pending).schemaArn).toBe(SCHEMA_ARN);
    await closing;
    expect(closed).toBe(true);
  });

  it('waits for a handler whose client already hung up', async () => {
    const api = new PersonalizeApi();
    let release!: () => void;
    const started = new Promise<void>((r) => {
      api.register('CreateSchema', async () => { r(); await new Promise<void>((done) => { release = done; }); return { schemaArn: SCHEMA_ARN }; });
    });
    const s = await startServer({ api, port: 0 });
    const abort = new AbortController();
    const pending = fetch(`${s.url}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonPersonalize.CreateSchema' }, body: '{"name":"s","schema":"{}"}', signal: abort.signal });
    await started;
    abort.abort();
    await expect(pending).rejects.toThrow();
    let closed = false;
    const closing = s.close().then(() => { closed = true; });
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(closed).toBe(true);
  });
});
