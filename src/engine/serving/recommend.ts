// GetRecommendations and GetPersonalizedRanking: the request's checks, the user's history (training plus
// live events), the ranking pipeline, and Personalize's response shape.
import { hashString, Rng } from '../../lib/random.js';
import type { Engine } from '../core/engine.js';
import { InvalidInputException } from '../errors.js';
import type { ResourceRecord } from '../store/types.js';
import type { CampaignConfig, RecommenderConfig } from './serving-config.js';
import { dataVersion, groupDataset } from '../core/group-data.js';
import { useCaseOf } from './use-cases.js';
import type { ServingModel } from '../store/model-store.js';
import { cachedMask, itemOnly, valuesKey } from './filter-cache.js';
import { EXPLORED, modelScores, PROMOTED, rank, softmaxScore, softmaxStats, type RankOptions } from './pipeline.js';
import { itemFilterContext } from './filter-context.js';
import { activeFilter } from './active-filter.js';
import { metadataReader } from './metadata.js';
import { checkContext } from './request-context.js';
import { objectiveScore, scoreRange, type ObjectiveStage } from '../training/objective.js';
import { versionObjective } from './objective-stage.js';
import { ownValue } from '../../lib/own.js';
import { historyRows } from './repeat-stage.js';
import { rankJob, type RankedSlots } from './ranking-job.js';
import { rankingWorker } from './ranking-worker.js';

export interface PredictedItem { itemId: string; score?: number; promotionName?: string; metadata?: Record<string, string>; reason?: string[] }

const V2 = new Set(['aws-user-personalization-v2', 'aws-personalized-ranking-v2']);
const EXPLORING = new Set(['aws-user-personalization', 'aws-user-personalization-v2']);

function campaignModel(e: Engine, campaignArn: string): { campaign: ResourceRecord; m: ServingModel } {
  const campaign = e.store.get('campaign', campaignArn);
  e.requireStatus(campaign, ['ACTIVE'], 'get recommendations from it');
  return { campaign, m: e.models.load(servingModelOf(campaign)) };
}

/**
 * Who is asking, as the model sees it: the user's index and history (item indices, oldest first) from
 * training plus the events streamed since. When there are new events, the query carries user = -1 and
 * the whole history, so models fold the history in (real-time personalization without retraining).
 */
export interface ModelOwner { groupArn: string; trainedAt: number }

/** A model query for a user: index (-1 when folded in), history oldest first, each interaction's repeat-stage row. */
export interface ModelQuery { user: number; history: Int32Array | null; historyRows: Int32Array | null }

/** The model a campaign serves: its version's, or the latest automatic update of it. */
export function servingModelOf(campaign: ResourceRecord): string {
  return (campaign.props.servingModelArn as string | undefined) ?? (campaign.props.servingVersionArn as string);
}

/** The dataset group and training time of a campaign's model. */
export function campaignOwner(e: Engine, campaign: ResourceRecord): ModelOwner {
  const owner = versionOwner(e, campaign.props.servingVersionArn as string);
  return campaign.props.servingModelArn ? { ...owner, trainedAt: campaign.props.autoUpdatedAt as number } : owner;
}

/** The dataset group and training time of a solution version's model. */
export function versionOwner(e: Engine, versionArn: string): ModelOwner {
  const v = e.store.get('solutionVersion', versionArn);
  return { groupArn: v.props.datasetGroupArn as string, trainedAt: v.createdAt };
}

