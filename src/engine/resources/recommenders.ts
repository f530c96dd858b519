// Recommenders of domain dataset groups: CreateRecommender trains the use case's local recipe (on its
// event type), Update/Start/Stop/Delete manage it, and GetRecommendations(recommenderArn) serves it with
// the use case's required parameters and automatic exclusions.
import { RECIPES } from '../../recipes/index.js';
import type { Recipe } from '../../recipes/types.js';
import type { Engine } from '../core/engine.js';
import { InvalidInputException, LimitExceededException, ResourceInUseException } from '../errors.js';
import type { ResourceRecord, Tag } from '../store/types.js';
import { trainingParams } from './solution-config.js';
import { trainModel } from './train-model.js';
import { datasetRows } from '../core/group-data.js';
import { RECIPE_PREFIX as PREFIX, useCaseOf, USE_CASES, type UseCase } from '../serving/use-cases.js';
import type { RecommenderConfig } from '../serving/serving-config.js';

function localRecipe(uc: UseCase, recipeArn: string): Recipe {
  for (const name of uc.recipes) {
    const r = RECIPES.get(PREFIX + name);
    if (r) return r;
  }
  throw new InvalidInputException(`${recipeArn} needs the local recipe ${uc.recipes.join(' or ')}, which personalize-local does not train yet.`);
}

/** The event type as it is spelled in the data (View, view, VIEW...), for the training filter. */
function spelledEventType(e: Engine, groupArn: string, wanted: string): string {
  const ds = e.store.list('dataset', groupArn).find((d) => d.props.datasetType === 'INTERACTIONS');
  if (!ds) return wanted;
  const col = datasetRows(e, ds).batch.columns.EVENT_TYPE;
  if (col?.type === 'string') return col.dictionary.find((t) => t.toLowerCase() === wanted.toLowerCase()) ?? wanted;
  return wanted;
}

async function train(e: Engine, rec: ResourceRecord): Promise<void> {
  const uc = useCaseOf(rec);
  const recipe = localRecipe(uc, rec.props.recipeArn as string);
  const cfg = rec.props.recommenderConfig as RecommenderConfig | undefined;
  const version = ((rec.props.modelVersion as number | undefined) ?? 0) + 1;
  const modelArn = `${rec.arn}/model-${version}`;
  const items = (m?: Record<string, string[]>) => (m ? Object.entries(m).find(([k]) => k.toUpperCase() === 'ITEMS')?.[1] : undefined);
  const eventType = uc.eventType ? spelledEventType(e, rec.parentArn!, uc.eventType) : undefined;
  const bytes = await trainModel(e, {
    modelArn, groupArn: rec.parentArn!, recipe, params: trainingParams(recipe, undefined),
    config: { eventType, excludedItemColumns: items(cfg?.trainingDataConfig?.excludedDatasetColumns), includedItemColumns: items(cfg?.trainingDataConfig?.includedDatasetColumns) },
    check: (data) => {
      const n = data.itemIdx.length;
      if (n < e.opts.minimums.interactions) return `Create failed. Dataset has fewer than ${e.opts.minimums.interactions} interactions after filtering by event type: ${uc.eventType ?? 'all event types'} (found ${n}).`;
      let withTwo = 0;
      for (let u = 0; u + 1 < data.userPtr.length; u++) if (data.userPtr[u + 1]! - data.userPtr[u]! >= 2) withTwo++;
      return withTwo < e.opts.minimums.usersWithTwoInteractions ? `Create failed. Dataset has fewer than ${e.opts.minimums.usersWithTwoInteractions} users with at least 2 interactions each (found ${withTwo}).` : null;
    },
  });
  const trainedAt = e.now();
  await e.models.save(modelArn, bytes);
  const modelMetrics = (e.models.load(modelArn).bundle.info.metrics as Record<string, number> | undefined) ?? {};
  e.update(rec, { props: { ...rec.props, modelVersion: version, modelArn, trainedAt, modelMetrics } });
}

export async function createRecommender(e: Engine, input: { name: string; datasetGroupArn: string; recipeArn: string; recommenderConfig?: RecommenderConfig; tags?: Tag[] }): Promise<string> {
  const name = e.checkName('name', input.name);
  const group = e.store.get('datasetGroup', input.datasetGroupArn);
  e.requireStatus(group, ['ACTIVE'], 'add recommenders to it');
  const uc = USE_CASES[input.recipeArn.startsWith(PREFIX) ? input.recipeArn.slice(PREFIX.length) : ''];
  if (!uc) throw new InvalidInputException(`${input.recipeArn} is not a domain use case. Use one of: ${Object.keys(USE_CASES).map((n) => PREFIX + n).join(', ')}.`);
  if (group.props.domain !== uc.domain) {
    throw new InvalidInputException(`${input.recipeArn} is a ${uc.domain} use case, but the dataset group's domain is ${group.props.domain ?? 'none (custom)'}.`);
  }
  localRecipe(uc, input.recipeArn);
  if (e.store.list('recommender', group.arn).length >= 5) throw new LimitExceededException('A dataset group has at most 5 recommenders.');
  const arn = e.arns.make('recommender', name);
  const rec = e.create('recommender', arn, name, {
    datasetGroupArn: group.arn, recipeArn: input.recipeArn, recommenderConfig: input.recommenderConfig ?? { minRecommendationRequestsPerSecond: 1 },
  }, { parentArn: group.arn, status: 'CREATE PENDING', tags: input.tags });
  await e.runWork(rec, () => train(e, rec));
  return arn;
}

export async function updateRecommender(e: Engine, input: { recommenderArn: string; recommenderConfig: RecommenderConfig }): Promise<string> {
  const rec = e.store.get('recommender', input.recommenderArn);
  e.requireStatus(rec, ['ACTIVE'], 'update it');
  const before = JSON.stringify((rec.props.recommenderConfig as RecommenderConfig | undefined)?.trainingDataConfig ?? {});
  const t = e.now() / 1000;
  e.update(rec, { props: { ...rec.props, recommenderConfig: input.recommenderConfig, latestRecommenderUpdate: { recommenderConfig: input.recommenderConfig, status: 'ACTIVE', creationDateTime: t, lastUpdatedDateTime: t } } });
  // Changing the training columns retrains (Personalize does a full retraining); the old model serves meanwhile.
  if (JSON.stringify(input.recommenderConfig.trainingDataConfig ?? {}) !== before) await train(e, rec);
  return rec.arn;
}

export function setRecommenderRunning(e: Engine, arn: string, running: boolean): string {
  const rec = e.store.get('recommender', arn);
  const s = e.status(rec);
  if (running && s !== 'INACTIVE') throw new ResourceInUseException(`The recommender ${arn} is ${s}; only an INACTIVE recommender can be started.`);
  if (!running && s !== 'ACTIVE') throw new ResourceInUseException(`The recommender ${arn} is ${s}; only an ACTIVE recommender can be stopped.`);
  e.update(rec, { status: running ? 'ACTIVE' : 'INACTIVE' });
  return arn;
}

export function deleteRecommender(e: Engine, arn: string): void {
  const rec = e.store.get('recommender', arn);
  for (let v = 1; v <= ((rec.props.modelVersion as number | undefined) ?? 0); v++) e.models.drop(`${arn}/model-${v}`);
  e.store.remove(arn);
}
