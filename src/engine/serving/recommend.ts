// GetRecommendations and GetPersonalizedRanking: one scoring pass over a reused Float32Array, partial
// top-k selection, and Personalize's response shape.
import { topK } from '../../lib/topk.js';
import type { Engine } from '../engine.js';
import { InvalidInputException, NotImplementedException } from '../errors.js';
import type { ResourceRecord } from '../store/types.js';
import type { ServingModel } from './model-store.js';
import { groupDataset } from '../resources/datasets.js';

export interface PredictedItem { itemId: string; score?: number; reason?: string[] }

const scratch = new WeakMap<ServingModel, { scores: Float32Array; top: Int32Array; history: Int32Array }>();

function buffers(m: ServingModel) {
  let b = scratch.get(m);
  if (!b) {
    const n = m.bundle.itemIds.length;
    b = { scores: new Float32Array(n), top: new Int32Array(Math.min(n, 500)), history: new Int32Array(0) };
    scratch.set(m, b);
  }
  return b;
}

function campaignModel(e: Engine, campaignArn: string): { campaign: ResourceRecord; m: ServingModel } {
  const campaign = e.store.get('campaign', campaignArn);
  e.requireStatus(campaign, ['ACTIVE'], 'get recommendations from it');
  return { campaign, m: e.models.load(campaign.props.servingVersionArn as string) };
}

/**
 * Who is asking, as the model sees it: the user's index and history (item indices, oldest first) from
 * training plus the events streamed since. When there are new events, the query carries user = -1 and
 * the whole history, so models fold the history in (real-time personalization without retraining).
 */
function queryFor(e: Engine, campaign: ResourceRecord, m: ServingModel, userId: string | undefined): { user: number; history: Int32Array | null } {
  if (userId === undefined) return { user: -1, history: null };
  const version = e.store.find(campaign.props.servingVersionArn as string);
  // A data deletion job after this model was trained: the model must no longer know the user.
  const deletedAt = version && (e.store.find(version.props.datasetGroupArn as string)?.props.deletedUsers as Record<string, number> | undefined)?.[userId];
  const forgotten = deletedAt !== undefined && version !== undefined && deletedAt >= version.createdAt;
  const user = forgotten ? -1 : (m.userIndex.get(userId) ?? -1);
  const ptr = m.bundle.serving.userPtr as Int32Array;
  const trained = user >= 0 ? (m.bundle.serving.userItems as Int32Array).subarray(ptr[user]!, ptr[user + 1]!) : null;
  const ds = version && groupDataset(e, version.props.datasetGroupArn as string, 'INTERACTIONS');
  if (!ds) return { user, history: trained };
  const put = e.datasets.get(ds.arn, 'put', []);
  const rows = e.live.rowsOf(ds.arn, put, userId, (m.bundle.info.putRowsAtTraining as number | undefined) ?? 0);
  if (!rows.length) return { user, history: trained };
  const items = put.columns.ITEM_ID as { dictionary: string[]; codes: Int32Array };
  const fresh: number[] = [];
  for (const r of rows) {
    const i = m.itemIndex.get(items.dictionary[items.codes[r]!]!);
    if (i !== undefined) fresh.push(i); // items unknown to the model wait for the next training
  }
  if (!fresh.length) return { user, history: trained };
  const history = new Int32Array((trained?.length ?? 0) + fresh.length);
  if (trained) history.set(trained);
  history.set(fresh, trained?.length ?? 0);
  return { user: -1, history };
}

const V2 = new Set(['aws-user-personalization-v2', 'aws-personalized-ranking-v2']);

/** Softmax over the selected logits' catalogue (UP: all items; PR: the input list), as Personalize defines scores. */
function softmaxDenominator(scores: Float32Array, idx: ArrayLike<number> | null, max: number): number {
  let s = 0;
  if (idx) for (let k = 0; k < idx.length; k++) s += Math.exp(scores[idx[k]!]! - max);
  else for (let i = 0; i < scores.length; i++) s += Math.exp(scores[i]! - max);
  return s;
}

