// Same data + same seeds = the same results.json bytes (apart from its timing section), run after run and
// whatever the number of worker threads; jobs run on the workers from the compiled dist/ (npm test builds).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { evaluate } from '../src/workbench/evaluate.js';
import { tempDir } from './helpers/data.js';
import { writePlanted } from './helpers/planted.js';

function withoutTiming(file: string): string {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  delete doc.timing;
  return JSON.stringify(doc, null, 2);
}

test('results.json is identical across runs and across 1 and 2 workers, timing aside', async () => {
  const root = tempDir('wb-det-');
  const data = writePlanted(join(root, 'data'), 'clusters', { users: 200 });
  const config = [
    { name: 'up', recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization', campaignConfig: { itemExplorationConfig: { explorationWeight: '0.3' } } },
    { name: 'sims-all-items', recipeArn: 'arn:aws:personalize:::recipe/aws-sims', solutionConfig: { featureTransformationParameters: { max_item_interaction_count_percentile: '1' } } },
  ];
  const run = (workers: number, out: string) => evaluate({ data, config, seeds: 2, workers, out: join(root, out) });
  await run(1, 'a');
  await run(2, 'b');
  await run(2, 'c');
  const a = withoutTiming(join(root, 'a', 'results.json'));
  expect(withoutTiming(join(root, 'b', 'results.json'))).toBe(a);
  expect(withoutTiming(join(root, 'c', 'results.json'))).toBe(a);
  expect(readFileSync(join(root, 'b', 'results.csv'), 'utf8')).toBe(readFileSync(join(root, 'a', 'results.csv'), 'utf8'));
  // results.csv: one row per configuration, kind of list, segment and metric.
  const csv = readFileSync(join(root, 'a', 'results.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('configuration,recipe,lists,segment,metric,mean,low,high,n,baseline,difference,difference_low,difference_high,p_value,paired_users');
  expect(csv.some((l) => l.startsWith('up,aws-user-personalization,model,all,normalized_discounted_cumulative_gain_at_10,'))).toBe(true);
  expect(csv.some((l) => l.startsWith('up,aws-user-personalization,served,all,explored_share_at_25,'))).toBe(true);
  expect(csv.some((l) => /^sims-all-items,aws-sims,model,history 20\+,recall_at_25,/.test(l))).toBe(true);
  // The timing section is where the wall-clock figures are, and the worker count.
  const doc = JSON.parse(readFileSync(join(root, 'b', 'results.json'), 'utf8'));
  expect(doc.timing.workers).toBe(2);
  expect(doc.timing.jobs).toHaveLength(6);
  expect(doc.format).toBe('personalize-local/evaluation');
  expect(doc.version).toBe(1);
});
