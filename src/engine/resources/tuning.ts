// HPO (performHPO) and AutoML (performAutoML): a solution version trains several candidates and keeps
// the best by an offline metric. HPO is a seeded random search over hpoConfig's ranges (the defaults are
// always the first candidate, so tuning never loses to them); AutoML tries each recipe of recipeList.
import { Rng } from '../../lib/random.js';
import { RECIPES } from '../../recipes/index.js';
import { catalogueEntry } from '../../recipes/catalogue.js';
import type { HyperParameterSpec, Recipe } from '../../recipes/types.js';
import { InvalidInputException } from '../errors.js';
import type { SolutionConfig } from './solution-config.js';

export const DEFAULT_OBJECTIVE = 'normalized_discounted_cumulative_gain_at_25';
/** Trials when hpoResourceConfig does not say; Personalize's own default is not documented. */
export const DEFAULT_TRIALS = 8;

type Ranges = NonNullable<NonNullable<SolutionConfig['hpoConfig']>['algorithmHyperParameterRanges']>;

export interface Candidate { recipe: Recipe; params: Record<string, string>; tuned: Record<string, string> }

/** Check hpoConfig against the recipe's tunable hyperparameters and Personalize's limits. */
export function checkHpoConfig(recipe: Recipe, hpo: SolutionConfig['hpoConfig'] | undefined): void {
  if (!hpo) return;
  const res = hpo.hpoResourceConfig ?? {};
  for (const [k, max] of [['maxNumberOfTrainingJobs', 40], ['maxParallelTrainingJobs', 10]] as const) {
    const v = res[k];
    if (v !== undefined && !(Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= max)) {
      throw new InvalidInputException(`hpoConfig.hpoResourceConfig.${k} must be a whole number from 1 to ${max} in a string (got ${JSON.stringify(v)}).`);
    }
  }
  const specs = new Map(recipe.hyperParameters.map((h) => [h.name, h]));
  const ranges = hpo.algorithmHyperParameterRanges ?? {};
  const all = [
    ...(ranges.integerHyperParameterRanges ?? []).map((r) => ({ ...r, kind: 'integer' })),
    ...(ranges.continuousHyperParameterRanges ?? []).map((r) => ({ ...r, kind: 'continuous' })),
    ...(ranges.categoricalHyperParameterRanges ?? []).map((r) => ({ ...r, kind: 'categorical' })),
  ] as { name?: string; kind: string; minValue?: number; maxValue?: number; values?: string[] }[];
  for (const r of all) {
    const spec = r.name ? specs.get(r.name) : undefined;
    if (!spec || !spec.tunable) {
      const tunable = recipe.hyperParameters.filter((h) => h.tunable).map((h) => h.name);
      throw new InvalidInputException(`${recipe.name} has no tunable hyperparameter "${r.name}". Tunable: ${tunable.join(', ') || 'none'}.`);
    }
    if (spec.type !== r.kind) throw new InvalidInputException(`Hyperparameter ${r.name} is ${spec.type}; give its range in ${spec.type}HyperParameterRanges.`);
    if (r.kind !== 'categorical') {
      const lo = r.minValue ?? spec.min!, hi = r.maxValue ?? spec.max!;
      if (lo > hi || lo < spec.min! || hi > spec.max!) throw new InvalidInputException(`The range of ${r.name} must lie within [${spec.min}, ${spec.max}] with minValue <= maxValue (got [${lo}, ${hi}]).`);
    } else if (!r.values?.length || r.values.some((v) => !spec.values?.includes(v.toLowerCase()))) {
      throw new InvalidInputException(`The values of ${r.name} must be a non-empty subset of ${spec.values?.join(', ')}.`);
    }
  }
}

function draw(spec: HyperParameterSpec, range: { minValue?: number; maxValue?: number; values?: string[] } | undefined, rng: Rng): string {
  if (spec.type === 'categorical') {
    const values = range?.values ?? spec.values ?? [spec.default];
    return values[rng.int(values.length)]!;
  }
  const lo = range?.minValue ?? spec.min!, hi = range?.maxValue ?? spec.max!;
  if (spec.type === 'integer') return String(lo + rng.int(hi - lo + 1));
  return String(lo + rng.next() * (hi - lo));
}

/** The HPO candidates: the base parameters first, then seeded random draws over the ranges. */
export function hpoCandidates(recipe: Recipe, base: Record<string, string>, hpo: SolutionConfig['hpoConfig'] | undefined, seed: number): Candidate[] {
  const n = Number(hpo?.hpoResourceConfig?.maxNumberOfTrainingJobs ?? DEFAULT_TRIALS);
  const ranges: Ranges = hpo?.algorithmHyperParameterRanges ?? {};
  const given = new Map<string, { minValue?: number; maxValue?: number; values?: string[] }>();
  for (const r of [...(ranges.integerHyperParameterRanges ?? []), ...(ranges.continuousHyperParameterRanges ?? []), ...(ranges.categoricalHyperParameterRanges ?? [])]) if (r.name) given.set(r.name, r);
  // Without ranges, Personalize's documented tunable hyperparameters are searched over their documented
  // ranges (the catalogue's), not the wider ranges our recipes accept.
  const documented = new Map((catalogueEntry(recipe.name)?.hyperParameters ?? []).filter((h) => h.tunable).map((h) => [h.name, h]));
  const searched = given.size
    ? recipe.hyperParameters.filter((h) => given.has(h.name))
    : recipe.hyperParameters.filter((h) => documented.has(h.name)).map((h) => ({ ...h, ...documented.get(h.name)!, name: h.name }));
  const pick = (p: Record<string, string>) => Object.fromEntries(searched.map((h) => [h.name, p[h.name]!]));
  const out: Candidate[] = [{ recipe, params: base, tuned: pick(base) }];
  const rng = new Rng(seed);
  for (let t = 1; t < n && searched.length; t++) {
    const params = { ...base };
    for (const h of searched) params[h.name] = draw(h, given.get(h.name), rng);
    out.push({ recipe, params, tuned: pick(params) });
  }
  return out;
}

/** AutoML's recipe list: USER_PERSONALIZATION recipes built locally (all of them when none is given). */
export function autoMLRecipes(list: string[] | undefined): Recipe[] {
  const names = list?.length ? list : [...RECIPES.keys()].filter((arn) => RECIPES.get(arn)!.recipeType === 'USER_PERSONALIZATION' && !arn.endsWith('popularity-count'));
  return names.map((arn) => {
    const r = RECIPES.get(arn);
    if (!r) throw new InvalidInputException(`autoMLConfig.recipeList names ${arn}, which is not a recipe trained locally.`);
    if (r.recipeType !== 'USER_PERSONALIZATION') throw new InvalidInputException(`autoMLConfig.recipeList may only name USER_PERSONALIZATION recipes (${arn} is ${r.recipeType}).`);
    return r;
  });
}

/** Run `tasks` with at most `parallel` at once, keeping their order in the results. */
export async function runLimited<T>(tasks: (() => Promise<T>)[], parallel: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, tasks.length)) }, lane));
  return results;
}
