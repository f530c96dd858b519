// Why these items (beyond Personalize): a GetRecommendations answer plus, for each returned item, what
// each pipeline stage contributed: model score, repeat term, softmax score, ranking influence, filter and slot kind.
import type { Engine } from '../core/engine.js';
import { InvalidInputException } from '../errors.js';
import type { CampaignConfig, RecommenderConfig } from './serving-config.js';
import { EXPLORED, lastRequestBuffers, PROMOTED, softmaxScore, softmaxStats } from './pipeline.js';
import { relevanceRange } from './repeat-stage.js';
import { getRecommendations, servingModelOf, type RecommendInput } from './recommend.js';
import { useCaseOf } from './use-cases.js';

export interface ItemExplanation {
  itemId: string;
  position: number;
  /** How the slot was filled. */
  slot: 'relevance' | 'exploration' | 'promotion';
  /** The model's raw score (a logit for factor models, a popularity count for fallbacks). */
  modelScore: number;
  /**
   * For items already in the user's history: the repeat stage's term added to the model score (a log-odds; very
   * negative when the training data shows people rarely come back to an item, near 0 or positive when they do).
   */
  repeat?: number;
  /** Personalize's score: softmax of model scores over the catalogue (only when the model personalized). */
  softmaxScore?: number;
  /** Ranking influence: relevance normalized to [0,1] plus the popularity and freshness terms. */
  influence?: { relevance: number; popularity: number; freshness: number; rankingScore: number };
  /** The request filter's verdict (promoted items pass the promotion's filter instead). */
  filter: 'passed' | 'not applied';
}

export interface Explanation {
  itemList: ReturnType<typeof getRecommendations>['itemList'];
  recommendationId: string;
  trace: {
    recipe: string;
    personalized: boolean;
    candidates: number;
    candidatesAfterFilter: number;
    exploration?: { weight: number; ageCutOffDays: number; slots: number };
    /**
     * The repeat stage, when it applied: the training data's share of interactions that revisit an item, and this
     * user's chance that the next interaction is with an item of their history (over `historyItems` distinct items).
     */
    repeat?: { repeatShare: number; probability: number; historyItems: number };
    rankingInfluence?: { POPULARITY?: number; FRESHNESS?: number };
    items: ItemExplanation[];
  };
}

export function explainRecommendations(e: Engine, input: RecommendInput): Explanation {
  if (!input.campaignArn && !input.recommenderArn) {
    throw new InvalidInputException('explain works on campaigns and recommenders: pass campaignArn or recommenderArn (and the rest of a GetRecommendations request).');
  }
  const out = getRecommendations(e, input);
  // The model and configuration the request was just answered with (a campaign's, or a recommender's use case).
  let m, cfg: Pick<CampaignConfig, 'itemExplorationConfig' | 'rankingInfluence'> | undefined, excludes = false;
  if (input.campaignArn) {
    const campaign = e.store.get('campaign', input.campaignArn);
    m = e.models.load(servingModelOf(campaign));
    cfg = campaign.props.campaignConfig as CampaignConfig | undefined;
  } else {
    const rec = e.store.get('recommender', input.recommenderArn!);
    m = e.models.load(rec.props.modelArn as string);
    cfg = rec.props.recommenderConfig as RecommenderConfig | undefined;
    // A use case's automatic exclusions (e.g. items already purchased) filter like a filter does.
    excludes = Boolean(useCaseOf(rec).excludeEventType && input.userId !== undefined);
  }
  const { scores, ranking, mask, kind, personal: personalized, influence, repeat } = lastRequestBuffers(m);
  const repeatTerm = new Map<number, number>();
  if (repeat) for (let k = 0; k < repeat.count; k++) repeatTerm.set(repeat.items[k]!, repeat.terms[k]!);
  const filtered = Boolean(input.filterArn || input.promotions?.length || excludes || m.recipe.recipeType === 'RELATED_ITEMS');
  let allowed = 0;
  for (let i = 0; i < mask.length; i++) allowed += mask[i]!;
  const softmax = softmaxStats(scores);
  const wP = cfg?.rankingInfluence?.POPULARITY ?? 0, wF = cfg?.rankingInfluence?.FRESHNESS ?? 0;
  const range = wP > 0 || wF > 0 ? relevanceRange(scores, filtered ? mask : null, repeat) : { min: 0, span: 1 };
  const explored = out.itemList.filter((_, k) => kind[k] === EXPLORED);
  const items = out.itemList.map((p, position): ItemExplanation => {
    const i = m.itemIndex.get(p.itemId)!;
    const slot = kind[position] === PROMOTED ? 'promotion' : kind[position] === EXPLORED ? 'exploration' : 'relevance';
    const term = repeatTerm.get(i);
    const x: ItemExplanation = { itemId: p.itemId, position, slot, modelScore: term === undefined ? scores[i]! : scores[i]! - term, filter: input.filterArn ? 'passed' : 'not applied' };
    if (term !== undefined) x.repeat = term;
    if (m.recipe.hasScores && personalized) x.softmaxScore = softmaxScore(scores[i]!, softmax);
    if ((wP > 0 || wF > 0) && influence) {
      x.influence = { relevance: (scores[i]! - range.min) / (range.span || 1), popularity: wP * influence.popularity[i]!, freshness: wF * influence.freshness[i]!, rankingScore: ranking[i]! };
    }
    return x;
  });
  return {
    itemList: out.itemList,
    recommendationId: out.recommendationId,
    trace: {
      recipe: m.recipe.name,
      personalized,
      candidates: m.bundle.itemIds.length,
      candidatesAfterFilter: filtered ? allowed : m.bundle.itemIds.length,
      ...(cfg?.rankingInfluence ? { rankingInfluence: cfg.rankingInfluence } : {}),
      ...(repeat ? { repeat: { repeatShare: (m.bundle.info.repeat as { repeatShare: number }).repeatShare, probability: repeat.probability, historyItems: repeat.count } } : {}),
      ...(explored.length ? { exploration: { weight: Number(cfg?.itemExplorationConfig?.explorationWeight ?? 0.3), ageCutOffDays: Number(cfg?.itemExplorationConfig?.explorationItemAgeCutOff ?? 30), slots: explored.length } } : {}),
      items,
    },
  };
}
