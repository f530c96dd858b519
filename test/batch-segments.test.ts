// Batch segment jobs (aws-item-affinity, aws-item-attribute-affinity): on two user groups with disjoint
// tastes, segments list the item's own group first; attribute queries, per-line errors, per-file quotas,
// UserID filters, Personalize's output format, Describe/List, segmentation metrics, and wrong recipes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { Rng } from '../src/lib/random.js';
import { tempDir, writeCsv } from './helpers/data.js';

const dir = tempDir();
const jobs = join(dir, 'buckets', 'jobs');
const p = new LocalPersonalize({ inMemory: true, bucketsDir: join(dir, 'buckets'), minimums: { interactions: 10, usersWithTwoInteractions: 2 } });
afterAll(() => p.close());
const role = 'arn:aws:iam::000000000000:role/r';
const pad = (n: number) => String(n).padStart(2, '0');
const A_USERS = Array.from({ length: 20 }, (_, u) => `A-user${pad(u)}`);
const B_USERS = Array.from({ length: 20 }, (_, u) => `B-user${pad(u)}`);
// Gold users: the even ones of each group. Purchasers: A-user00..03 and B-user00..01.
const GOLD = new Set([...A_USERS, ...B_USERS].filter((_, k) => k % 2 === 0));
const PURCHASERS = new Set(['A-user00', 'A-user01', 'A-user02', 'A-user03', 'B-user00', 'B-user01']);
let datasetGroupArn = '';
let affinityV = '';
let attributeV = '';
let popularV = '';

beforeAll(async () => {
  const rng = new Rng(7);
  const inter = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (const [g, users] of [['A', A_USERS], ['B', B_USERS]] as const) {
    for (const user of users) {
      const picked = new Set<number>();
      const n = 5 + rng.int(4);
      while (picked.size < n) picked.add(rng.int(10));
      let t = 1_700_000_000 + rng.int(1000);
      [...picked].forEach((i, k) => inter.push(`${user},${g}${pad(i)},${(t += 60)},${PURCHASERS.has(user) && k === n - 1 ? 'purchase' : 'click'}`));
    }
  }
  // Genres: A items are Comedy (A00-A04 also Drama); B items are Action (B00 also Drama). Colors split each group.
  const items = ['ITEM_ID,GENRES,COLOR,DESCRIPTION'];
  for (let i = 0; i < 10; i++) {
    items.push(`A${pad(i)},${i < 5 ? 'Comedy|Drama' : 'Comedy'},${i % 2 ? 'red' : 'blue'},fun`);
    items.push(`B${pad(i)},${i === 0 ? 'Action|Drama' : 'Action'},${i % 2 ? 'red' : 'blue'},loud`);
  }
  const users = ['USER_ID,TIER', ...[...A_USERS, ...B_USERS].map((u) => `${u},${GOLD.has(u) ? 'gold' : 'silver'}`)];
  const mk = (name: string, fields: unknown[]) => p.createSchema({ name, schema: JSON.stringify({ type: 'record', name, fields }) });
  const s = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: 'string', ...extra });
  const { schemaArn: si } = await mk('Interactions', [s('USER_ID'), s('ITEM_ID'), { name: 'TIMESTAMP', type: 'long' }, s('EVENT_TYPE')]);
  const { schemaArn: sm } = await mk('Items', [s('ITEM_ID'), s('GENRES', { categorical: true }), s('COLOR', { categorical: true }), s('DESCRIPTION', { textual: true })]);
  const { schemaArn: su } = await mk('Users', [s('USER_ID'), s('TIER', { categorical: true })]);
  ({ datasetGroupArn } = await p.createDatasetGroup({ name: 'g' }));
  for (const [name, schemaArn, datasetType, csv] of [['i', si, 'Interactions', inter], ['m', sm, 'Items', items], ['u', su, 'Users', users]] as const) {
    const { datasetArn } = await p.createDataset({ name, schemaArn, datasetGroupArn, datasetType });
    await p.createDatasetImportJob({ jobName: name, datasetArn, dataSource: { dataLocation: writeCsv(dir, `${name}.csv`, csv.join('\n') + '\n') } });
  }
  const version = async (name: string, recipe: string) => {
    const { solutionArn } = await p.createSolution({ name, datasetGroupArn, performAutoTraining: false, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    return solutionVersionArn as string;
  };
  affinityV = await version('affinity', 'aws-item-affinity');
  attributeV = await version('attributes', 'aws-item-attribute-affinity');
  popularV = await version('popular', 'aws-popularity-count');
  mkdirSync(jobs, { recursive: true });
});