export function queryFor(e: Engine, owner: ModelOwner, m: ServingModel, userId: string | undefined): ModelQuery {
  if (userId === undefined) return { user: -1, history: null, historyRows: null };
  // A data deletion job after this model was trained: the model must no longer know the user.
  const deletedAt = ownValue(e.store.find(owner.groupArn)?.props.deletedUsers as Record<string, number> | undefined, userId);
  const forgotten = deletedAt !== undefined && deletedAt >= owner.trainedAt;
  const user = forgotten ? -1 : (m.userIndex.get(userId) ?? -1);
  const ptr = m.bundle.serving.userPtr as Int32Array;
  const span = user >= 0 ? { from: ptr[user]!, to: ptr[user + 1]! } : null;
  // The model file keeps them as 2-byte indexes for catalogues that fit (train-job.ts's itemIndexes): queries take Int32.
  const kept = m.bundle.serving.userItems as Int32Array | Uint16Array;
  const trained = span ? (kept instanceof Int32Array ? kept.subarray(span.from, span.to) : Int32Array.from(kept.subarray(span.from, span.to))) : null;
  const ds = groupDataset(e, owner.groupArn, 'INTERACTIONS');
  if (!ds) return { user, history: trained, historyRows: historyRows(m, span, []) };
  const put = e.datasets.get(ds.arn, 'put', []);
  const rows = e.live.rowsOf(ds.arn, put, e.datasets.generation(ds.arn, 'put'), userId, (m.bundle.info.putRowsAtTraining as number | undefined) ?? 0);
  if (!rows.length) return { user, history: trained, historyRows: historyRows(m, span, []) };
  const items = put.columns.ITEM_ID as { dictionary: string[]; codes: Int32Array };
  const types = put.columns.EVENT_TYPE?.type === 'string' ? put.columns.EVENT_TYPE : undefined;
  const fresh: number[] = [];
  const freshTypes: (string | null)[] = [];
  for (const r of rows) {
    const i = m.itemIndex.get(items.dictionary[items.codes[r]!]!);
    if (i === undefined) continue; // items unknown to the model wait for the next training
    fresh.push(i);
    freshTypes.push(types && types.codes[r]! >= 0 ? types.dictionary[types.codes[r]!]! : null);
  }
  if (!fresh.length) return { user, history: trained, historyRows: historyRows(m, span, []) };
  const history = new Int32Array((trained?.length ?? 0) + fresh.length);
  if (trained) history.set(trained);
  history.set(fresh, trained?.length ?? 0);
  return { user: -1, history, historyRows: historyRows(m, span, freshTypes) };
}

/** Same request, same seed, same answer: the request's randomness comes from its content. */
export function requestRng(e: Engine, ...parts: (string | number | undefined)[]): Rng {
  return new Rng(requestSeed(e, ...parts));
}

/** The seed of requestRng (a serving worker starts the same Rng from it). */
export function requestSeed(e: Engine, ...parts: (string | number | undefined)[]): number {
  return hashString(parts.map((p) => p ?? '').join('\u0000'), e.opts.seed >>> 0);
}

/** Exploration settings of a campaign or batch job for a recipe (UP and UP-v2 only; Personalize defaults 0.3 / 30 days). */
export function explorationFor(recipe: string, cfg: Record<string, string> | undefined): RankOptions['exploration'] {
  if (!EXPLORING.has(recipe)) return undefined;
  return { weight: cfg?.explorationWeight !== undefined ? Number(cfg.explorationWeight) : 0.3, ageCutOffDays: cfg?.explorationItemAgeCutOff !== undefined ? Number(cfg.explorationItemAgeCutOff) : 30 };
}

/** Ranked items as Personalize's PredictedItem list: softmax scores where shown, promotion names, v2 reasons, metadata. */
export function predictedItems(
  m: ServingModel, r: ReturnType<typeof rank>, scoresShown = m.recipe.hasScores,
  extras: { promotionName?: string; metadata?: (item: number) => Record<string, string> } = {},
): PredictedItem[] {
  const withScores = scoresShown && r.personal;
  const stats = withScores ? (r.softmax ?? softmaxStats(r.scores)) : { max: 0, denom: 1 };
  const scores = withScores ? new Float64Array(r.count) : null;
  for (let k = 0; scores && k < r.count; k++) scores[k] = softmaxScore(r.scores[r.items[k]!]!, stats);
  return slotItems(m, { items: r.items.subarray(0, r.count), kind: r.kind, personal: r.personal, scores }, extras);
}

