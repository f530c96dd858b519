// HPO and AutoML: several candidates trained, the best kept by an offline metric, and reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const p = new LocalPersonalize({ inMemory: true, minimums: { interactions: 100, usersWithTwoInteractions: 5 } });
afterAll(() => p.close());
let datasetGroupArn = '';

beforeAll(async () => {
  const { schemaArn } = await p.createSchema({ name: 's', schema: INTERACTIONS_SCHEMA });
  ({ datasetGroupArn } = await p.createDatasetGroup({ name: 'g' }));
  const { datasetArn } = await p.createDataset({ name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await p.createDatasetImportJob({ jobName: 'j', datasetArn, dataSource: { dataLocation: writeCsv(tempDir(), 'i.csv', zipfInteractions({ users: 80, items: 25, perUser: 8 }).csv) } });
});

describe('performHPO', () => {
  it('searches the given ranges and reports the tuned hyperparameters', async () => {
    const { solutionArn } = await p.createSolution({
      name: 'hpo', datasetGroupArn, performHPO: true, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-sims',
      solutionConfig: { hpoConfig: {
        hpoResourceConfig: { maxNumberOfTrainingJobs: '4', maxParallelTrainingJobs: '2' },
        algorithmHyperParameterRanges: { continuousHyperParameterRanges: [{ name: 'popularity_discount_factor', minValue: 0, maxValue: 1 }] },
      } },
    });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    const { solutionVersion } = await p.describeSolutionVersion({ solutionVersionArn });
    expect(solutionVersion.status).toBe('ACTIVE');
    const tuned = solutionVersion.tunedHPOParams.algorithmHyperParameters;
    expect(Object.keys(tuned)).toEqual(['popularity_discount_factor']);
    expect(Number(tuned.popularity_discount_factor)).toBeGreaterThanOrEqual(0);
    expect(Number(tuned.popularity_discount_factor)).toBeLessThanOrEqual(1);
  });

  it('rejects ranges of unknown or untunable hyperparameters, and out of range', async () => {
    const make = (ranges: Record<string, unknown>) => p.createSolution({
      name: `bad-${Math.random().toString(36).slice(2)}`, datasetGroupArn, performHPO: true, recipeArn: 'arn:aws:personalize:::recipe/aws-sims',
      solutionConfig: { hpoConfig: { algorithmHyperParameterRanges: ranges } },
    });
    await expect(make({ integerHyperParameterRanges: [{ name: 'depth', minValue: 1, maxValue: 2 }] })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/no tunable hyperparameter "depth"/) });
    await expect(make({ continuousHyperParameterRanges: [{ name: 'popularity_discount_factor', minValue: 0.5, maxValue: 2 }] })).rejects.toMatchObject({ message: expect.stringMatching(/within \[0, 1\]/) });
  });
});

describe('performAutoML', () => {
  it('trains each recipe of the list and records the best', async () => {
    const { solutionArn } = await p.createSolution({
      name: 'automl', datasetGroupArn, performAutoML: true, performAutoTraining: false,
      solutionConfig: { autoMLConfig: { metricName: 'precision_at_25', recipeList: ['arn:aws:personalize:::recipe/aws-user-personalization', 'arn:aws:personalize:::recipe/aws-user-personalization-v2'] } },
    });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    const { solution } = await p.describeSolution({ solutionArn });
    expect(solution.autoMLResult.bestRecipeArn).toMatch(/^arn:aws:personalize:::recipe\/aws-user-personalization(-v2)?$/);
    expect((await p.describeSolutionVersion({ solutionVersionArn })).solutionVersion.recipeArn).toBe(solution.autoMLResult.bestRecipeArn);
    await expect(p.createSolution({ name: 'automl-bad', datasetGroupArn, performAutoML: true, solutionConfig: { autoMLConfig: { recipeList: ['arn:aws:personalize:::recipe/aws-sims'] } } }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/only name USER_PERSONALIZATION/) });
  });
});
