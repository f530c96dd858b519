// The scale5m / scale25m suites' own process (bench/scale25m.ts spawns it, so its peak memory is measured alone):
// import the file, train each recipe (offline metrics included), serve a campaign. Prints `PHASE name` lines as it
// goes and one `RESULT {json}` line at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPersonalize } from '../src/index.js';

const SCHEMA = JSON.stringify({ type: 'record', name: 'Interactions', fields: [
  { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' },
  { name: 'EVENT_TYPE', type: 'string' }, { name: 'EVENT_VALUE', type: 'float' },
] });
export const SCALE_RECIPES = ['aws-popularity-count', 'aws-sims', 'aws-user-personalization'];

async function main(): Promise<void> {
  const [csv, users, recipes = SCALE_RECIPES.join(',')] = process.argv.slice(2);
  const phase = (name: string): void => { process.stdout.write(`PHASE ${name}\n`); };
  const dir = mkdtempSync(join(tmpdir(), 'personalize-local-scale25m-'));
  const p = new LocalPersonalize({ dataDir: join(dir, 'state'), seed: 1 });
  const out: Record<string, number> = {};
  const time = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    phase(name);
    const t0 = performance.now();
    const r = await fn();
    out[name] = (performance.now() - t0) / 1000;
    return r;
  };
  try {
    const { schemaArn } = await p.createSchema({ name: 'i', schema: SCHEMA });
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
    const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
    await time('import', () => p.createDatasetImportJob({ jobName: 'full', datasetArn, dataSource: { dataLocation: csv! } }));
    let upVersion = '';
    for (const recipe of recipes.split(',')) {
      const { solutionArn } = await p.createSolution({ name: recipe, datasetGroupArn, performAutoTraining: false, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
      const { solutionVersionArn } = await time(`train ${recipe}`, () => p.createSolutionVersion({ solutionArn }));
      if (recipe === 'aws-user-personalization') {
        upVersion = solutionVersionArn;
        const { metrics } = await p.getSolutionMetrics({ solutionVersionArn });
        out['ndcg@25 aws-user-personalization'] = metrics!.normalized_discounted_cumulative_gain_at_25!;
      }
    }
    if (upVersion) {
      phase('serve');
      const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn: upVersion });
      await time('first GetRecommendations', () => p.getRecommendations({ campaignArn, userId: '1', numResults: 25 }));
      const n = Number(users), lat: number[] = [];
      for (let q = 0; q < 1000; q++) {
        const userId = String(1 + ((q * 7919) % n));
        const t0 = performance.now();
        await p.getRecommendations({ campaignArn, userId, numResults: 25 });
        lat.push(performance.now() - t0);
      }
      lat.sort((a, b) => a - b);
      out['GetRecommendations median ms'] = lat[500]!;
      out['GetRecommendations p99 ms'] = lat[990]!;
    }
    process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
  } finally {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