type OutLine = { input: unknown; output?: { recommendedUsers: string[] }; error: string | null };

async function run(jobName: string, solutionVersionArn: string, lines: unknown[], extra: Record<string, unknown> = {}) {
  writeFileSync(join(jobs, `${jobName}.json`), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  const { batchSegmentJobArn } = await p.createBatchSegmentJob({
    jobName, solutionVersionArn, roleArn: role, numResults: 20,
    jobInput: { s3DataSource: { path: `s3://jobs/${jobName}.json` } }, jobOutput: { s3DataDestination: { path: `s3://jobs/out-${jobName}/` } }, ...extra,
  });
  const { batchSegmentJob } = await p.describeBatchSegmentJob({ batchSegmentJobArn });
  const file = join(jobs, `out-${jobName}`, `${jobName}.json.out`);
  const raw = batchSegmentJob.status === 'ACTIVE' ? readFileSync(file, 'utf8') : '';
  return { job: batchSegmentJob, raw, out: raw.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as OutLine) };
}

const group = (users: string[]) => users.map((u) => u[0]).join('');

describe('CreateBatchSegmentJob with aws-item-affinity', () => {
  it("segments each item's own group first, in Personalize's output format", async () => {
    const { job, raw, out } = await run('affinity', affinityV, [{ itemId: 'A03' }, { itemId: 'B07' }], { numResults: 30 });
    expect(job).toMatchObject({ status: 'ACTIVE', numResults: 30 });
    expect(out).toHaveLength(2);
    const [a, b] = out.map((l) => l.output!.recommendedUsers);
    expect(a).toHaveLength(30);
    expect(group(a!)).toBe('A'.repeat(20) + 'B'.repeat(10));
    expect(group(b!)).toBe('B'.repeat(20) + 'A'.repeat(10));
    expect(new Set(a).size).toBe(30);
    // Exactly Personalize's line: input echoed, output.recommendedUsers, error null.
    expect(raw.split('\n')[0]).toBe(JSON.stringify({ input: { itemId: 'A03' }, output: { recommendedUsers: a }, error: null }));
  });

  it('is deterministic and defaults to 25 users per segment', async () => {
    const first = await run('default-size', affinityV, [{ itemId: 'A03' }], { numResults: undefined });
    const again = await run('default-size-2', affinityV, [{ itemId: 'A03' }], { numResults: undefined });
    expect(first.job.numResults).toBe(25);
    expect(first.out[0]!.output!.recommendedUsers).toHaveLength(25);
    expect(again.out[0]!.output!.recommendedUsers).toEqual(first.out[0]!.output!.recommendedUsers);
  });

  it('gives a bad line its own error and goes on', async () => {
    const { job, out } = await run('errors', affinityV, [{ itemId: 'nope' }, 'not json', { userId: 'A-user01' }, { itemId: 5 }, { itemId: 'B01' }]);
    expect(job.status).toBe('ACTIVE');
    expect(out[0]).toEqual({ input: { itemId: 'nope' }, error: expect.stringMatching(/item nope was not in the training data/) });
    expect(out[1]).toEqual({ input: 'not json', error: expect.stringMatching(/JSON/) });
    expect(out[2]).toEqual({ input: { userId: 'A-user01' }, error: expect.stringMatching(/needs "itemId"/) });
    expect(out[3]!.error).toMatch(/needs "itemId" \(a string\)/);
    expect(group(out[4]!.output!.recommendedUsers).slice(0, 20)).toBe('B'.repeat(20));
    expect(out[4]!.error).toBeNull();
  });

  it('takes 500 queries per input file and fails the job beyond that', async () => {
    const ok = await run('q500', affinityV, Array.from({ length: 500 }, (_, k) => ({ itemId: `A${pad(k % 10)}` })), { numResults: 1 });
    expect(ok.job.status).toBe('ACTIVE');
    expect(ok.out).toHaveLength(500);
    const over = await run('q501', affinityV, Array.from({ length: 501 }, () => ({ itemId: 'A01' })));
    expect(over.job).toMatchObject({ status: 'CREATE FAILED', failureReason: expect.stringMatching(/501 queries; aws-item-affinity takes at most 500 per input file/) });
  });
});

