// A training on 1, 2 or 3 threads (engine option trainingThreads) gives the same model bytes, the same offline
// metrics and the same recommendations: the work is cut into blocks fixed by the data, not by the thread count.
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { decodeBundle } from '../src/engine/training/bundle.js';
import { programUrl, trainingRun } from '../src/lib/threads/team.js';
import { Rng } from '../src/lib/random.js';
import { ALS_THREADS_MIN_NNZ, trainAls } from '../src/recipes/mf/als.js';
import { confidenceMatrix, transpose } from '../src/recipes/mf/confidence.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';
import { loadTrainingDataCsv } from '../src/engine/evaluation/load-csv.js';
import { splitForEvaluation } from '../src/engine/evaluation/split.js';
import { evaluateModel } from '../src/engine/evaluation/evaluate.js';
import { evaluateOnThreads } from '../src/engine/evaluation/evaluate-threads.js';
import { itemPopularity } from '../src/recipes/popularity-count.js';
import { RECIPES } from '../src/recipes/index.js';
import { servedModelAside } from '../src/engine/training/train-job.js';
import { spareThread } from '../src/lib/threads/side-task.js';
import { servingStats } from '../src/engine/training/serving-stats.js';

const data = zipfInteractions({ users: 6000, items: 400, perUser: 40, seed: 9 });
const csv = writeCsv(tempDir(), 'i.csv', data.csv);
const clients: LocalPersonalize[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));

async function train(trainingThreads: number, recipe: string) {
  const p = new LocalPersonalize({ inMemory: true, seed: 3, trainingWorkers: 0, trainingThreads });
  clients.push(p);
  const { schemaArn } = await p.createSchema({ name: 's', schema: INTERACTIONS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await p.createDatasetImportJob({ jobName: 'j', datasetArn, dataSource: { dataLocation: csv } });
  const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, performAutoTraining: false, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
  const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
  const bytes = p.engine.models.bytesOf(solutionVersionArn), bundle = decodeBundle(bytes);
  const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn });
  const recs = [];
  // Related-items campaigns are asked with an item, the others with a user.
  const queries = recipe === 'aws-sims' ? ['item-3', 'item-77', 'item-240'].map((itemId) => ({ itemId })) : ['user-3', 'user-77', 'user-2401'].map((userId) => ({ userId }));
  for (const q of queries) recs.push((await p.getRecommendations({ campaignArn, ...q, numResults: 20 })).itemList);
  const { metrics } = await p.getSolutionMetrics({ solutionVersionArn });
  return { bytes, bundle, recs, metrics };
}

