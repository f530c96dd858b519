// A seeded fuzz run over every operation of the three APIs and the admin routes: inputs generated from
// the shapes (missing, wrong type, huge, deeply nested, null, odd unicode, prototype-named map keys and
// members, numbers JSON cannot carry), bodies that are not JSON, other methods. Every answer is a typed
// error (JSON `__type` + message, the same type in x-amzn-ErrorType) or a success, never a 5xx, never a hang.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATIONS } from '../src/api/operations-table.js';
import { operationShape } from '../src/api/api.js';
import type { Shape } from '../src/api/shape-types.js';
import { Rng } from '../src/lib/random.js';
import { createLocalApi, startServer } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';
import { fuzzCases, RAW_BODIES } from './helpers/fuzz.js';

const SEED = 20261204;
const PER_OP = 10;
const dir = tempDir();
let local: Awaited<ReturnType<typeof createLocalApi>>;
let server: Awaited<ReturnType<typeof startServer>>;
/** Real ARNs and ids by member name, so the changes reach past "not found". */
const known: Record<string, unknown> = {};

beforeAll(async () => {
  local = await createLocalApi({ inMemory: true, bucketsDir: join(dir, 'buckets'), trainingWorkers: 0, batchWorkers: 0, minimums: { interactions: 10, usersWithTwoInteractions: 2 } });
  server = await startServer({ api: local.api, port: 0, admin: local, bodyTimeoutMs: 5000 });
  const api = local.api;
  mkdirSync(join(dir, 'buckets', 'fz'), { recursive: true });
  writeFileSync(join(dir, 'buckets', 'fz', 'in.json'), '{"userId":"user-1"}\n');
  const { schemaArn } = (await api.call('CreateSchema', { name: 'i', schema: INTERACTIONS_SCHEMA }))!;
  const { datasetGroupArn } = (await api.call('CreateDatasetGroup', { name: 'g' }))!;
  const { datasetArn } = (await api.call('CreateDataset', { name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' }))!;
  await api.call('CreateDatasetImportJob', { jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i.csv', zipfInteractions({ users: 20, items: 10, perUser: 4 }).csv) } });
  const { solutionArn } = (await api.call('CreateSolution', { name: 's', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' }))!;
  const { solutionVersionArn } = (await api.call('CreateSolutionVersion', { solutionArn }))!;
  const { campaignArn } = (await api.call('CreateCampaign', { name: 'c', solutionVersionArn }))!;
  const { filterArn } = (await api.call('CreateFilter', { name: 'f', datasetGroupArn, filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($E)' }))!;
  const { eventTrackerArn, trackingId } = (await api.call('CreateEventTracker', { name: 't', datasetGroupArn }))!;
  Object.assign(known, {
    schemaArn, datasetGroupArn, datasetArn, solutionArn, solutionVersionArn, campaignArn, filterArn, eventTrackerArn, trackingId,
    resourceArn: datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count',
    algorithmArn: 'arn:aws:personalize:::algorithm/aws-popularity-count',
    featureTransformationArn: 'arn:aws:personalize:::feature-transformation/JSON-percentile-filtering',
    roleArn: 'arn:aws:iam::000000000000:role/r', schema: INTERACTIONS_SCHEMA, datasetType: 'Interactions',
    filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x")', path: 's3://fz/in.json', dataLocation: 's3://fz/in.json',
    userId: 'user-1', itemId: 'item-1', sessionId: 's1', eventType: 'click',
  });
}, 60_000);
afterAll(async () => {
  await server.close();
  await local.close();
});

let names = 0;
/** A plausible value for a member: the fixture's, else by type (required members of structures filled in). */
function plausible(member: string, s: Shape): unknown {
  if (member in known) return known[member];
  if (member === 'name' || member === 'jobName') return `fz-${++names}`;
  if (member.endsWith('Arn')) return `arn:aws:personalize:us-east-1:000000000000:x/${member}`;
  switch (s.type) {
    case 'structure': {
      const o: Record<string, unknown> = {};
      for (const [m, ms] of Object.entries(s.members)) if (ms.required) o[m] = plausible(m, ms);
      return o;
    }
    case 'list': return [plausible(member, s.member)];
    case 'map': return { k: plausible('', s.value) };
    case 'string': case 'jsonString': return 'x';
    case 'integer': return 1;
    case 'double': return 0.5;
    case 'boolean': return false;
    case 'timestamp': return 1_700_000_000;
  }
}

/** The base input: required members, members the fixture has a value for, and map members (where prototype keys matter most). */
function baseInput(shape: Shape & { type: 'structure' }): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [m, s] of Object.entries(shape.members)) if (s.required || s.type === 'map' || m in known) o[m] = plausible(m, s);
  return o;
}

/** Deletes and stops last, so the other operations meet the fixture's resources. */
const ORDER = [...OPERATIONS].sort((a, b) => Number(/^(Delete|Stop)/.test(a.name)) - Number(/^(Delete|Stop)/.test(b.name)));

async function send(method: string, path: string, headers: Record<string, string>, body: string | Buffer | undefined): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${server.url}${path}`, { method, headers, body, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), text: await res.text() };
}

const problems: string[] = [];
/** Records what is wrong with an answer (all problems are reported together at the end). */
function check(label: string, r: { status: number; type: string | null; text: string }, method = 'POST'): void {
  const short = `${label} -> ${r.status} ${r.text.slice(0, 300)}`;
  if (r.status >= 500 && !(r.status === 501 && r.type === 'NotImplementedException')) { problems.push(`5xx: ${short}`); return; }
  if (method === 'HEAD') return;
  let body: any;
  try { body = JSON.parse(r.text); } catch { problems.push(`not JSON: ${short}`); return; }
  if (r.status >= 400) {
    if (typeof body?.__type !== 'string' || typeof body?.message !== 'string' || !body.message) problems.push(`untyped error: ${short}`);
    else if (r.type !== body.__type) problems.push(`x-amzn-ErrorType ${r.type} differs: ${short}`);
  }
}

function routeOf(name: string): { path: string; headers: Record<string, string> } {
  const op = OPERATIONS.find((o) => o.name === name)!;
  return op.target
    ? { path: '/', headers: { 'x-amz-target': op.target, 'content-type': 'application/x-amz-json-1.1' } }
    : { path: op.path, headers: { 'content-type': 'application/json' } };
}

describe('seeded fuzz: no input gets a 5xx or no answer', () => {
  it(`every operation, generated bad members (seed ${SEED})`, async () => {
    const rng = new Rng(SEED);
    let sent = 0;
    for (const op of ORDER) {
      const shape = operationShape(op.name)!.input;
      const { path, headers } = routeOf(op.name);
      for (const c of fuzzCases(shape, baseInput(shape), rng, PER_OP)) {
        check(`${op.name} ${c.what}`, await send('POST', path, headers, c.body));
        sent++;
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(79 * PER_OP);
  }, 120_000);

  it('the in-process client: the same kind of inputs give typed errors (PersonalizeError), never another exception', async () => {
    const { LocalPersonalize, isPersonalizeError } = await import('../src/index.js');
    const p = new LocalPersonalize({ inMemory: true, trainingWorkers: 0, batchWorkers: 0 });
    const rng = new Rng(SEED + 1);
    const odd: string[] = [];
    try {
      for (const op of ORDER) {
        const shape = operationShape(op.name)!.input;
        for (const c of fuzzCases(shape, baseInput(shape), rng, 4)) {
          const input = JSON.parse(c.body);
          try {
            await p.call(op.name, input);
          } catch (e) {
            if (!isPersonalizeError(e)) odd.push(`${op.name} ${c.what}: ${(e as Error)?.name} ${(e as Error)?.message?.slice(0, 200)}`);
          }
        }
      }
      // Values no JSON text can carry, only in-process callers: a cycle, NaN, a Symbol, a function.
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const bad of [cyclic, { schemaArn: cyclic }, { schemaArn: NaN }, { schemaArn: Symbol('x') }, { schemaArn: () => 1 }, { schemaArn: 10n }]) {
        try { await p.call('DescribeSchema', bad as never); } catch (e) { if (!isPersonalizeError(e)) odd.push(`DescribeSchema ${String((e as Error)?.message)}`); }
      }
      try { await p.call('PutItems', { datasetArn: 'arn:aws:personalize:us-east-1:000000000000:dataset/g/ITEMS', items: [{ itemId: 'i', properties: cyclic }] }); } catch (e) {
        if (!isPersonalizeError(e)) odd.push(`PutItems cyclic properties: ${(e as Error)?.message}`);
      }
    } finally {
      await p.close();
    }
    expect(odd).toEqual([]);
  }, 60_000);

  it('bodies that are not an input, other methods, other content types, on every route and the admin routes', async () => {
    const routes = [...new Set(OPERATIONS.map((o) => o.name))].map(routeOf);
    const admin = ['/_personalize/clock', '/_personalize/explain', '/_personalize/health', '/_localstack/health', '/_personalize/nothing', '/_localstack/x'];
    for (const { path, headers } of [...routes.filter((_, i) => i % 7 === 0), ...routes.filter((r) => r.path !== '/'), ...admin.map((p) => ({ path: p, headers: {} }))]) {
      for (const body of RAW_BODIES) check(`${headers['x-amz-target'] ?? path} raw ${JSON.stringify(String(body).slice(0, 30))}`, await send('POST', path, headers, body));
      for (const method of ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']) check(`${method} ${path}`, await send(method, path, headers, undefined), method);
      check(`${path} text/plain`, await send('POST', path, { ...headers, 'content-type': 'text/plain' }, '{}'));
    }
    for (const target of ['AmazonPersonalize.', 'AmazonPersonalize.__proto__', 'AmazonPersonalize.constructor', 'x'.repeat(10_000), 'AmazonPersonalize.toString']) {
      check(`target ${target.slice(0, 40)}`, await send('POST', '/', { 'x-amz-target': target }, '{}'));
    }
    for (const path of ['/__proto__', '/constructor', '/recommendations/../events', '//', '/%00', '/_personalize/__proto__', '/_personalize/constructor']) {
      check(`path ${path}`, await send('POST', path, {}, '{}'));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(problems).toEqual([]);
  }, 60_000);
});
