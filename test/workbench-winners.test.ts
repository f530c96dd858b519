// The evaluation workbench on data with planted structure: the recipe the structure favours wins, by a
// paired test over the same test users, and nothing beats popularity where taste plays no part.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../src/workbench/evaluate.js';
import { tempDir } from './helpers/data.js';
import { writePlanted, type Structure } from './helpers/planted.js';

const RECIPES = ['aws-user-personalization', 'aws-sims', 'aws-popularity-count'];

async function run(structure: Structure, baseline: string) {
  const data = writePlanted(join(tempDir('wb-'), structure), structure);
  const r = await evaluate({ data, recipes: RECIPES, baseline, seeds: 3, workers: 0, out: false });
  const ndcg = (name: string) => r.configurations.find((c) => c.name === name)!.model.metrics.normalized_discounted_cumulative_gain_at_10!;
  const vs = (name: string) => r.configurations.find((c) => c.name === name)!.model.comparison.normalized_discounted_cumulative_gain_at_10!;
  return { r, ndcg, vs };
}

describe('the right recipe wins where the planted structure says it must', () => {
  test('taste clusters: user-personalization beats popularity, significantly', async () => {
    const { ndcg, vs } = await run('clusters', 'aws-popularity-count');
    expect(ndcg('aws-user-personalization').mean).toBeGreaterThan(ndcg('aws-popularity-count').mean);
    expect(ndcg('aws-user-personalization').low).toBeGreaterThan(ndcg('aws-popularity-count').high);
    expect(vs('aws-user-personalization').difference).toBeGreaterThan(0);
    expect(vs('aws-user-personalization').pValue).toBeLessThan(0.001);
  });

  test('next-item sequences: sims, asked with the newest item, beats user-personalization, significantly', async () => {
    const { r, ndcg, vs } = await run('sequence', 'aws-user-personalization');
    expect(r.protocol.baseline).toBe('aws-user-personalization');
    expect(ndcg('aws-sims').mean).toBeGreaterThan(ndcg('aws-user-personalization').mean);
    expect(vs('aws-sims').difference).toBeGreaterThan(0);
    expect(vs('aws-sims').pValue).toBeLessThan(0.001);
    expect(vs('aws-sims').users).toBeGreaterThan(100);
  });

  test('popularity-only data: no recipe does better than popularity', async () => {
    const { ndcg, vs } = await run('popularity', 'aws-popularity-count');
    for (const name of ['aws-user-personalization', 'aws-sims']) {
      expect(ndcg(name).mean).toBeLessThan(ndcg('aws-popularity-count').mean);
      // Worse, or at best not significantly better.
      expect(vs(name).difference < 0 || vs(name).pValue > 0.05).toBe(true);
    }
  });
});
