// What the workbench compares: --recipe names and/or a JSON list of CreateSolution inputs (plus an optional
// campaignConfig and filter per entry), checked with the same rules and messages as CreateSolution,
// CreateCampaign and CreateFilter, so a configuration that wins here can be pasted into a real call.
import { operationShape } from '../api/api.js';
import type { Shape } from '../api/shape-types.js';
import { validateShape } from '../api/validate.js';
import type { FieldSpec } from '../engine/data/types.js';
import { InvalidInputException } from '../engine/errors.js';
import { compileFilter, validateFilterValues, type FilterSchemaInfo } from '../engine/filters/index.js';
import { checkCampaignConfig } from '../engine/resources/campaigns.js';
import type { CampaignConfig } from '../engine/serving/serving-config.js';
import { builtRecipeNames, checkSolutionConfig, recipeForSolution, trainingDataConfig, trainingParams, type SolutionConfig } from '../engine/resources/solution-config.js';
import { autoMLRecipes, checkHpoConfig, DEFAULT_OBJECTIVE } from '../engine/resources/tuning.js';
import type { TrainingDataConfig } from '../engine/training/training-data.js';
import { recipeByName } from '../recipes/index.js';
import type { RecipeType } from '../recipes/types.js';

const RECIPE_PREFIX = 'arn:aws:personalize:::recipe/';
/** Recipes whose answer is a ranked list of items for a user, which is what the workbench scores. */
const LIST_RECIPES: ReadonlySet<RecipeType> = new Set(['USER_PERSONALIZATION', 'POPULAR_ITEMS', 'RELATED_ITEMS', 'PERSONALIZED_RANKING']);

/** One entry of a --config file: CreateSolution's input, plus what a campaign and a request would add. */
export interface SolutionEntry {
  name?: string;
  recipeArn?: string;
  eventType?: string;
  performHPO?: boolean;
  performAutoML?: boolean;
  solutionConfig?: SolutionConfig;
  /** CreateCampaign's campaignConfig: exploration and ranking influence of the served lists. */
  campaignConfig?: CampaignConfig;
  /** A CreateFilter expression applied to the served lists, with the request's filterValues. */
  filterExpression?: string;
  filterValues?: Record<string, string>;
}

const CREATE_SOLUTION_ONLY = ['datasetGroupArn', 'performAutoTraining', 'performIncrementalUpdate', 'tags'];
const ENTRY_KEYS = ['name', 'recipeArn', 'eventType', 'performHPO', 'performAutoML', 'solutionConfig', 'campaignConfig', 'filterExpression', 'filterValues'];

/** A checked configuration, ready to be trained once per seed. */
export interface Configuration {
  name: string;
  /** The entry as given (names filled in), for results.json and for pasting into CreateSolution. */
  entry: SolutionEntry;
  recipe: string;
  recipeType: RecipeType;
  /** Hyperparameters with defaults and feature-transformation parameters, as a solution version trains with. */
  params: Record<string, string>;
  /** How the interactions become training data (eventType, eventsConfig, item columns). */
  dataConfig: TrainingDataConfig;
  /** HPO / AutoML: the metric that picks the candidate on an inner split of the training part. */
  tuning?: { kind: 'hpo' | 'automl'; objective: string };
  /** Whether the served lists (campaignConfig / filter) are evaluated too. */
  served: boolean;
  /** Added because it is the baseline, not asked for. */
  addedAsBaseline: boolean;
}

export interface ConfigContext { items?: FieldSpec[]; users?: FieldSpec[]; interactions: FieldSpec[] }

/** The recipes the workbench can compare (built locally, answering with a list of items). */
export function comparableRecipes(): string[] {
  return builtRecipeNames().filter((n) => LIST_RECIPES.has(recipeByName(n)!.recipeType));
}

function fail(where: string, message: string): never {
  throw new InvalidInputException(`${where}: ${message}`);
}

/** A recipe name or ARN as a recipe ARN. */
export function recipeArnOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : RECIPE_PREFIX + nameOrArn;
}

function filterInfo(ctx: ConfigContext): FilterSchemaInfo {
  return { items: ctx.items, users: ctx.users, interactions: { hasEventType: ctx.interactions.some((f) => f.name === 'EVENT_TYPE') } };
}

