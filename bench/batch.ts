// Batch inference benchmark: one user-personalization model on generated data (with a filter, and the
// recipe's default exploration, as a real job would run), 20k-line jobs answered inline vs on 1 and 2
// worker threads, and a 2k-line job both ways (where the inline threshold comes from). Trained once;
// each configuration is an engine on its own copy of that state.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPersonalize } from '../src/index.js';
import type { EngineOptions } from '../src/engine/config.js';
import { Rng } from '../src/lib/random.js';
import type { BenchResult } from './types.js';

const USERS = 20_000, ITEMS = 3_000, PER_USER = 15, LINES = 20_000, SMALL = 2_000;
const GENRES = ['comedy', 'drama', 'action', 'horror'];
const dir = join(tmpdir(), 'personalize-local-bench', 'batch');
const role = 'arn:aws:iam::000000000000:role/r';

/** Zipf-like interactions and items with a genre and a recent creation time (so exploration has candidates). */
function writeData(): { interactions: string; items: string } {
  const rng = new Rng(7);
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let u = 0; u < USERS; u++) {
    for (let k = 0; k < PER_USER; k++) rows.push(`u${u},i${Math.floor(ITEMS * rng.next() ** 2.5)},${1_700_000_000 + u * 20 + k},click`);
  }
  const items = ['ITEM_ID,GENRES,CREATION_TIMESTAMP', ...Array.from({ length: ITEMS }, (_, i) => `i${i},${GENRES[i % 4]},${1_700_000_000 + i * 100}`)];
  const interactions = join(dir, 'interactions.csv'), itemsCsv = join(dir, 'items.csv');
  writeFileSync(interactions, rows.join('\n') + '\n');
  writeFileSync(itemsCsv, items.join('\n') + '\n');
  return { interactions, items: itemsCsv };
}

function writeInput(name: string, n: number): void {
  const rng = new Rng(n);
  const lines: string[] = [];
  for (let k = 0; k < n; k++) {
    const fv = rng.next() < 0.5 ? `,"filterValues":{"GENRES":"\\"${GENRES[rng.int(4)]}\\""}` : '';
    lines.push(`{"userId":"u${rng.int(USERS + 1000)}"${fv}}`);
  }
  writeFileSync(join(dir, 'buckets', 'jobs', `${name}.json`), lines.join('\n') + '\n');
}

