// The console's server side: its page (CSP, no outside URL, the banner of a non-loopback bind), its files (only
// from the package), and its read-only data routes (bounded answers, typed 4xx errors, never reading outside the
// buckets or data directory).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/api/http/server.js';
import { createLocalApi, type LocalApi } from '../src/api/local.js';
import { consolePage, isLoopback } from '../src/api/http/console/page.js';
import { ManualClock } from '../src/engine/clock.js';
import { INTERACTIONS, ITEMS, MARKUP_TITLE, plantedCsvs } from './helpers/console-data.js';
import { tempDir } from './helpers/data.js';

const dir = tempDir('plocal-console-routes-');
let local: LocalApi;
let server: RunningServer;
let groupArn = '';
let interactionsArn = '';
let jobArn = '';
let outsideJobArn = '';
let trackingId = '';

const call = (op: string, input: Record<string, unknown>) => local.api.call(op, input) as Promise<Record<string, any>>;
const get = (path: string) => fetch(`${server.url}${path}`);
const json = async (path: string, init?: RequestInit) => {
  const res = await fetch(`${server.url}${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers };
};
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

beforeAll(async () => {
  local = await createLocalApi({ dataDir: join(dir, 'state'), clock: new ManualClock(Date.UTC(2025, 0, 1)), minimums: { interactions: 10, usersWithTwoInteractions: 2 }, trainingWorkers: 0, batchWorkers: 0 });
  server = await startServer({ api: local.api, admin: local, port: 0 });
  const buckets = join(dir, 'state', 'buckets', 'b');
  mkdirSync(buckets, { recursive: true });
  const { interactions, items } = plantedCsvs();
  writeFileSync(join(buckets, 'i.csv'), interactions);
  writeFileSync(join(buckets, 'items.csv'), items);
  writeFileSync(join(buckets, 'users.json'), Array.from({ length: 30 }, (_, u) => JSON.stringify({ userId: `user-${u}` })).join('\n'));
  const iSchema = (await call('CreateSchema', { name: 'i', schema: INTERACTIONS })).schemaArn;
  const itSchema = (await call('CreateSchema', { name: 'it', schema: ITEMS })).schemaArn;
  groupArn = (await call('CreateDatasetGroup', { name: 'g' })).datasetGroupArn;
  interactionsArn = (await call('CreateDataset', { name: 'i', schemaArn: iSchema, datasetGroupArn: groupArn, datasetType: 'Interactions' })).datasetArn;
  const itemsArn = (await call('CreateDataset', { name: 'it', schemaArn: itSchema, datasetGroupArn: groupArn, datasetType: 'Items' })).datasetArn;
  const roleArn = 'arn:aws:iam::000000000000:role/r';
  await call('CreateDatasetImportJob', { jobName: 'i', datasetArn: interactionsArn, dataSource: { dataLocation: 's3://b/i.csv' }, roleArn });
  await call('CreateDatasetImportJob', { jobName: 'it', datasetArn: itemsArn, dataSource: { dataLocation: 's3://b/items.csv' }, roleArn });
  const { solutionArn } = await call('CreateSolution', { name: 'pop', datasetGroupArn: groupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
  const { solutionVersionArn } = await call('CreateSolutionVersion', { solutionArn });
  const job = (name: string, out: string) => call('CreateBatchInferenceJob', { jobName: name, solutionVersionArn, roleArn,
    jobInput: { s3DataSource: { path: 's3://b/users.json' } }, jobOutput: { s3DataDestination: { path: out } } });
  jobArn = (await job('inside', 's3://b/out/')).batchInferenceJobArn;
  outsideJobArn = (await job('outside', `${join(dir, 'elsewhere')}/`)).batchInferenceJobArn;
  const { eventTrackerArn } = await call('CreateEventTracker', { name: 't', datasetGroupArn: groupArn });
  trackingId = (await call('DescribeEventTracker', { eventTrackerArn })).eventTracker.trackingId;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await local?.close();
});

describe('the console page', () => {
  it('is served at /_personalize/ui with a strict Content-Security-Policy and nothing from outside', async () => {
    for (const path of ['/_personalize/ui', '/_personalize/ui/']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
      const html = await res.text();
      // The one inline script, the import map, is allowed by its hash only.
      const importMap = /<script type="importmap">(.*?)<\/script>/.exec(html)![1]!;
      expect(csp).toContain(`'sha256-${createHash('sha256').update(importMap).digest('base64')}'`);
      const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      expect(urls.length).toBeGreaterThan(3);
      for (const u of urls) expect(u.startsWith('/_personalize/ui/') || u.startsWith('#')).toBe(true);
      for (const u of [...urls, ...Object.values(JSON.parse(importMap).imports as Record<string, string>)].filter((x) => x.startsWith('/'))) {
        expect((await get(u)).status, u).toBe(200);
      }
    }
  });

  it('serves vega\'s browser build from the installed package, and no file outside the client folder', async () => {
    const vega = await get('/_personalize/ui/vendor/vega.min.js');
    expect(vega.status).toBe(200);
    expect(vega.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await vega.text()).length).toBeGreaterThan(100_000);
    for (const path of ['/_personalize/ui/js/../../package.json', '/_personalize/ui/js/%2e%2e/%2e%2e/package.json', '/_personalize/ui/vendor/vega', '/_personalize/ui/js/Console.js', '/_personalize/ui/nope']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
    }
    const post = await json('/_personalize/ui', { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('warns in a banner when the server is reachable from other machines', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com']) expect(isLoopback(host), host).toBe(false);
    expect(consolePage({ host: '127.0.0.1', clientBuilt: true })).not.toContain('This server listens on');
    const open = consolePage({ host: '0.0.0.0"><script>', clientBuilt: true });
    expect(open).toContain('This server listens on 0.0.0.0&quot;&gt;&lt;script&gt;');
  });

  it('health says whether the clock can be moved', async () => {
    expect((await json('/_personalize/health')).body.clockCanAdvance).toBe(true);
  });
});

describe('the console data routes', () => {
  it('a dataset: row counts, users, items, event types and its latest rows, at most 100', async () => {
    const { status, body } = await json(`/_personalize/console/dataset?${q({ datasetArn: interactionsArn, limit: '3' })}`);
    expect(status).toBe(200);
    expect(body.rows).toEqual({ imported: 3156, streamed: 0, total: 3156 });
    expect(body.users).toBe(252);
    expect(body.items).toBe(60);
    expect(body.eventTypes.map((e: { eventType: string }) => e.eventType)).toEqual(['click', 'purchase']);
    expect(body.sample.from).toBe(3153);
    expect(body.sample.rows).toHaveLength(3);
    expect(body.sample.rows[2][0]).toBe('light-11');
    for (const [limit, message] of [['101', /from 0 to 100/], ['-1', /whole number/], ['x', /whole number/]] as const) {
      const bad = await json(`/_personalize/console/dataset?${q({ datasetArn: interactionsArn, limit })}`);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ __type: 'InvalidInputException', message: expect.stringMatching(message) });
    }
    const missing = await json('/_personalize/console/dataset');
    expect(missing.body.message).toBe('The query parameter datasetArn is required.');
    const unknown = await json(`/_personalize/console/dataset?${q({ datasetArn: `${interactionsArn}x` })}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.__type).toBe('ResourceNotFoundException');
  });

  it('users with the most and the least history, and by id prefix', async () => {
    const most = (await json(`/_personalize/console/users?${q({ datasetGroupArn: groupArn, order: 'most', limit: '2' })}`)).body;
    expect(most).toEqual({ users: [{ userId: 'user-0', interactions: 13 }, { userId: 'user-1', interactions: 13 }], total: 252 });
    const least = (await json(`/_personalize/console/users?${q({ datasetGroupArn: groupArn, order: 'least', limit: '2' })}`)).body;
    expect(least.users).toEqual([{ userId: 'light-0', interactions: 3 }, { userId: 'light-1', interactions: 3 }]);
    const prefix = (await json(`/_personalize/console/users?${q({ datasetGroupArn: groupArn, prefix: 'user-23', limit: '20' })}`)).body;
    expect(prefix.users.map((u: { userId: string }) => u.userId).sort()).toEqual(['user-23', ...Array.from({ length: 10 }, (_, i) => `user-23${i}`)]);
    expect((await json(`/_personalize/console/users?${q({ datasetGroupArn: groupArn, order: 'random' })}`)).status).toBe(400);
  });

  it('a user\'s latest interactions, newest first, streamed ones marked; popular items', async () => {
    await local.api.call('PutEvents', { trackingId, userId: 'light-0', sessionId: 's', eventList: [{ eventType: 'click', itemId: 'item-31', sentAt: 1_800_000_000 }] });
    const { body } = await json(`/_personalize/console/user-interactions?${q({ datasetGroupArn: groupArn, userId: 'light-0', limit: '2' })}`);
    expect(body.total).toBe(4);
    expect(body.interactions).toHaveLength(2);
    expect(body.interactions[0]).toEqual({ itemId: 'item-31', eventType: 'click', timestamp: 1_800_000_000, eventValue: null, streamed: true });
    expect(body.interactions[1].streamed).toBe(false);
    const nobody = (await json(`/_personalize/console/user-interactions?${q({ datasetGroupArn: groupArn, userId: 'nobody' })}`)).body;
    expect(nobody).toEqual({ userId: 'nobody', total: 0, interactions: [] });
    const popular = (await json(`/_personalize/console/popular-items?${q({ datasetGroupArn: groupArn, limit: '3' })}`)).body;
    expect(popular.items).toHaveLength(3);
    expect(popular.items[0].interactions).toBeGreaterThanOrEqual(popular.items[1].interactions);
  });

  it('item metadata by id, values as stored (markup included: the page renders text), bounded', async () => {
    const post = (body: unknown) => json('/_personalize/console/item-metadata', { method: 'POST', body: JSON.stringify(body) });
    const { status, body } = await post({ datasetGroupArn: groupArn, itemIds: ['item-3', 'no-such-item', '__proto__'] });
    expect(status).toBe(200);
    expect(body.columns).toEqual(['GENRES', 'TITLE', 'CREATION_TIMESTAMP']);
    expect(body.items['item-3']).toEqual({ GENRES: 'Drama', TITLE: MARKUP_TITLE, CREATION_TIMESTAMP: '1690010800' });
    expect(body.items['no-such-item']).toBeNull();
    expect(Object.keys(body.items)).toContain('__proto__');
    expect((await post({ datasetGroupArn: groupArn, itemIds: Array.from({ length: 501 }, (_, i) => `i${i}`) })).body.message).toMatch(/at most 500/);
    expect((await post({ datasetGroupArn: groupArn, itemIds: 'item-3' })).status).toBe(400);
    expect((await post([])).status).toBe(400);
    expect((await json('/_personalize/console/item-metadata')).status).toBe(405);
  });

  it('a batch job\'s first output lines, only inside the buckets or data directory', async () => {
    const { body } = await json(`/_personalize/console/batch-output?${q({ jobArn, limit: '2' })}`);
    expect(body.files).toHaveLength(1);
    expect(body.files[0]).toMatchObject({ name: 'users.json.out', more: true });
    expect(body.files[0].lines).toHaveLength(2);
    expect(JSON.parse(body.files[0].lines[0])).toMatchObject({ input: { userId: 'user-0' }, error: null });
    const outside = (await json(`/_personalize/console/batch-output?${q({ jobArn: outsideJobArn })}`)).body;
    expect(outside.files).toEqual([]);
    expect(outside.note).toMatch(/outside the buckets and data directories/);
    expect((await json(`/_personalize/console/batch-output?${q({ jobArn: groupArn })}`)).status).toBe(404);
  });

  it('unknown routes name the known ones', async () => {
    const { status, body } = await json('/_personalize/console/everything');
    expect(status).toBe(404);
    expect(body.message).toMatch(/GET \/_personalize\/console\/dataset/);
  });
});

describe('the console\'s metrics chart', () => {
  it('uses the evaluation report\'s colours and font (the browser script keeps its own copy)', () => {
    const read = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8');
    const constant = (text: string, name: string) => new RegExp(`export const ${name} = (.*);`).exec(text)?.[1];
    const report = read('../src/workbench/charts/common.ts'), ui = read('../src/ui/metrics-chart.ts');
    expect(constant(ui, 'PALETTE')).toBe(constant(report, 'PALETTE'));
    expect(/const FONT = (.*);/.exec(ui)?.[1]).toBe(constant(report, 'FONT'));
  });
});