describe('CreateBatchSegmentJob with aws-item-attribute-affinity', () => {
  it('segments users for items matching every condition, columns case-insensitive, columns mixed', async () => {
    const { job, raw, out } = await run('attrs', attributeV, [
      { itemAttributes: 'ITEMS.genres = "Comedy"' },
      { itemAttributes: 'items.GENRES = "Action" and ITEMS.color = "red"' },
      { itemAttributes: 'ITEMS.genres = "Drama" AND ITEMS.genres = "Action"' },
    ]);
    expect(job.status).toBe('ACTIVE');
    expect(out.map((l) => l.error)).toEqual([null, null, null]);
    expect(group(out[0]!.output!.recommendedUsers)).toBe('A'.repeat(20));
    expect(group(out[1]!.output!.recommendedUsers)).toBe('B'.repeat(20));
    // Drama AND Action is B00 alone: the same users, in the same order, as its item-affinity segment's top 20.
    expect(group(out[2]!.output!.recommendedUsers)).toBe('B'.repeat(20));
    expect(raw.split('\n')[0]).toBe(JSON.stringify({ input: { itemAttributes: 'ITEMS.genres = "Comedy"' }, output: { recommendedUsers: out[0]!.output!.recommendedUsers }, error: null }));
  });

  it('answers bad queries with a per-line error', async () => {
    const { job, out } = await run('attr-errors', attributeV, [
      { itemAttributes: 'ITEMS.genres > "Comedy"' },
      { itemAttributes: 'ITEMS.mood = "happy"' },
      { itemAttributes: 'ITEMS.genres = "Western"' },
      { itemAttributes: 'ITEMS.description = "fun"' },
      { itemId: 'A01' },
      { itemAttributes: 'ITEMS.genres = "Comedy" OR ITEMS.genres = "Action"' },
    ]);
    expect(job.status).toBe('ACTIVE');
    expect(out[0]!.error).toMatch(/only = on string values/);
    expect(out[1]!.error).toMatch(/no column mood \(columns: ITEM_ID, GENRES, COLOR, DESCRIPTION\)/);
    expect(out[2]!.error).toMatch(/No item .* matches/);
    expect(out[3]!.error).toMatch(/DESCRIPTION is not a non-textual string/);
    expect(out[4]!.error).toMatch(/needs "itemAttributes"/);
    expect(out[5]!.error).toMatch(/expected AND/);
  });

  it('takes 10 queries per input file and fails the job beyond that', async () => {
    const q = { itemAttributes: 'ITEMS.genres = "Comedy"' };
    expect((await run('a10', attributeV, Array(10).fill(q))).job.status).toBe('ACTIVE');
    const over = await run('a11', attributeV, Array(11).fill(q));
    expect(over.job).toMatchObject({ status: 'CREATE FAILED', failureReason: expect.stringMatching(/11 queries; aws-item-attribute-affinity takes at most 10 per input file/) });
  });
});

describe('UserID filters on segments', () => {
  const filter = async (name: string, filterExpression: string) => (await p.createFilter({ name, datasetGroupArn, filterExpression })).filterArn as string;

  it('keeps the users a Users condition selects, with per-line filterValues', async () => {
    const filterArn = await filter('tier', 'INCLUDE UserID WHERE Users.TIER IN ($TIER)');
    const { out } = await run('gold', affinityV, [
      { itemId: 'A03', filterValues: { TIER: '"gold"' } },
      { itemId: 'A03', filterValues: { TIER: '"silver"' } },
      { itemId: 'A03' },
    ], { filterArn });
    const gold = out[0]!.output!.recommendedUsers, silver = out[1]!.output!.recommendedUsers;
    expect(gold).toHaveLength(20);
    expect(gold.every((u) => GOLD.has(u))).toBe(true);
    expect(group(gold).slice(0, 10)).toBe('A'.repeat(10));
    expect(silver.every((u) => !GOLD.has(u))).toBe(true);
    expect(out[2]!.error).toMatch(/TIER/);
  });

  it("excludes users by their own interactions' event types", async () => {
    const filterArn = await filter('no-buyers', 'EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("purchase")');
    const { out } = await run('no-buyers', affinityV, [{ itemId: 'A03' }], { filterArn, numResults: 40 });
    const users = out[0]!.output!.recommendedUsers;
    expect(users).toHaveLength(40 - PURCHASERS.size);
    expect(users.some((u) => PURCHASERS.has(u))).toBe(false);
  });

  it('refuses an ItemID filter, and an interactions filter with item-attribute-affinity', async () => {
    const itemFilter = await filter('items', 'INCLUDE ItemID WHERE Items.GENRES IN ("Comedy")');
    const buyers = await p.listFilters({ datasetGroupArn }).then((r: { Filters: { name: string; filterArn: string }[] }) => r.Filters.find((f) => f.name === 'no-buyers')!.filterArn);
    const input = { roleArn: role, jobInput: { s3DataSource: { path: 's3://jobs/a10.json' } }, jobOutput: { s3DataDestination: { path: 's3://jobs/x/' } } };
    await expect(p.createBatchSegmentJob({ jobName: 'item-filter', solutionVersionArn: affinityV, filterArn: itemFilter, ...input }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/UserID filter/) });
    await expect(p.createBatchSegmentJob({ jobName: 'inter-filter', solutionVersionArn: attributeV, filterArn: buyers, ...input }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/item interactions, which aws-item-attribute-affinity does not allow/) });
  });
});