/** Ranked slots (inline, or from the serving worker) as PredictedItems; `scores`: each slot's unrounded softmax score. */
function slotItems(m: ServingModel, r: RankedSlots, extras: { promotionName?: string; metadata?: (item: number) => Record<string, string> }): PredictedItem[] {
  const v2 = V2.has(m.recipe.name);
  const out: PredictedItem[] = [];
  for (let k = 0; k < r.items.length; k++) {
    const i = r.items[k]!;
    const p: PredictedItem = { itemId: m.bundle.itemIds[i]! };
    if (r.scores) p.score = roundScore(r.scores[k]!);
    if (r.kind[k] === PROMOTED) p.promotionName = extras.promotionName;
    if (extras.metadata) p.metadata = extras.metadata(i);
    if (v2) {
      if (r.kind[k] === PROMOTED) p.reason = ['Promoted item'];
      else if (r.kind[k] === EXPLORED) p.reason = ['Exploration'];
      else if (!r.personal) p.reason = ['Popular item'];
    }
    out.push(p);
  }
  return out;
}

function roundScore(x: number): number {
  return Number(x.toPrecision(7));
}

/** A request's filter as a mask stage (undefined without filterArn), with Personalize's checks of fit. */
export function filterStage(
  e: Engine, m: ServingModel, groupArn: string, filterArn: string | undefined, filterValues: Record<string, string> | undefined, userId: string | undefined, currentItem: number,
): ((mask: Uint8Array) => void) | undefined {
  if (!filterArn) return undefined;
  const f = activeFilter(e, filterArn, groupArn);
  if (f.target !== 'ItemID') throw new InvalidInputException(`The filter ${filterArn} selects ${f.target === 'UserID' ? 'users' : 'actions'}; use an ItemID filter to filter recommended items.`);
  if (f.usesCurrentItem && m.recipe.recipeType !== 'RELATED_ITEMS') throw new InvalidInputException(`The filter ${filterArn} uses CurrentItem, which only related-items recipes (SIMS, Similar-Items) support.`);
  const ctx = itemFilterContext(e, m, groupArn, userId);
  if (itemOnly(f)) {
    const items = groupDataset(e, groupArn, 'ITEMS');
    const key = `${filterArn}\u0000${f.expression}\u0000${items?.arn ?? ''}\u0000${items ? dataVersion(items) : -1}\u0000${valuesKey(filterValues)}`;
    return (mask) => {
      const allowed = cachedMask(m, key, (all) => f.apply(ctx, { userId, currentItem, filterValues }, all));
      for (let i = 0; i < mask.length; i++) mask[i]! &= allowed[i]!;
    };
  }
  return (mask) => f.apply(ctx, { userId, currentItem, filterValues }, mask);
}

/** Both stages in one: the request's filter after exclusions such as already-bought items. */
function withExclusions(filter: ((mask: Uint8Array) => void) | undefined, exclude: number[]): ((mask: Uint8Array) => void) | undefined {
  if (!exclude.length) return filter;
  return (mask) => {
    for (const i of exclude) mask[i] = 0;
    filter?.(mask);
  };
}

interface Promotion { name: string; percentPromotedItems: number; filterArn?: string; filterValues?: Record<string, string> }

function promotionStage(e: Engine, m: ServingModel, groupArn: string, promotions: unknown[] | undefined, userId: string | undefined, item: number): { opt: RankOptions['promotion']; name?: string } {
  if (!promotions?.length) return { opt: undefined };
  if (promotions.length > 1) throw new InvalidInputException('promotions takes at most one promotion.');
  const p = promotions[0] as Promotion;
  if (!p.name) throw new InvalidInputException('promotions[0].name is required.');
  e.checkName('promotions[0].name', p.name);
  if (!Number.isInteger(p.percentPromotedItems) || p.percentPromotedItems < 1 || p.percentPromotedItems > 100) {
    throw new InvalidInputException(`promotions[0].percentPromotedItems must be an integer from 1 to 100 (got ${p.percentPromotedItems}).`);
  }
  if (!p.filterArn) throw new InvalidInputException('promotions[0].filterArn is required: the filter that picks the promoted items.');
  const filter = filterStage(e, m, groupArn, p.filterArn, p.filterValues, userId, item)!;
  return { opt: { percent: p.percentPromotedItems, filter }, name: p.name };
}