describe('training threads', () => {
  it('ALS runs its blocks over the team when it has one and enough data, to the same bytes', () => {
    // The engine path below would pass unchanged if no thread were ever used: check that they are.
    const users = 2500, items = 400, rng = new Rng(5);
    const ptr = new Int32Array(users + 1), idx: number[] = [];
    for (let u = 0; u < users; u++) {
      for (let q = 0; q < 30; q++) idx.push(Math.floor(rng.next() * rng.next() * items));
      ptr[u + 1] = idx.length;
    }
    const R = confidenceMatrix(ptr, Int32Array.from(idx), null, items, 10, { enabled: false, halfLife: 3, floor: 0 });
    expect(R.idx.length).toBeGreaterThanOrEqual(ALS_THREADS_MIN_NNZ);
    const Rt = transpose(R, items), o = { factors: 20, regularization: 1, iterations: 3, cgSteps: 3 };
    const solo = trainAls(R, Rt, users, items, o, new Rng(1));
    const run = trainingRun(2);
    try {
      const two = trainAls(R, Rt, users, items, o, new Rng(1), { run });
      expect(solo.threads).toBe(1);
      expect(two.threads).toBe(2);
      expect(Buffer.from(two.X.buffer).equals(Buffer.from(solo.X.buffer))).toBe(true);
      expect(Buffer.from(two.Y.buffer).equals(Buffer.from(solo.Y.buffer))).toBe(true);
    } finally {
      run.close();
    }
  });

  for (const recipe of ['aws-user-personalization', 'aws-sims']) {
    it(`${recipe}: 1, 2 and 3 threads train the same model bytes, metrics and recommendations`, async () => {
      const one = await train(1, recipe), two = await train(2, recipe), three = await train(3, recipe);
      for (const [name, arr] of Object.entries(one.bundle.artifact.arrays)) {
        expect(Buffer.from(two.bundle.artifact.arrays[name]!.buffer).equals(Buffer.from(arr.buffer)), name).toBe(true);
        expect(Buffer.from(three.bundle.artifact.arrays[name]!.buffer).equals(Buffer.from(arr.buffer)), name).toBe(true);
      }
      // The whole model file too: serving statistics come from a side thread when there are threads to spare.
      expect(Buffer.from(two.bytes).equals(Buffer.from(one.bytes))).toBe(true);
      expect(Buffer.from(three.bytes).equals(Buffer.from(one.bytes))).toBe(true);
      expect(two.metrics).toEqual(one.metrics);
      expect(three.metrics).toEqual(one.metrics);
      expect(two.recs).toEqual(one.recs);
      expect(three.recs).toEqual(one.recs);
      expect(one.recs[0]!.length).toBe(20);
    }, 120_000);
  }

  it('aws-sims and aws-similar-items train their served model on a side thread beside the metrics model, to the bytes of the calling thread', () => {
    const d = loadTrainingDataCsv(csv);
    const job = (recipe: string, threads: number) => ({ recipeArn: `arn:aws:personalize:::recipe/${recipe}`, data: d, params: {}, seed: 1, info: {}, threads });
    const up = RECIPES.get('arn:aws:personalize:::recipe/aws-user-personalization')!;
    expect(servedModelAside(job('aws-user-personalization', 2), up)).toBeNull(); // ALS gains more from its team
    for (const name of ['aws-sims', 'aws-similar-items']) {
      const recipe = RECIPES.get(`arn:aws:personalize:::recipe/${name}`)!;
      expect(servedModelAside(job(name, 1), recipe)).toBeNull(); // one thread: one after the other
      // similar-items' thread is started ahead (as the training pool's warm-up does), sims' when the job is there.
      const ahead = name === 'aws-similar-items' ? spareThread(programUrl(import.meta.url, '../src/engine/training/served-model.js')) : undefined;
      const aside = servedModelAside({ ...job(name, 2), servedModelThread: ahead }, recipe);
      expect(aside).not.toBeNull();
      const inline = recipe.train(d, {}, 1);
      const { artifact: side, stats } = aside!.join(() => { throw new Error('the side thread gave nothing'); });
      for (const [key, arr] of Object.entries(inline.arrays)) expect(Buffer.from(side.arrays[key]!.buffer).equals(Buffer.from(arr.buffer)), `${name} ${key}`).toBe(true);
      expect(side.meta).toEqual(inline.meta);
      // The serving statistics come back with it, as the calling thread computes them.
      const here = servingStats(d, !!recipe.repeatAware);
      expect(Buffer.from(stats.itemPopularity.buffer).equals(Buffer.from(here.itemPopularity.buffer))).toBe(true);
      expect(Buffer.from(stats.itemFirstSeen.buffer).equals(Buffer.from(here.itemFirstSeen.buffer))).toBe(true);
      expect(stats.repeat).toEqual(here.repeat);
    }
  }, 120_000);

  it('offline metrics: held-out users scored on 2 or 3 threads give the same bytes as on one', () => {
    const data = loadTrainingDataCsv(csv);
    const { train, test } = splitForEvaluation(data, 4);
    expect(test.length).toBeGreaterThan(2 * 256); // several blocks of users
    for (const name of ['aws-user-personalization', 'aws-sims', 'aws-popularity-count']) {
      const arn = `arn:aws:personalize:::recipe/${name}`, recipe = RECIPES.get(arn)!;
      const artifact = recipe.train(train, {}, 1), model = recipe.load(artifact, train.itemIds.length);
      const fallback = itemPopularity(train).uniqueUsers, opts = { queryItem: name === 'aws-sims' ? 'last' as const : 'none' as const };
      const one = evaluateModel(model, test, train.itemIds.length, fallback, opts);
      expect(one.normalized_discounted_cumulative_gain_at_25).toBeGreaterThan(0);
      for (const threads of [2, 3]) {
        const run = trainingRun(threads);
        try {
          expect(evaluateOnThreads(run, arn, artifact, model, test, train.itemIds.length, fallback, opts, 0), `${name} on ${threads}`).toEqual(one);
        } finally {
          run.close();
        }
      }
    }
  }, 120_000);
});
