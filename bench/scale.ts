// Scale benchmark: the whole path on the import bench's 1M-row interactions file (~487k users, 50k items)
// through the in-process client, on a state directory: import job, training, first requests, an
// INCREMENTAL import. Absolute seconds (no same-run baseline fits these).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPersonalize } from '../src/index.js';
import { interactionsCsv } from './import.js';
import type { BenchResult } from './types.js';

const SCHEMA = JSON.stringify({ type: 'record', name: 'Interactions', fields: [
  { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' },
  { name: 'EVENT_TYPE', type: 'string' },
] });

async function seconds<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const out = await fn();
  return [(performance.now() - t0) / 1000, out];
}

export async function runScaleBench(): Promise<BenchResult[]> {
  const csv = interactionsCsv(1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'personalize-local-scale-'));
  const p = new LocalPersonalize({ dataDir: join(dir, 'state'), seed: 1 });
  try {
    const { schemaArn } = await p.createSchema({ name: 'i', schema: SCHEMA });
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
    const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
    const [importS] = await seconds(() => p.createDatasetImportJob({ jobName: 'full', datasetArn, dataSource: { dataLocation: csv } }));
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const [trainS, { solutionVersionArn }] = await seconds(() => p.createSolutionVersion({ solutionArn }));
    const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn });
    const [firstS] = await seconds(() => p.getRecommendations({ campaignArn, userId: 'u1', numResults: 25 }));
    const { filterArn } = await p.createFilter({ name: 'f', datasetGroupArn, filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")' });
    const [filteredS] = await seconds(() => p.getRecommendations({ campaignArn, userId: 'u2', numResults: 25, filterArn }));
    const more = join(dir, 'more.csv');
    writeFileSync(more, ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE', ...Array.from({ length: 1000 }, (_, i) => `u${i},i${i % 500},${1_800_000_000 + i},click`)].join('\n') + '\n');
    const [incrementalS] = await seconds(() => p.createDatasetImportJob({ jobName: 'more', datasetArn, importMode: 'INCREMENTAL', dataSource: { dataLocation: more } }));
    const s = (name: string, value: number): BenchResult => ({ name: `scale 1M interactions: ${name}`, value: Math.round(value * 1000) / 1000, unit: 's' });
    return [
      s('import job (FULL)', importS),
      s('train aws-popularity-count (incl. offline metrics)', trainS),
      s('first GetRecommendations after CreateCampaign', firstS),
      s('first GetRecommendations with an EVENT_TYPE filter (builds the history index)', filteredS),
      s('INCREMENTAL import of 1,000 rows', incrementalS),
    ];
  } finally {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