export interface RecommendInput {
  campaignArn?: string;
  recommenderArn?: string;
  userId?: string;
  itemId?: string;
  numResults?: number;
  context?: Record<string, string>;
  filterArn?: string;
  filterValues?: Record<string, string>;
  promotions?: unknown[];
  metadataColumns?: Record<string, string[]>;
}

/** A campaign request checked and resolved against the engine's state, ready to rank (inline or on the serving worker). */
interface PreparedRequest {
  m: ServingModel;
  modelArn: string;
  opts: RankOptions;
  seed: number;
  extras: { promotionName?: string; metadata?: (item: number) => Record<string, string> };
}

export function getRecommendations(e: Engine, input: RecommendInput): { itemList: PredictedItem[]; recommendationId: string } {
  const p = prepareRecommendations(e, input);
  if (!('m' in p)) return p;
  const ranked = rank(p.m, p.opts);
  return { itemList: predictedItems(p.m, ranked, p.m.recipe.hasScores, p.extras), recommendationId: `RID-${e.randomUuid()}` };
}

/**
 * GetRecommendations for callers that can wait (the HTTP server): with the servingWorker option, campaigns of
 * user-personalization recipes rank on the serving worker while it is free (else inline, so both cores rank), the
 * same answer as getRecommendations gives; every other request, and every request without the option, is inline.
 */
export async function getRecommendationsAsync(e: Engine, input: RecommendInput): Promise<{ itemList: PredictedItem[]; recommendationId: string }> {
  if (!e.opts.servingWorker) return getRecommendations(e, input);
  const p = prepareRecommendations(e, input);
  if (!('m' in p)) return p;
  const worker = rankingWorker(e);
  if (p.m.recipe.recipeType !== 'USER_PERSONALIZATION' || !p.m.bundle.source || !worker.ready) {
    const ranked = rank(p.m, p.opts);
    return { itemList: predictedItems(p.m, ranked, p.m.recipe.hasScores, p.extras), recommendationId: `RID-${e.randomUuid()}` };
  }
  // Drawn now, in arrival order, as the inline path draws it (rank() does not touch the engine's Rng).
  const recommendationId = `RID-${e.randomUuid()}`;
  const job = rankJob(p.m.bundle.itemIds.length, p.opts, p.seed, p.m.recipe.hasScores);
  const slots = await worker.rank(p.modelArn, p.m, job);
  return { itemList: slotItems(p.m, slots, p.extras), recommendationId };
}

function prepareRecommendations(e: Engine, input: RecommendInput): PreparedRequest | { itemList: PredictedItem[]; recommendationId: string } {
  if (input.campaignArn && input.recommenderArn) throw new InvalidInputException('Pass campaignArn or recommenderArn, not both.');
  if (!input.campaignArn && !input.recommenderArn) throw new InvalidInputException('campaignArn (or recommenderArn) is required.');
  const numResults = input.numResults ?? 25;
  if (!Number.isInteger(numResults) || numResults < 0 || numResults > 500) throw new InvalidInputException(`numResults must be an integer from 0 to 500 (got ${input.numResults}).`);
  if (input.recommenderArn) return recommenderRecommendations(e, input, numResults);
  const { campaign, m } = campaignModel(e, input.campaignArn!);
  const type = m.recipe.recipeType;
  if (type === 'PERSONALIZED_RANKING') throw new InvalidInputException(`The campaign ${input.campaignArn} serves a ${m.recipe.name} model: use GetPersonalizedRanking.`);
  if (type === 'PERSONALIZED_ACTIONS') throw new InvalidInputException(`The campaign ${input.campaignArn} serves a ${m.recipe.name} model: use GetActionRecommendations.`);
  if (type === 'USER_PERSONALIZATION' && !input.userId) throw new InvalidInputException(`userId is required by ${m.recipe.name} campaigns.`);
  if (type === 'RELATED_ITEMS' && !input.itemId) throw new InvalidInputException(`itemId is required by ${m.recipe.name} campaigns.`);
  const cfg = campaign.props.campaignConfig as CampaignConfig | undefined;
  const owner = campaignOwner(e, campaign);
  checkContext(e, owner.groupArn, input.context);
  const item = input.itemId !== undefined ? (m.itemIndex.get(input.itemId) ?? -1) : -1;
  const promotion = promotionStage(e, m, owner.groupArn, input.promotions, input.userId, item);
  const metadata = metadataReader(e, m, owner.groupArn, input.metadataColumns, numResults, cfg?.enableMetadataWithRecommendations || V2.has(m.recipe.name));
  const seed = requestSeed(e, campaign.arn, input.userId, input.itemId, numResults, input.filterArn, JSON.stringify(input.filterValues ?? {}), JSON.stringify(input.promotions ?? []));
  const opts: RankOptions = {
    query: { ...queryFor(e, owner, m, input.userId), item },
    numResults,
    excludeQueryItem: type === 'RELATED_ITEMS',
    filter: filterStage(e, m, owner.groupArn, input.filterArn, input.filterValues, input.userId, item),
    promotion: promotion.opt,
    influence: cfg?.rankingInfluence,
    exploration: explorationFor(m.recipe.name, cfg?.itemExplorationConfig),
    objective: versionObjective(e, m, campaign.props.servingVersionArn as string),
    rng: new Rng(seed),
  };
  return { m, modelArn: servingModelOf(campaign), opts, seed, extras: { promotionName: promotion.name, metadata } };
}

