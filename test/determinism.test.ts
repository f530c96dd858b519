// Same data + same seed = the same model, bit for bit: twice in a row, and in a worker or on the main thread.
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { decodeBundle } from '../src/engine/training/bundle.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const csv = writeCsv(tempDir(), 'i.csv', zipfInteractions({ users: 80, items: 30, perUser: 8, seed: 4 }).csv);
const clients: LocalPersonalize[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));

async function train(trainingWorkers: number | undefined, recipe: string) {
  const p = new LocalPersonalize({ inMemory: true, seed: 7, trainingWorkers, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
  clients.push(p);
  const { schemaArn } = await p.createSchema({ name: 's', schema: INTERACTIONS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await p.createDatasetImportJob({ jobName: 'j', datasetArn, dataSource: { dataLocation: csv } });
  const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, performAutoTraining: false, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
  const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
  const bundle = decodeBundle(p.engine.models.bytesOf(solutionVersionArn));
  const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn });
  const recs = await p.getRecommendations({ campaignArn, userId: 'user-3', itemId: 'item-2', numResults: 10 });
  const { metrics } = await p.getSolutionMetrics({ solutionVersionArn });
  return { solutionVersionArn, bundle, recs, metrics };
}

describe('determinism', () => {
  for (const recipe of ['aws-user-personalization', 'aws-sims', 'aws-popularity-count']) {
    it(`${recipe}: a worker and the main thread train identical models and answer identically`, async () => {
      const inWorker = await train(undefined, recipe);
      const inline = await train(0, recipe);
      const again = await train(undefined, recipe);
      expect(inWorker.bundle.info.trainedOn).toBe('worker thread');
      expect(inline.bundle.info.trainedOn).toBe('main thread');
      expect(inline.solutionVersionArn).toBe(inWorker.solutionVersionArn);
      for (const [name, arr] of Object.entries(inWorker.bundle.artifact.arrays)) {
        expect(Buffer.from(inline.bundle.artifact.arrays[name]!.buffer).equals(Buffer.from(arr.buffer)), name).toBe(true);
        expect(Buffer.from(again.bundle.artifact.arrays[name]!.buffer).equals(Buffer.from(arr.buffer)), name).toBe(true);
      }
      expect(inline.recs.itemList).toEqual(inWorker.recs.itemList);
      expect(again.recs).toEqual({ ...inWorker.recs, $metadata: again.recs.$metadata });
      expect(inline.metrics).toEqual(inWorker.metrics);
    });
  }
});
