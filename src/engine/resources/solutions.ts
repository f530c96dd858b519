// CreateSolution / CreateSolutionVersion / StopSolutionVersionCreation / DeleteSolution / GetSolutionMetrics.
import type { Engine } from '../core/engine.js';
import { InvalidInputException, NotImplementedException, ResourceInUseException } from '../errors.js';
import type { ResourceRecord, Tag } from '../store/types.js';
import { dataVersion, datasetFields, groupDataChanges, groupDataset } from '../core/group-data.js';
import { trainModel } from './train-model.js';
import { syncCampaigns } from './campaigns.js';
import { autoMLRecipes, checkHpoConfig, DEFAULT_OBJECTIVE, hpoCandidates, runLimited, type Candidate } from './tuning.js';
import { bundleInfo } from '../training/bundle.js';
import { hashString } from '../../lib/random.js';
import type { Recipe } from '../../recipes/types.js';
import { checkSolutionConfig, recipeForSolution, trainingDataConfig, trainingParams, type SolutionConfig } from './solution-config.js';

export interface CreateSolutionInput {
  name: string;
  datasetGroupArn: string;
  performHPO?: boolean;
  performAutoML?: boolean;
  performAutoTraining?: boolean;
  performIncrementalUpdate?: boolean;
  recipeArn?: string;
  eventType?: string;
  solutionConfig?: SolutionConfig;
  tags?: Tag[];
}

export function createSolution(e: Engine, input: CreateSolutionInput): string {
  const name = e.checkName('name', input.name);
  const group = e.store.get('datasetGroup', input.datasetGroupArn);
  e.requireStatus(group, ['ACTIVE'], 'create solutions in it');
  if (input.performAutoML) {
    const list = autoMLRecipes(input.solutionConfig?.autoMLConfig?.recipeList);
    if (!input.recipeArn) input = { ...input, recipeArn: `arn:aws:personalize:::recipe/${list[0]!.name}` };
  }
  if (!input.recipeArn) throw new InvalidInputException('recipeArn is required (unless performAutoML is true).');
  const recipe = recipeForSolution(input.recipeArn);
  if (input.performHPO) checkHpoConfig(recipe, input.solutionConfig?.hpoConfig);
  if (input.performIncrementalUpdate && recipe.name !== 'aws-semantic-similarity') {
    throw new InvalidInputException('performIncrementalUpdate is only valid for aws-semantic-similarity.');
  }
  const items = input.solutionConfig?.optimizationObjective ? groupDataset(e, group.arn, 'ITEMS') : undefined;
  checkSolutionConfig(recipe, input.solutionConfig, items && datasetFields(e, items));
  const arn = e.arns.make('solution', name);
  e.create('solution', arn, name, {
    datasetGroupArn: group.arn,
    recipeArn: input.recipeArn,
    performHPO: input.performHPO ?? false,
    performAutoML: input.performAutoML ?? false,
    performAutoTraining: input.performAutoTraining ?? true,
    performIncrementalUpdate: input.performIncrementalUpdate ?? false,
    eventType: input.eventType,
    solutionConfig: input.solutionConfig,
  }, { parentArn: group.arn, status: 'ACTIVE', tags: input.tags });
  return arn;
}

