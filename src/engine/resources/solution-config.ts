// Checks of CreateSolution's recipe choice and solutionConfig, and how it becomes a training config.
import { RECIPES } from '../../recipes/index.js';
import { CATALOGUE, catalogueEntry } from '../../recipes/catalogue.js';
import type { Recipe } from '../../recipes/types.js';
import { InvalidInputException } from '../errors.js';
import type { FieldSpec } from '../data/types.js';
import { SENSITIVITY_WEIGHT } from '../training/objective.js';
import type { TrainingDataConfig } from '../training/training-data.js';

const RECIPE_PREFIX = 'arn:aws:personalize:::recipe/';

export function builtRecipeNames(): string[] {
  return [...RECIPES.values()].map((r) => r.name);
}

/** The local recipe behind a recipe ARN, or a clear error saying what exists. */
export function recipeForSolution(recipeArn: string): Recipe {
  const name = recipeArn.startsWith(RECIPE_PREFIX) ? recipeArn.slice(RECIPE_PREFIX.length) : undefined;
  const entry = name ? catalogueEntry(name) : undefined;
  const available = builtRecipeNames().map((n) => RECIPE_PREFIX + n).join(', ');
  if (!entry) {
    throw new InvalidInputException(`recipeArn ${recipeArn} is not a Personalize recipe. Recipes trained locally: ${available}.`);
  }
  if (entry.domain) {
    throw new InvalidInputException(`${recipeArn} is a ${entry.domain} use case: use it with CreateRecommender, not CreateSolution.`);
  }
  const recipe = RECIPES.get(recipeArn);
  if (!recipe) {
    throw new InvalidInputException(`The recipe ${recipeArn} is not built in personalize-local yet. Recipes trained locally: ${available}.`);
  }
  return recipe;
}

export interface SolutionConfig {
  eventValueThreshold?: string;
  algorithmHyperParameters?: Record<string, string>;
  featureTransformationParameters?: Record<string, string>;
  hpoConfig?: {
    hpoObjective?: { type?: string; metricName?: string; metricRegex?: string };
    hpoResourceConfig?: { maxNumberOfTrainingJobs?: string; maxParallelTrainingJobs?: string };
    algorithmHyperParameterRanges?: {
      integerHyperParameterRanges?: { name?: string; minValue?: number; maxValue?: number }[];
      continuousHyperParameterRanges?: { name?: string; minValue?: number; maxValue?: number }[];
      categoricalHyperParameterRanges?: { name?: string; values?: string[] }[];
    };
  };
  autoMLConfig?: { metricName?: string; recipeList?: string[] };
  eventsConfig?: { eventParametersList?: { eventType?: string; eventValueThreshold?: number; weight?: number }[] };
  optimizationObjective?: { itemAttribute?: string; objectiveSensitivity?: string };
  trainingDataConfig?: { excludedDatasetColumns?: Record<string, string[]>; includedDatasetColumns?: Record<string, string[]> };
  autoTrainingConfig?: { schedulingExpression?: string };
}

/**
 * Validate hyperparameters against the recipe (Personalize's names, ranges) and the config's other parts.
 * `itemFields`: the group's Items schema (undefined: no Items dataset), for optimizationObjective.
 */
export function checkSolutionConfig(recipe: Recipe, cfg: SolutionConfig | undefined, itemFields?: readonly FieldSpec[]): void {
  if (!cfg) return;
  if (cfg.eventValueThreshold !== undefined && !Number.isFinite(Number(cfg.eventValueThreshold))) {
    throw new InvalidInputException(`solutionConfig.eventValueThreshold must be a number in a string, e.g. "0.5" (got ${JSON.stringify(cfg.eventValueThreshold)}).`);
  }
  const specs = new Map(recipe.hyperParameters.map((h) => [h.name, h]));
  for (const [k, v] of Object.entries(cfg.algorithmHyperParameters ?? {})) {
    const spec = specs.get(k);
    if (!spec) {
      throw new InvalidInputException(`${recipe.name} has no hyperparameter "${k}". Its hyperparameters: ${[...specs.keys()].join(', ') || 'none'}.`);
    }
    if (spec.type === 'categorical') {
      if (spec.values && !spec.values.includes(String(v).toLowerCase())) throw new InvalidInputException(`Hyperparameter ${k} must be one of ${spec.values.join(', ')} (got "${v}").`);
      continue;
    }
    const n = Number(v);
    const okType = spec.type === 'integer' ? Number.isInteger(n) : Number.isFinite(n);
    if (!okType || (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
      throw new InvalidInputException(`Hyperparameter ${k} must be ${spec.type === 'integer' ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}] (got "${v}").`);
    }
  }
  const weights = cfg.eventsConfig?.eventParametersList ?? [];
  if (weights.length > 10) throw new InvalidInputException('solutionConfig.eventsConfig.eventParametersList has more than 10 entries.');
  for (const p of weights) {
    if (p.weight !== undefined && (p.weight < 0 || p.weight > 1)) throw new InvalidInputException(`eventsConfig weight for ${p.eventType} must be between 0 and 1 (got ${p.weight}).`);
  }
  if (cfg.optimizationObjective) checkObjective(recipe, cfg.optimizationObjective, itemFields);
  const sched = cfg.autoTrainingConfig?.schedulingExpression;
  if (sched !== undefined) {
    const m = /^rate\((\d+) days?\)$/.exec(sched);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 30) throw new InvalidInputException(`autoTrainingConfig.schedulingExpression must be rate(N days) with N from 1 to 30 (got "${sched}").`);
  }
}