describe('batch segment job resources', () => {
  it('DescribeBatchSegmentJob and ListBatchSegmentJobs show the job as Personalize does', async () => {
    const { job } = await run('described', affinityV, [{ itemId: 'A01' }], { numResults: 7, tags: [{ tagKey: 'team', tagValue: 'growth' }] });
    expect(job).toEqual({
      jobName: 'described',
      batchSegmentJobArn: 'arn:aws:personalize:us-east-1:000000000000:batch-segment-job/described',
      solutionVersionArn: affinityV,
      numResults: 7,
      jobInput: { s3DataSource: { path: 's3://jobs/described.json' } },
      jobOutput: { s3DataDestination: { path: 's3://jobs/out-described/' } },
      roleArn: role,
      status: 'ACTIVE',
      creationDateTime: expect.any(Date),
      lastUpdatedDateTime: expect.any(Date),
    });
    const { batchSegmentJobs } = await p.listBatchSegmentJobs({ solutionVersionArn: affinityV });
    expect(batchSegmentJobs.map((j: { jobName: string }) => j.jobName)).toContain('described');
    expect(batchSegmentJobs.find((j: { jobName: string }) => j.jobName === 'q501')).toMatchObject({ status: 'CREATE FAILED', failureReason: expect.stringMatching(/500/) });
    expect((await p.listBatchSegmentJobs({ solutionVersionArn: attributeV })).batchSegmentJobs.every((j: { solutionVersionArn: string }) => j.solutionVersionArn === attributeV)).toBe(true);
    const { tags } = await p.listTagsForResource({ resourceArn: job.batchSegmentJobArn });
    expect(tags).toEqual([{ tagKey: 'team', tagValue: 'growth' }]);
  });

  it('refuses a solution version of another recipe type, naming the recipe, and the other way round', async () => {
    const input = { roleArn: role, jobInput: { s3DataSource: { path: 's3://jobs/a10.json' } }, jobOutput: { s3DataDestination: { path: 's3://jobs/x/' } } };
    await expect(p.createBatchSegmentJob({ jobName: 'wrong', solutionVersionArn: popularV, ...input }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/trained with aws-popularity-count \(USER_PERSONALIZATION\)/) });
    await expect(p.createBatchInferenceJob({ jobName: 'wrong-way', solutionVersionArn: affinityV, ...input }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/CreateBatchSegmentJob/) });
    await expect(p.createBatchSegmentJob({ jobName: 'too-many', solutionVersionArn: affinityV, numResults: 5_000_001, ...input }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/5000000/) });
  });

  it("GetSolutionMetrics reports segmentation's hit and recall at the top 1% of users", async () => {
    const { metrics } = await p.getSolutionMetrics({ solutionVersionArn: affinityV });
    expect(Object.keys(metrics).sort()).toEqual(['coverage', 'hit', 'recall']);
    // 40 users: K = 1 user per item. The planted groups make the top user a real newcomer often.
    expect(metrics.hit).toBeGreaterThan(0.2);
    expect(metrics.recall).toBe(metrics.hit);
    expect(metrics.coverage).toBeGreaterThan(0);
  });
});