export function getPersonalizedRanking(
  e: Engine,
  input: { campaignArn: string; inputList: string[]; userId: string; context?: Record<string, string>; filterArn?: string; filterValues?: Record<string, string>; metadataColumns?: Record<string, string[]> },
): { personalizedRanking: PredictedItem[]; recommendationId: string } {
  if (input.inputList.length > 500) throw new InvalidInputException(`inputList has ${input.inputList.length} items; at most 500 are allowed.`);
  const { campaign, m } = campaignModel(e, input.campaignArn);
  if (m.recipe.recipeType !== 'PERSONALIZED_RANKING') {
    throw new InvalidInputException(`The campaign ${input.campaignArn} serves a ${m.recipe.name} model; GetPersonalizedRanking needs a personalized-ranking campaign.`);
  }
  const owner = campaignOwner(e, campaign);
  checkContext(e, owner.groupArn, input.context);
  const cfg = campaign.props.campaignConfig as CampaignConfig | undefined;
  const metadata = metadataReader(e, m, owner.groupArn, input.metadataColumns, input.inputList.length, cfg?.enableMetadataWithRecommendations || V2.has(m.recipe.name));
  const filter = filterStage(e, m, owner.groupArn, input.filterArn, input.filterValues, input.userId, -1);
  const ranked = rankList(e, m, owner, input.userId, input.inputList, filter, versionObjective(e, m, campaign.props.servingVersionArn as string));
  if (metadata) for (const p of ranked) { const i = m.itemIndex.get(p.itemId); if (i !== undefined) p.metadata = metadata(i); }
  return { personalizedRanking: ranked, recommendationId: `RID-${e.randomUuid()}` };
}

/**
 * Rank a given list for a user: Personalize's softmax over the list; unknown items last with score 0.
 * An optimization objective reorders the list (normalized over the catalogue, as in rank()); scores stay the model's.
 */
export function rankList(e: Engine, m: ServingModel, owner: ModelOwner, userId: string, inputList: string[], filter?: (mask: Uint8Array) => void, objective?: ObjectiveStage): PredictedItem[] {
  const { scores, personal } = modelScores(m, { ...queryFor(e, owner, m, userId), item: -1 });
  // Filters drop items from the list; items unknown to the model cannot be checked and stay (last).
  const allowed = filter ? new Uint8Array(m.bundle.itemIds.length).fill(1) : null;
  if (allowed) filter!(allowed);
  const known: number[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const id of inputList) {
    if (seen.has(id)) continue; // a repeated input item is ranked once
    seen.add(id);
    const i = m.itemIndex.get(id);
    if (i === undefined) unknown.push(id);
    else if (!allowed || allowed[i]) known.push(i);
  }
  // A user the model cannot place: popularity order, scores as each item's share of the list's popularity.
  const pop = m.bundle.serving.itemPopularity as Float32Array;
  const base = personal ? scores : pop;
  let key = (i: number) => base[i]!;
  if (objective && objective.lambda > 0) {
    const { min, span } = scoreRange(base);
    key = (i) => objectiveScore(base[i]!, min, span, objective.attribute[i]!, objective.lambda);
  }
  known.sort((a, b) => key(b) - key(a) || a - b); // at most 500 items
  const max = known.reduce((mx, i) => Math.max(mx, scores[i]!), -Infinity);
  const weight = personal ? (i: number) => Math.exp(scores[i]! - max) : (i: number) => pop[i]! + 1;
  const denom = known.reduce((s, i) => s + weight(i), 0);
  const out: PredictedItem[] = known.map((i) => ({ itemId: m.bundle.itemIds[i]!, score: roundScore(weight(i) / denom) }));
  // Items the model has never seen go last, with score 0 (Personalize's documented behaviour).
  for (const id of unknown) out.push({ itemId: id, score: 0 });
  return out;
}