const OBJECTIVE_RECIPES = new Set(['aws-user-personalization', 'aws-personalized-ranking']);
const NUMERIC = new Set(['int', 'long', 'float', 'double']);

/** optimizationObjective: UP and PR (v1) only, on one numeric, non-nullable column of the Items schema. */
function checkObjective(recipe: Recipe, o: NonNullable<SolutionConfig['optimizationObjective']>, itemFields: readonly FieldSpec[] | undefined): void {
  if (!OBJECTIVE_RECIPES.has(recipe.name)) {
    throw new InvalidInputException(`solutionConfig.optimizationObjective is only supported by aws-user-personalization and aws-personalized-ranking (this solution uses ${recipe.name}).`);
  }
  const sens = o.objectiveSensitivity;
  if (sens !== undefined && !(sens in SENSITIVITY_WEIGHT)) {
    throw new InvalidInputException(`optimizationObjective.objectiveSensitivity must be one of OFF, LOW, MEDIUM, HIGH (got ${JSON.stringify(sens)}).`);
  }
  const name = o.itemAttribute;
  if (typeof name !== 'string' || name.length < 1 || name.length > 150) {
    throw new InvalidInputException('optimizationObjective.itemAttribute is required: the name of a numeric column of the Items dataset (1 to 150 characters).');
  }
  if (!itemFields) throw new InvalidInputException(`optimizationObjective.itemAttribute ${name} needs an Items dataset in the dataset group; create it first.`);
  const f = itemFields.find((x) => x.name === name);
  if (!f) throw new InvalidInputException(`optimizationObjective.itemAttribute ${name} is not a column of the Items schema (${itemFields.map((x) => x.name).join(', ')}).`);
  if (!NUMERIC.has(f.type)) throw new InvalidInputException(`optimizationObjective.itemAttribute ${name} must be a numeric column (int, long, float or double); it is ${f.type}.`);
  if (f.nullable) throw new InvalidInputException(`optimizationObjective.itemAttribute ${name} must not be nullable; its schema type allows null.`);
}

export function trainingDataConfig(eventType: string | undefined, cfg: SolutionConfig | undefined): TrainingDataConfig {
  const items = (m: Record<string, string[]> | undefined) => (m ? Object.entries(m).find(([k]) => k.toUpperCase() === 'ITEMS')?.[1] : undefined);
  return {
    eventType,
    eventValueThreshold: cfg?.eventValueThreshold !== undefined ? Number(cfg.eventValueThreshold) : undefined,
    eventParameters: cfg?.eventsConfig?.eventParametersList,
    excludedItemColumns: items(cfg?.trainingDataConfig?.excludedDatasetColumns),
    includedItemColumns: items(cfg?.trainingDataConfig?.includedDatasetColumns),
  };
}

/** Hyperparameters with the recipe's defaults filled in, plus feature-transformation parameters. */
export function trainingParams(recipe: Recipe, cfg: SolutionConfig | undefined): Record<string, string> {
  const entry = CATALOGUE.find((c) => c.name === recipe.name);
  const out: Record<string, string> = { ...(entry?.featureParameters ?? {}) };
  for (const h of recipe.hyperParameters) out[h.name] = h.default;
  Object.assign(out, cfg?.featureTransformationParameters ?? {}, cfg?.algorithmHyperParameters ?? {});
  return out;
}