/** Check one entry as CreateSolution (+ CreateCampaign, CreateFilter) would; `where` prefixes every message. */
export function checkEntry(raw: unknown, where: string, ctx: ConfigContext): Omit<Configuration, 'name' | 'addedAsBaseline'> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(where, 'each entry must be an object shaped like CreateSolution\'s input, e.g. {"recipeArn": "arn:aws:personalize:::recipe/aws-sims"}.');
  const given = raw as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !ENTRY_KEYS.includes(k) && !CREATE_SOLUTION_ONLY.includes(k));
  if (unknown.length) fail(where, `unknown field ${JSON.stringify(unknown[0])}; an entry takes ${ENTRY_KEYS.join(', ')}.`);
  const entry: SolutionEntry = {};
  for (const k of ENTRY_KEYS) if (given[k] !== undefined) (entry as Record<string, unknown>)[k] = given[k];
  const solutionShape = operationShape('CreateSolution')!.input as Shape;
  const campaignShape = (operationShape('CreateCampaign')!.input as Extract<Shape, { type: 'structure' }>).members.campaignConfig!;
  try {
    // CreateSolution's own shape checks; name and dataset group are the workbench's, so placeholders stand in.
    validateShape(solutionShape, { ...entry, name: entry.name ?? 'evaluate', datasetGroupArn: 'arn:aws:personalize:us-east-1:000000000000:dataset-group/evaluate', campaignConfig: undefined, filterExpression: undefined, filterValues: undefined }, '', '');
    if (entry.campaignConfig !== undefined) validateShape(campaignShape, entry.campaignConfig, 'campaignConfig', 'campaignConfig');
    if (entry.filterExpression !== undefined && typeof entry.filterExpression !== 'string') fail('filterExpression', 'must be a string.');
    validateFilterValues(entry.filterValues as Record<string, unknown> | undefined);
  } catch (e) {
    fail(where, (e as Error).message);
  }
  if (entry.name !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9\-_.=,\[\]]{0,62}$/.test(entry.name)) {
    fail(where, `name ${JSON.stringify(entry.name)} must be 1-63 letters, digits and - _ . = , [ ] (it names the configuration in the report).`);
  }
  const solution = entry.performAutoML && !entry.recipeArn
    ? { ...entry, recipeArn: RECIPE_PREFIX + autoMLRecipes(entry.solutionConfig?.autoMLConfig?.recipeList)[0]!.name }
    : entry;
  if (!solution.recipeArn) fail(where, 'recipeArn is required (unless performAutoML is true), e.g. "arn:aws:personalize:::recipe/aws-user-personalization".');
  let recipe;
  try {
    recipe = recipeForSolution(solution.recipeArn);
    if (!LIST_RECIPES.has(recipe.recipeType)) {
      throw new InvalidInputException(`${recipe.name} is a ${recipe.recipeType} recipe, which does not recommend items to users; ` +
        `the workbench compares ${comparableRecipes().join(', ')}.`);
    }
    if (entry.performHPO) checkHpoConfig(recipe, entry.solutionConfig?.hpoConfig);
    checkSolutionConfig(recipe, entry.solutionConfig, ctx.items);
    if (entry.campaignConfig) checkCampaignConfig(entry.campaignConfig, 'evaluate');
    if (entry.filterExpression !== undefined) checkFilter(entry, recipe.recipeType, ctx);
  } catch (e) {
    fail(where, (e as Error).message);
  }
  const tuning = entry.performAutoML ? 'automl' : entry.performHPO ? 'hpo' : undefined;
  return {
    entry,
    recipe: recipe.name,
    recipeType: recipe.recipeType,
    params: trainingParams(recipe, entry.solutionConfig),
    dataConfig: trainingDataConfig(entry.eventType, entry.solutionConfig),
    ...(tuning ? { tuning: { kind: tuning, objective: entry.solutionConfig?.autoMLConfig?.metricName ?? entry.solutionConfig?.hpoConfig?.hpoObjective?.metricName ?? DEFAULT_OBJECTIVE } } : {}),
    served: entry.campaignConfig !== undefined || entry.filterExpression !== undefined,
  };
}

function checkFilter(entry: SolutionEntry, type: RecipeType, ctx: ConfigContext): void {
  const f = compileFilter(entry.filterExpression!, filterInfo(ctx));
  if (f.target !== 'ItemID') throw new InvalidInputException(`the filter selects ${f.target === 'UserID' ? 'users' : 'actions'}; use an ItemID filter to filter recommended items.`);
  if (f.usesCurrentItem && type !== 'RELATED_ITEMS') throw new InvalidInputException('the filter uses CurrentItem, which only related-items recipes (SIMS, Similar-Items) support.');
  const missing = f.placeholders.filter((p) => entry.filterValues?.[p] === undefined);
  if (missing.length) throw new InvalidInputException(`the filter's placeholder(s) $${missing.join(', $')} need a value in filterValues, e.g. {"${missing[0]}": "\\"value\\""}.`);
}

/** Parse a --config file's text: a JSON list of entries (a single object is taken as a list of one). */
export function parseConfigText(text: string, file: string): unknown[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InvalidInputException(`${file} is not valid JSON (${(e as Error).message}); it must be a list of CreateSolution inputs.`);
  }
  const list = Array.isArray(doc) ? doc : [doc];
  if (list.length === 0) throw new InvalidInputException(`${file} is an empty list; give at least one CreateSolution input.`);
  return list;
}

/**
 * Every configuration to compare, named (entry name, else the recipe name; repeats get #2, #3), with the
 * baseline added when it is a recipe name not among them.
 */
export function resolveConfigurations(recipes: string[], entries: unknown[], baseline: string, ctx: ConfigContext, configFile = '--config'):
  { configurations: Configuration[]; baseline: string } {
  const out: Configuration[] = [];
  const counts = new Map<string, number>();
  const named = (c: Omit<Configuration, 'name' | 'addedAsBaseline'>, explicit: string | undefined, addedAsBaseline = false) => {
    let name = explicit ?? c.recipe;
    if (explicit !== undefined && out.some((o) => o.name === explicit)) throw new InvalidInputException(`two configurations are named ${explicit}; names must differ.`);
    if (explicit === undefined) {
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      if (n > 1) name = `${name}#${n}`;
    }
    out.push({ ...c, name, addedAsBaseline });
  };
  for (const r of recipes) named(checkEntry({ recipeArn: recipeArnOf(r) }, `--recipe ${r}`, ctx), undefined);
  entries.forEach((e, i) => {
    const c = checkEntry(e, `${configFile} entry ${i + 1}`, ctx);
    named(c, c.entry.name);
  });
  if (!out.some((c) => c.name === baseline)) {
    const byRecipe = out.find((c) => c.recipe === baseline.replace(RECIPE_PREFIX, '') && !c.entry.solutionConfig && !c.served);
    if (byRecipe) return { configurations: out, baseline: byRecipe.name };
    named(checkEntry({ recipeArn: recipeArnOf(baseline) }, `--baseline ${baseline}`, ctx), undefined, true);
    return { configurations: out, baseline: out[out.length - 1]!.name };
  }
  return { configurations: out, baseline };
}