/** GetRecommendations with a recommenderArn: the use case's required parameters and automatic exclusions; no scores. */
function recommenderRecommendations(e: Engine, input: RecommendInput, numResults: number): { itemList: PredictedItem[]; recommendationId: string } {
  const rec = e.store.get('recommender', input.recommenderArn!);
  const status = e.status(rec);
  if (status !== 'ACTIVE') {
    throw new InvalidInputException(`The recommender ${rec.arn} is ${status}${status === 'INACTIVE' ? '; start it with StartRecommender' : ''}.`);
  }
  const uc = useCaseOf(rec);
  const useCase = String(rec.props.recipeArn).slice('arn:aws:personalize:::recipe/'.length);
  if (uc.needsUser && !input.userId) throw new InvalidInputException(`userId is required for the ${useCase} use case.`);
  if (uc.needsItem && !input.itemId) throw new InvalidInputException(`itemId is required for the ${useCase} use case.`);
  const modelArn = rec.props.modelArn as string;
  const m = e.models.load(modelArn);
  const item = input.itemId !== undefined ? (m.itemIndex.get(input.itemId) ?? -1) : -1;
  const group = rec.parentArn!;
  checkContext(e, group, input.context);
  const exclude = uc.excludeEventType && input.userId !== undefined ? excludedItems(e, group, m, input.userId, uc.excludeEventType) : [];
  const cfg = rec.props.recommenderConfig as RecommenderConfig | undefined;
  const promotion = promotionStage(e, m, group, input.promotions, input.userId, item);
  const metadata = metadataReader(e, m, group, input.metadataColumns, numResults, cfg?.enableMetadataWithRecommendations);
  const ranked = rank(m, {
    query: { ...queryFor(e, { groupArn: rec.parentArn!, trainedAt: rec.props.trainedAt as number }, m, input.userId), item },
    numResults,
    excludeQueryItem: uc.needsItem,
    // Automatic exclusions come before any custom filter (Personalize's order).
    filter: withExclusions(filterStage(e, m, group, input.filterArn, input.filterValues, input.userId, item), exclude),
    promotion: promotion.opt,
    exploration: uc.explores ? explorationFor('aws-user-personalization', cfg?.itemExplorationConfig) : undefined,
    rng: requestRng(e, rec.arn, input.userId, input.itemId, numResults),
  });
  return { itemList: predictedItems(m, ranked, false, { promotionName: promotion.name, metadata }), recommendationId: `RID-${e.randomUuid()}` };
}

/** Items the user interacted with by `eventType` (case-insensitive), among their 100 most recent of that type. */
function excludedItems(e: Engine, groupArn: string, m: ServingModel, userId: string, eventType: string): number[] {
  const ds = groupDataset(e, groupArn, 'INTERACTIONS');
  if (!ds) return [];
  const { itemIds, eventTypes } = e.interactions.of(ds.arn, userId);
  const out: number[] = [];
  const t = eventType.toLowerCase();
  for (let k = 0; k < itemIds.length; k++) {
    if (eventTypes[k]!.toLowerCase() !== t) continue;
    const i = m.itemIndex.get(itemIds[k]!);
    if (i !== undefined) out.push(i);
  }
  return out;
}
