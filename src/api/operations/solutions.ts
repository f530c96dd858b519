// Solutions, solution versions, metrics, and the recipe catalogue (recipes, algorithms, feature transformations).
import type { Engine } from '../../engine/core/engine.js';
import { ResourceNotFoundException } from '../../engine/errors.js';
import {
  createSolution, createSolutionVersion, deleteSolution, getSolutionMetrics, stopSolutionVersionCreation, updateSolution,
} from '../../engine/resources/solutions.js';
import type { ResourceRecord } from '../../engine/store/types.js';
import { CATALOGUE, catalogueEntry, type CatalogueEntry } from '../../recipes/catalogue.js';
import type { PersonalizeApi } from '../api.js';
import { paginate } from '../paginate.js';
import { registerDescribe, registerList } from './common.js';

type In = Record<string, any>;

// Personalize's built-in recipes have fixed creation dates; one constant keeps responses deterministic.
const CATALOGUE_TIME = Date.UTC(2019, 5, 10) / 1000;

function latestSolutionVersion(e: Engine, sol: ResourceRecord): Record<string, unknown> {
  const v = e.store.list('solutionVersion', sol.arn).at(-1);
  if (!v) return {};
  return {
    latestSolutionVersion: {
      solutionVersionArn: v.arn, status: e.status(v), trainingMode: v.props.trainingMode, trainingType: v.props.trainingType,
      creationDateTime: v.createdAt / 1000, lastUpdatedDateTime: v.updatedAt / 1000,
      ...(e.status(v) === v.status && v.failureReason ? { failureReason: v.failureReason } : {}),
    },
  };
}

function byArn(prefix: string, arn: string, what: string, has: (c: CatalogueEntry) => string | undefined): CatalogueEntry {
  const name = arn.startsWith(prefix) ? arn.slice(prefix.length) : '';
  const entry = CATALOGUE.find((c) => has(c) === name);
  if (!entry) throw new ResourceNotFoundException(`Could not find the ${what} ${arn}. List recipes with ListRecipes.`);
  return entry;
}

function ranges(c: CatalogueEntry) {
  const hp = c.hyperParameters;
  return {
    integerHyperParameterRanges: hp.filter((h) => h.type === 'integer').map((h) => ({ name: h.name, minValue: h.min, maxValue: h.max, isTunable: h.tunable })),
    continuousHyperParameterRanges: hp.filter((h) => h.type === 'continuous').map((h) => ({ name: h.name, minValue: h.min, maxValue: h.max, isTunable: h.tunable })),
    categoricalHyperParameterRanges: hp.filter((h) => h.type === 'categorical').map((h) => ({ name: h.name, values: h.values, isTunable: h.tunable })),
  };
}

export function registerSolutionOperations(api: PersonalizeApi, e: Engine): void {
  api.register('CreateSolution', (i: In) => ({ solutionArn: createSolution(e, i as never) }));
  api.register('UpdateSolution', (i: In) => ({ solutionArn: updateSolution(e, i as never) }));
  api.register('DeleteSolution', (i: In) => { deleteSolution(e, i.solutionArn); return undefined; });
  registerDescribe(api, e, 'DescribeSolution', 'solution', 'solution', latestSolutionVersion);
  registerList(api, e, 'ListSolutions', 'solution', 'solutions', { member: 'datasetGroupArn', kind: 'datasetGroup' });

  api.register('CreateSolutionVersion', async (i: In) => ({ solutionVersionArn: await createSolutionVersion(e, i as never) }));
  api.register('StopSolutionVersionCreation', (i: In) => { stopSolutionVersionCreation(e, i.solutionVersionArn); return undefined; });
  registerDescribe(api, e, 'DescribeSolutionVersion', 'solutionVersion', 'solutionVersion');
  registerList(api, e, 'ListSolutionVersions', 'solutionVersion', 'solutionVersions', { member: 'solutionArn', kind: 'solution' });
  api.register('GetSolutionMetrics', (i: In) => ({ solutionVersionArn: i.solutionVersionArn, metrics: getSolutionMetrics(e, i.solutionVersionArn) }));

  api.register('DescribeRecipe', (i: In) => {
    const c = byArn('arn:aws:personalize:::recipe/', i.recipeArn, 'recipe', (x) => x.name);
    return {
      recipe: {
        name: c.name, recipeArn: `arn:aws:personalize:::recipe/${c.name}`, algorithmArn: `arn:aws:personalize:::algorithm/${c.algorithm}`,
        ...(c.featureTransformation ? { featureTransformationArn: `arn:aws:personalize:::feature-transformation/${c.featureTransformation}` } : {}),
        status: 'ACTIVE', description: c.description, recipeType: c.recipeType, creationDateTime: CATALOGUE_TIME, lastUpdatedDateTime: CATALOGUE_TIME,
      },
    };
  });
  api.register('ListRecipes', (i: In) => {
    const list = CATALOGUE.filter((c) => (i.domain ? c.domain === i.domain : true));
    const { page, nextToken } = paginate(list, (c) => String(CATALOGUE.indexOf(c)).padStart(4, '0'), i.maxResults, i.nextToken);
    return {
      recipes: page.map((c) => ({
        name: c.name, recipeArn: `arn:aws:personalize:::recipe/${c.name}`, status: 'ACTIVE',
        creationDateTime: CATALOGUE_TIME, lastUpdatedDateTime: CATALOGUE_TIME, ...(c.domain ? { domain: c.domain } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  });
  api.register('DescribeAlgorithm', (i: In) => {
    const c = byArn('arn:aws:personalize:::algorithm/', i.algorithmArn, 'algorithm', (x) => x.algorithm);
    return {
      algorithm: {
        name: c.algorithm, algorithmArn: `arn:aws:personalize:::algorithm/${c.algorithm}`,
        algorithmImage: { name: c.algorithm, dockerURI: `personalize-local/${c.algorithm}` },
        defaultHyperParameters: Object.fromEntries(c.hyperParameters.map((h) => [h.name, h.default])),
        defaultHyperParameterRanges: ranges(c),
        defaultResourceConfig: {},
        trainingInputMode: 'File',
        creationDateTime: CATALOGUE_TIME, lastUpdatedDateTime: CATALOGUE_TIME,
      },
    };
  });
  api.register('DescribeFeatureTransformation', (i: In) => {
    const c = byArn('arn:aws:personalize:::feature-transformation/', i.featureTransformationArn, 'feature transformation', (x) => x.featureTransformation);
    return {
      featureTransformation: {
        name: c.featureTransformation, featureTransformationArn: i.featureTransformationArn, defaultParameters: c.featureParameters,
        status: 'ACTIVE', creationDateTime: CATALOGUE_TIME, lastUpdatedDateTime: CATALOGUE_TIME,
      },
    };
  });
  void catalogueEntry;
}