function roundScore(x: number): number {
  return Number(x.toPrecision(7));
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

export function getRecommendations(e: Engine, input: RecommendInput): { itemList: PredictedItem[]; recommendationId: string } {
  if (input.recommenderArn) throw new NotImplementedException('Recommenders (domain dataset groups) are not implemented by personalize-local yet; use a campaign.');
  if (!input.campaignArn) throw new InvalidInputException('campaignArn (or recommenderArn) is required.');
  if (input.filterArn) e.store.get('filter', input.filterArn);
  if (input.promotions?.length) throw new NotImplementedException('promotions are not implemented by personalize-local yet.');
  if (input.metadataColumns && Object.keys(input.metadataColumns).length) throw new NotImplementedException('metadataColumns are not implemented by personalize-local yet.');
  const numResults = input.numResults ?? 25;
  if (!Number.isInteger(numResults) || numResults < 0 || numResults > 500) throw new InvalidInputException(`numResults must be an integer from 0 to 500 (got ${input.numResults}).`);
  const { campaign, m } = campaignModel(e, input.campaignArn);
  const type = m.recipe.recipeType;
  if (type === 'PERSONALIZED_RANKING') throw new InvalidInputException(`The campaign ${input.campaignArn} serves a ${m.recipe.name} model: use GetPersonalizedRanking.`);
  if (type === 'USER_PERSONALIZATION' && !input.userId) throw new InvalidInputException(`userId is required for a ${m.recipe.name} campaign.`);
  if (type === 'RELATED_ITEMS' && !input.itemId) throw new InvalidInputException(`itemId is required for a ${m.recipe.name} campaign.`);

  const { scores, top } = buffers(m);
  const item = input.itemId !== undefined ? (m.itemIndex.get(input.itemId) ?? -1) : -1;
  const personal = m.model.score({ ...queryFor(e, campaign, m, input.userId), item }, scores);
  if (!personal) scores.set(m.bundle.serving.itemPopularity as Float32Array); // cold start: popular items
  // A related-items query never returns the query item itself.
  const mask = item >= 0 && type === 'RELATED_ITEMS' ? excludeOne(m, item) : null;
  const k = topK(scores, mask, Math.min(numResults, scores.length), top);
  if (mask) mask[item] = 1;

  const withScores = m.recipe.hasScores && personal;
  let max = -Infinity, denom = 1;
  if (withScores) {
    for (let i = 0; i < scores.length; i++) if (scores[i]! > max) max = scores[i]!;
    denom = softmaxDenominator(scores, null, max);
  }
  const itemList: PredictedItem[] = [];
  for (let r = 0; r < k; r++) {
    const i = top[r]!;
    const p: PredictedItem = { itemId: m.bundle.itemIds[i]! };
    if (withScores) p.score = roundScore(Math.exp(scores[i]! - max) / denom);
    if (!personal && V2.has(m.recipe.name)) p.reason = ['Popular item'];
    itemList.push(p);
  }
  return { itemList, recommendationId: `RID-${e.randomUuid()}` };
}

const masks = new WeakMap<ServingModel, Uint8Array>();
function excludeOne(m: ServingModel, item: number): Uint8Array {
  let mask = masks.get(m);
  if (!mask) masks.set(m, (mask = new Uint8Array(m.bundle.itemIds.length).fill(1)));
  mask[item] = 0;
  return mask;
}

export function getPersonalizedRanking(
  e: Engine,
  input: { campaignArn: string; inputList: string[]; userId: string; context?: Record<string, string>; filterArn?: string; filterValues?: Record<string, string>; metadataColumns?: Record<string, string[]> },
): { personalizedRanking: PredictedItem[]; recommendationId: string } {
  if (input.filterArn) e.store.get('filter', input.filterArn);
  if (input.metadataColumns && Object.keys(input.metadataColumns).length) throw new NotImplementedException('metadataColumns are not implemented by personalize-local yet.');
  if (input.inputList.length > 500) throw new InvalidInputException(`inputList has ${input.inputList.length} items; at most 500 are allowed.`);
  const { campaign, m } = campaignModel(e, input.campaignArn);
  if (m.recipe.recipeType !== 'PERSONALIZED_RANKING') {
    throw new InvalidInputException(`The campaign ${input.campaignArn} serves a ${m.recipe.name} model; GetPersonalizedRanking needs a personalized-ranking campaign.`);
  }
  const { scores } = buffers(m);
  const personal = m.model.score({ ...queryFor(e, campaign, m, input.userId), item: -1 }, scores);
  if (!personal) scores.set(m.bundle.serving.itemPopularity as Float32Array);
  const known: number[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const id of input.inputList) {
    if (seen.has(id)) continue; // a repeated input item is ranked once
    seen.add(id);
    const i = m.itemIndex.get(id);
    if (i === undefined) unknown.push(id);
    else known.push(i);
  }
  known.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const max = known.length ? scores[known[0]!]! : 0;
  const denom = softmaxDenominator(scores, known, max);
  const out: PredictedItem[] = known.map((i) => ({ itemId: m.bundle.itemIds[i]!, score: roundScore(Math.exp(scores[i]! - max) / denom) }));
  // Items the model has never seen go last, with score 0 (Personalize's documented behaviour).
  for (const id of unknown) out.push({ itemId: id, score: 0 });
  return { personalizedRanking: out, recommendationId: `RID-${e.randomUuid()}` };
}
