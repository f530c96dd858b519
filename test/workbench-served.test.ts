// "What your users would see": served lists through the serving pipeline, with a campaign's exploration and
// a filter, scored against the same held-out items as the model's lists.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { evaluate } from '../src/workbench/evaluate.js';
import { tempDir } from './helpers/data.js';
import { writePlanted } from './helpers/planted.js';

const UP = 'arn:aws:personalize:::recipe/aws-user-personalization';
const data = writePlanted(join(tempDir('wb-served-'), 'data'), 'clusters', { users: 300 });

test('exploration costs accuracy and buys coverage, measured on the same users', async () => {
  // Popular items dominate the lists here; exploration gives slots to the coldest items instead.
  const zipf = writePlanted(join(tempDir('wb-served-'), 'zipf'), 'popularity', { users: 300, items: 2000 });
  const excludeSeen = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")';
  const r = await evaluate({
    data: zipf, seeds: 2, workers: 0, out: false, config: [
      { name: 'no-exploration', recipeArn: UP, campaignConfig: { itemExplorationConfig: { explorationWeight: '0' } }, filterExpression: excludeSeen },
      { name: 'exploration', recipeArn: UP, campaignConfig: { itemExplorationConfig: { explorationWeight: '0.3', explorationItemAgeCutOff: '365' } }, filterExpression: excludeSeen },
    ],
  });
  const [none, full] = r.configurations as [typeof r.configurations[0], typeof r.configurations[0]];
  expect(none.served!.metrics.explored_share_at_25!.mean).toBe(0);
  expect(full.served!.metrics.explored_share_at_25!.mean).toBeCloseTo(0.3, 1);
  expect(full.served!.metrics.coverage!.mean).toBeGreaterThan(none.served!.metrics.coverage!.mean);
  expect(full.served!.metrics.normalized_discounted_cumulative_gain_at_10!.mean).toBeLessThan(none.served!.metrics.normalized_discounted_cumulative_gain_at_10!.mean);
  // The model's lists do not depend on the campaign: both configurations trained the same models.
  expect(full.model.metrics).toEqual(none.model.metrics);
  // Served against model lists of the same users: a paired difference with its p-value.
  expect(full.served!.versusModel.normalized_discounted_cumulative_gain_at_10!.difference).toBeLessThan(0);
  expect(full.served!.versusModel.normalized_discounted_cumulative_gain_at_10!.users).toBeGreaterThan(30);
});

test('served lists leave out what users had on repeat-free data by themselves (the repeat stage); filters still apply', async () => {
  const r = await evaluate({
    data, seeds: 1, workers: 0, out: false, config: [
      { name: 'unfiltered', recipeArn: UP, campaignConfig: { itemExplorationConfig: { explorationWeight: '0' } } },
      { name: 'exclude-seen', recipeArn: UP, campaignConfig: { itemExplorationConfig: { explorationWeight: '0' } }, filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")' },
      { name: 'one-taste', recipeArn: UP, filterExpression: 'INCLUDE ItemID WHERE Items.GENRES IN ($G)', filterValues: { G: '"taste-3"' } },
    ],
  });
  const [unfiltered, excludeSeen, oneTaste] = r.configurations;
  // Nobody here comes back to an item, and the model learned that from the data: at most 2 history items in 25.
  expect(unfiltered!.served!.metrics.history_share_at_25!.mean).toBeLessThanOrEqual(2 / 25);
  expect(excludeSeen!.served!.metrics.history_share_at_25!.mean).toBe(0);
  // With the history excluded by the filter, served lists are the model's lists.
  expect(excludeSeen!.served!.perSeed.normalized_discounted_cumulative_gain_at_10).toEqual(excludeSeen!.model.perSeed.normalized_discounted_cumulative_gain_at_10);
  // Only taste-3 items (every 8th of 200: 25 items) can be served.
  expect(oneTaste!.served!.metrics.coverage!.mean).toBeLessThanOrEqual(25 / 200);
  const sample = r.samples.users.find((u) => u.lists['one-taste']?.served);
  for (const id of sample!.lists['one-taste']!.served!) expect(Number(id.slice(1)) % 8).toBe(3);
});