export async function createSolutionVersion(
  e: Engine,
  input: { solutionArn: string; name?: string; trainingMode?: string; tags?: Tag[] },
  trainingType: 'MANUAL' | 'AUTOMATIC' = 'MANUAL',
): Promise<string> {
  const sol = e.store.get('solution', input.solutionArn);
  e.requireStatus(sol, ['ACTIVE'], 'train it');
  const trainingMode = input.trainingMode ?? 'FULL';
  if (trainingMode === 'AUTOTRAIN') throw new InvalidInputException('trainingMode AUTOTRAIN is set by automatic training itself; create versions with FULL or UPDATE.');
  if (trainingMode !== 'FULL' && trainingMode !== 'UPDATE') throw new InvalidInputException(`trainingMode must be FULL, UPDATE or AUTOTRAIN (got ${JSON.stringify(trainingMode)}).`);
  if (input.name !== undefined) e.checkName('name', input.name);
  const base = trainingMode === 'UPDATE' ? updateBase(e, sol, recipeForSolution(sol.props.recipeArn as string)) : undefined;
  // An update uses the recipe its base was trained with (AutoML may have picked another than the solution's first).
  const recipe = recipeForSolution((base?.props.recipeArn ?? sol.props.recipeArn) as string);
  const inProgress = e.store.list('solutionVersion').filter((v) => ['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(e.status(v)!));
  if (inProgress.length >= 20) throw new ResourceInUseException('20 solution versions are already training; wait for some to finish.');

  let id = e.randomHex(8);
  while (e.store.find(e.arns.make('solutionVersion', sol.name, id))) id = e.randomHex(8);
  const arn = e.arns.make('solutionVersion', sol.name, id);
  const cfg = sol.props.solutionConfig as SolutionConfig | undefined;
  const rec = e.create('solutionVersion', arn, input.name ?? id, {
    solutionArn: sol.arn,
    datasetGroupArn: sol.props.datasetGroupArn,
    recipeArn: sol.props.recipeArn,
    eventType: sol.props.eventType,
    performHPO: sol.props.performHPO,
    performAutoML: sol.props.performAutoML,
    performIncrementalUpdate: sol.props.performIncrementalUpdate,
    solutionConfig: cfg,
    trainingMode,
    trainingType,
    ...(base ? { derivedFrom: base.arn } : {}),
    interactionChanges: interactionChanges(e, sol.props.datasetGroupArn as string),
    dataChangesAtTraining: groupDataChanges(e, sol.props.datasetGroupArn as string),
  }, { parentArn: sol.arn, status: 'CREATE PENDING', tags: input.tags });
  e.update(sol, { props: { ...sol.props, latestSolutionVersionArn: arn } });

  await e.runWork(rec, async () => {
    const started = e.now();
    const candidates = versionCandidates(sol, recipe, cfg, hashString(arn, e.opts.seed), base !== undefined);
    const objective = cfg?.autoMLConfig?.metricName ?? cfg?.hpoConfig?.hpoObjective?.metricName ?? DEFAULT_OBJECTIVE;
    const trials = await runLimited(candidates.map((c) => async () => {
      const bytes = await trainModel(e, {
        modelArn: arn, groupArn: sol.props.datasetGroupArn as string, recipe: c.recipe,
        config: trainingDataConfig(sol.props.eventType as string | undefined, cfg), params: c.params,
        evaluation: { eventWeights: !!cfg?.eventsConfig?.eventParametersList?.length, objective: cfg?.optimizationObjective },
        previous: base && e.models.bytesOf(base.arn),
      });
      const metrics = (bundleInfo(bytes).metrics as Record<string, number> | undefined) ?? {};
      return { c, bytes, score: metrics[objective] ?? 0 };
    }), Number(cfg?.hpoConfig?.hpoResourceConfig?.maxParallelTrainingJobs ?? 1));
    if (rec.status !== 'CREATE IN_PROGRESS') return; // stopped while training
    // The best candidate by the objective; ties keep the earlier one (the defaults come first).
    const best = trials.reduce((a, b) => (b.score > a.score ? b : a));
    await e.models.save(arn, best.bytes);
    const recipeArn = `arn:aws:personalize:::recipe/${best.c.recipe.name}`;
    e.update(rec, {
      props: {
        ...rec.props, recipeArn, trainingHours: (e.now() - started) / 3_600_000,
        ...(sol.props.performHPO ? { tunedHPOParams: { algorithmHyperParameters: best.c.tuned } } : {}),
      },
    });
    if (sol.props.performAutoML) e.update(sol, { props: { ...sol.props, autoMLResult: { bestRecipeArn: recipeArn } } });
  }, { after: () => syncCampaigns(e, sol.arn) });
  return arn;
}

/**
 * trainingMode UPDATE derives from the latest ACTIVE FULL version (Personalize allows it for
 * user-personalization only): new users and items are folded in, learned factors kept.
 */
function updateBase(e: Engine, sol: ResourceRecord, recipe: Recipe): ResourceRecord {
  if (recipe.recipeType !== 'USER_PERSONALIZATION' || !recipe.update) {
    throw new InvalidInputException(`trainingMode UPDATE is only available for aws-user-personalization and aws-user-personalization-v2 solutions (this one uses ${recipe.name}).`);
  }
  const full = e.store.list('solutionVersion', sol.arn).filter((v) => e.status(v) === 'ACTIVE' && v.props.trainingMode === 'FULL').at(-1);
  if (!full) throw new InvalidInputException(`trainingMode UPDATE needs an ACTIVE version trained with FULL in ${sol.arn}; create one first.`);
  return full;
}

/** What a version trains: AutoML's recipes, HPO's trials, or just the solution's recipe and parameters. */
function versionCandidates(sol: ResourceRecord, recipe: Recipe, cfg: SolutionConfig | undefined, seed: number, update: boolean): Candidate[] {
  // An update keeps the model it derives from; there is nothing to search.
  if (update) return [{ recipe, params: trainingParams(recipe, cfg), tuned: {} }];
  if (sol.props.performAutoML) {
    return autoMLRecipes(cfg?.autoMLConfig?.recipeList).map((r) => ({ recipe: r, params: trainingParams(r, undefined), tuned: {} }));
  }
  if (sol.props.performHPO) return hpoCandidates(recipe, trainingParams(recipe, cfg), cfg?.hpoConfig, seed);
  return [{ recipe, params: trainingParams(recipe, cfg), tuned: {} }];
}

/** How often the group's interactions changed so far (imports and events); auto-training compares it. */
export function interactionChanges(e: Engine, groupArn: string): number {
  const ds = groupDataset(e, groupArn, 'INTERACTIONS');
  return ds ? dataVersion(ds) : 0;
}

export function stopSolutionVersionCreation(e: Engine, arn: string): void {
  const v = e.store.get('solutionVersion', arn);
  const s = e.status(v);
  if (s !== 'CREATE PENDING' && s !== 'CREATE IN_PROGRESS') {
    throw new ResourceInUseException(`The solution version ${arn} is ${s}; only versions in CREATE PENDING or CREATE IN_PROGRESS can be stopped.`);
  }
  // Training under way finishes in its worker, but its model is discarded (see createSolutionVersion);
  // the version shows CREATE STOPPING until then, as in Personalize.
  e.update(v, { status: v.status === 'CREATE IN_PROGRESS' ? 'CREATE STOPPING' : 'CREATE STOPPED' });
}

export function deleteSolution(e: Engine, arn: string): void {
  const sol = e.store.get('solution', arn);
  const versions = e.store.list('solutionVersion', arn);
  const busy = versions.find((v) => ['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(e.status(v)!));
  if (busy) throw new ResourceInUseException(`The solution version ${busy.arn} is training; wait for it or stop it before deleting the solution.`);
  const arns = new Set(versions.map((v) => v.arn));
  const campaigns = e.store.list('campaign').filter((c) => arns.has(c.props.solutionVersionArn as string) || String(c.props.solutionVersionArn).startsWith(`${sol.arn}/`));
  if (campaigns.length) throw new ResourceInUseException(`The solution is deployed in ${campaigns.map((c) => c.arn).join(', ')}; delete those campaigns first.`);
  for (const v of versions) {
    e.models.drop(v.arn);
    e.store.remove(v.arn);
  }
  e.store.remove(arn);
}

/** The newest ACTIVE version of a solution (for `$LATEST`). */
export function getSolutionMetrics(e: Engine, arn: string): Record<string, number> {
  const v = e.store.get('solutionVersion', arn);
  e.requireStatus(v, ['ACTIVE'], 'get its metrics');
  const metrics = e.models.load(arn).bundle.info.metrics as Record<string, number> | undefined;
  if (!metrics) throw new NotImplementedException('This model was trained without offline metrics.');
  return metrics;
}

export interface UpdateSolutionInput {
  solutionArn: string;
  performAutoTraining?: boolean;
  performIncrementalUpdate?: boolean;
  solutionUpdateConfig?: { autoTrainingConfig?: { schedulingExpression?: string }; eventsConfig?: SolutionConfig['eventsConfig'] };
}

/** UpdateSolution: automatic training on/off, its schedule, and eventsConfig; shown as latestSolutionUpdate. */
export function updateSolution(e: Engine, input: UpdateSolutionInput): string {
  const sol = e.store.get('solution', input.solutionArn);
  e.requireStatus(sol, ['ACTIVE'], 'update it');
  const recipe = recipeForSolution(sol.props.recipeArn as string);
  const cfg: SolutionConfig = { ...((sol.props.solutionConfig as SolutionConfig | undefined) ?? {}) };
  const upd = input.solutionUpdateConfig ?? {};
  if (upd.autoTrainingConfig) cfg.autoTrainingConfig = upd.autoTrainingConfig;
  if (upd.eventsConfig) cfg.eventsConfig = upd.eventsConfig;
  checkSolutionConfig(recipe, { autoTrainingConfig: upd.autoTrainingConfig, eventsConfig: upd.eventsConfig });
  if (input.performIncrementalUpdate && recipe.name !== 'aws-semantic-similarity') {
    throw new InvalidInputException('performIncrementalUpdate is only valid for aws-semantic-similarity.');
  }
  const performAutoTraining = input.performAutoTraining ?? (sol.props.performAutoTraining as boolean);
  const performIncrementalUpdate = input.performIncrementalUpdate ?? (sol.props.performIncrementalUpdate as boolean);
  const t = e.now() / 1000;
  e.update(sol, {
    props: {
      ...sol.props, solutionConfig: cfg, performAutoTraining, performIncrementalUpdate,
      latestSolutionUpdate: { solutionUpdateConfig: upd, status: 'ACTIVE', performAutoTraining, performIncrementalUpdate, creationDateTime: t, lastUpdatedDateTime: t },
    },
  });
  return sol.arn;
}