async function train(): Promise<{ versionArn: string; filterArn: string }> {
  const data = writeData();
  const p = new LocalPersonalize({ dataDir: join(dir, 'state'), seed: 1 });
  const { schemaArn } = await p.createSchema({ name: 'i', schema: JSON.stringify({ type: 'record', name: 'Interactions', fields: [
    { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' }] }) });
  const { schemaArn: itemsSchema } = await p.createSchema({ name: 'm', schema: JSON.stringify({ type: 'record', name: 'Items', fields: [
    { name: 'ITEM_ID', type: 'string' }, { name: 'GENRES', type: 'string', categorical: true }, { name: 'CREATION_TIMESTAMP', type: 'long' }] }) });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  const { datasetArn: itemsArn } = await p.createDataset({ name: 'm', schemaArn: itemsSchema, datasetGroupArn, datasetType: 'Items' });
  await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: data.interactions } });
  await p.createDatasetImportJob({ jobName: 'm', datasetArn: itemsArn, dataSource: { dataLocation: data.items } });
  const { solutionArn } = await p.createSolution({ name: 'up', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization' });
  const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
  const { filterArn } = await p.createFilter({ name: 'f', datasetGroupArn, filterExpression: 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)' });
  await p.close();
  return { versionArn: solutionVersionArn as string, filterArn: filterArn as string };
}

/** An engine on its own copy of the trained state (so several can be open at once), answering jobs. */
function engine(name: string, opts: EngineOptions, model: { versionArn: string; filterArn: string }) {
  cpSync(join(dir, 'state'), join(dir, name), { recursive: true });
  const p = new LocalPersonalize({ dataDir: join(dir, name), seed: 1, bucketsDir: join(dir, 'buckets'), trainingWorkers: 0, ...opts });
  let jobs = 0;
  /** Wall seconds of one job over `input`, checked to have run where it should. */
  const job = async (input: string, mode: 'inline' | 'worker'): Promise<number> => {
    const jobName = `${name}-${++jobs}`;
    const t0 = performance.now();
    const { batchInferenceJobArn } = await p.createBatchInferenceJob({
      jobName, solutionVersionArn: model.versionArn, filterArn: model.filterArn, roleArn: role, numResults: 25,
      jobInput: { s3DataSource: { path: `s3://jobs/${input}.json` } }, jobOutput: { s3DataDestination: { path: `s3://jobs/out-${jobName}/` } },
    });
    const seconds = (performance.now() - t0) / 1000;
    const rec = p.engine.store.get('batchInferenceJob', batchInferenceJobArn);
    if (rec.status !== 'ACTIVE') throw new Error(`${jobName}: ${rec.status} ${rec.failureReason ?? ''}`);
    if ((rec.props.answeredOn as { mode: string }).mode !== mode) throw new Error(`${jobName} ran ${JSON.stringify(rec.props.answeredOn)}, not ${mode}`);
    return seconds;
  };
  return { job, close: () => p.close() };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export async function runBatchBench(opts: { rounds?: number } = {}): Promise<BenchResult[]> {
  const rounds = opts.rounds ?? 3;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'buckets', 'jobs'), { recursive: true });
  const t0 = performance.now();
  const model = await train();
  console.log(`batch: ${USERS} users, ${ITEMS} items, ${USERS * PER_USER} interactions; trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  writeInput('large', LINES);
  writeInput('small', SMALL);
  // The small job is forced onto the workers (threshold = its size) to show what starting them costs.
  const engines = {
    inline: engine('inline', { batchWorkers: 0 }, model),
    '1 worker': engine('w1', { batchWorkers: 1 }, model),
    '2 workers': engine('w2', { batchWorkers: 2 }, model),
    'small 2 workers': engine('small-w2', { batchWorkers: 2, batchParallelMinLines: SMALL }, model),
  };
  const runs = async (name: keyof typeof engines) => {
    const small = name === 'small 2 workers';
    return engines[name].job(small ? 'small' : 'large', name === 'inline' ? 'inline' : 'worker');
  };
  const times: Record<string, { cold: number; warm: number[] }> = {};
  const smallInline: number[] = [];
  try {
    // Cold: each engine's first job (workers start, code is compiled); then warm rounds, interleaved so that
    // load from other processes on the host falls on every configuration alike.
    for (const name of Object.keys(engines) as (keyof typeof engines)[]) times[name] = { cold: await runs(name), warm: [] };
    const smallCold = await engines.inline.job('small', 'inline');
    for (let r = 0; r < rounds; r++) {
      for (const name of Object.keys(engines) as (keyof typeof engines)[]) times[name]!.warm.push(await runs(name));
      smallInline.push(await engines.inline.job('small', 'inline'));
    }
    times['small inline'] = { cold: smallCold, warm: smallInline };
  } finally {
    for (const x of Object.values(engines)) await x.close();
  }
  for (const [name, t] of Object.entries(times)) {
    console.log(`batch: ${name.padEnd(16)} first job ${t.cold.toFixed(3)} s, then ${t.warm.map((x) => x.toFixed(3)).join(' / ')} s`);
  }
  const m = (name: string) => median(times[name]!.warm);
  const name = 'batch/user-personalization';
  return [
    { name: `${name}/${LINES}-lines-inline-seconds`, value: m('inline'), unit: 's' },
    { name: `${name}/${LINES}-lines-1-worker-seconds`, value: m('1 worker'), unit: 's', baseline: m('inline'), ratio: m('1 worker') / m('inline') },
    { name: `${name}/${LINES}-lines-2-workers-seconds`, value: m('2 workers'), unit: 's', baseline: m('inline'), ratio: m('2 workers') / m('inline') },
    { name: `${name}/${LINES}-lines-2-workers-first-job-seconds`, value: times['2 workers']!.cold, unit: 's', baseline: m('inline'), ratio: times['2 workers']!.cold / m('inline') },
    { name: `${name}/${SMALL}-lines-2-workers-seconds`, value: m('small 2 workers'), unit: 's', baseline: m('small inline'), ratio: m('small 2 workers') / m('small inline') },
    { name: `${name}/${SMALL}-lines-2-workers-first-job-seconds`, value: times['small 2 workers']!.cold, unit: 's', baseline: m('small inline'), ratio: times['small 2 workers']!.cold / m('small inline') },
  ];
}
