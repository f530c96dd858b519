// Batch jobs on worker threads: the same bytes as the inline path (user-personalization with exploration,
// a filter and streamed events; related items; personalized ranking; segments), input order and per-line
// errors kept across chunks, the work really off the main thread, and a worker failure failing the job only.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalPersonalize, ManualClock } from '../src/index.js';
import { Rng } from '../src/lib/random.js';
import { batchPool } from '../src/engine/batch/pool.js';
import { INTERACTIONS_SCHEMA, ITEMS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const dir = tempDir();
const role = 'arn:aws:iam::000000000000:role/r';
const USERS = 150, ITEMS = 60;
const GENRES = ['comedy', 'drama', 'action'];
const clients: LocalPersonalize[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));

interface World { p: LocalPersonalize; versions: Record<string, string>; filterArn: string; segmentFilterArn: string; bucket: string }

/** The same dataset group, models, filter and streamed events in a fresh client (same seed, same clock). */
async function world(name: string, opts: { batchWorkers: number; batchParallelMinLines?: number }): Promise<World> {
  const bucket = join(dir, name);
  const p = new LocalPersonalize({
    inMemory: true, seed: 3, clock: new ManualClock(Date.UTC(2024, 0, 1)), trainingWorkers: 0, bucketsDir: bucket,
    minimums: { interactions: 100, usersWithTwoInteractions: 5 }, ...opts,
  });
  clients.push(p);
  const { schemaArn } = await p.createSchema({ name: 'i', schema: INTERACTIONS_SCHEMA });
  const { schemaArn: itemsSchema } = await p.createSchema({ name: 'm', schema: ITEMS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  const { datasetArn: itemsArn } = await p.createDataset({ name: 'm', schemaArn: itemsSchema, datasetGroupArn, datasetType: 'Items' });
  const csv = zipfInteractions({ users: USERS, items: ITEMS, perUser: 10, seed: 5 }).csv;
  await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: writeCsv(dir, 'i.csv', csv) } });
  // Young items (for exploration), a genre each (for the filter).
  const items = ['ITEM_ID,GENRES,CREATION_TIMESTAMP', ...Array.from({ length: ITEMS }, (_, i) => `item-${i},${GENRES[i % 3]},${1_700_000_000 + i}`)];
  await p.createDatasetImportJob({ jobName: 'm', datasetArn: itemsArn, dataSource: { dataLocation: writeCsv(dir, 'm.csv', items.join('\n') + '\n') } });
  const versions: Record<string, string> = {};
  for (const recipe of ['aws-user-personalization', 'aws-sims', 'aws-personalized-ranking', 'aws-item-affinity']) {
    const { solutionArn } = await p.createSolution({ name: recipe, datasetGroupArn, performAutoTraining: false, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
    versions[recipe] = (await p.createSolutionVersion({ solutionArn })).solutionVersionArn as string;
  }
  // Events streamed after training: the live part of users' histories, which the snapshot must carry.
  const { trackingId } = await p.createEventTracker({ name: 't', datasetGroupArn });
  for (let u = 0; u < 20; u++) {
    await p.putEvents({ trackingId, userId: `user-${u}`, sessionId: 's', eventList: [{ eventType: 'click', itemId: `item-${(u * 7) % ITEMS}`, sentAt: 1_700_100_000 + u }] });
  }
  const { filterArn } = await p.createFilter({ name: 'f', datasetGroupArn, filterExpression: 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)' });
  const { filterArn: segmentFilterArn } = await p.createFilter({ name: 'uf', datasetGroupArn, filterExpression: 'EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("purchase")' });
  mkdirSync(join(bucket, 'jobs'), { recursive: true });
  return { p, versions, filterArn: filterArn as string, segmentFilterArn: segmentFilterArn as string, bucket };
}

/** Lines of every kind: good ones with and without filter values, blank lines, and lines that must fail. */
function inputLines(n: number, key: 'userId' | 'itemId', extra: (r: Rng) => Record<string, unknown> = () => ({})): string[] {
  const rng = new Rng(11);
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const r = rng.next();
    if (r < 0.03) out.push('not json');
    else if (r < 0.05) out.push('');
    else if (r < 0.07) out.push('[1, 2]');
    else if (r < 0.09) out.push(JSON.stringify({ [key === 'userId' ? 'itemId' : 'userId']: 'wrong-key' }));
    else {
      const id = key === 'userId' ? `user-${rng.int(USERS + 20)}` : `item-${rng.int(ITEMS + 5)}`;
      const fv = rng.next() < 0.5 ? { filterValues: { GENRES: `"${GENRES[rng.int(3)]}"` } } : {};
      out.push(JSON.stringify({ [key]: id, ...fv, ...extra(rng) }));
    }
  }
  return out;
}

async function inferenceJob(w: World, jobName: string, recipe: string, lines: string[], extra: Record<string, unknown> = {}) {
  writeFileSync(join(w.bucket, 'jobs', `${jobName}.json`), lines.join('\n') + '\n');
  const { batchInferenceJobArn } = await w.p.createBatchInferenceJob({
    jobName, solutionVersionArn: w.versions[recipe], roleArn: role, numResults: 10,
    jobInput: { s3DataSource: { path: `s3://jobs/${jobName}.json` } }, jobOutput: { s3DataDestination: { path: `s3://jobs/out-${jobName}/` } }, ...extra,
  });
  await w.p.engine.idle();
  const { batchInferenceJob } = await w.p.describeBatchInferenceJob({ batchInferenceJobArn });
  const out = readFileSync(join(w.bucket, 'jobs', `out-${jobName}`, `${jobName}.json.out`), 'utf8');
  return { job: batchInferenceJob, out, answeredOn: w.p.engine.store.get('batchInferenceJob', batchInferenceJobArn).props.answeredOn as { mode: string; threadIds: number[] } };
}

let inline: World;
let parallel: World;
beforeAll(async () => {
  inline = await world('inline', { batchWorkers: 0 });
  // 40 lines and 2 workers: chunks of 5 lines, so a few hundred lines cross many chunk boundaries.
  parallel = await world('parallel', { batchWorkers: 2, batchParallelMinLines: 40 });
}, 60_000);

describe('batch jobs on worker threads', () => {
  it('user-personalization with exploration and a filter: the same bytes as inline, answered off the main thread', async () => {
    const lines = inputLines(400, 'userId');
    const extra = { filterArn: inline.filterArn, batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.5', explorationItemAgeCutOff: '3650' } } };
    const a = await inferenceJob(inline, 'up', 'aws-user-personalization', lines, extra);
    const b = await inferenceJob(parallel, 'up', 'aws-user-personalization', lines, { ...extra, filterArn: parallel.filterArn });
    expect(a.job.status).toBe('ACTIVE');
    expect(b.job.status).toBe('ACTIVE');
    expect(a.answeredOn).toEqual({ mode: 'inline', threadIds: [0] });
    expect(b.answeredOn.mode).toBe('worker');
    expect(b.answeredOn.threadIds.length).toBeGreaterThan(0);
    expect(b.answeredOn.threadIds.every((t) => t > 0)).toBe(true); // threadId 0 is the main thread
    expect(b.out).toBe(a.out);
    // Most lines were answered; the others are the bad lines.
    expect(b.out.split('\n').filter((l) => l.includes('"recommendedItems"')).length).toBeGreaterThan(300);
  });

  it('keeps input order and puts each bad line\'s error in its place', async () => {
    const lines = inputLines(300, 'userId');
    const { out } = await inferenceJob(parallel, 'order', 'aws-user-personalization', lines, { filterArn: parallel.filterArn });
    const rows = out.trim().split('\n').map((l) => JSON.parse(l) as { input: unknown; error: string | null; output?: unknown });
    const expected = lines.filter((l) => l.trim());
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, k) => {
      const raw = expected[k]!;
      let input: unknown = raw;
      try { input = JSON.parse(raw); } catch { /* stays the raw text, as Personalize echoes it */ }
      expect(row.input).toEqual(input);
      if (raw === 'not json') expect(row.error).toMatch(/JSON/);
      else if (raw === '[1, 2]') expect(row.error).toMatch(/not a JSON object/);
      else if (raw.includes('wrong-key')) expect(row.error).toMatch(/needs "userId"/);
      else expect(row).toMatchObject({ error: null, output: { recommendedItems: expect.any(Array) } });
    });
  });

  it('related items (SIMS) and personalized ranking: the same bytes as inline', async () => {
    const sims = inputLines(250, 'itemId');
    const a = await inferenceJob(inline, 'sims', 'aws-sims', sims, { filterArn: inline.filterArn });
    const b = await inferenceJob(parallel, 'sims', 'aws-sims', sims, { filterArn: parallel.filterArn });
    expect(b.answeredOn.mode).toBe('worker');
    expect(b.out).toBe(a.out);
    const ranking = inputLines(120, 'userId', (r) => ({ itemList: Array.from({ length: 8 }, () => `item-${r.int(ITEMS + 3)}`) }));
    const c = await inferenceJob(inline, 'rank', 'aws-personalized-ranking', ranking);
    const d = await inferenceJob(parallel, 'rank', 'aws-personalized-ranking', ranking);
    expect(d.answeredOn.mode).toBe('worker');
    expect(d.out).toBe(c.out);
  });

  it('batch segment jobs: the same bytes as inline', async () => {
    const lines = Array.from({ length: 90 }, (_, k) => (k % 17 === 5 ? '{"itemId": "no-such-item"}' : JSON.stringify({ itemId: `item-${k % ITEMS}` })));
    const run = async (w: World) => {
      writeFileSync(join(w.bucket, 'jobs', 'seg.json'), lines.join('\n') + '\n');
      const { batchSegmentJobArn } = await w.p.createBatchSegmentJob({
        jobName: 'seg', solutionVersionArn: w.versions['aws-item-affinity'], roleArn: role, numResults: 15, filterArn: w.segmentFilterArn,
        jobInput: { s3DataSource: { path: 's3://jobs/seg.json' } }, jobOutput: { s3DataDestination: { path: 's3://jobs/out-seg/' } },
      });
      const rec = w.p.engine.store.get('batchSegmentJob', batchSegmentJobArn);
      return { status: rec.status, answeredOn: rec.props.answeredOn as { mode: string }, out: readFileSync(join(w.bucket, 'jobs', 'out-seg', 'seg.json.out'), 'utf8') };
    };
    const a = await run(inline);
    const b = await run(parallel);
    expect(b).toMatchObject({ status: 'ACTIVE', answeredOn: { mode: 'worker' } });
    expect(b.out).toBe(a.out);
    expect(b.out.split('\n')[5]).toMatch(/no-such-item.*"error":"The item no-such-item was not in the training data/);
  });

  it('stays inline below the line threshold', async () => {
    const { answeredOn, job } = await inferenceJob(parallel, 'small', 'aws-user-personalization', inputLines(30, 'userId'), { filterArn: parallel.filterArn });
    expect(job.status).toBe('ACTIVE');
    expect(answeredOn).toEqual({ mode: 'inline', threadIds: [0] });
  });

  it('a worker dying mid-job fails the job with a reason, not the process; the next job runs', async () => {
    const pool = batchPool(parallel.p.engine);
    const run = pool.run.bind(pool);
    let calls = 0;
    // The third chunk's task is handed out, then every worker is terminated under the in-flight tasks.
    const spy = vi.spyOn(pool, 'run').mockImplementation((task) => {
      const r = run(task);
      if (++calls === 3) void pool.close();
      return r;
    });
    const lines = inputLines(200, 'userId');
    const failed = await inferenceJob(parallel, 'dies', 'aws-user-personalization', lines, { filterArn: parallel.filterArn });
    spy.mockRestore();
    expect(failed.job.status).toBe('CREATE FAILED');
    expect(failed.job.failureReason).toMatch(/^A batch worker failed: /);
    const again = await inferenceJob(parallel, 'again', 'aws-user-personalization', lines, { filterArn: parallel.filterArn });
    expect(again.job.status).toBe('ACTIVE');
    expect(again.answeredOn.mode).toBe('worker');
  });
});
